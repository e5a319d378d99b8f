// Per-project caches that keep fast builds fast (compressed entries, content hashes by file
// identity); they can only change speed, never an archive's bytes.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HashMemo } from './sources.ts';
import { DEFLATE_ID, type DeflateCache } from './zip.ts';

type Entry = { method: number; crc32: number; size: number; bytes: Buffer };

const RECORD_HEADER = 32 + 1 + 4 + 8 + 8; // sha256, method, crc32, uncompressed size, compressed size

/**
 * The compressed form of each file of the project's last source.pex, by content sha256, in one
 * pack file per project: a fast build deflates only the files that changed, and pays one read and
 * one write for the rest (a file per entry would cost more than deflating them again).
 */
export function projectDeflateCache(cacheDir: string, projectDir: string): DeflateCache & { save(): void } {
  const dir = join(cacheDir, 'deflate', DEFLATE_ID);
  const file = join(dir, createHash('sha256').update(projectDir).digest('hex').slice(0, 32) + '.pack');
  const previous = new Map<string, Entry>();
  const used = new Map<string, Entry>();
  try {
    const buf = readFileSync(file);
    let o = 0;
    while (o + RECORD_HEADER <= buf.length) {
      const sha = buf.toString('hex', o, o + 32);
      const method = buf[o + 32];
      const crc32 = buf.readUInt32LE(o + 33);
      const size = Number(buf.readBigUInt64LE(o + 37));
      const csize = Number(buf.readBigUInt64LE(o + 45));
      if (o + RECORD_HEADER + csize > buf.length) break; // truncated: keep what is whole
      previous.set(sha, { method, crc32, size, bytes: buf.subarray(o + RECORD_HEADER, o + RECORD_HEADER + csize) });
      o += RECORD_HEADER + csize;
    }
  } catch {
    /* no pack yet */
  }
  return {
    get(sha) {
      const hit = previous.get(sha) ?? used.get(sha) ?? null;
      if (hit) used.set(sha, hit);
      return hit;
    },
    put(sha, value) {
      used.set(sha, value);
    },
    // Only what this build used is kept, so the pack tracks the project instead of growing.
    save() {
      try {
        const parts: Buffer[] = [];
        for (const [sha, e] of used) {
          const h = Buffer.alloc(RECORD_HEADER);
          h.write(sha, 0, 'hex');
          h[32] = e.method;
          h.writeUInt32LE(e.crc32, 33);
          h.writeBigUInt64LE(BigInt(e.size), 37);
          h.writeBigUInt64LE(BigInt(e.bytes.length), 45);
          parts.push(h, e.bytes);
        }
        mkdirSync(dir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, Buffer.concat(parts));
        renameSync(tmp, file);
      } catch {
        /* a cache that cannot be written only costs speed */
      }
    },
  };
}

/** The per-project memo of content hashes by file identity (see HashMemo in sources.ts). */
export function projectHashMemo(cacheDir: string, projectDir: string): HashMemo & { save(): void } {
  const dir = join(cacheDir, 'hashes');
  const file = join(dir, createHash('sha256').update(projectDir).digest('hex').slice(0, 32) + '.tsv');
  const known = new Map<string, [string, string]>();
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, identity, sha] = line.split('\t');
      if (name && identity && sha) known.set(name, [identity, sha]);
    }
  } catch {
    /* first build of this project here */
  }
  const next = new Map<string, [string, string]>();
  return {
    get(name, identity) {
      const hit = known.get(name);
      return hit && hit[0] === identity ? hit[1] : undefined;
    },
    set(name, identity, sha) {
      next.set(name, [identity, sha]);
    },
    save() {
      // Reused entries stay; changed files come back once they have settled.
      for (const [name, v] of known) if (!next.has(name)) next.set(name, v);
      try {
        mkdirSync(dir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, [...next].map(([n, [i, s]]) => `${n}\t${i}\t${s}`).join('\n') + '\n');
        renameSync(tmp, file);
      } catch {
        /* a memo that cannot be written only costs speed */
      }
    },
  };
}
