// The decide phase: full or fast from the deps index and the last build this one is explained
// against (the branch's own, else its base's), and the deps diff the PR comment shows
// (ARCHITECTURE.md § 5).
import { explainChange } from './explain.ts';
import type { Fingerprint } from './fingerprint.ts';
import { readDepsIndex, readRef, type DepsIndexEntry, type RefRecord, type Warn } from './records.ts';
import { archiveKey, type RefScope, type Store } from '../store/index.ts';
import { normalizeName } from '../python/requirements.ts';

export type { DepsIndexEntry, RefRecord } from './records.ts';

interface PackageVersion {
  version: string;
  size: number | null;
}

/** The build this one is explained against: the branch's own last build, else its base's. */
export interface PreviousBuild {
  record: RefRecord;
  ref: string;
  repository: string | null;
  /** The branch had no build of its own: this is the base branch's (or the default branch's). */
  base: boolean;
}

export type Decision = (
  { buildType: 'fast'; reason: string; entry: DepsIndexEntry } | { buildType: 'full'; reason: string; repair: boolean }
) & { previous: PreviousBuild | null };

export interface DecideOptions {
  forceFull: boolean;
  ref: string;
  warn: Warn;
  /** Whose records these are (see refKey); without it the legacy unscoped refs/<branch>.json. */
  scope?: RefScope;
  /** Where to look, in order, when the branch has no record yet: the PR's base branch, then the default branch. */
  fallbacks?: Array<{ ref: string; repository: string | null }>;
}

async function previousBuild(store: Store, opts: DecideOptions): Promise<PreviousBuild | null> {
  const own = await readRef(store, opts.ref, opts.warn, opts.scope);
  if (own) return { record: own, ref: opts.ref, repository: opts.scope?.repository ?? null, base: false };
  for (const f of opts.fallbacks ?? []) {
    if (f.ref === opts.ref && f.repository === (opts.scope?.repository ?? null)) continue;
    const scope = opts.scope ? { ...opts.scope, repository: f.repository } : undefined;
    const rec = await readRef(store, f.ref, opts.warn, scope);
    if (rec) return { record: rec, ref: f.ref, repository: f.repository, base: true };
  }
  return null;
}

const short = (h: string) => h.slice(0, 12);

/** Full when nothing trustworthy is stored for this fingerprint (or when forced); fast otherwise. */
export async function decide(store: Store, fp: Fingerprint, opts: DecideOptions): Promise<Decision> {
  const [entry, previous] = await Promise.all([readDepsIndex(store, fp.fingerprint, opts.warn), previousBuild(store, opts)]);
  if (opts.forceFull) return { buildType: 'full', reason: 'full build forced (--force-full)', repair: false, previous };
  if (!entry) {
    const prev = previous?.record;
    if (prev && prev.fingerprint !== fp.fingerprint) {
      const what = explainChange(prev.components, fp.components) || 'dependency declarations changed';
      const at = prev.commit ? ` (${short(prev.commit)})` : '';
      const since = previous.base
        ? `first build of ${opts.ref}; dependencies changed since ${previous.ref}'s last build${at}`
        : `dependencies changed${prev.commit ? ` since ${short(prev.commit)}` : ''}`;
      return { buildType: 'full', reason: `${since}: ${what}`, repair: false, previous };
    }
    return {
      buildType: 'full',
      reason: `no deps.pex stored for fingerprint ${short(fp.fingerprint)}${previous ? '' : ' (first build of ' + opts.ref + ')'}`,
      repair: false,
      previous,
    };
  }
  const status = await store.verify(archiveKey(entry.sha256), entry.sha256);
  if (status === 'missing') {
    return {
      buildType: 'full',
      reason: `deps.pex ${short(entry.sha256)} named by the deps index is missing from the store; rebuilding it`,
      repair: true,
      previous,
    };
  }
  if (status === 'corrupt') {
    return {
      buildType: 'full',
      reason: `deps.pex ${short(entry.sha256)} in the store fails its sha256 check; rebuilding and replacing it`,
      repair: true,
      previous,
    };
  }
  const builtAt = entry.commit ? ` built at ${short(entry.commit)}` : '';
  return {
    buildType: 'fast',
    reason: `dependencies unchanged (fingerprint ${short(fp.fingerprint)}): reusing deps.pex ${short(entry.sha256)}${builtAt}`,
    entry,
    previous,
  };
}

/** Package-level difference between two deps records, from their wheel lists. */
export function diffDeps(
  before: DepsIndexEntry,
  after: DepsIndexEntry,
): Array<{ name: string; before: PackageVersion | null; after: PackageVersion | null }> {
  const list = (e: DepsIndexEntry) =>
    new Map(
      (
        e.packages ?? e.requirements.map((r) => ({ name: r.split('==')[0], version: r.split('==')[1] ?? '', size: null as number | null }))
      ).map((p) => [normalizeName(p.name), { name: p.name, version: p.version, size: p.size ?? null }]),
    );
  const b = list(before);
  const a = list(after);
  const out: ReturnType<typeof diffDeps> = [];
  for (const key of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const x = b.get(key);
    const y = a.get(key);
    if (x && y && x.version === y.version) continue;
    out.push({
      name: (y ?? x)!.name,
      before: x ? { version: x.version, size: x.size } : null,
      after: y ? { version: y.version, size: y.size } : null,
    });
  }
  return out;
}
