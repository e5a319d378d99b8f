import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { COPY_CHUNK, openZip, writeArchive, type ArchiveEntry, type DeflateCache } from '../src/archive/zip.ts';
import { cleanup, PYTHON, run, tempDir } from './helpers.ts';

const entries = (): ArchiveEntry[] => [
  { name: 'pkg/mod.py', executable: false, data: Buffer.from('X = 1\n') },
  { name: 'bin/tool', executable: true, size: 5, open: async () => Readable.from([Buffer.from('#!sh\n')]) },
  { name: '__main__.py', executable: false, data: Buffer.from('import pkg.mod\nprint(pkg.mod.X)\n') },
];

test('archives are deterministic, sorted, with explicit dirs, fixed times and normalized modes', async () => {
  const dir = await tempDir();
  try {
    const a = await writeArchive(join(dir, 'a.pex'), entries(), {
      prefix: '#!/usr/bin/env python3\n',
      comment: 'pexpress:1:source:' + '0'.repeat(64),
    });
    const b = await writeArchive(join(dir, 'b.pex'), entries().reverse(), {
      prefix: '#!/usr/bin/env python3\n',
      comment: 'pexpress:1:source:' + '0'.repeat(64),
    });
    assert.equal(a.sha256, b.sha256);
    assert.equal(a.size, (await readFile(join(dir, 'a.pex'))).length);

    // Python's own zipfile sees a well-formed archive whose offsets include the shebang prefix.
    const py = `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
for i in z.infolist():
    print(i.filename, oct(i.external_attr >> 16), i.date_time, len(i.extra), i.header_offset)
print(z.comment.decode())
`;
    const r = await run(PYTHON, ['-c', py, join(dir, 'a.pex')]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(
      lines.slice(0, -1).map((l) => l.split(' ')[0]),
      ['__main__.py', 'bin/', 'bin/tool', 'pkg/', 'pkg/mod.py'],
    );
    for (const l of lines.slice(0, -1)) {
      const [name, mode, , , , , , , extra] = l.replace(/[(),]/g, '').split(/\s+/);
      assert.equal(mode, name.endsWith('/') ? '0o40755' : name === 'bin/tool' ? '0o100755' : '0o100644', name);
      assert.match(l, /\(1980, 1, 1, 0, 0, 0\)/);
      assert.equal(extra, '0');
    }
    assert.equal(lines.at(-1), 'pexpress:1:source:' + '0'.repeat(64));
    assert.equal(Number(lines[0].split(' ').at(-1)), '#!/usr/bin/env python3\n'.length, 'first entry starts right after the prefix');

    // Runnable as a zipapp, and readable by our own reader.
    const out = await run(PYTHON, [join(dir, 'a.pex')]);
    assert.equal(out.stdout.trim(), '1');
    const z = await openZip(join(dir, 'a.pex'));
    assert.equal((await z.read('pkg/mod.py')).toString(), 'X = 1\n');
    z.close();
  } finally {
    await cleanup(dir);
  }
});

test('a failed write leaves no file behind', async () => {
  const dir = await tempDir();
  try {
    const bad: ArchiveEntry[] = [
      {
        name: 'x',
        executable: false,
        size: 3,
        open: async () => {
          throw new Error('gone');
        },
      },
    ];
    await assert.rejects(writeArchive(join(dir, 'x.pex'), bad), /gone/);
    await writeFile(join(dir, 'keep'), '');
    const { readdir } = await import('node:fs/promises');
    assert.deepEqual(await readdir(dir), ['keep']);
  } finally {
    await cleanup(dir);
  }
});

test('an entry with a shared tail: stored head + the tail deflated apart, valid for every reader, the same bytes with or without a cache', async () => {
  const dir = await tempDir();
  try {
    const tail = Buffer.from('def main():\n    return 42\n'.repeat(2000)); // ~50 KB, like the runtime
    const head = (n: number) => Buffer.from(`PEX_INFO = {"build": ${n}}\n`);
    const main = (n: number): ArchiveEntry => {
      const data = Buffer.concat([head(n), tail]);
      return { name: '__main__.py', executable: false, data, sharedFrom: head(n).length };
    };
    const store = new Map<string, NonNullable<ReturnType<DeflateCache['get']>>>();
    const cache: DeflateCache = { get: (sha) => store.get(sha) ?? null, put: (sha, v) => void store.set(sha, v) };
    const none = await writeArchive(join(dir, 'none.pex'), [main(1)]);
    const cold = await writeArchive(join(dir, 'cold.pex'), [main(1)], { cache });
    assert.equal(store.size, 1, 'only the tail is cached, under its own sha256');
    const warm = await writeArchive(join(dir, 'warm.pex'), [main(1)], { cache });
    assert.equal(none.sha256, cold.sha256);
    assert.equal(none.sha256, warm.sha256);
    // The next build's head differs; the cached tail is reused and the stream still reads back whole.
    await writeArchive(join(dir, 'next.pex'), [main(2)], { cache });
    assert.equal(store.size, 1);
    const py = `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
i = z.getinfo('__main__.py')
print(i.compress_type, i.compress_size < i.file_size / 10, z.read('__main__.py').split(b'\\n')[0].decode())
`;
    const r = await run(PYTHON, ['-c', py, join(dir, 'next.pex')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '8 True PEX_INFO = {"build": 2}');
    const z = await openZip(join(dir, 'next.pex'));
    assert.deepEqual(await z.read('__main__.py'), Buffer.concat([head(2), tail]));
    z.close();
    // A head over 64 KiB takes several stored blocks.
    const big = Buffer.concat([Buffer.alloc(150_000, 'x'), Buffer.from('\n'), tail]);
    await writeArchive(join(dir, 'big.pex'), [{ name: 'm.py', executable: false, data: big, sharedFrom: 150_001 }]);
    const zb = await openZip(join(dir, 'big.pex'));
    assert.deepEqual(await zb.read('m.py'), big);
    zb.close();
  } finally {
    await cleanup(dir);
  }
});

/** A stored member served from BYTES by positional reads, recording the largest read asked for. */
function rawStored(name: string, bytes: Buffer, reads: number[], ahead = false): ArchiveEntry {
  const read = (offset: number, length: number, into?: Buffer) => {
    reads.push(length);
    const out = into ?? Buffer.allocUnsafe(length);
    bytes.copy(out, 0, offset, offset + length);
    return out;
  };
  return {
    name,
    executable: false,
    raw: {
      method: 0,
      crc32: zlib.crc32(bytes) >>> 0,
      compressedSize: bytes.length,
      uncompressedSize: bytes.length,
      read,
      // Resolves later than asked, as a read on the thread pool does, so the overlap is exercised.
      ...(ahead
        ? { readAsync: (o: number, l: number, into: Buffer) => new Promise<Buffer>((r) => setTimeout(() => r(read(o, l, into)), 5)) }
        : {}),
    },
  };
}

test('a wheel member larger than the copy chunk is copied in chunks, never read whole', async () => {
  const dir = await tempDir();
  try {
    const big = randomBytes(COPY_CHUNK * 2 + 12345);
    const bigger = randomBytes(COPY_CHUNK * 5 + 777); // read ahead on the (here simulated) thread pool
    const small = Buffer.from('tiny\n');
    const reads: number[] = [];
    await writeArchive(join(dir, 'big.pex'), [
      rawStored('a/big.so', big, reads),
      rawStored('a/bigger.so', bigger, reads, true),
      rawStored('a/small.txt', small, reads),
    ]);
    assert.ok(Math.max(...reads) <= COPY_CHUNK, `largest read ${Math.max(...reads)} > ${COPY_CHUNK}`);
    assert.equal(
      reads.reduce((a, b) => a + b, 0),
      big.length + bigger.length + small.length,
      'every byte read once',
    );
    const zip = await openZip(join(dir, 'big.pex'));
    try {
      assert.deepEqual(await zip.read('a/big.so'), big);
      assert.deepEqual(await zip.read('a/bigger.so'), bigger);
      assert.deepEqual(zip.readRaw('a/big.so', COPY_CHUNK, 10), big.subarray(COPY_CHUNK, COPY_CHUNK + 10));
      assert.deepEqual(await zip.read('a/small.txt'), small);
    } finally {
      zip.close();
    }
  } finally {
    await cleanup(dir);
  }
});

test('more than 65,535 entries: zip64 end records, readable by Python zipfile', async () => {
  const dir = await tempDir();
  try {
    const n = 70_000;
    const reads: number[] = [];
    const many = Array.from({ length: n }, (_, i) => rawStored(`d${i % 7}/f${i}`, Buffer.from(String(i)), reads));
    const file = join(dir, 'many.pex');
    await writeArchive(file, many);
    // Python's zipfile is what the runtime reads archives with (yauzl takes ~4 s over 70,000 entries).
    const probe =
      'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(len(z.infolist()), z.read("d0/f0").decode(), z.read("d5/f69998").decode())';
    const r = await run(PYTHON, ['-c', probe, file]);
    assert.equal(r.stdout.trim(), `${n + 7} 0 69998`); // plus the 7 directory entries
    const tail = (await readFile(file)).subarray(-22 - 20 - 56);
    assert.equal(tail.readUInt32LE(0), 0x06064b50, 'zip64 end of central directory record');
  } finally {
    await cleanup(dir);
  }
});
