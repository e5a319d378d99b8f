// uv.lock, pylock.toml and poetry.lock → the pinned set with its hashes: when present, the lock
// is what gets installed.
import { parse as parseToml } from 'smol-toml';
import { UsageError } from '../platform/errors.ts';
import { normalizeName } from './requirements.ts';

export type LockfileKind = 'uv.lock' | 'pylock.toml' | 'poetry.lock';

export interface LockedEntry {
  name: string;
  version: string;
  /** Every sha256 the lock accepts for this package (its wheels and sdist). */
  hashes: string[];
  /** PEP 508 marker under which the package is installed ('' = always). */
  marker: string;
}

export interface Lockfile {
  kind: LockfileKind;
  packages: LockedEntry[];
}

type Table = Record<string, unknown>;

function sha(h: unknown): string | null {
  if (typeof h === 'string') return h.startsWith('sha256:') ? h.slice(7) : null;
  if (h && typeof h === 'object' && typeof (h as Table).sha256 === 'string') return (h as Table).sha256 as string;
  return null;
}

function artifactHashes(p: Table, hashKey: 'hash' | 'hashes'): string[] {
  const arts = [...((p.wheels as Table[] | undefined) ?? []), ...(p.sdist ? [p.sdist as Table] : [])];
  return arts.map((a) => sha(a[hashKey])).filter((h): h is string => !!h);
}

/**
 * Reads a lockfile's pinned set: what the fingerprint hashes (so reformatting the lock or editing
 * pyproject comments changes nothing) and what the install must match exactly.
 */
export function parseLockfile(kind: LockfileKind, text: string): Lockfile {
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (err) {
    const line = (err as { line?: number }).line;
    throw new UsageError(`${kind}${line ? `:${line}` : ''}: invalid TOML — regenerate the lockfile`);
  }
  const packages: LockedEntry[] = [];
  if (kind === 'uv.lock') {
    for (const p of (doc.package as Table[] | undefined) ?? []) {
      const source = (p.source ?? {}) as Table;
      // The project itself and workspace members are source code, not dependencies.
      if (source.virtual !== undefined || source.editable !== undefined || source.directory !== undefined) continue;
      packages.push({
        name: normalizeName(String(p.name)),
        version: String(p.version ?? ''),
        hashes: artifactHashes(p, 'hash').sort(),
        marker: '',
      });
    }
  } else if (kind === 'pylock.toml') {
    for (const p of (doc.packages as Table[] | undefined) ?? []) {
      if (p.directory !== undefined) continue;
      packages.push({
        name: normalizeName(String(p.name)),
        version: String(p.version ?? ''),
        hashes: artifactHashes(p, 'hashes').sort(),
        marker: String(p.marker ?? ''),
      });
    }
  } else {
    for (const p of (doc.package as Table[] | undefined) ?? []) {
      const files = ((p.files as Table[] | undefined) ?? []).map((f) => sha(f.hash)).filter((h): h is string => !!h);
      const markers = p.markers;
      const marker =
        typeof markers === 'string' ? markers : markers && typeof markers === 'object' ? String((markers as Table).main ?? '') : '';
      packages.push({ name: normalizeName(String(p.name)), version: String(p.version ?? ''), hashes: files.sort(), marker });
    }
  }
  packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { kind, packages };
}

/** A pinned, hash-checked requirements file for the resolver to evaluate markers against the target. */
export function lockAsRequirements(lock: Lockfile): string {
  return (
    lock.packages
      .map((p) => `${p.name}==${p.version}${p.marker ? ` ; ${p.marker}` : ''}${p.hashes.map((h) => ` --hash=sha256:${h}`).join('')}`)
      .join('\n') + '\n'
  );
}
