/** Temp-file naming and file hashing: one way each, for every writer and reader of content-addressed files. */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { tmpPath } from './tmp.ts';

/**
 * Where to write DEST before renaming it into place: same directory (so the rename is atomic),
 * hidden (store listings skip dot files), unique per process and call, and named so that a later
 * run's sweepTemps() removes it once its owner is gone (tmp.ts).
 */
export function tempPathFor(dest: string): string {
  return tmpPath(dirname(dest), basename(dest));
}

/** sha256 of a file's bytes, streamed (archives and wheels can be large: 1 MiB reads, not 64 KiB). */
export async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(c as Buffer);
  return h.digest('hex');
}

// One read buffer for every file: allocating one per file made the source collector the bottleneck.
const readBuffer = Buffer.allocUnsafe(1 << 20);

/** hashFile for many small files (source trees): synchronous reads avoid a thread-pool round trip per file. */
export function hashFileSync(path: string): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = readBuffer;
    let n: number;
    while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) h.update(n === buf.length ? buf : buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}
