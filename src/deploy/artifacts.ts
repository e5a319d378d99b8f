// lookup, fetch and run: reading archives back from a store, verified against the sha256 that
// names them before anything uses them.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { BuildError, UsageError } from '../platform/errors.ts';
import type { PexInfo } from '../archive/pexinfo.ts';
import { archiveKey, fullKey, manifestKey, type Store } from '../store/index.ts';
import { openZip } from '../archive/zip.ts';

export interface ArtifactInfo {
  sha256: string;
  kind: 'deps' | 'source' | 'unknown';
  size: number;
  key: string;
  url: string;
  fingerprint: string | null;
  commit: string | null;
  ref: string | null;
  /** For a source archive: the deps archive it runs with. */
  deps: { sha256: string; key: string } | null;
}

interface Manifest {
  commit: string | null;
  ref: string | null;
  fingerprint: string;
  deps: { sha256: string };
}

/** Resolves a full sha256 or a unique prefix (at least 4 hex digits, like git's short hashes). */
export async function resolveSha(store: Store, query: string): Promise<string> {
  const q = query.toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(q)) throw new UsageError(`'${query}' is not a sha256 or a prefix of one (4 to 64 hex digits)`);
  if (q.length === 64) return q;
  const matches = (await store.list(`sha256/${q}`)).filter((k) => k.endsWith('.pex')).map((k) => basename(k, '.pex'));
  if (matches.length === 0) throw new BuildError(`no archive in ${store.url} has a sha256 starting with ${q}`);
  if (matches.length > 1) throw new UsageError(`${q} is ambiguous in ${store.url}: ${matches.join(', ')} — give more digits`);
  return matches[0];
}

async function readPexInfo(file: string): Promise<PexInfo> {
  const zip = await openZip(file);
  try {
    return JSON.parse((await zip.read('PEX-INFO')).toString('utf8')) as PexInfo;
  } finally {
    zip.close();
  }
}

export async function lookup(store: Store, query: string, cache: string): Promise<ArtifactInfo> {
  const sha256 = await resolveSha(store, query);
  const key = archiveKey(sha256);
  const head = await store.head(key);
  if (!head) throw new BuildError(`no archive ${sha256} in ${store.url}`);
  const manifest = await store.getJson<Manifest>(manifestKey(sha256));
  const info: ArtifactInfo = {
    sha256,
    kind: 'unknown',
    size: head.size,
    key: fullKey(store, key),
    url: store.urlFor(key),
    fingerprint: head.metadata['pexpress-fingerprint'] || null,
    commit: head.metadata['pexpress-commit'] || null,
    ref: null,
    deps: null,
  };
  if (manifest) {
    info.kind = 'source';
    info.fingerprint = manifest.fingerprint;
    info.commit = manifest.commit;
    info.ref = manifest.ref;
    info.deps = { sha256: manifest.deps.sha256, key: fullKey(store, archiveKey(manifest.deps.sha256)) };
    return info;
  }
  const kind = head.metadata['pexpress-kind'];
  if (kind === 'deps' || kind === 'source') {
    info.kind = kind;
    return info;
  }
  // No metadata (a local store): the archive's own PEX-INFO is the record. It is only shown here;
  // fetch and run verify the bytes before anyone uses them.
  const local = store.localPath?.(key) ?? (await fetchToCache(store, sha256, cache));
  const pexInfo = await readPexInfo(local);
  info.kind = pexInfo.pexpress.kind;
  info.fingerprint = pexInfo.pexpress.fingerprint;
  if (pexInfo.pexpress.deps)
    info.deps = { sha256: pexInfo.pexpress.deps.sha256, key: fullKey(store, archiveKey(pexInfo.pexpress.deps.sha256)) };
  return info;
}

/**
 * Streams an archive to FILE only if its bytes hash to the sha256 asked for: a temp file next to FILE
 * is verified, then renamed, so FILE is either right or untouched.
 */
export async function fetchArchive(store: Store, sha256: string, file: string): Promise<void> {
  const dest = resolve(file);
  await mkdir(dirname(dest), { recursive: true });
  const tmp = join(dirname(dest), `.${basename(dest)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const hash = createHash('sha256');
  try {
    let body;
    try {
      body = await store.openRead(archiveKey(sha256));
    } catch {
      throw new BuildError(`no archive ${sha256} in ${store.url} — check the sha256 with pexpress lookup`);
    }
    await pipeline(
      body,
      new Transform({
        transform(c: Buffer, _e, cb) {
          hash.update(c);
          cb(null, c);
        },
      }),
      createWriteStream(tmp, { mode: 0o755 }),
    );
    const got = hash.digest('hex');
    if (got !== sha256) {
      throw new BuildError(
        `archive ${sha256} in ${store.url} is corrupt (its bytes hash to ${got}); nothing written — rebuild it (pexpress build --force-full) or fetch from another store`,
      );
    }
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** A local content-addressed copy: verified once on the way in, reused afterwards. */
export async function fetchToCache(store: Store, sha256: string, cache: string): Promise<string> {
  const path = join(cache, 'archives', `${sha256}.pex`);
  try {
    await stat(path);
    return path;
  } catch {
    await fetchArchive(store, sha256, path);
    return path;
  }
}

/** The source archive and the deps archive it names, both in the local cache. */
export async function prepareRun(
  store: Store,
  query: string,
  cache: string,
): Promise<{ source: string; deps: string | null; python: string }> {
  const sha256 = await resolveSha(store, query);
  const source = await fetchToCache(store, sha256, cache);
  const info = await readPexInfo(source);
  if (info.pexpress.kind !== 'source')
    throw new UsageError(`${sha256.slice(0, 12)} is a ${info.pexpress.kind} archive — pexpress run takes a source archive's sha256`);
  const deps = info.pexpress.deps ? await fetchToCache(store, info.pexpress.deps.sha256, cache) : null;
  return { source, deps, python: info.pexpress.python };
}
