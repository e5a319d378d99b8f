// `pexpress gc`: deletes archives and records that nothing kept refers to, never what a deploy needs.
//
// Why two steps: a build that reuses a stored deps.pex (or rebuilds a source.pex that already
// exists) decides to use it some seconds before its manifest says so. An archive that is merely
// unreferenced when gc looks could be in such a build's hands. So gc first *marks* an unreferenced
// archive (and removes its deps index entry, so no new build can pick it), and deletes it only when
// a later gc run, at least the grace period after the mark, still finds it unreferenced and old.
// Builds take minutes, the grace period defaults to an hour. `--grace 0` does both in one run.
import { mapLimit } from '../platform/concurrency.ts';
import { UsageError } from '../platform/errors.ts';
import { archiveKey, type ListedObject, type Store } from '../store/index.ts';
import { asEnvRecord, readJson, type EnvRecord } from './envs.ts';
import { readManifests, shaOfKey, type ManifestRecord } from './history.ts';
import type { Warn } from '../build/records.ts';

const READ_CONCURRENCY = 16;
export const PENDING_KEY = 'gc/pending.json';
const DAY_MS = 24 * 3600 * 1000;

export interface GcOptions {
  /** Builds younger than this are kept. */
  keepDays: number;
  /** The newest N builds of every ref are kept. */
  keepBuilds: number;
  /** Nothing younger than this, or marked less than this ago, is deleted. */
  graceMs: number;
  dryRun: boolean;
  now?: Date;
  /** Where a damaged record is reported (it is kept, with what its name refers to). */
  warn: Warn;
}

export type GcKind = 'archive' | 'manifest' | 'deps-index';

export interface GcObject {
  key: string;
  kind: GcKind;
  size: number;
}

export interface GcReport {
  dryRun: boolean;
  kept: { builds: number; archives: number; bytes: number };
  /** Deleted by this run (or, with dryRun, what this run would delete). */
  deleted: GcObject[];
  /** Unreferenced archives marked by this or an earlier run, deletable by a run after `deletableAfter`. */
  pending: Array<GcObject & { deletableAfter: string }>;
  bytesFreed: number;
}

interface PendingRecord {
  schema: 1;
  /** archive sha256 → when a gc run first found it unreferenced */
  since: Record<string, string>;
}

function asPending(value: unknown): PendingRecord['since'] {
  const r = value as PendingRecord | null;
  if (!r || r.schema !== 1 || !r.since || typeof r.since !== 'object') return {};
  return Object.fromEntries(Object.entries(r.since).filter(([, v]) => typeof v === 'string' && !Number.isNaN(Date.parse(v))));
}

/** Parses `--grace`: 0, 90s, 30m, 1h, 2d. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag} '${text}' is not a duration — use a number with s, m, h or d (e.g. 30m, 1h, 0)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

interface Snapshot {
  manifests: Array<{ listed: ListedObject; manifest: ManifestRecord | null }>;
  envs: EnvRecord[];
  refs: Array<{ source?: { sha256?: string }; deps?: { sha256?: string } }>;
}

async function readRecords(store: Store, prefix: string): Promise<unknown[]> {
  const listed = (await store.scan(prefix)).filter((o) => o.key.endsWith('.json'));
  return mapLimit(listed, READ_CONCURRENCY, (o) => readJson(store, o.key));
}

async function snapshot(store: Store, manifests: ListedObject[], warn: Warn): Promise<Snapshot> {
  const [read, envs, refs] = await Promise.all([
    readManifests(store, manifests, warn),
    readRecords(store, 'envs/'),
    readRecords(store, 'refs/'),
  ]);
  return {
    manifests: read,
    envs: envs.flatMap((e) => asEnvRecord(e) ?? []),
    refs: refs.filter((r): r is Snapshot['refs'][number] => !!r && typeof r === 'object'),
  };
}

/** The archives the records that always win refer to: environments (with history) and the last build of each ref. */
function pinned(s: Snapshot): Set<string> {
  const out = new Set<string>();
  for (const e of s.envs) for (const p of [e.current, ...e.history]) out.add(p.source.sha256).add(p.deps.sha256);
  for (const r of s.refs) for (const sha of [r.source?.sha256, r.deps?.sha256]) if (typeof sha === 'string') out.add(sha);
  return out;
}

export async function gc(store: Store, opts: GcOptions): Promise<GcReport> {
  if (!Number.isInteger(opts.keepDays) || opts.keepDays < 0) throw new UsageError(`--keep-days must be a whole number of days, 0 or more`);
  if (!Number.isInteger(opts.keepBuilds) || opts.keepBuilds < 1)
    throw new UsageError(`--keep-builds must be a whole number, 1 or more (the last build of a ref is always kept)`);
  const now = opts.now ?? new Date();
  const keepCut = now.getTime() - opts.keepDays * DAY_MS;
  const graceCut = now.getTime() - opts.graceMs;

  const [archives, manifestList, depsIndex, pendingRec] = await Promise.all([
    store.scan('sha256/'),
    store.scan('manifests/'),
    store.scan('deps/'),
    store.getJsonVersioned(PENDING_KEY),
  ]);
  const first = await snapshot(store, manifestList, opts.warn);

  // Which builds are kept: young ones, the newest N of each ref, and any an environment or ref names.
  const pins = pinned(first);
  const byRef = new Map<string, ManifestRecord[]>();
  for (const { manifest } of first.manifests) {
    if (!manifest) continue;
    const list = byRef.get(manifest.ref) ?? [];
    if (!list.length) byRef.set(manifest.ref, list);
    list.push(manifest);
  }
  const newest = new Set<ManifestRecord>();
  for (const list of byRef.values()) {
    list.sort((a, b) => Date.parse(b.builtAt) - Date.parse(a.builtAt));
    for (const m of list.slice(0, opts.keepBuilds)) newest.add(m);
  }
  const keptArchives = new Set(pins);
  const deadManifests: ListedObject[] = [];
  let keptBuilds = 0;
  for (const { listed, manifest } of first.manifests) {
    const young = listed.modified.getTime() >= graceCut || (manifest && Date.parse(manifest.builtAt) >= keepCut);
    if (!manifest) {
      // Not a record we understand: keep it and whatever its name says it is about.
      keptArchives.add(shaOfKey(listed.key));
      continue;
    }
    if (young || newest.has(manifest) || pins.has(manifest.source.sha256)) {
      keptBuilds++;
      keptArchives.add(manifest.source.sha256).add(manifest.deps.sha256);
    } else {
      deadManifests.push(listed);
    }
  }

  // The records a build writes last are read again: a manifest written since the first listing
  // (a build that finished while gc was deciding) keeps what it names.
  const again = await store.scan('manifests/');
  const seen = new Map(manifestList.map((o) => [o.key, o.modified.getTime()]));
  const fresh = again.filter((o) => seen.get(o.key) !== o.modified.getTime());
  const second = await snapshot(store, fresh, opts.warn);
  for (const sha of pinned(second)) keptArchives.add(sha);
  for (const { listed, manifest } of second.manifests) {
    keptArchives.add(shaOfKey(listed.key));
    if (manifest) keptArchives.add(manifest.source.sha256).add(manifest.deps.sha256);
  }
  const freshKeys = new Set(fresh.map((o) => o.key));

  const since = asPending(pendingRec?.value ?? null);
  const nextPending: PendingRecord['since'] = {};
  const deleted: GcObject[] = [];
  const pending: GcReport['pending'] = [];
  let keptBytes = 0;
  let keptCount = 0;
  const indexBySha = new Map<string, string[]>();
  const indexRecords = await mapLimit(
    depsIndex.filter((o) => o.key.endsWith('.json')),
    READ_CONCURRENCY,
    async (o) => ({ key: o.key, entry: ((await readJson(store, o.key)) ?? {}) as { sha256?: unknown } }),
  );
  for (const { key, entry } of indexRecords) {
    if (typeof entry.sha256 === 'string') {
      const keys = indexBySha.get(entry.sha256) ?? [];
      if (!keys.length) indexBySha.set(entry.sha256, keys);
      keys.push(key);
    }
  }
  const unindex: string[] = [];

  for (const a of archives) {
    const sha = shaOfKey(a.key);
    if (keptArchives.has(sha) || a.modified.getTime() >= graceCut || a.key !== archiveKey(sha)) {
      keptBytes += a.size;
      keptCount++;
      continue;
    }
    // Unreferenced and old: its deps index entry goes now, so no new build picks it up.
    unindex.push(...(indexBySha.get(sha) ?? []));
    const markedAt = since[sha] ?? now.toISOString();
    if (Date.parse(markedAt) <= graceCut) {
      deleted.push({ key: a.key, kind: 'archive', size: a.size });
    } else {
      nextPending[sha] = markedAt;
      pending.push({
        key: a.key,
        kind: 'archive',
        size: a.size,
        deletableAfter: new Date(Date.parse(markedAt) + opts.graceMs).toISOString(),
      });
    }
  }
  for (const m of deadManifests) if (!freshKeys.has(m.key)) deleted.push({ key: m.key, kind: 'manifest', size: m.size });
  const depsSizes = new Map(depsIndex.map((o) => [o.key, o.size]));
  for (const key of new Set(unindex)) deleted.push({ key, kind: 'deps-index', size: depsSizes.get(key) ?? 0 });

  if (!opts.dryRun) {
    // Records first, archives last: an interrupted run leaves archives nothing points at (the next
    // run finds them), never a record pointing at a deleted archive.
    const order: GcKind[] = ['manifest', 'deps-index', 'archive'];
    for (const kind of order) await store.deleteMany(deleted.filter((d) => d.kind === kind).map((d) => d.key));
    const changed = JSON.stringify(nextPending) !== JSON.stringify(since);
    if (changed) await store.putJson(PENDING_KEY, { schema: 1, since: nextPending } satisfies PendingRecord);
  }
  return {
    dryRun: opts.dryRun,
    kept: { builds: keptBuilds, archives: keptCount, bytes: keptBytes },
    deleted,
    pending,
    bytesFreed: deleted.reduce((n, d) => n + d.size, 0),
  };
}
