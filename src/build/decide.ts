// The decide phase: full or fast from the deps index and the branch's ref record, and the typed
// records it reads (ARCHITECTURE.md § 5).
import { explainChange } from './explain.ts';
import type { Fingerprint, FingerprintComponent } from './fingerprint.ts';
import { archiveKey, depsIndexKey, refKey, type Store } from '../store/index.ts';

export interface DepsIndexEntry {
  schema: 1;
  fingerprint: string;
  sha256: string;
  size: number;
  pexHash: string;
  python: string;
  platform: string;
  requirements: string[];
  commit: string | null;
  builtAt: string;
}

export interface RefRecord {
  schema: 1;
  ref: string;
  commit: string | null;
  buildType: 'full' | 'fast';
  fingerprint: string;
  components: FingerprintComponent[];
  deps: { sha256: string };
  source: { sha256: string };
  builtAt: string;
}

export type Decision =
  { buildType: 'fast'; reason: string; entry: DepsIndexEntry } | { buildType: 'full'; reason: string; repair: boolean };

const short = (h: string) => h.slice(0, 12);

/** Full when nothing trustworthy is stored for this fingerprint (or when forced); fast otherwise. */
export async function decide(store: Store, fp: Fingerprint, opts: { forceFull: boolean; ref: string }): Promise<Decision> {
  const [entry, previous] = await Promise.all([
    store.getJson<DepsIndexEntry>(depsIndexKey(fp.fingerprint)),
    store.getJson<RefRecord>(refKey(opts.ref)),
  ]);
  if (opts.forceFull) return { buildType: 'full', reason: 'full build forced (--force-full)', repair: false };
  if (!entry || typeof entry.sha256 !== 'string') {
    if (previous && previous.fingerprint !== fp.fingerprint && Array.isArray(previous.components)) {
      const what = explainChange(previous.components, fp.components) || 'dependency declarations changed';
      const since = previous.commit ? ` since ${short(previous.commit)}` : '';
      return { buildType: 'full', reason: `dependencies changed${since}: ${what}`, repair: false };
    }
    return {
      buildType: 'full',
      reason: `no deps.pex stored for fingerprint ${short(fp.fingerprint)}${previous ? '' : ' (first build of ' + opts.ref + ')'}`,
      repair: false,
    };
  }
  const status = await store.verify(archiveKey(entry.sha256), entry.sha256);
  if (status === 'missing') {
    return {
      buildType: 'full',
      reason: `deps.pex ${short(entry.sha256)} named by the deps index is missing from the store; rebuilding it`,
      repair: true,
    };
  }
  if (status === 'corrupt') {
    return {
      buildType: 'full',
      reason: `deps.pex ${short(entry.sha256)} in the store fails its sha256 check; rebuilding and replacing it`,
      repair: true,
    };
  }
  const builtAt = entry.commit ? ` built at ${short(entry.commit)}` : '';
  return {
    buildType: 'fast',
    reason: `dependencies unchanged (fingerprint ${short(fp.fingerprint)}): reusing deps.pex ${short(entry.sha256)}${builtAt}`,
    entry,
  };
}
