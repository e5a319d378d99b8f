import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, run, tempDir } from './helpers.ts';

const release = (args: string[]) => run(process.execPath, [join(ROOT, 'scripts', 'release.mjs'), ...args]);

async function checkout(version: string, changelog: string): Promise<string> {
  const dir = await tempDir('pexpress-release-');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'pexpress', version, files: ['dist'] }, null, 2) + '\n');
  await writeFile(
    join(dir, 'package-lock.json'),
    JSON.stringify({ name: 'pexpress', version, lockfileVersion: 3, packages: { '': { name: 'pexpress', version } } }, null, 2) + '\n',
  );
  await writeFile(join(dir, 'CHANGELOG.md'), changelog);
  await writeFile(
    join(dir, 'README.md'),
    '- uses: OWNER/pexpress@v0\n`uses: OWNER/pexpress@v0` follows the latest 0.x release; `@v0.1.0` pins one.\n',
  );
  await mkdir(join(dir, 'docs'));
  await writeFile(join(dir, 'docs', 'action.md'), '      - uses: OWNER/pexpress@v0\n');
  return dir;
}

const CHANGELOG = '# Changelog\n\n## Unreleased\n\n- The CLI is an npm package.\n- Proxies.\n\n## 0.1.0\n\n- First release.\n';

test('prepare bumps package.json, the lock and the CHANGELOG; notes and tags are what the release workflow publishes', async () => {
  const dir = await checkout('0.1.0', CHANGELOG);
  try {
    const r = await release(['prepare', '0.2.0', '--dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).version, '0.2.0');
    const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8'));
    assert.deepEqual([lock.version, lock.packages[''].version], ['0.2.0', '0.2.0']);
    const cl = await readFile(join(dir, 'CHANGELOG.md'), 'utf8');
    assert.match(cl, /^## Unreleased\n\n## 0\.2\.0 \(\d{4}-\d{2}-\d{2}\)\n\n- The CLI is an npm package\.\n- Proxies\.\n\n## 0\.1\.0\n/m);
    const notes = await release(['notes', '--dir', dir]);
    assert.equal(notes.stdout, '- The CLI is an npm package.\n- Proxies.\n');
    assert.equal((await release(['tags', '--dir', dir])).stdout, 'v0.2.0\nv0\n');
    assert.match(await readFile(join(dir, 'README.md'), 'utf8'), /pexpress@v0\n/, 'same major: docs unchanged');

    // A major release moves the docs' `uses:` lines to the new major tag.
    await writeFile(join(dir, 'CHANGELOG.md'), cl.replace('## Unreleased\n', '## Unreleased\n\n- Stable.\n'));
    assert.equal((await release(['prepare', '1.0.0', '--dir', dir])).code, 0);
    assert.equal(
      await readFile(join(dir, 'README.md'), 'utf8'),
      '- uses: OWNER/pexpress@v1\n`uses: OWNER/pexpress@v1` follows the latest 1.x release; `@v0.1.0` pins one.\n',
    );
    assert.equal(await readFile(join(dir, 'docs', 'action.md'), 'utf8'), '      - uses: OWNER/pexpress@v1\n');
    assert.equal((await release(['tags', '--dir', dir])).stdout, 'v1.0.0\nv1\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('bad input is one line and exit 2, and nothing is changed', async () => {
  const dir = await checkout('0.1.0', CHANGELOG);
  try {
    const cases: [string[], RegExp][] = [
      [['prepare', '0.1.0'], /0\.1\.0 is not newer than the current version 0\.1\.0 — pick a higher X\.Y\.Z/],
      [['prepare', 'v2'], /'v2' is not a release version — use X\.Y\.Z/],
      [['notes', '0.3.0'], /no entries under a "## 0\.3\.0" heading — run: node scripts\/release\.mjs prepare 0\.3\.0/],
    ];
    for (const [args, message] of cases) {
      const r = await release([...args, '--dir', dir]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    await writeFile(join(dir, 'CHANGELOG.md'), '# Changelog\n\n## Unreleased\n\n## 0.1.0\n\n- First release.\n');
    const empty = await release(['prepare', '0.2.0', '--dir', dir]);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /no "## Unreleased" section with entries — write what changed in 0\.2\.0 there first/);
    assert.equal(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).version, '0.1.0');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the docs' `uses:` lines name the moving major tag the current version's release makes", async () => {
  const version = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version as string;
  const major = (await release(['tags', version])).stdout.split('\n')[1];
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const uses = [...readme.matchAll(/OWNER\/pexpress@(\S+?)[`\s]/g)].map((m) => m[1]);
  assert.ok(uses.length >= 2);
  for (const ref of uses) assert.equal(ref, major);
});
