// Why a build is full: the difference between two fingerprints' components, as one line a person reads.
import type { FingerprintComponent } from './fingerprint.ts';
import { canonicalRequirement, diffRequirements } from '../python/requirements.ts';

interface RequirementsValue {
  requirements?: string[];
  constraints?: string[];
  indexUrl?: string | null;
  extraIndexUrls?: string[];
}

type Table = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Requirement changes grouped by the file each came from: 'requirements/base.txt: six 1.16 → 1.17'. */
function byOrigin(name: string, before: string[], after: string[], origins: Record<string, string>, prevOrigins: Record<string, string>) {
  const files = new Map<string, { b: string[]; a: string[] }>();
  const slot = (f: string) => files.get(f) ?? (files.set(f, { b: [], a: [] }), files.get(f)!);
  for (const c of before) slot(prevOrigins[c] ?? name).b.push(c);
  for (const c of after) slot(origins[c] ?? name).a.push(c);
  // A requirement that moved between files is shown once, where it is now.
  const parts: string[] = [];
  for (const [file, { b, a }] of files) {
    const d = diffRequirements(b, a);
    if (d) parts.push(`${file}: ${d}`);
  }
  return parts;
}

/** pyproject.toml: dependency lists diffed, groups and extras by name, other tables by name. */
function describePyproject(b: Table, a: Table): string {
  const parts: string[] = [];
  const list = (v: unknown) =>
    Array.isArray(v)
      ? v
          .filter((x) => typeof x === 'string')
          .map((x) => canonicalRequirement(x as string))
          .sort()
      : [];
  const diffList = (label: string, x: unknown, y: unknown) => {
    const d = diffRequirements(list(x), list(y));
    if (d) parts.push(label ? `${label} ${d}` : d);
    else if (!same(x, y)) parts.push(`${label || 'dependencies'} changed`);
  };
  const diffTables = (label: string, x: unknown, y: unknown, each: (k: string, bx: unknown, ay: unknown) => void) => {
    const bt = (x ?? {}) as Table;
    const at = (y ?? {}) as Table;
    for (const k of [...new Set([...Object.keys(bt), ...Object.keys(at)])].sort()) {
      if (same(bt[k], at[k])) continue;
      if (!(k in bt)) parts.push(`+${label} ${k}`);
      else if (!(k in at)) parts.push(`−${label} ${k}`);
      else each(k, bt[k], at[k]);
    }
  };
  const bp = (b.project ?? {}) as Table;
  const ap = (a.project ?? {}) as Table;
  if (!same(bp.dependencies, ap.dependencies)) diffList('', bp.dependencies, ap.dependencies);
  diffTables('extra', bp['optional-dependencies'], ap['optional-dependencies'], (k, x, y) => diffList(`[${k}]`, x, y));
  diffTables('group', b['dependency-groups'], a['dependency-groups'], (k, x, y) => diffList(`group ${k}:`, x, y));
  if (!same(bp['requires-python'], ap['requires-python']))
    parts.push(`requires-python ${String(bp['requires-python'] ?? '(none)')} → ${String(ap['requires-python'] ?? '(none)')}`);
  const poetry = (t: Table) => (t['tool.poetry'] ?? {}) as Table;
  const poetryDeps = (v: unknown) =>
    Object.entries((v ?? {}) as Table)
      .map(([k, s]) => `${k.toLowerCase()}${typeof s === 'string' ? s : JSON.stringify(s)}`)
      .sort();
  const bpo = poetry(b);
  const apo = poetry(a);
  if (!same(bpo.dependencies, apo.dependencies))
    parts.push(diffRequirements(poetryDeps(bpo.dependencies), poetryDeps(apo.dependencies)) || 'Poetry dependencies changed');
  diffTables('Poetry group', bpo.group, apo.group, (k, x, y) => {
    const d = diffRequirements(poetryDeps((x as Table)?.dependencies), poetryDeps((y as Table)?.dependencies));
    parts.push(`Poetry group ${k}: ${d || 'changed'}`);
  });
  for (const k of ['extras', 'source']) if (!same(bpo[k], apo[k])) parts.push(`[tool.poetry] ${k} changed`);
  for (const k of ['build-system', 'tool.uv']) if (!same(b[k], a[k])) parts.push(`[${k}] changed`);
  if (!same(bp.dynamic, ap.dynamic) || !same(bp.name, ap.name)) parts.push('[project] changed');
  return `pyproject.toml: ${parts.filter(Boolean).join(', ') || 'dependency declarations changed'}`;
}

function describeSetupPy(b: Table, a: Table): string {
  if (typeof a.computed === 'string') return `setup.py changed (${a.computed}, so any edit counts)`;
  if (typeof b.computed === 'string') return `setup.py: its dependencies are read now (before: ${b.computed})`;
  const parts: string[] = [];
  const d = diffRequirements((b.requirements as string[]) ?? [], (a.requirements as string[]) ?? []);
  if (d) parts.push(d);
  const be = (b.extras ?? {}) as Record<string, string[]>;
  const ae = (a.extras ?? {}) as Record<string, string[]>;
  for (const k of [...new Set([...Object.keys(be), ...Object.keys(ae)])].sort()) {
    if (same(be[k], ae[k])) continue;
    if (!be[k]) parts.push(`+extra ${k}`);
    else if (!ae[k]) parts.push(`−extra ${k}`);
    else parts.push(`[${k}] ${diffRequirements(be[k], ae[k]) || 'changed'}`);
  }
  for (const k of ['python_requires', 'setup_requires', 'dependency_links']) if (!same(b[k], a[k])) parts.push(`${k} changed`);
  return `setup.py: ${parts.join(', ') || 'dependency declarations changed'}`;
}

function describeNames(name: string, before: unknown, after: unknown): string {
  const b = new Set(Array.isArray(before) ? (before as string[]) : []);
  const a = new Set(Array.isArray(after) ? (after as string[]) : []);
  const parts = [...[...a].filter((x) => !b.has(x)).map((x) => `+${x}`), ...[...b].filter((x) => !a.has(x)).map((x) => `−${x}`)];
  return `${name} ${parts.join(', ')}`;
}

function describe(c: { name: string; before?: FingerprintComponent; after?: FingerprintComponent }): string {
  const { name } = c;
  const before = c.before?.value;
  const after = c.after?.value;
  if (name === 'extras' || name === 'groups') return describeNames(name, before, after);
  if (before === undefined) return `+${name}`;
  if (after === undefined) return `−${name}`;
  if (name === 'target') {
    const b = before as Record<string, string>;
    const a = after as Record<string, string>;
    const parts = Object.keys(a)
      .filter((k) => a[k] !== b[k])
      .map((k) => `${k} ${b[k]} → ${a[k]}`);
    return `target ${parts.join(', ')}`;
  }
  if (name === 'resolver' || name === 'deps-cache-epoch' || name === 'layout') {
    return `${name} ${JSON.stringify(before)} → ${JSON.stringify(after)}`;
  }
  if (name === 'pyproject.toml') return describePyproject(before as Table, after as Table);
  if (name === 'setup.py') return describeSetupPy(before as Table, after as Table);
  const b = before as RequirementsValue;
  const a = after as RequirementsValue;
  if (Array.isArray(a?.requirements) && Array.isArray(b?.requirements)) {
    const parts = byOrigin(name, b.requirements, a.requirements, c.after?.origins ?? {}, c.before?.origins ?? {});
    const cons = byOrigin(name, b.constraints ?? [], a.constraints ?? [], c.after?.origins ?? {}, c.before?.origins ?? {});
    parts.push(...cons.map((p) => p.replace(': ', ': constraints ')));
    if (b.indexUrl !== a.indexUrl || JSON.stringify(b.extraIndexUrls) !== JSON.stringify(a.extraIndexUrls))
      parts.push(`${name}: index URLs changed`);
    return parts.join('; ') || `${name}: options changed`;
  }
  return `${name} changed`;
}

/** What differs between the previous build's fingerprint components and this one's, in a line. */
export function explainChange(before: FingerprintComponent[], after: FingerprintComponent[]): string {
  const prev = new Map(before.map((c) => [c.name, c]));
  const next = new Map(after.map((c) => [c.name, c]));
  const names = [...new Set([...prev.keys(), ...next.keys()])];
  const changes = names
    .filter((n) => prev.get(n)?.hash !== next.get(n)?.hash)
    .map((n) => describe({ name: n, before: prev.get(n), after: next.get(n) }));
  return changes.join('; ');
}
