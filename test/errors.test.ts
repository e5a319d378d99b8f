import assert from 'node:assert/strict';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cleanup, listFiles, pexpress, tempDir } from './helpers.ts';

/** Bad input: exit 2, exactly one line on stderr saying what is wrong and what to do, nothing stored. */
async function expectUsageError(args: string[], pattern: RegExp, store?: string): Promise<void> {
  const r = await pexpress(args);
  assert.equal(r.code, 2, `exit code for ${args.join(' ')}: ${r.stderr}`);
  // Progress lines of phases that succeeded may precede it; the error itself is one line, the last.
  const lines = r.stderr.trim().split('\n');
  const errors = lines.filter((l) => l.startsWith('pexpress: '));
  assert.equal(errors.length, 1, r.stderr);
  assert.equal(lines.at(-1), errors[0]);
  assert.match(errors[0], pattern);
  assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
  assert.equal(r.stdout, '');
  if (store) assert.deepEqual(await listFiles(store), []);
}

describe('bad input', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir();
    await mkdir(join(dir, 'proj', 'app'), { recursive: true });
    await writeFile(join(dir, 'proj', 'app', '__init__.py'), '');
  });
  after(() => cleanup(dir));

  const project = () => join(dir, 'proj');
  const store = () => join(dir, 'store');

  test('an unknown flag', () => expectUsageError(['build', '--frobnicate'], /unknown option '--frobnicate'.*--help/));
  test('an unknown command', () => expectUsageError(['bild'], /unknown command 'bild'/));
  test('a missing project dir', () =>
    expectUsageError(['build', '--project-dir', join(dir, 'nope')], /project directory .*nope does not exist/));
  test('a bad entry point', () => expectUsageError(['build', '--project-dir', project(), '--entry-point', 'a b'], /--entry-point/));
  test('an unknown python version', () => expectUsageError(['fingerprint', '--project-dir', project(), '--python', '2.7'], /python/i));
  test('an unknown platform', () =>
    expectUsageError(['fingerprint', '--project-dir', project(), '--platform', 'windows_arm'], /platform/i));

  test('a malformed requirement line', async () => {
    await writeFile(join(project(), 'requirements.txt'), 'six==1.17.0\nrequests===\n');
    await expectUsageError(['build', '--project-dir', project(), '--store', store()], /requirements\.txt:2: .*requests===/, store());
  });

  test('an include cycle', async () => {
    await writeFile(join(project(), 'requirements.txt'), '-r more.txt\n');
    await writeFile(join(project(), 'more.txt'), '-r requirements.txt\nsix\n');
    await expectUsageError(['build', '--project-dir', project(), '--store', store()], /cycle|requirements\.txt → more\.txt/, store());
  });

  test('a missing include', async () => {
    await writeFile(join(project(), 'requirements.txt'), '-r nowhere.txt\n');
    await expectUsageError(['build', '--project-dir', project(), '--store', store()], /nowhere\.txt/, store());
  });

  test('an unusable store path', async () => {
    await writeFile(join(project(), 'requirements.txt'), 'six==1.17.0\n');
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a directory');
    await expectUsageError(['build', '--project-dir', project(), '--store', join(file, 'store')], /cannot use store .*a-file\/store/);
    if (process.getuid?.() !== 0) {
      const ro = join(dir, 'readonly');
      await mkdir(ro);
      await chmod(ro, 0o500);
      await expectUsageError(['build', '--project-dir', project(), '--store', ro], /cannot use store/);
    }
  });

  test('a symlink that escapes the project', async () => {
    const { symlink } = await import('node:fs/promises');
    await writeFile(join(project(), 'requirements.txt'), '');
    await symlink('/etc/hostname', join(project(), 'app', 'leak.txt'));
    await expectUsageError(
      ['build', '--project-dir', project(), '--store', store()],
      /leak\.txt is a symlink .*outside the project/,
      store(),
    );
  });

  test('lookup of something that is not a sha256', () => expectUsageError(['lookup', 'xyz!', '--store', store()], /not a sha256/));
  test('fetch without -o', () => expectUsageError(['fetch', 'abcd', '--store', store()], /-o FILE/));
});
