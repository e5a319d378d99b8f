import type { Declarations } from './declarations.ts';
import { canonicalJson, sha256Hex } from './pexinfo.ts';
import type { Target } from './target.ts';
import { DEPS_LAYOUT_VERSION } from './version.ts';

export type ResolverKind = 'uv' | 'pip';

export interface FingerprintComponent {
  name: string;
  hash: string;
  /** What was hashed, in a form fit to show and to diff against a previous build (no secrets). */
  value: unknown;
}

export interface Fingerprint {
  fingerprint: string;
  components: FingerprintComponent[];
}

function component(name: string, value: unknown): FingerprintComponent {
  return { name, value, hash: sha256Hex(canonicalJson(value)) };
}

/**
 * sha256 over everything that decides deps.pex's bytes, and over nothing else: requirement files are
 * hashed in normalized form (so comments, order and spelling do not count) and index URLs without
 * their credentials.
 */
export function computeFingerprint(decl: Declarations, ctx: { target: Target; resolver: ResolverKind; epoch: string }): Fingerprint {
  const components: FingerprintComponent[] = [];
  if (decl.requirements && decl.requirementsFile) {
    const r = decl.requirements;
    components.push(
      component(decl.requirementsFile, {
        requirements: r.requirements.map((x) => x.canonical),
        constraints: r.constraints.map((x) => x.canonical),
        indexUrl: r.indexUrl,
        extraIndexUrls: r.extraIndexUrls,
        findLinks: r.findLinks,
        options: r.options,
        local: r.editableOrLocal,
        includes: r.files.slice(1),
      }),
    );
  }
  if (decl.setupPy) components.push(component('setup.py', { sha256: sha256Hex(decl.setupPy) }));
  if (decl.setupCfg) components.push(component('setup.cfg', { sha256: sha256Hex(decl.setupCfg) }));
  if (decl.pyproject) components.push(component('pyproject.toml', decl.pyproject));
  if (decl.lockfile) components.push(component(decl.lockfile.kind, { sha256: sha256Hex(decl.lockfile.bytes) }));
  components.push(component('target', { python: ctx.target.python, platform: ctx.target.platform, glibc: ctx.target.glibc, implementation: ctx.target.implementation }));
  components.push(component('resolver', ctx.resolver));
  components.push(component('layout', DEPS_LAYOUT_VERSION));
  components.push(component('deps-cache-epoch', ctx.epoch));
  const fingerprint = sha256Hex(canonicalJson(components.map((c) => [c.name, c.hash])));
  return { fingerprint, components };
}
