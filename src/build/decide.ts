// The decide phase: full or fast from the deps index and the branch's ref record, and the typed
// records it reads (ARCHITECTURE.md § 5).
import { explainChange } from './explain.ts';
import type { Fingerprint } from './fingerprint.ts';
import { readDepsIndex, readRef, type DepsIndexEntry, type Warn } from './records.ts';
import { archiveKey, type Store } from '../store/index.ts';

export type { DepsIndexEntry, RefRecord } from './records.ts';

export type Decision =
  { buildType: 'fast'; reason: string; entry: DepsIndexEntry } | { buildType: 'full'; reason: string; repair: boolean };

const short = (h: string) => h.slice(0, 12);

/** Full when nothing trustworthy is stored for this fingerprint (or when forced); fast otherwise. */
export async function decide(store: Store, fp: Fingerprint, opts: { forceFull: boolean; ref: string; warn: Warn }): Promise<Decision> {
  const [entry, previous] = await Promise.all([readDepsIndex(store, fp.fingerprint, opts.warn), readRef(store, opts.ref, opts.warn)]);
  if (opts.forceFull) return { buildType: 'full', reason: 'full build forced (--force-full)', repair: false };
  if (!entry) {
    if (previous && previous.fingerprint !== fp.fingerprint) {
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
