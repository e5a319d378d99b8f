import assert from 'node:assert/strict';
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { PACK_SLACK_FILES, projectDeflateCache, projectHashMemo } from '../src/archive/project-cache.ts';
import { collectSources, SETTLE_MS } from '../src/archive/sources.ts';
import { cleanup, tempDir } from './helpers.ts';

async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), text);
  }
}

test('flat layout: .gitignore (nested too), --exclude and the always-excluded paths', async () => {
  const dir = await tempDir();
  try {
    await tree(dir, {
      '.gitignore': '*.log\n/dist/\n',
      'app/__init__.py': '',
      'app/main.py': 'print(1)\n',
      'app/.gitignore': 'local_settings.py\n',
      'app/local_settings.py': 'SECRET = 1\n',
      'app/__pycache__/main.cpython-311.pyc': 'x',
      'app/main.pyc': 'x',
      'debug.log': 'x',
      'dist/old.whl': 'x',
      'notes/todo.md': 'x',
      '.git/config': 'x',
      '.venv/pyvenv.cfg': 'x',
      'env2/pyvenv.cfg': 'home = /usr\n',
      'env2/lib/site.py': 'x',
      '.pexpress/store/x': 'x',
      'app.egg-info/PKG-INFO': 'x',
    });
    const got = await collectSources(dir, ['notes/']);
    assert.equal(got.layout, 'flat');
    assert.deepEqual(
      got.files.map((f) => f.name),
      ['app/__init__.py', 'app/main.py'],
    );
  } finally {
    await cleanup(dir);
  }
});

test('src layout: src/ becomes the root and the project .gitignore still applies', async () => {
  const dir = await tempDir();
  try {
    await tree(dir, {
      '.gitignore': '*.egg-info/\nsecret.txt\n',
      'setup.py': 'x',
      'tests/test_x.py': 'x',
      'src/pkg/__init__.py': '',
      'src/pkg/data.json': '{}',
      'src/pkg/secret.txt': 'x',
      'src/other.egg-info/PKG-INFO': 'x',
    });
    const got = await collectSources(dir);
    assert.equal(got.layout, 'src');
    assert.deepEqual(
      got.files.map((f) => f.name),
      ['pkg/__init__.py', 'pkg/data.json'],
    );
  } finally {
    await cleanup(dir);
  }
});

test('the code hash covers names, content and the executable bit, nothing else', async () => {
  const a = await tempDir();
  const b = await tempDir();
  try {
    await tree(a, { 'm/__init__.py': 'A = 1\n' });
    await tree(b, { 'm/__init__.py': 'A = 1\n' });
    assert.equal((await collectSources(a)).codeHash, (await collectSources(b)).codeHash);
    await writeFile(join(b, 'm', '__init__.py'), 'A = 2\n');
    assert.notEqual((await collectSources(a)).codeHash, (await collectSources(b)).codeHash);
  } finally {
    await cleanup(a, b);
  }
});

/** A memo counting what it is asked to remember, with a clock the test sets. */
function countingMemo(now: () => number) {
  const known = new Map<string, [string, string]>();
  const memo = {
    remembered: 0,
    now,
    get: (p: string, id: string) => (known.get(p)?.[0] === id ? known.get(p)![1] : undefined),
    set: (p: string, id: string, sha: string) => {
      memo.remembered++;
      known.set(p, [id, sha]);
    },
  };
  return memo;
}

test('files changed within SETTLE_MS are hashed but not remembered', async () => {
  const dir = await tempDir();
  try {
    await tree(dir, { 'm/__init__.py': 'A = 1\n' });
    const memo = countingMemo(() => Date.now());
    await collectSources(dir, [], memo);
    await collectSources(dir, [], memo);
    assert.equal(memo.remembered, 0, 'a file written just now could change again within its timestamp tick');
  } finally {
    await cleanup(dir);
  }
});

test('remembered hashes are reused only while the file is untouched', async () => {
  const dir = await tempDir();
  try {
    await tree(dir, { 'm/__init__.py': 'A = 1\n', 'm/b.py': 'B = 1\n' });
    // The files settled: the memo's clock reads later than SETTLE_MS after they were written.
    const memo = countingMemo(() => Date.now() + SETTLE_MS + 1000);
    const first = await collectSources(dir, [], memo);
    assert.equal(memo.remembered, 2);
    const again = await collectSources(dir, [], memo);
    assert.equal(memo.remembered, 2, 'nothing hashed again');
    assert.equal(again.codeHash, first.codeHash);
    // Same size, mtime put back: ctime still moves, so the change is seen.
    const st = await stat(join(dir, 'm', 'b.py'));
    await writeFile(join(dir, 'm', 'b.py'), 'B = 2\n');
    await utimes(join(dir, 'm', 'b.py'), st.atime, st.mtime);
    const changed = await collectSources(dir, [], memo);
    assert.notEqual(changed.codeHash, first.codeHash);
  } finally {
    await cleanup(dir);
  }
});

test('a symlinked directory is packed as its own copy, never instead of the real one', async () => {
  const dir = await tempDir();
  try {
    await tree(dir, { 'zpkg/__init__.py': 'Z = 1\n', 'zpkg/sub/m.py': '' });
    const { symlink } = await import('node:fs/promises');
    await symlink('zpkg', join(dir, 'alias'));
    await symlink('..', join(dir, 'zpkg', 'sub', 'up')); // a loop: skipped, not followed forever
    const names = (await collectSources(dir)).files.map((f) => f.name);
    assert.deepEqual(names, ['alias/__init__.py', 'alias/sub/m.py', 'zpkg/__init__.py', 'zpkg/sub/m.py']);
  } finally {
    await cleanup(dir);
  }
});

test('names the runtime would refuse are refused at build time, unless excluded', async () => {
  const { UsageError } = await import('../src/platform/errors.ts');
  for (const [make, pattern] of [
    [(d: string) => writeFile(join(d, 'app', 'back\\slash.py'), ''), /back\\slash\.py: the file name contains a backslash/],
    [
      (d: string) => writeFile(Buffer.concat([Buffer.from(join(d, 'app', 'b')), Buffer.from([0xff]), Buffer.from('.py')]), ''),
      /not valid UTF-8/,
    ],
    [(d: string) => writeFile(join(d, 'c:x.py'), ''), /drive letter/],
  ] as const) {
    const dir = await tempDir();
    try {
      await tree(dir, { 'app/__init__.py': '' });
      await make(dir);
      await assert.rejects(collectSources(dir), (err: Error) => err instanceof UsageError && pattern.test(err.message));
      // Leaving it out is always a way out.
      assert.deepEqual(
        (await collectSources(dir, ['*.py', '!__init__.py'])).files.map((f) => f.name),
        ['app/__init__.py'],
      );
    } finally {
      await cleanup(dir);
    }
  }
});

test('.gitignore rules, nested negations included, select exactly what git does', async () => {
  const dir = await tempDir();
  try {
    await tree(dir, {
      '.gitignore': '*.txt\n!keep.txt\nbuild/\n/top.md\n*.tmp\n',
      'a.txt': '',
      'keep.txt': '',
      'top.md': '',
      'sub/top.md': '',
      'sub/.gitignore': '!d.txt\n*.md\n!readme.md\n',
      'sub/d.txt': '',
      'sub/e.txt': '',
      'sub/readme.md': '',
      'sub/other.md': '',
      'sub/deeper/.gitignore': '!*.tmp\nd.txt\n',
      'sub/deeper/x.tmp': '',
      'sub/deeper/d.txt': '',
      'sub/deeper/n.md': '',
      'build/out.py': '',
      'sub/build/x.py': '',
      'pkg/__init__.py': '',
      'pkg/.gitignore': '/*\n!/keep/\n!__init__.py\n',
      'pkg/gone.py': '',
      'pkg/keep/k.py': '',
    });
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const git = execFileSync('git', ['ls-files', '-o', '--exclude-standard'], { cwd: dir, encoding: 'utf8' })
      .split('\n')
      .filter((l) => l && !l.endsWith('.gitignore'))
      .sort();
    const ours = (await collectSources(dir)).files.map((f) => f.name);
    assert.deepEqual(ours, git);
    assert.ok(ours.includes('sub/d.txt'));
  } finally {
    await cleanup(dir);
  }
});

test('the out-dir, the store and the cache are never packed, wherever they are', async () => {
  const dir = await tempDir();
  try {
    await tree(dir, {
      'app/__init__.py': '',
      'dist/source.pex': 'x',
      'mystore/sha256/a.pex': 'x',
      'cache/wheels/w.whl': 'x',
      'source.pex': 'x',
    });
    const skip = [join(dir, 'dist'), join(dir, 'mystore'), join(dir, 'cache'), join(dir, 'source.pex')];
    assert.deepEqual(
      (await collectSources(dir, [], undefined, { skip })).files.map((f) => f.name),
      ['app/__init__.py'],
    );
  } finally {
    await cleanup(dir);
  }
});

test('the deflate pack is rewritten only once new or unused entries add up; the hash memo only when something new settled', async () => {
  const dir = await tempDir();
  try {
    const project = join(dir, 'project');
    const entry = (i: number) => ({ method: 8, crc32: i, size: 100, bytes: Buffer.from(`compressed ${i}`) });
    const sha = (i: number) => i.toString(16).padStart(64, '0');
    const packFile = async () => {
      const sub = join(dir, 'cache', 'deflate', (await readdir(join(dir, 'cache', 'deflate')))[0]);
      return join(
        sub,
        (await readdir(sub)).find((n) => n.endsWith('.pack'))!,
      );
    };
    const open = () => projectDeflateCache(join(dir, 'cache'), project);
    const first = open();
    for (let i = 0; i < 40; i++) first.put(sha(i), entry(i));
    first.save();
    const ino = (await stat(await packFile())).ino;

    // A few new entries (an edited file, a PEX-INFO): left out, deflated again next time.
    const second = open();
    for (let i = 0; i < 40; i++) assert.deepEqual(second.get(sha(i)), entry(i));
    second.put(sha(100), entry(100));
    second.save();
    assert.equal((await stat(await packFile())).ino, ino, 'the pack was not rewritten');
    assert.equal(open().get(sha(100)), null);

    // More than the slack: rewritten with everything this build used.
    const third = open();
    for (let i = 0; i < 40; i++) third.get(sha(i));
    for (let i = 0; i <= PACK_SLACK_FILES; i++) third.put(sha(200 + i), entry(200 + i));
    third.save();
    assert.notEqual((await stat(await packFile())).ino, ino);
    assert.deepEqual(open().get(sha(200 + PACK_SLACK_FILES)), entry(200 + PACK_SLACK_FILES));

    // Most entries unused (files deleted from the project): rewritten without them.
    const fourth = open();
    for (let i = 0; i < 10; i++) fourth.get(sha(i));
    fourth.save();
    assert.equal(open().get(sha(20)), null);
    assert.deepEqual(open().get(sha(5)), entry(5));

    // The hash memo: untouched on disk while nothing new is remembered.
    const memo = projectHashMemo(join(dir, 'cache'), project);
    memo.set('a.py', '1 2 3 4', sha(1));
    memo.save();
    const memoFile = join(dir, 'cache', 'hashes', (await readdir(join(dir, 'cache', 'hashes')))[0]);
    const memoIno = (await stat(memoFile)).ino;
    const again = projectHashMemo(join(dir, 'cache'), project);
    assert.equal(again.get('a.py', '1 2 3 4'), sha(1));
    again.save();
    assert.equal((await stat(memoFile)).ino, memoIno);
    const changed = projectHashMemo(join(dir, 'cache'), project);
    changed.set('a.py', '1 2 3 5', sha(2));
    changed.save();
    assert.equal(projectHashMemo(join(dir, 'cache'), project).get('a.py', '1 2 3 5'), sha(2));
  } finally {
    await cleanup(dir);
  }
});
