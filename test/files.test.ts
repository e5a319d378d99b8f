import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { hashFile, hashFileSync, tempPathFor } from '../src/platform/files.ts';
import { cleanup, tempDir } from './helpers.ts';

test('tempPathFor: next to the destination, hidden, marked .tmp, unique per call', () => {
  const dest = '/store/deps/abc.json';
  const names = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const tmp = tempPathFor(dest);
    assert.equal(dirname(tmp), dirname(dest), 'same directory: the rename into place is atomic');
    assert.match(basename(tmp), new RegExp(`^\\.abc\\.json\\.[A-Za-z0-9-]+\\.${process.pid}\\.[a-z0-9]+\\.tmp$`));
    names.add(tmp);
  }
  assert.equal(names.size, 100);
});

test('hashFile and hashFileSync agree with sha256 of the bytes: empty, small, and larger than the read buffer', async () => {
  const dir = await tempDir('pexpress-files-');
  try {
    for (const [name, bytes] of [
      ['empty', Buffer.alloc(0)],
      ['small', Buffer.from('print("hi")\n')],
      ['large', randomBytes(3 * 1024 * 1024 + 17)],
    ] as const) {
      const file = join(dir, name);
      await writeFile(file, bytes);
      const want = createHash('sha256').update(bytes).digest('hex');
      assert.equal(await hashFile(file), want, name);
      assert.equal(hashFileSync(file), want, name);
    }
  } finally {
    await cleanup(dir);
  }
});
