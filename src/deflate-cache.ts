import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFLATE_ID, type DeflateCache } from './zip.ts';

const HEADER = 13; // method (1) + crc32 (4) + uncompressed size (8)

/**
 * Compressed file contents on disk, by sha256 of the content: a fast build deflates only the files
 * that changed. Entries are written atomically; a damaged one is ignored and rewritten.
 */
export function diskDeflateCache(cacheDir: string): DeflateCache {
  const root = join(cacheDir, 'deflate', DEFLATE_ID);
  const pathOf = (sha: string) => join(root, sha.slice(0, 2), sha);
  return {
    get(sha) {
      let buf: Buffer;
      try {
        buf = readFileSync(pathOf(sha));
      } catch {
        return null;
      }
      if (buf.length < HEADER) return null;
      return { method: buf[0], crc32: buf.readUInt32LE(1), size: Number(buf.readBigUInt64LE(5)), bytes: buf.subarray(HEADER) };
    },
    put(sha, v) {
      try {
        const head = Buffer.alloc(HEADER);
        head[0] = v.method;
        head.writeUInt32LE(v.crc32, 1);
        head.writeBigUInt64LE(BigInt(v.size), 5);
        const p = pathOf(sha);
        mkdirSync(join(root, sha.slice(0, 2)), { recursive: true });
        const tmp = `${p}.${process.pid}.tmp`;
        writeFileSync(tmp, Buffer.concat([head, v.bytes]));
        renameSync(tmp, p);
      } catch {
        /* a cache that cannot be written only costs speed */
      }
    },
  };
}
