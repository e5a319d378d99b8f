// Per-project caches that keep fast builds fast (compressed entries, content hashes by file
// identity); they can only change speed, never an archive's bytes.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sweepTemps, tmpPath } from '../platform/tmp.ts';
import type { HashMemo } from './sources.ts';
import { DEFLATE_ID, type DeflateCache } from './zip.ts';

type Entry = { method: number; crc32: number; size: number; bytes: Buffer };

const RECORD_HEADER = 32 + 1 + 4 + 8 + 8; // sha256, method, crc32, uncompressed size, compressed size

/**
 * How many new entries, and how many uncompressed bytes of them, a build may leave out of the pack:
 * deflating 32 KiB again costs a fresh process about what rewriting a 2 MB pack does (fflate runs
 * unoptimized at first), so anything larger (the runtime's ~50 KB) is always kept.
 */
export const PACK_SLACK_FILES = 16;
export const PACK_SLACK_BYTES = 32 * 1024;

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
      // A few new entries (the files edited since the pack was written, this build's PEX-INFO) are
      // cheaper to deflate again next time than the whole pack is to rewrite now; the pack is
      // rewritten once they add up, or once many of its entries are no longer used.
      let added = 0;
      let addedBytes = 0;
      for (const [sha, e] of used)
        if (!previous.has(sha)) {
          added++;
          addedBytes += e.size;
        }
      const dropped = previous.size - (used.size - added);
      if (previous.size && added <= PACK_SLACK_FILES && addedBytes <= PACK_SLACK_BYTES && dropped * 4 <= previous.size) return;
      try {
        // One buffer for the whole pack: a header buffer per entry made this a measurable part of a fast build.
        let total = 0;
        for (const e of used.values()) total += RECORD_HEADER + e.bytes.length;
        const buf = Buffer.allocUnsafe(total);
        let o = 0;
        for (const [sha, e] of used) {
          buf.write(sha, o, 'hex');
          buf[o + 32] = e.method;
          buf.writeUInt32LE(e.crc32, o + 33);
          buf.writeBigUInt64LE(BigInt(e.size), o + 37);
          buf.writeBigUInt64LE(BigInt(e.bytes.length), o + 45);
          o += RECORD_HEADER + e.bytes.copy(buf, o + RECORD_HEADER);
        }
        mkdirSync(dir, { recursive: true });
        sweepTemps(dir);
        const tmp = tmpPath(dir, basename(file));
        writeFileSync(tmp, buf);
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
      // Nothing newly remembered (only unchanged or unsettled files): the file on disk is already this.
      if ([...next].every(([name, [identity]]) => known.get(name)?.[0] === identity)) return;
      // Reused entries stay; changed files come back once they have settled.
      for (const [name, v] of known) if (!next.has(name)) next.set(name, v);
      try {
        mkdirSync(dir, { recursive: true });
        sweepTemps(dir);
        const tmp = tmpPath(dir, basename(file));
        writeFileSync(tmp, [...next].map(([n, [i, s]]) => `${n}\t${i}\t${s}`).join('\n') + '\n');
        renameSync(tmp, file);
      } catch {
        /* a memo that cannot be written only costs speed */
      }
    },
  };
}
