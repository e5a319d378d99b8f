// The download phase: each package's best wheel for the target, verified by sha256 into the
// content-addressed wheel cache (sdists built only on a matching host).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { BuildError, UsageError, writeError } from '../platform/errors.ts';
import { readEnv } from '../platform/env.ts';
import { netFetch } from '../platform/net.ts';
import { startTransfer } from '../platform/progress.ts';
import { sweepTemps, tmpPath, workDir } from '../platform/tmp.ts';
import { hashFile, tempPathFor } from '../platform/files.ts';
import { isVerified, rememberVerified } from '../platform/verified.ts';
import type { Logger } from '../platform/log.ts';
import { runProcess, type ProcessRunner } from '../platform/process.ts';
import { resolveTimeoutMs, type Artifact, type LockedPackage } from './resolve.ts';
import { mapLimit } from '../platform/concurrency.ts';
import { bestWheel, isHostCompatible, type PlatformName, type Target } from './target.ts';
import type { Tools } from '../platform/tools.ts';
import { openZip, writeArchive, type ArchiveEntry } from '../archive/zip.ts';

/** Where download() reports bytes (one shared line for the parallel downloads). */
interface Transfer {
  add(bytes: number): void;
  expect(bytes: number): void;
}

export interface LocalWheel {
  filename: string;
  path: string;
  sha256: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Wheels built from sdists, by the sdist's sha256 (v2: rewritten reproducibly; v1 entries are not reused). */
export const BUILT_WHEELS_DIR = 'built-v2';

const RETRIABLE = new Set([408, 429, 500, 502, 503, 504]);
const DOWNLOAD_ATTEMPTS = 4;
/** First retry after about this long, doubling each time, with ±50 % jitter. */
const DOWNLOAD_BACKOFF_MS = 250;
/** Downloads in flight at once: enough to fill a CI runner's link, few enough for a private index. */
const DOWNLOAD_CONCURRENCY = 8;

/** A download that receives nothing for this long is abandoned (and retried). */
const STALL_MS = () => readEnv('PEXPRESS_DOWNLOAD_TIMEOUT_MS');

/** Errors of the local disk: retrying cannot help, and "check the index" would mislead. */
const LOCAL_WRITE = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR']);

/** Streams a URL to a file, hashing as it goes; retries transient failures, never a full disk. */
async function download(url: string, dest: string, log: Logger, auth: Record<string, string>, transfer?: Transfer): Promise<string> {
  if (url.startsWith('file:')) {
    try {
      await copyFile(fileURLToPath(url), dest);
    } catch (err) {
      if (LOCAL_WRITE.has((err as NodeJS.ErrnoException).code ?? '')) throw writeError(dest, err);
      throw err;
    }
    return hashFile(dest);
  }
  let lastError = '';
  for (let attempt = 1; attempt <= DOWNLOAD_ATTEMPTS; attempt++) {
    // Reset on every chunk: a slow download is fine, one that stops sending is not.
    const ctl = new AbortController();
    let timer = setTimeout(() => ctl.abort(), STALL_MS());
    const alive = () => {
      clearTimeout(timer);
      timer = setTimeout(() => ctl.abort(), STALL_MS());
    };
    try {
      // Resolvers report private-index URLs without their credentials; send them again, by origin.
      const userinfo = auth[new URL(url).origin];
      const headers: Record<string, string> = userinfo ? { authorization: `Basic ${Buffer.from(userinfo).toString('base64')}` } : {};
      const res = await netFetch(url, { headers, signal: ctl.signal });
      if (!res.ok || !res.body) {
        lastError = `HTTP ${res.status}`;
        if (!RETRIABLE.has(res.status)) break;
      } else {
        const h = createHash('sha256');
        const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
        const length = Number(res.headers.get('content-length'));
        if (length > 0) transfer?.expect(length);
        body.on('data', (c: Buffer) => {
          alive();
          h.update(c);
          transfer?.add(c.length);
        });
        await pipeline(body, createWriteStream(dest));
        return h.digest('hex');
      }
    } catch (err) {
      if (err instanceof UsageError) throw err; // a bad proxy or CA setting: retrying cannot help
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (LOCAL_WRITE.has(code) && (err as NodeJS.ErrnoException).syscall) throw writeError(dest, err);
      lastError = ctl.signal.aborted ? `no data for ${Math.round(STALL_MS() / 1000)} s (stalled)` : (err as Error).message;
    } finally {
      clearTimeout(timer);
    }
    if (attempt < DOWNLOAD_ATTEMPTS) await new Promise((r) => setTimeout(r, DOWNLOAD_BACKOFF_MS * 2 ** attempt * (0.5 + Math.random())));
  }
  throw new BuildError(log.redact(`download of ${url} failed: ${lastError} — check the index is reachable and retry`));
}

/**
 * Content-addressed wheel cache: <cache>/wheels/<sha256>/<filename>. A hit needs no network and no
 * re-hash (the name is the hash, written only after verification).
 */
async function fetchVerified(
  art: Artifact,
  cacheDir: string,
  log: Logger,
  auth: Record<string, string>,
  transfer?: Transfer,
): Promise<LocalWheel & { fresh: boolean }> {
  if (art.sha256) {
    const cached = join(cacheDir, 'wheels', art.sha256, art.filename);
    // The cache is only as good as its last check: a replaced or damaged wheel is fetched again.
    if (await isVerified(cached, art.sha256)) return { filename: art.filename, path: cached, sha256: art.sha256, fresh: false };
    await rm(cached, { force: true });
  }
  const tmpDir = join(cacheDir, 'wheels', '.tmp');
  try {
    await mkdir(tmpDir, { recursive: true });
  } catch (err) {
    throw writeError(tmpDir, err);
  }
  const tmp = tmpPath(tmpDir, 'wheel');
  try {
    const got = await download(art.url, tmp, log, auth, transfer);
    if (art.sha256 && got !== art.sha256) {
      throw new BuildError(
        `${art.filename}: downloaded bytes have sha256 ${got}, the index promised ${art.sha256} — the index or a proxy served a different file; retry, and report it if it persists`,
      );
    }
    const finalDir = join(cacheDir, 'wheels', got);
    await mkdir(finalDir, { recursive: true });
    const final = join(finalDir, art.filename);
    await rename(tmp, final);
    await rememberVerified(final, got);
    return { filename: art.filename, path: final, sha256: got, fresh: true };
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * A built wheel rewritten as pexpress writes archives (sorted members, fixed timestamps and modes,
 * pinned deflate), so its bytes depend on the files the backend produced, not on when or with which
 * zlib it zipped them.
 */
async function normalizeWheel(src: string, dest: string): Promise<string> {
  const zip = await openZip(src);
  try {
    const entries: ArchiveEntry[] = [];
    for (const m of zip.members) {
      if (m.isDirectory) continue;
      entries.push({ name: m.name, executable: (m.mode & 0o111) !== 0, data: await zip.read(m.name) });
    }
    return (await writeArchive(dest, entries, {})).sha256;
  } finally {
    zip.close();
  }
}

/** Builds a wheel from an sdist, only for a host that can run what it builds. */
async function buildSdist(
  pkg: LockedPackage,
  sdist: LocalWheel,
  tools: Tools,
  cacheDir: string,
  run: ProcessRunner,
  log: Logger,
): Promise<LocalWheel> {
  const outDir = join(cacheDir, BUILT_WHEELS_DIR, sdist.sha256);
  const existing = (await readdir(outDir).catch(() => [] as string[])).find((f) => f.endsWith('.whl'));
  if (existing) {
    const p = join(outDir, existing);
    return { filename: existing, path: p, sha256: await hashFile(p) };
  }
  log.info(`building ${pkg.name} ${pkg.version} from its sdist (no wheel for the target)`);
  const work = await workDir(cacheDir, 'pexpress-build');
  // Timestamps and hash seeds fixed for the backend; the zip itself is rewritten below.
  const env = { ...process.env, UV_PYTHON_DOWNLOADS: 'never', SOURCE_DATE_EPOCH: '315532800', PYTHONHASHSEED: '0' };
  try {
    const r = tools.uv
      ? await run(
          tools.uv,
          ['build', '--wheel', '--out-dir', work, '--python', tools.python, '--cache-dir', join(cacheDir, 'uv'), sdist.path],
          { env, timeoutMs: resolveTimeoutMs() },
        )
      : await run(tools.python, ['-m', 'pip', 'wheel', '--no-deps', '--quiet', '--disable-pip-version-check', '-w', work, sdist.path], {
          env,
          timeoutMs: resolveTimeoutMs(),
        });
    if (r.timedOut)
      throw new BuildError(
        `building ${pkg.name} ${pkg.version} from its sdist did not finish in ${Math.round(resolveTimeoutMs() / 1000)} s — pin a version that has wheels, or raise PEXPRESS_RESOLVE_TIMEOUT_MS`,
      );
    const built = (await readdir(work)).find((f) => f.endsWith('.whl'));
    if (r.code !== 0 || !built) {
      throw new BuildError(
        `building ${pkg.name} ${pkg.version} from source failed: ${log.redact(r.stderr.trim().split('\n').slice(-2).join(' | '))} — pin a version that has wheels`,
      );
    }
    await mkdir(outDir, { recursive: true });
    const p = join(outDir, built);
    const tmp = tempPathFor(p);
    const sha256 = await normalizeWheel(join(work, built), tmp);
    await rename(tmp, p);
    return { filename: built, path: p, sha256 };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Where wheels built from sdists are shared between runners: the exact bytes one runner built are
 * what the next one installs, instead of a rebuild whose bytes may differ (compiled extensions).
 */
export interface BuiltWheelStore {
  getText(key: string): Promise<string | null>;
  openRead(key: string): Promise<Readable>;
  putFile(key: string, file: string, opts: { sha256: string }): Promise<unknown>;
  putJson(key: string, value: unknown): Promise<void>;
}

interface BuiltEntry {
  schema: 1;
  sdist: string;
  filename: string;
  sha256: string;
}

const builtIndexKey = (sdist: string, host: string) => `built/${sdist}/${host}.json`;
const builtWheelKey = (sha256: string, filename: string) => `wheels/${sha256}/${filename}`;

/** A wheel another runner built from the same sdist on the same kind of host, verified by its sha256. */
async function storedBuild(
  store: BuiltWheelStore,
  sdist: LocalWheel,
  host: string,
  cacheDir: string,
  log: Logger,
): Promise<LocalWheel | null> {
  const text = await store.getText(builtIndexKey(sdist.sha256, host)).catch(() => null);
  let entry: BuiltEntry | null = null;
  try {
    entry = text === null ? null : (JSON.parse(text) as BuiltEntry);
  } catch {
    entry = null; // a damaged entry is no entry: the sdist is built again and the entry rewritten
  }
  if (
    !entry ||
    typeof entry.sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(entry.sha256) ||
    !entry.filename.endsWith('.whl') ||
    entry.filename.includes('/')
  )
    return null;
  const finalDir = join(cacheDir, 'wheels', entry.sha256);
  const final = join(finalDir, entry.filename);
  if (await exists(final)) return { filename: entry.filename, path: final, sha256: entry.sha256 };
  const tmpDir = join(cacheDir, 'wheels', '.tmp');
  await mkdir(tmpDir, { recursive: true });
  const tmp = join(tmpDir, `${process.pid}-${Math.random().toString(36).slice(2)}-${entry.filename}`);
  try {
    const h = createHash('sha256');
    const body = await store.openRead(builtWheelKey(entry.sha256, entry.filename));
    body.on('data', (c: Buffer) => h.update(c));
    await pipeline(body, createWriteStream(tmp));
    const got = h.digest('hex');
    if (got !== entry.sha256) {
      log.warn(
        `${entry.filename} in the store has sha256 ${got.slice(0, 12)}, its index says ${entry.sha256.slice(0, 12)}: building it again`,
      );
      return null;
    }
    await mkdir(finalDir, { recursive: true });
    await rename(tmp, final);
    return { filename: entry.filename, path: final, sha256: got };
  } catch {
    return null;
  } finally {
    await rm(tmp, { force: true });
  }
}

export interface FetchRequest {
  packages: LockedPackage[];
  /** Shares wheels built from sdists between runners (the deploy store); keyed by sdist and build host. */
  store?: BuiltWheelStore;
  target: Target;
  host: { python: string | null; platform: PlatformName | null };
  tools: Tools;
  cacheDir: string;
  log: Logger;
  auth: Record<string, string>;
  run?: ProcessRunner;
}

export interface FetchedWheels {
  wheels: LocalWheel[];
  /** How many artifacts had to come over the network (0 when the cache had them all). */
  downloaded: number;
}

/** Picks each package's best wheel for the target and makes it available locally, verified. */
export async function fetchWheels(req: FetchRequest): Promise<FetchedWheels> {
  const { target, log } = req;
  const foreign = !isHostCompatible(target, { python: req.host.python ?? '', platform: req.host.platform });
  const refuse = (p: LockedPackage, why: string) =>
    new UsageError(
      `${p.name} ${p.version} has no wheel for CPython ${target.python} on ${target.platform}${why}` +
        ` — pin a version that publishes such wheels, or build on a ${target.platform} host with Python ${target.python}`,
    );
  // Fail before downloading anything when a package has neither a wheel for the target nor an sdist.
  for (const p of req.packages) if (!bestWheel(target, p.wheels) && !p.sdist) throw refuse(p, '');
  sweepTemps(join(req.cacheDir, 'wheels', '.tmp'));
  let downloaded = 0;
  // One progress line for all parallel downloads; its total grows as responses announce sizes.
  const progress = startTransfer('downloading wheels');
  let expected = 0;
  const transfer = { add: (n: number) => progress.add(n), expect: (n: number) => progress.total((expected += n)) };
  const fetchOne = async (art: Artifact) => {
    const got = await fetchVerified(art, req.cacheDir, log, req.auth, transfer);
    if (got.fresh) downloaded++;
    return got;
  };
  const wheels = await mapLimit(req.packages, DOWNLOAD_CONCURRENCY, async (p) => {
    const wheel = bestWheel(target, p.wheels);
    if (wheel) return fetchOne(wheel);
    const sdist = await fetchOne(p.sdist!);
    const host = `cp${(req.host.python ?? '').replace('.', '')}-${req.host.platform ?? process.platform}`;
    let built = req.store ? await storedBuild(req.store, sdist, host, req.cacheDir, log) : null;
    if (built) log.info(`${built.filename}: built from ${p.name} ${p.version}'s sdist by an earlier build, taken from the store`);
    else {
      built = await buildSdist(p, sdist, req.tools, req.cacheDir, req.run ?? runProcess, log);
      if (req.store) {
        // The wheel first, its index after: a reader never finds an index naming nothing.
        await req.store.putFile(builtWheelKey(built.sha256, built.filename), built.path, { sha256: built.sha256 });
        await req.store.putJson(builtIndexKey(sdist.sha256, host), {
          schema: 1,
          sdist: sdist.sha256,
          filename: built.filename,
          sha256: built.sha256,
        });
      }
    }
    // Built on this host: fine for a foreign target only when the result is not tied to the host
    // (py3-none-any, or tags the target accepts anyway).
    if (foreign && !bestWheel(target, [built])) {
      throw refuse(p, ` and its sdist builds ${built.filename} on this host, which the target cannot use`);
    }
    return built;
  }).finally(() => progress.done());
  wheels.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
  return { wheels: wheels.map(({ filename, path, sha256 }) => ({ filename, path, sha256 })), downloaded };
}
