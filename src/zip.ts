import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import yauzl from 'yauzl';

/**
 * One file of an archive. Content comes either as bytes (small generated files) or from a stream
 * opened only when the writer reaches the entry, so a large tree is never held in memory.
 */
export type ArchiveEntry =
  | { name: string; executable: boolean; data: Buffer }
  | { name: string; executable: boolean; size: number; open: () => Promise<Readable> };

export interface WrittenArchive {
  sha256: string;
  size: number;
}

// DOS time has no zone; yazl encodes a Date with local-time getters, so building the date from
// local-time components yields 1980-01-01 00:00 whatever TZ is.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;
const EXEC_MODE = 0o100755;
const DIR_MODE = 0o040755;

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Every parent directory of every entry, so extractors that need explicit dirs get them. */
function directoryNames(names: string[]): string[] {
  const dirs = new Set<string>();
  for (const n of names) {
    const parts = n.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/') + '/');
  }
  return [...dirs];
}

/**
 * Writes a deterministic zip: entries sorted by path bytes, explicit directories, fixed timestamps,
 * normalized modes, no extra fields. The optional prefix (a shebang) is counted in the offsets so the
 * result is a well-formed zip for every reader, not only for those that tolerate leading junk.
 * Written to a temp file and renamed, so a crash never leaves a half archive under the final name.
 */
export async function writeArchive(
  outFile: string,
  entries: ArchiveEntry[],
  opts: { prefix?: string; comment?: string } = {},
): Promise<WrittenArchive> {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name)) throw new Error(`duplicate archive entry ${e.name}`);
    seen.add(e.name);
  }
  const dirs = directoryNames(entries.map((e) => e.name)).filter((d) => !seen.has(d));
  const all: Array<ArchiveEntry | { name: string; dir: true }> = [...entries, ...dirs.map((name) => ({ name, dir: true as const }))];
  all.sort((a, b) => compareBytes(a.name, b.name));

  await mkdir(dirname(outFile), { recursive: true });
  const tmp = join(dirname(outFile), `.${basename(outFile)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const prefix = Buffer.from(opts.prefix ?? '', 'utf8');
  const zip = new yazl.ZipFile();
  // yazl counts offsets from its own first byte; start it after the prefix we write ourselves.
  (zip as unknown as { outputStreamCursor: number }).outputStreamCursor = prefix.length;

  for (const e of all) {
    const common = { mtime: FIXED_MTIME, forceDosTimestamp: true };
    if ('dir' in e) {
      zip.addEmptyDirectory(e.name, { ...common, mode: DIR_MODE });
    } else if ('data' in e) {
      zip.addBuffer(e.data, e.name, { ...common, mode: e.executable ? EXEC_MODE : FILE_MODE });
    } else {
      const open = e.open;
      zip.addReadStreamLazy(e.name, { ...common, mode: e.executable ? EXEC_MODE : FILE_MODE, size: e.size }, (cb) => {
        open().then((s) => cb(null, s), (err: Error) => cb(err, undefined as unknown as Readable));
      });
    }
  }
  zip.end({ comment: opts.comment ?? '', forceZip64Format: false });

  const hash = createHash('sha256');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    const out = createWriteStream(tmp, { mode: 0o755 });
    if (prefix.length) count.write(prefix);
    const zipErr = new Promise<never>((_, reject) => zip.on('error', reject));
    zipErr.catch(() => undefined);
    await Promise.race([pipeline(zip.outputStream, count, out), zipErr]);
    await rename(tmp, outFile);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return { sha256: hash.digest('hex'), size };
}

export interface ZipMember {
  name: string;
  size: number;
  /** Unix mode bits from the external attributes (0 when the archive was made on a non-unix host). */
  mode: number;
  isDirectory: boolean;
  isSymlink: boolean;
}

export interface ZipReader {
  members: ZipMember[];
  read(name: string): Promise<Buffer>;
  open(name: string): Promise<Readable>;
  close(): void;
}

/** Opens a zip (a wheel or one of our archives) for random access without extracting it. */
export function openZip(file: string): Promise<ZipReader> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: true, strictFileNames: false }, (err, zf) => {
      if (err || !zf) return reject(err ?? new Error(`cannot open ${file}`));
      const byName = new Map<string, yauzl.Entry>();
      const members: ZipMember[] = [];
      zf.on('entry', (entry: yauzl.Entry) => {
        const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
        const isDirectory = entry.fileName.endsWith('/');
        byName.set(entry.fileName, entry);
        members.push({
          name: entry.fileName,
          size: entry.uncompressedSize,
          mode,
          isDirectory,
          isSymlink: (mode & 0o170000) === 0o120000,
        });
        zf.readEntry();
      });
      zf.on('error', reject);
      zf.on('end', () => {
        const open = (name: string) =>
          new Promise<Readable>((res, rej) => {
            const entry = byName.get(name);
            if (!entry) return rej(new Error(`${file} has no entry ${name}`));
            zf.openReadStream(entry, (e, s) => (e || !s ? rej(e ?? new Error('no stream')) : res(s)));
          });
        resolve({
          members,
          open,
          async read(name) {
            const s = await open(name);
            const chunks: Buffer[] = [];
            for await (const c of s) chunks.push(c as Buffer);
            return Buffer.concat(chunks);
          },
          close: () => zf.close(),
        });
      });
      zf.readEntry();
    });
  });
}
