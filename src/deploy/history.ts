// `pexpress log`: the builds a store remembers, newest first, from the manifests every build writes.
import { basename } from 'node:path';
import { mapLimit } from '../platform/concurrency.ts';
import { readManifest, type Manifest, type Warn } from '../build/records.ts';
import { archiveKey, isSha256, type ListedObject, type Store } from '../store/index.ts';

/** Reads in flight at once: enough to hide S3 latency, few enough not to be throttled. */
const READ_CONCURRENCY = 16;

export type ManifestRecord = Manifest;

export interface BuildEntry {
  builtAt: string;
  ref: string;
  commit: string | null;
  buildType: 'full' | 'fast';
  reason: string;
  fingerprint: string;
  target: { python: string; platform: string };
  source: { sha256: string; size: number | null };
  deps: { sha256: string; size: number | null };
}

export const shaOfKey = (key: string) => basename(key).replace(/\.(pex|json)$/, '');

/** Reads manifests in the order given, keeping the valid ones; stops once `enough` says so. */
export async function readManifests(
  store: Store,
  listed: ListedObject[],
  warn: Warn,
  enough: (found: ManifestRecord[]) => boolean = () => false,
): Promise<Array<{ listed: ListedObject; manifest: ManifestRecord | null }>> {
  const out: Array<{ listed: ListedObject; manifest: ManifestRecord | null }> = [];
  for (let i = 0; i < listed.length; i += READ_CONCURRENCY * 4) {
    const batch = listed.slice(i, i + READ_CONCURRENCY * 4);
    const read = await mapLimit(batch, READ_CONCURRENCY, async (o) => ({
      listed: o,
      manifest: isSha256(shaOfKey(o.key)) ? await readManifest(store, shaOfKey(o.key), warn) : null,
    }));
    out.push(...read);
    if (enough(out.flatMap((r) => (r.manifest ? [r.manifest] : [])))) break;
  }
  return out;
}

/**
 * Newest first by the store's own modification time (one listing), so only as many manifests are
 * read as the answer needs: `log --limit 20` on 10,000 builds reads about 64, not 10,000.
 */
export async function buildHistory(store: Store, opts: { ref?: string; limit: number; warn: Warn }): Promise<BuildEntry[]> {
  const manifests = await store.scan('manifests/');
  manifests.sort((a, b) => b.modified.getTime() - a.modified.getTime());
  const wanted = (m: ManifestRecord) => !opts.ref || m.ref === opts.ref || m.ref === `refs/heads/${opts.ref}`;
  const read = await readManifests(store, manifests, opts.warn, (found) => found.filter(wanted).length >= opts.limit);
  const shown = read
    .flatMap((r) => (r.manifest && wanted(r.manifest) ? [r.manifest] : []))
    .sort((a, b) => Date.parse(b.builtAt) - Date.parse(a.builtAt))
    .slice(0, opts.limit);
  // Sizes by HEAD for the builds shown: cheaper than listing every archive of a large store.
  const shas = [...new Set(shown.flatMap((m) => [m.source.sha256, m.deps.sha256]))];
  const heads = await mapLimit(shas, READ_CONCURRENCY, async (sha) => [sha, (await store.head(archiveKey(sha)))?.size ?? null] as const);
  const sizes = new Map(heads);
  return shown.map((m) => ({
    builtAt: m.builtAt,
    ref: m.ref,
    commit: m.commit,
    buildType: m.buildType,
    reason: m.reason,
    fingerprint: m.fingerprint,
    target: m.target,
    source: { sha256: m.source.sha256, size: sizes.get(m.source.sha256) ?? null },
    deps: { sha256: m.deps.sha256, size: sizes.get(m.deps.sha256) ?? null },
  }));
}
