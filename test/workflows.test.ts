import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, run, tempDir } from './helpers.ts';

const ACTIONLINT = join(ROOT, '.venv', 'bin', 'actionlint');

test("the docs' workflow snippets are extracted as complete workflows pointing at this action", async () => {
  const out = await tempDir('pexpress-snippets-');
  try {
    const r = await run(process.execPath, ['scripts/workflow-snippets.mjs', out], { cwd: ROOT });
    assert.equal(r.code, 0, r.stderr);
    const files = await readdir(out);
    assert.ok(files.length >= 2, files.join(', '));
    for (const f of files) {
      const text = await readFile(join(out, f), 'utf8');
      assert.match(text, /^jobs:/m, f);
      assert.doesNotMatch(text, /OWNER\/pexpress@/, `${f}: the docs' uses: line is checked against action.yml`);
    }
    assert.ok(files.some((f) => f.startsWith('README.md-L')));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test(
  'actionlint passes the workflows and snippets, and fails an input action.yml does not have',
  { skip: !existsSync(ACTIONLINT) && 'actionlint is not built (no Go)' },
  async () => {
    const ok = await run('bash', ['scripts/actionlint.sh'], { cwd: ROOT });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /actionlint: \d+ workflows and \d+ doc snippets are clean/);
    const dir = join(ROOT, '.venv', `actionlint-test-${process.pid}`);
    await mkdir(dir, { recursive: true });
    try {
      const bad = join(dir, 'bad.yml');
      await writeFile(
        bad,
        'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./\n        with:\n          project-directory: .\n',
      );
      const r = await run(ACTIONLINT, ['-no-color', bad], { cwd: ROOT });
      assert.equal(r.code, 1);
      assert.match(r.stdout, /input "project-directory" is not defined in action "pexpress"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
