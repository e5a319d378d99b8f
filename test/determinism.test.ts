import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, cleanup, copyExample, ROOT, run, tempDir } from './helpers.ts';

/** Copies a tree creating files in reverse order, so directory listing order differs from the original. */
async function reverseCopy(src: string, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true });
  const entries = (await readdir(src, { withFileTypes: true })).reverse();
  for (const e of entries) {
    if (e.name === '.pexpress') continue;
    if (e.isDirectory()) await reverseCopy(join(src, e.name), join(dest, e.name));
    else await writeFile(join(dest, e.name), await readFile(join(src, e.name)), { mode: (await stat(join(src, e.name))).mode });
  }
}

async function touchAll(dir: string, when: Date): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await touchAll(p, when);
    await utimes(p, when, when);
  }
}

async function buildIn(project: string, env: Record<string, string>, umask: string): Promise<{ deps: string; source: string }> {
  // A cache of its own: the second build must not reuse the first one's compressed bytes or wheels.
  const cache = await tempDir('pexpress-det-cache-');
  // umask applies to the files pexpress writes; a shell sets it for the child.
  const r = await run(
    'sh',
    [
      '-c',
      `umask ${umask} && exec "$0" "$@"`,
      process.execPath,
      CLI,
      'build',
      '--project-dir',
      project,
      '--json',
      '--entry-point',
      'hello.app:main',
    ],
    {
      env: { PEXPRESS_CACHE_DIR: cache, ...env },
    },
  );
  await cleanup(cache);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  return { deps: j.deps.sha256, source: j.source.sha256 };
}

let a: string;
let b: string;
before(async () => {
  a = await copyExample('hello');
  b = join(await tempDir('pexpress-other-place-'), 'somewhere', 'else');
  await reverseCopy(join(ROOT, 'examples', 'hello'), b);
  await touchAll(a, new Date('2001-02-03T04:05:06Z'));
  await touchAll(b, new Date('2024-07-08T09:10:11Z'));
});
after(() => cleanup(a, b));

test('two builds in different places, times, umasks, orders, zones and locales give identical archives', async () => {
  const one = await buildIn(a, { TZ: 'UTC', LANG: 'C' }, '022');
  const two = await buildIn(b, { TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8', LC_ALL: 'tr_TR.UTF-8' }, '077');
  assert.deepEqual(two, one);
});
