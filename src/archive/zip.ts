// Deterministic zip writing (sorted entries, fixed times and modes, fflate, raw wheel copies) and
// random-access reading of wheels and archives (ARCHITECTURE.md § 4, determinism rules).
import { createHash } from 'node:crypto';
import { closeSync, openSync, read, readFileSync, readSync } from 'node:fs';
import { promisify } from 'node:util';
import { mkdir, open as openFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, basename } from 'node:path';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { deflateSync } from 'fflate';
import type yauzl from 'yauzl';
import { BuildError, writeError } from '../platform/errors.ts';
import { sweepTemps, tmpPath } from '../platform/tmp.ts';

/** Already-compressed member data copied byte for byte from another zip (a wheel). */
export interface RawMember {
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /**
   * `length` of the stored bytes from `offset` on, into `into` when given (then returned); positional
   * reads on an open file (a wheel has thousands of small members, and a CUDA wheel single members
   * of several hundred MB, which are copied a chunk at a time so memory stays bounded).
   */
  read: (offset: number, length: number, into?: Buffer) => Buffer;
  /** The same on the thread pool: large members are read one chunk ahead while the last is hashed. */
  readAsync?: (offset: number, length: number, into: Buffer) => Promise<Buffer>;
}

/**
 * One file of an archive: bytes we generate, a file we read (compressed by us), or a member of a
 * wheel copied without recompressing it.
 */
export type ArchiveEntry =
  /**
   * `sharedFrom`: the bytes from this offset on are the same in every build (the runtime after
   * __main__.py's PEX_INFO line). They are deflated on their own, so the cache holds them, and the
   * bytes before are written as stored blocks of the same deflate stream: no compressor runs for
   * a part that changes every build.
   */
  | { name: string; executable: boolean; data: Buffer; sharedFrom?: number }
  | { name: string; executable: boolean; size: number; open: () => Promise<Readable>; sha256?: string; path?: string }
  | { name: string; executable: boolean; raw: RawMember };

/** Compressed forms of file contents by sha256, so unchanged files are not deflated again. */
export interface DeflateCache {
  get(sha256: string): { method: number; crc32: number; size: number; bytes: Buffer } | null;
  put(sha256: string, value: { method: number; crc32: number; size: number; bytes: Buffer }): void;
}

export interface WrittenArchive {
  sha256: string;
  size: number;
  /** sha256 of every byte before the zip comment (what a comment computed from the body names). */
  bodySha256: string;
}

const FILE_MODE = 0o100644;
const EXEC_MODE = 0o100755;
const DIR_MODE = 0o040755;
// 1980-01-01 00:00 in DOS format: time 0, date (0 << 9) | (1 << 5) | 1.
const DOS_TIME = 0;
const DOS_DATE = 0x21;
const UTF8_FLAG = 0x0800;
const MADE_BY_UNIX = (3 << 8) | 30;
const U32 = 0xffffffff;
const U16 = 0xffff;
const DEFLATE_LEVEL = 6;
const readAsync = promisify(read);

/** The size of the archive writer's two buffers: raw members are read at most this much at a time (see Sink). */
export const COPY_CHUNK = 4 << 20;

/** Every parent directory of every entry, so extractors that need explicit dirs get them. */
function directoryNames(names: string[]): string[] {
  const dirs = new Set<string>();
  for (const n of names) {
    const parts = n.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/') + '/');
  }
  return [...dirs];
}

let crcTable: Int32Array | null = null;
/** zlib.crc32 arrived in Node 20.15; the table version keeps older 20.x working. */
function crc32(buf: Buffer): number {
  const native = (zlib as unknown as { crc32?: (b: Buffer) => number }).crc32;
  if (native) return native(buf) >>> 0;
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < buf.length; i++) crc = crcTable[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

interface Written {
  name: Buffer;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  offset: number;
  mode: number;
  isDir: boolean;
}

/**
 * Hashes, counts and writes the archive with positional writes on one file handle, through two
 * reused COPY_CHUNK buffers: bytes are gathered in one (headers, small members, large members read
 * straight into it by positional reads) while the other is being written. Memory is the same
 * whatever the archive's size (reading a 360 MB libtorch_cuda.so whole took peak RSS to 1 GB; a
 * buffer per member or per chunk left ~200 MiB to the garbage collector on a 6 GB archive).
 */
class Sink {
  offset = 0;
  readonly hash = createHash('sha256');
  private readonly buffers = [Buffer.allocUnsafe(COPY_CHUNK), Buffer.allocUnsafe(COPY_CHUNK)];
  /** The buffer being filled, and how much of it is. */
  private current = 0;
  private filled = 0;
  /** The three buffers of copyAhead(), allocated with the first large member. */
  private ahead: Buffer[] | null = null;
  /** Where the next write lands in the file. */
  private position = 0;
  /** The write in progress (at most one, from the other buffer); awaited before that buffer is reused. */
  private inflight: Promise<void> = Promise.resolve();
  constructor(private readonly out: FileHandle) {}

  /** Writes BUF after whatever is in flight, without waiting for it; BUF must stay untouched until the next start(). */
  private async start(buf: Buffer): Promise<void> {
    await this.inflight;
    const at = this.position;
    this.position += buf.length;
    const p = (async () => {
      // A positional write may write less than asked (a signal, a filesystem limit): loop.
      for (let done = 0; done < buf.length;) done += (await this.out.write(buf, done, buf.length - done, at + done)).bytesWritten;
    })();
    p.catch(() => undefined); // awaited by the next start() or settle(); not unhandled meanwhile
    this.inflight = p;
  }

  /**
   * Hashes the filled buffer, hands it to the file and switches to the other one (whose write is
   * then done). Gathered bytes are hashed a buffer at a time: a hash update per header was a
   * measurable part of a fast build.
   */
  private async rotate(): Promise<void> {
    if (!this.filled) return;
    const gathered = this.buffers[this.current].subarray(0, this.filled);
    this.hash.update(gathered);
    await this.start(gathered);
    this.current ^= 1;
    this.filled = 0;
  }

  async write(buf: Buffer): Promise<void> {
    this.offset += buf.length;
    if (this.filled + buf.length > COPY_CHUNK) await this.rotate();
    if (buf.length > COPY_CHUNK) {
      // A large compressed file: written as it is (it is not reused), in order after the rest.
      this.hash.update(buf);
      await this.start(buf);
      return;
    }
    buf.copy(this.buffers[this.current], this.filled);
    this.filled += buf.length;
  }

  /** A raw member's stored bytes, read straight into the buffers, at most COPY_CHUNK at a time. */
  async copy(raw: RawMember): Promise<void> {
    if (raw.readAsync && raw.compressedSize > 2 * COPY_CHUNK) return this.copyAhead(raw, raw.readAsync);
    for (let at = 0; at < raw.compressedSize;) {
      if (this.filled === COPY_CHUNK) await this.rotate();
      const n = Math.min(COPY_CHUNK - this.filled, raw.compressedSize - at);
      raw.read(at, n, this.buffers[this.current].subarray(this.filled, this.filled + n)); // hashed by rotate()
      this.offset += n;
      this.filled += n;
      at += n;
    }
  }

  /**
   * A large member through three more buffers: chunk k+1 is read (thread pool) while chunk k is
   * hashed (here) and chunk k-1 is written (thread pool), so reading, hashing and writing overlap
   * instead of taking turns (profile of a 6.35 GB deps.pex: 4.8 s in readSync and 4.2 s hashing,
   * one after the other, on the main thread).
   */
  private async copyAhead(raw: RawMember, readAsync: NonNullable<RawMember['readAsync']>): Promise<void> {
    await this.rotate(); // what was gathered goes first, in order
    this.ahead ??= [Buffer.allocUnsafe(COPY_CHUNK), Buffer.allocUnsafe(COPY_CHUNK), Buffer.allocUnsafe(COPY_CHUNK)];
    const bufs = this.ahead;
    const size = raw.compressedSize;
    const readChunk = (k: number) => readAsync(k * COPY_CHUNK, Math.min(COPY_CHUNK, size - k * COPY_CHUNK), bufs[k % 3]);
    const count = Math.ceil(size / COPY_CHUNK);
    let next = readChunk(0);
    next.catch(() => undefined);
    for (let k = 0; k < count; k++) {
      const chunk = await next;
      // Buffer (k+1) % 3 last held chunk k-2, whose write ended before chunk k-1's began (start()).
      if (k + 1 < count) {
        next = readChunk(k + 1);
        next.catch(() => undefined);
      }
      this.hash.update(chunk);
      this.offset += chunk.length;
      await this.start(chunk);
    }
    // The next large member reuses these buffers from the first.
    await this.inflight;
  }

  /** After a failure: lets the write in flight end, so the file can be closed and removed. */
  async abort(): Promise<void> {
    await this.inflight.catch(() => undefined);
  }

  /** Everything accepted so far is hashed and on its way to the file. */
  async flush(): Promise<void> {
    await this.rotate();
  }

  /** Everything accepted so far is in the file (or the first write error is thrown). */
  async settle(): Promise<void> {
    await this.rotate();
    await this.inflight;
  }
}

const NO_EXTRA = Buffer.alloc(0);

function localHeader(e: Written): Buffer {
  const zip64 = e.compressedSize >= U32 || e.uncompressedSize >= U32;
  const extra = zip64 ? Buffer.alloc(20) : NO_EXTRA;
  if (zip64) {
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(16, 2);
    extra.writeBigUInt64LE(BigInt(e.uncompressedSize), 4);
    extra.writeBigUInt64LE(BigInt(e.compressedSize), 12);
  }
  // allocUnsafe: small sizes come from Node's pool (a fresh ArrayBuffer per header costs GC time);
  // every byte is written below.
  const h = Buffer.allocUnsafe(30 + e.name.length + extra.length);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(zip64 ? 45 : 20, 4);
  h.writeUInt16LE(UTF8_FLAG, 6);
  h.writeUInt16LE(e.method, 8);
  h.writeUInt16LE(DOS_TIME, 10);
  h.writeUInt16LE(DOS_DATE, 12);
  h.writeUInt32LE(e.crc32, 14);
  h.writeUInt32LE(zip64 ? U32 : e.compressedSize, 18);
  h.writeUInt32LE(zip64 ? U32 : e.uncompressedSize, 22);
  h.writeUInt16LE(e.name.length, 26);
  h.writeUInt16LE(extra.length, 28);
  e.name.copy(h, 30);
  extra.copy(h, 30 + e.name.length);
  return h;
}

function centralHeader(e: Written): Buffer {
  const fields: bigint[] = [];
  if (e.uncompressedSize >= U32) fields.push(BigInt(e.uncompressedSize));
  if (e.compressedSize >= U32) fields.push(BigInt(e.compressedSize));
  if (e.offset >= U32) fields.push(BigInt(e.offset));
  let extra = NO_EXTRA;
  if (fields.length) {
    extra = Buffer.alloc(4 + 8 * fields.length);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(8 * fields.length, 2);
    fields.forEach((f, i) => extra.writeBigUInt64LE(f, 4 + 8 * i));
  }
  const h = Buffer.allocUnsafe(46 + e.name.length + extra.length); // pooled, every byte written
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(MADE_BY_UNIX, 4);
  h.writeUInt16LE(fields.length ? 45 : 20, 6);
  h.writeUInt16LE(UTF8_FLAG, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt16LE(DOS_TIME, 12);
  h.writeUInt16LE(DOS_DATE, 14);
  h.writeUInt32LE(e.crc32, 16);
  h.writeUInt32LE(Math.min(e.compressedSize, U32), 20);
  h.writeUInt32LE(Math.min(e.uncompressedSize, U32), 24);
  h.writeUInt16LE(e.name.length, 28);
  h.writeUInt16LE(extra.length, 30);
  h.writeUInt16LE(0, 32); // comment length
  h.writeUInt16LE(0, 34); // disk
  h.writeUInt16LE(0, 36); // internal attributes
  h.writeUInt32LE(((e.mode << 16) | (e.isDir ? 0x10 : 0)) >>> 0, 38);
  h.writeUInt32LE(Math.min(e.offset, U32), 42);
  e.name.copy(h, 46);
  extra.copy(h, 46 + e.name.length);
  return h;
}

function endRecords(count: number, cdOffset: number, cdSize: number, commentLength: number): Buffer {
  const parts: Buffer[] = [];
  const zip64 = count >= U16 || cdOffset >= U32 || cdSize >= U32;
  if (zip64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeUInt16LE(MADE_BY_UNIX, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeUInt32LE(0, 16);
    rec.writeUInt32LE(0, 20);
    rec.writeBigUInt64LE(BigInt(count), 24);
    rec.writeBigUInt64LE(BigInt(count), 32);
    rec.writeBigUInt64LE(BigInt(cdSize), 40);
    rec.writeBigUInt64LE(BigInt(cdOffset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeUInt32LE(0, 4);
    loc.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
    loc.writeUInt32LE(1, 16);
    parts.push(rec, loc);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Math.min(count, U16), 8);
  eocd.writeUInt16LE(Math.min(count, U16), 10);
  eocd.writeUInt32LE(Math.min(cdSize, U32), 12);
  eocd.writeUInt32LE(Math.min(cdOffset, U32), 16);
  eocd.writeUInt16LE(commentLength, 20);
  parts.push(eocd);
  return Buffer.concat(parts);
}

/** The identity of our compressor: cached compressed bytes are valid only for the same one. */
export const DEFLATE_ID = `fflate-0.8.3-l${DEFLATE_LEVEL}`;

/** Our own bytes: deflated with fflate (pure JS), so the output does not depend on Node's zlib build. */
function compress(data: Buffer): { method: number; bytes: Buffer } {
  if (data.length === 0) return { method: 0, bytes: data };
  const deflated = Buffer.from(deflateSync(data, { level: DEFLATE_LEVEL }));
  return deflated.length < data.length ? { method: 8, bytes: deflated } : { method: 0, bytes: data };
}

/** `data` as stored deflate blocks that are not final, so a deflate stream can follow them. */
function storedBlocks(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let o = 0; o < data.length; o += U16) {
    const n = Math.min(U16, data.length - o);
    const h = Buffer.alloc(5); // BFINAL 0, BTYPE 00, padded to the byte; LEN, NLEN
    h.writeUInt16LE(n, 1);
    h.writeUInt16LE(~n & U16, 3);
    parts.push(h, data.subarray(o, o + n));
  }
  return Buffer.concat(parts);
}

type Compressed = { method: number; crc32: number; size: number; bytes: Buffer };

/**
 * An entry whose tail repeats across builds: stored blocks for the head, then the tail's own
 * deflate stream (from the cache when it has it). The bytes do not depend on the cache.
 */
function compressShared(data: Buffer, from: number, cache: DeflateCache | undefined): Compressed {
  const tail = data.subarray(from);
  const sha = createHash('sha256').update(tail).digest('hex');
  let t = cache?.get(sha) ?? null;
  if (!t) {
    const z = compress(tail);
    t = { method: z.method, crc32: crc32(tail), size: tail.length, bytes: z.bytes };
    cache?.put(sha, t);
  }
  const joined = t.method === 8 ? Buffer.concat([storedBlocks(data.subarray(0, from)), t.bytes]) : data;
  return joined.length < data.length
    ? { method: 8, crc32: crc32(data), size: data.length, bytes: joined }
    : { method: 0, crc32: crc32(data), size: data.length, bytes: data };
}

/**
 * Writes a deterministic zip: entries sorted by path bytes, explicit directories, fixed timestamps,
 * normalized modes, no extra fields (zip64 only where sizes demand it). The prefix (a shebang) is
 * counted in the offsets, so every reader sees a well-formed zip. Wheel members are copied in their
 * compressed form; everything else is deflated by fflate: the bytes depend on the inputs and the
 * pexpress version only, not on Node's zlib or the CPU. Written to a temp file and renamed, so a
 * failure never leaves a half archive under the final name.
 */
export async function writeArchive(
  outFile: string,
  entries: ArchiveEntry[],
  opts: { prefix?: string; comment?: string | ((bodySha256: string) => string); cache?: DeflateCache } = {},
): Promise<WrittenArchive> {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name))
      throw new BuildError(`two files would be ${e.name} in ${basename(outFile)}`, {
        hint: 'rename one of them or leave one out with an exclude',
      });
    seen.add(e.name);
  }
  const dirs = directoryNames(entries.map((e) => e.name)).filter((d) => !seen.has(d));
  const all: Array<ArchiveEntry | { name: string; dir: true }> = [...entries, ...dirs.map((name) => ({ name, dir: true as const }))];
  // Each name encoded once: encoding both sides of every comparison was thousands of allocations.
  const key = new Map(all.map((e) => [e, Buffer.from(e.name, 'utf8')]));
  all.sort((a, b) => Buffer.compare(key.get(a)!, key.get(b)!));
  // A comment computed from the body (every byte before it) lets the runtime verify the archive
  // against the hash the comment names; its length is fixed before the body is hashed.
  const makeComment = typeof opts.comment === 'function' ? opts.comment : () => (opts.comment as string | undefined) ?? '';
  const commentLength = Buffer.byteLength(makeComment('0'.repeat(64)), 'latin1');
  if (commentLength > U16) throw new BuildError(`the zip comment of ${basename(outFile)} is longer than ${U16} bytes`);
  let bodySha256 = '';

  await mkdir(dirname(outFile), { recursive: true }).catch((err) => {
    throw writeError(dirname(outFile), err);
  });
  sweepTemps(dirname(outFile), basename(outFile));
  const tmp = tmpPath(dirname(outFile), basename(outFile));
  let out: FileHandle | null = null;
  let sink: Sink | null = null;
  try {
    out = await openFile(tmp, 'w', 0o755);
    sink = new Sink(out);
    if (opts.prefix) await sink.write(Buffer.from(opts.prefix, 'utf8'));
    const written: Written[] = [];
    for (const e of all) {
      const name = key.get(e)!;
      const mode = 'dir' in e ? DIR_MODE : e.executable ? EXEC_MODE : FILE_MODE;
      const rec: Written = {
        name,
        method: 0,
        crc32: 0,
        compressedSize: 0,
        uncompressedSize: 0,
        offset: sink.offset,
        mode,
        isDir: 'dir' in e,
      };
      if ('raw' in e) {
        Object.assign(rec, {
          method: e.raw.method,
          crc32: e.raw.crc32,
          compressedSize: e.raw.compressedSize,
          uncompressedSize: e.raw.uncompressedSize,
        });
        await sink.write(localHeader(rec));
        await sink.copy(e.raw);
      } else if (!('dir' in e)) {
        // Generated entries (__main__.py, PEX-INFO) repeat across builds too: key them by content.
        const shared = 'data' in e && e.sharedFrom !== undefined ? compressShared(e.data, e.sharedFrom, opts.cache) : null;
        const sha = shared
          ? undefined
          : 'sha256' in e
            ? e.sha256
            : 'data' in e && opts.cache
              ? createHash('sha256').update(e.data).digest('hex')
              : undefined;
        let c = shared ?? (sha ? (opts.cache?.get(sha) ?? null) : null);
        if (!c) {
          // Small files are read in one call: a stream per file costs more than its bytes.
          const data = 'data' in e ? e.data : e.path && e.size < 1 << 24 ? readFileSync(e.path) : await readAll(await e.open());
          const z = compress(data);
          c = { method: z.method, crc32: crc32(data), size: data.length, bytes: z.bytes };
          if (sha) opts.cache?.put(sha, c);
        }
        Object.assign(rec, { method: c.method, crc32: c.crc32, compressedSize: c.bytes.length, uncompressedSize: c.size });
        await sink.write(localHeader(rec));
        await sink.write(c.bytes);
      } else {
        await sink.write(localHeader(rec));
      }
      written.push(rec);
    }
    const cdOffset = sink.offset;
    for (const rec of written) await sink.write(centralHeader(rec));
    await sink.write(endRecords(written.length, cdOffset, sink.offset - cdOffset, commentLength));
    await sink.flush();
    bodySha256 = sink.hash.copy().digest('hex');
    const comment = Buffer.from(makeComment(bodySha256), 'latin1');
    if (comment.length !== commentLength) throw new Error('zip comment length depends on the body hash');
    await sink.write(comment);
    await sink.settle();
    await out.close();
    out = null;
    await rename(tmp, outFile);
  } catch (err) {
    // A write may still be in flight: let it end before closing and removing the file.
    await sink?.abort();
    await out?.close().catch(() => undefined);
    await rm(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw code === 'ENOSPC' || code === 'EDQUOT' ? writeError(outFile, err) : err;
  }
  return { sha256: sink!.hash.digest('hex'), size: sink!.offset, bodySha256 };
}

export interface ZipMember {
  name: string;
  size: number;
  /** Unix mode bits from the external attributes (0 when the archive was made on a non-unix host). */
  mode: number;
  isDirectory: boolean;
  isSymlink: boolean;
  method: number;
  crc32: number;
  compressedSize: number;
}

export interface ZipReader {
  members: ZipMember[];
  read(name: string): Promise<Buffer>;
  open(name: string): Promise<Readable>;
  /** The member's stored bytes, still compressed: all of them, or `length` from `offset` on. */
  readRaw(name: string, offset?: number, length?: number, into?: Buffer): Buffer;
  /** The same, read on the thread pool, so the caller can hash one chunk while the next is read. */
  readRawAsync(name: string, offset: number, length: number, into: Buffer): Promise<Buffer>;
  close(): void;
}

const DAMAGED = 'the file is damaged or not a zip: delete it and build or fetch it again';

/** Opens a zip (a wheel or one of our archives) for random access without extracting it. */
export async function openZip(file: string): Promise<ZipReader> {
  // Loaded on first use: a fast build never reads a zip.
  const { default: yauzlLib } = await import('yauzl');
  const fd = openSync(file, 'r');
  return new Promise((resolve, reject) => {
    yauzlLib.open(file, { lazyEntries: true, autoClose: false, decodeStrings: true, strictFileNames: false }, (err, zf) => {
      if (err || !zf) {
        closeSync(fd);
        return reject(new BuildError(`${file} is not a readable zip: ${err?.message ?? 'no archive'}`, { hint: DAMAGED }));
      }
      const byName = new Map<string, yauzl.Entry>();
      /** Where a member's data starts, while it is being read in chunks (one local-header read per member). */
      const dataStart = new Map<string, number>();
      const members: ZipMember[] = [];
      zf.on('entry', (entry: yauzl.Entry) => {
        const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
        byName.set(entry.fileName, entry);
        members.push({
          name: entry.fileName,
          size: entry.uncompressedSize,
          mode,
          isDirectory: entry.fileName.endsWith('/'),
          isSymlink: (mode & 0o170000) === 0o120000,
          method: entry.compressionMethod,
          crc32: entry.crc32 >>> 0,
          compressedSize: entry.compressedSize,
        });
        zf.readEntry();
      });
      zf.on('error', (e: Error) => {
        zf.close();
        closeSync(fd);
        reject(new BuildError(`${file} is not a readable zip: ${e.message}`, { hint: DAMAGED }));
      });
      zf.on('end', () => {
        const open = (name: string, decode: boolean) =>
          new Promise<Readable>((res, rej) => {
            const entry = byName.get(name);
            if (!entry) return rej(new BuildError(`${file} has no entry ${name}`, { hint: DAMAGED }));
            const done = (e: Error | null, s?: Readable) =>
              e || !s ? rej(new BuildError(`cannot read ${name} in ${file}: ${e?.message ?? 'no data'}`, { hint: DAMAGED })) : res(s);
            // yauzl 3.4 inverts an explicit decodeFileData: true, so decoding uses the default options.
            if (decode) zf.openReadStream(entry, done);
            else zf.openReadStream(entry, { decodeFileData: false } as yauzl.ZipFileOptions, done);
          });
        /** Where LENGTH stored bytes of NAME from OFFSET are in the file, and the buffer to read them into. */
        const locate = (name: string, offset: number, length: number | undefined, into: Buffer | undefined) => {
          const entry = byName.get(name);
          if (!entry) throw new BuildError(`${file} has no entry ${name}`, { hint: DAMAGED });
          let start = dataStart.get(name);
          if (start === undefined) {
            // Local header: 30 fixed bytes, then name and extra field of their own lengths.
            const head = Buffer.alloc(30);
            if (readSync(fd, head, 0, 30, entry.relativeOffsetOfLocalHeader) !== 30 || head.readUInt32LE(0) !== 0x04034b50) {
              throw new BuildError(`${file}: bad local header for ${name}`, { hint: DAMAGED });
            }
            start = entry.relativeOffsetOfLocalHeader + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
            // Only members read in several chunks come back; remembering the rest would cost memory for nothing.
            if (length !== undefined && offset + length < entry.compressedSize) dataStart.set(name, start);
          }
          const n = length ?? entry.compressedSize - offset;
          if (offset < 0 || n < 0 || offset + n > entry.compressedSize)
            throw new BuildError(`${file}: read past the end of ${name}`, { hint: DAMAGED });
          const data = into ? into.subarray(0, n) : Buffer.allocUnsafe(n);
          if (data.length !== n) throw new Error(`readRaw: a ${into?.length}-byte buffer cannot hold ${n} bytes`);
          if (offset + n >= entry.compressedSize) dataStart.delete(name);
          return { data, position: start + offset };
        };
        resolve({
          members,
          open: (name) => open(name, true),
          readRaw: (name, offset = 0, length, into) => {
            const { data, position } = locate(name, offset, length, into);
            // One readSync may return less than asked (large reads are capped near 2 GiB): loop.
            for (let got = 0; got < data.length;) {
              const r = readSync(fd, data, got, data.length - got, position + got);
              if (r === 0) throw new BuildError(`${file}: ${name} is truncated`, { hint: DAMAGED });
              got += r;
            }
            return data;
          },
          readRawAsync: async (name, offset, length, into) => {
            const { data, position } = locate(name, offset, length, into);
            for (let got = 0; got < data.length;) {
              const { bytesRead } = await readAsync(fd, data, got, data.length - got, position + got);
              if (bytesRead === 0) throw new BuildError(`${file}: ${name} is truncated`, { hint: DAMAGED });
              got += bytesRead;
            }
            return data;
          },
          read: async (name) => readAll(await open(name, true)),
          close: () => {
            zf.close();
            closeSync(fd);
          },
        });
      });
      zf.readEntry();
    });
  });
}
