// The fingerprint phase's hash: everything that decides deps.pex's bytes, as named components so
// a change can be explained (ARCHITECTURE.md § 3).
import type { Declarations } from '../python/declarations.ts';
import { canonicalJson, sha256Hex } from '../archive/pexinfo.ts';
import type { Target } from '../python/target.ts';
import { DEPS_LAYOUT_VERSION } from '../platform/version.ts';
import { canonicalRequirement } from '../python/requirements.ts';

export type ResolverKind = 'uv' | 'pip';

export interface FingerprintComponent {
  name: string;
  hash: string;
  /** What was hashed, in a form fit to show and to diff against a previous build (no secrets). */
  value: unknown;
  /** Not hashed: which file each requirement came from (-r/-c includes), so a reason can name it. */
  origins?: Record<string, string>;
}

export interface Fingerprint {
  fingerprint: string;
  /** Where the dependency set comes from: a lockfile, or the declarations. */
  source: string;
  components: FingerprintComponent[];
}

function component(name: string, value: unknown): FingerprintComponent {
  return { name, value, hash: sha256Hex(canonicalJson(value)) };
}

function declarationComponents(decl: Declarations): FingerprintComponent[] {
  const out: FingerprintComponent[] = [];
  if (decl.requirements && decl.requirementsFile) {
    const r = decl.requirements;
    const origins: Record<string, string> = {};
    for (const x of [...r.requirements, ...r.constraints])
      if (x.source.file !== decl.requirementsFile) origins[x.canonical] = x.source.file;
    const c = component(decl.requirementsFile, {
      requirements: r.requirements.map((x) => x.canonical),
      constraints: r.constraints.map((x) => x.canonical),
      indexUrl: r.indexUrl,
      extraIndexUrls: r.extraIndexUrls,
      findLinks: r.findLinks,
      options: r.options,
      local: r.editableOrLocal,
      includes: r.files.slice(1),
    });
    if (Object.keys(origins).length) c.origins = origins;
    out.push(c);
  }
  if (decl.setupPy) {
    const s = decl.setupPyDeps;
    if (s && 'deps' in s) {
      // Only what decides deps.pex: a version bump or a new module in setup.py keeps the build fast.
      const d = s.deps;
      const list = (v: unknown) =>
        Array.isArray(v)
          ? v.map((x) => canonicalRequirement(String(x))).sort()
          : typeof v === 'string'
            ? v
                .split('\n')
                .map((x) => x.trim())
                .filter(Boolean)
                .map(canonicalRequirement)
                .sort()
            : [];
      const extras = Object.fromEntries(
        Object.entries((d.extras_require ?? {}) as Record<string, unknown>)
          .map(([k, v]) => [k, list(v)] as const)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
      out.push(
        component('setup.py', {
          requirements: list(d.install_requires),
          extras,
          python_requires: d.python_requires ?? null,
          setup_requires: list(d.setup_requires),
          dependency_links: d.dependency_links ?? [],
        }),
      );
    } else {
      out.push(component('setup.py', { sha256: sha256Hex(decl.setupPy), computed: s?.computed ?? 'not read' }));
    }
  }
  if (decl.setupCfg) out.push(component('setup.cfg', { sha256: sha256Hex(decl.setupCfg) }));
  if (decl.pyproject) out.push(component('pyproject.toml', decl.pyproject));
  return out;
}

/**
 * sha256 over everything that decides deps.pex's bytes, and over nothing else. With a lockfile that
 * is the part of the locked set that is installed (runtime dependencies, asked-for extras and groups); otherwise the declarations in normalized form (so comments, order and
 * spelling do not count). Index URLs are hashed without their credentials.
 */
export function computeFingerprint(
  decl: Declarations,
  ctx: { target: Target; resolver: ResolverKind; epoch: string; extras: string[]; groups?: string[] },
): Fingerprint {
  const components: FingerprintComponent[] = [];
  const lock = decl.lockfile;
  if (lock) {
    components.push(
      component(lock.kind, {
        requirements: lock.packages.map((p) => `${p.name}==${p.version}${p.marker ? `; ${p.marker}` : ''}`),
        hashes: sha256Hex(canonicalJson(lock.packages.map((p) => [p.name, p.hashes]))),
      }),
    );
  } else {
    components.push(...declarationComponents(decl));
  }
  if (ctx.extras.length) components.push(component('extras', [...ctx.extras].sort()));
  if (ctx.groups?.length) components.push(component('groups', [...ctx.groups].sort()));
  const t = ctx.target;
  components.push(component('target', { python: t.python, platform: t.platform, glibc: t.glibc, implementation: t.implementation }));
  components.push(component('resolver', ctx.resolver));
  components.push(component('layout', DEPS_LAYOUT_VERSION));
  components.push(component('deps-cache-epoch', ctx.epoch));
  const fingerprint = sha256Hex(canonicalJson(components.map((c) => [c.name, c.hash])));
  return { fingerprint, source: lock ? lock.kind : 'declarations', components };
}
