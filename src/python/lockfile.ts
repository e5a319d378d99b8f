// uv.lock, pylock.toml and poetry.lock → the pinned set with its hashes: when present, the lock
// is what gets installed.
import { parse as parseToml } from 'smol-toml';
import { UsageError } from '../platform/errors.ts';
import { simplifyMarker } from './markers.ts';
import { normalizeName } from './requirements.ts';

export type LockfileKind = 'uv.lock' | 'pylock.toml' | 'poetry.lock';

export interface LockedEntry {
  name: string;
  version: string;
  /** The index the lock took it from, when it says ('' otherwise). */
  index?: string;
  /** Every sha256 the lock accepts for this package (its wheels and sdist). */
  hashes: string[];
  /** PEP 508 marker under which the package is installed ('' = always). */
  marker: string;
}

export interface Lockfile {
  kind: LockfileKind;
  /** The lock as the project sees it: 'uv.lock', or '../uv.lock' for a uv workspace member. */
  path: string;
  /** Only what is installed: the runtime dependencies, the asked-for extras and groups. */
  packages: LockedEntry[];
  /** Package indexes other than PyPI that the selected packages come from (no credentials). */
  indexes: string[];
}

/** What to take from a lock: like `uv sync --no-dev` / `poetry install --only main`, plus these. */
export interface LockSelection {
  extras: string[];
  groups: string[];
  /** The project's directory relative to the lock's (posix; '.' unless a workspace member). */
  member: string;
  /** Groups the project's pyproject.toml declares (Poetry's [tool.poetry.group.*]); for messages. */
  declaredGroups?: string[];
}

type Table = Record<string, unknown>;

function sha(h: unknown): string | null {
  if (typeof h === 'string') return h.startsWith('sha256:') ? h.slice(7) : null;
  if (h && typeof h === 'object' && typeof (h as Table).sha256 === 'string') return (h as Table).sha256 as string;
  return null;
}

/**
 * Lockfiles are read as untrusted data: a field of the wrong type (`package = 5`, `wheels = 5`) is
 * one line naming the file and the field, not a JavaScript error from deep inside.
 */
function tables(kind: LockfileKind, where: string, v: unknown): Table[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((t) => !t || typeof t !== 'object' || Array.isArray(t)))
    throw new UsageError(`${kind}: ${where} must be an array of tables, not ${JSON.stringify(v)?.slice(0, 40)} — regenerate the lockfile`);
  return v as Table[];
}

function table(kind: LockfileKind, where: string, v: unknown): Table | undefined {
  if (v === undefined) return undefined;
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new UsageError(`${kind}: ${where} must be a table, not ${JSON.stringify(v)?.slice(0, 40)} — regenerate the lockfile`);
  return v as Table;
}

function nameOf(kind: LockfileKind, p: Table): string {
  if (typeof p.name !== 'string' || !p.name)
    throw new UsageError(`${kind}: a package has no name (name = ${JSON.stringify(p.name)?.slice(0, 40)}) — regenerate the lockfile`);
  return normalizeName(p.name);
}

function artifactHashes(kind: LockfileKind, p: Table, hashKey: 'hash' | 'hashes'): string[] {
  const at = `package ${JSON.stringify(p.name ?? '?')}`;
  const sdist = table(kind, `${at}: sdist`, p.sdist);
  const arts = [...tables(kind, `${at}: wheels`, p.wheels), ...(sdist ? [sdist] : [])];
  return arts.map((a) => sha(a[hashKey])).filter((h): h is string => !!h);
}

const list = (xs: Iterable<string>) => [...xs].sort().join(', ') || 'none';

function checkNames(kind: string, what: 'extra' | 'group', asked: string[], known: Set<string>): void {
  const unknown = asked.filter((x) => !known.has(normalizeName(x)));
  if (unknown.length) {
    const flag = what === 'extra' ? '--extras' : '--groups';
    throw new UsageError(
      `${flag} ${unknown.join(',')}: ${kind} has no ${what} ${unknown.map((u) => `'${u}'`).join(', ')} (it has: ${list(known)}) — fix the name or re-lock`,
    );
  }
}

const posix = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '').replace(/^\.\//, '') || '.';

/** uv.lock: the project's package, then its dependencies, chosen extras and groups, transitively. */
function selectUv(doc: Table, sel: LockSelection, path: string): LockedEntry[] {
  const all = tables('uv.lock', 'package', doc.package);
  for (const p of all) table('uv.lock', `package ${JSON.stringify(p.name ?? '?')}: source`, p.source);
  const localPath = (p: Table): string | null => {
    const s = (p.source ?? {}) as Table;
    const v = s.virtual ?? s.editable ?? s.directory;
    return typeof v === 'string' ? posix(v) : null;
  };
  const byName = new Map<string, Table[]>();
  for (const p of all) {
    const n = normalizeName(String(p.name));
    byName.set(n, [...(byName.get(n) ?? []), p]);
  }
  const entry = (p: Table): LockedEntry => ({
    name: nameOf('uv.lock', p),
    version: String(p.version ?? ''),
    index: String(((p.source ?? {}) as Table).registry ?? ''),
    hashes: artifactHashes('uv.lock', p, 'hash').sort(),
    marker: '',
  });
  const root = all.find((p) => localPath(p) === posix(sel.member));
  if (!root) {
    // A lock without the project's own entry (a virtual workspace root): everything but local code.
    if (sel.groups.length) checkNames(path, 'group', sel.groups, new Set());
    return all.filter((p) => localPath(p) === null).map(entry);
  }
  const optional = (root['optional-dependencies'] ?? {}) as Record<string, Table[]>;
  const dev = (root['dev-dependencies'] ?? {}) as Record<string, Table[]>;
  checkNames(`${path} (project ${String(root.name)})`, 'extra', sel.extras, new Set(Object.keys(optional).map(normalizeName)));
  checkNames(`${path} (project ${String(root.name)})`, 'group', sel.groups, new Set(Object.keys(dev).map(normalizeName)));
  const pick = (groups: Record<string, Table[]>, names: string[]) =>
    Object.entries(groups)
      .filter(([k]) => names.map(normalizeName).includes(normalizeName(k)))
      .flatMap(([, v]) => v);
  const selected = new Map<string, LockedEntry>();
  const seen = new Set<string>();
  const queue: Table[] = [...((root.dependencies as Table[] | undefined) ?? []), ...pick(optional, sel.extras), ...pick(dev, sel.groups)];
  while (queue.length) {
    const dep = queue.shift()!;
    const candidates = (byName.get(normalizeName(String(dep.name))) ?? []).filter(
      (p) => dep.version === undefined || p.version === dep.version,
    );
    const extras = ((dep.extra as string[] | undefined) ?? []).map(normalizeName);
    for (const p of candidates) {
      const key = `${String(p.name)} ${String(p.version)} ${extras.join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // Workspace members and path dependencies are source code; their dependencies still count.
      if (localPath(p) === null) {
        const e = entry(p);
        selected.set(`${e.name} ${e.version}`, e);
      }
      queue.push(...((p.dependencies as Table[] | undefined) ?? []));
      queue.push(...pick((p['optional-dependencies'] ?? {}) as Record<string, Table[]>, extras));
    }
  }
  return [...selected.values()];
}

/** poetry.lock: packages of the main group (and the asked-for groups); optional ones only via extras. */
function selectPoetry(doc: Table, sel: LockSelection): LockedEntry[] {
  const all = tables('poetry.lock', 'package', doc.package);
  const groupsOf = (p: Table): string[] =>
    Array.isArray(p.groups) ? (p.groups as string[]) : [p.category === 'dev' ? 'dev' : String(p.category ?? 'main')];
  const known = new Set([...all.flatMap(groupsOf), ...(sel.declaredGroups ?? [])].map(normalizeName));
  checkNames('poetry.lock', 'group', sel.groups, known);
  const lockExtras = (doc.extras ?? {}) as Record<string, string[]>;
  checkNames('poetry.lock', 'extra', sel.extras, new Set(Object.keys(lockExtras).map(normalizeName)));
  const byName = new Map(all.map((p) => [normalizeName(String(p.name)), p]));
  // What the asked-for extras pull in: their packages and everything those depend on.
  const viaExtras = new Set<string>();
  const queue = Object.entries(lockExtras)
    .filter(([k]) => sel.extras.map(normalizeName).includes(normalizeName(k)))
    .flatMap(([, names]) => names.map((n) => normalizeName(n.split(/[\s[(<>=!~;]/)[0])));
  while (queue.length) {
    const n = queue.shift()!;
    if (viaExtras.has(n)) continue;
    viaExtras.add(n);
    queue.push(...Object.keys((byName.get(n)?.dependencies ?? {}) as Table).map(normalizeName));
  }
  const wanted = new Set(['main', ...sel.groups].map(normalizeName));
  const out: LockedEntry[] = [];
  for (const p of all) {
    const name = normalizeName(String(p.name));
    const groups = groupsOf(p).filter((g) => wanted.has(normalizeName(g)));
    if (!groups.length || (p.optional === true && !viaExtras.has(name))) continue;
    const markers = p.markers;
    const perGroup = groups.map((g) =>
      typeof markers === 'string' ? markers : markers && typeof markers === 'object' ? (markers as Table)[g] : undefined,
    );
    const marker = perGroup.some((m) => !m)
      ? ''
      : [...new Set(perGroup as string[])].map((m) => (perGroup.length > 1 ? `(${m})` : m)).join(' or ');
    // Poetry writes `extra == "x"` into the markers of optional packages: decided here, not by the resolver.
    let decided: string | boolean = marker;
    try {
      decided = marker ? simplifyMarker(marker, sel) : true;
    } catch (err) {
      throw new UsageError(`poetry.lock: ${name}: ${(err as Error).message} — regenerate the lockfile`);
    }
    if (decided === false) continue;
    const files = tables('poetry.lock', `package ${JSON.stringify(p.name ?? '?')}: files`, p.files)
      .map((f) => sha(f.hash))
      .filter((h): h is string => !!h);
    const source = (p.source ?? {}) as Table;
    out.push({
      name,
      version: String(p.version ?? ''),
      index: source.type === 'legacy' ? String(source.url ?? '') : '',
      hashes: files.sort(),
      marker: decided === true ? '' : decided,
    });
  }
  return out;
}

/** pylock.toml (PEP 751): markers over `extras` / `dependency_groups` decided by the selection. */
function selectPylock(doc: Table, sel: LockSelection): LockedEntry[] {
  checkNames('pylock.toml', 'extra', sel.extras, new Set(((doc.extras as string[] | undefined) ?? []).map(normalizeName)));
  checkNames('pylock.toml', 'group', sel.groups, new Set(((doc['dependency-groups'] as string[] | undefined) ?? []).map(normalizeName)));
  const out: LockedEntry[] = [];
  for (const p of tables('pylock.toml', 'packages', doc.packages)) {
    if (p.directory !== undefined) continue;
    let marker: string | boolean = String(p.marker ?? '');
    if (marker) {
      try {
        marker = simplifyMarker(marker, sel);
      } catch (err) {
        throw new UsageError(`pylock.toml: ${String(p.name)}: ${(err as Error).message} — regenerate the lockfile`);
      }
    }
    if (marker === false) continue;
    out.push({
      name: nameOf('pylock.toml', p),
      version: String(p.version ?? ''),
      index: String(p.index ?? ''),
      hashes: artifactHashes('pylock.toml', p, 'hashes').sort(),
      marker: marker === true ? '' : marker,
    });
  }
  return out;
}

/**
 * Reads a lockfile's pinned set for this selection: what the fingerprint hashes (so reformatting the
 * lock, editing pyproject comments or bumping a dev tool changes nothing) and what the install must
 * match exactly.
 */
export function parseLockfile(kind: LockfileKind, text: string, sel: LockSelection, path: string = kind): Lockfile {
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (err) {
    const line = (err as { line?: number }).line;
    throw new UsageError(`${path}${line ? `:${line}` : ''}: invalid TOML — regenerate the lockfile`);
  }
  const packages = kind === 'uv.lock' ? selectUv(doc, sel, path) : kind === 'pylock.toml' ? selectPylock(doc, sel) : selectPoetry(doc, sel);
  packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  const indexes = [...new Set(packages.map((p) => p.index ?? ''))].filter((u) => u && !/^https:\/\/pypi\.org\/simple\/?$/.test(u)).sort();
  // What is installed is the name, version and files: where the lock found them is not fingerprinted.
  for (const p of packages) delete p.index;
  return { kind, path, packages, indexes };
}

/** A pinned, hash-checked requirements file for the resolver to evaluate markers against the target. */
export function lockAsRequirements(lock: Lockfile): string {
  return (
    lock.packages
      .map((p) => `${p.name}==${p.version}${p.marker ? ` ; ${p.marker}` : ''}${p.hashes.map((h) => ` --hash=sha256:${h}`).join('')}`)
      .join('\n') + '\n'
  );
}
