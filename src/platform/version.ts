// Version constants that name what a build produced (ARCHITECTURE.md § 10 says what bumps them).
/** Bumped with every release; part of build_properties, not of the fingerprint. */
export const PEXPRESS_VERSION = '0.1.0';
/** Bumped when the layout of deps.pex changes (it is part of the fingerprint). */
export const DEPS_LAYOUT_VERSION = 2;
