import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { cleanup, ROOT, run, tempDir } from './helpers.ts';

// The test suite's own promises: what cannot run is reported as skipped, never as passed.

const summary = (tap: string, name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1]);

test('a suite built with skippable() reports each of its tests as skipped, and starts nothing', async () => {
  const dir = await tempDir('pexpress-harness-');
  try {
    const file = join(dir, 'suite.test.ts');
    await writeFile(
      file,
      `import { before, describe } from 'node:test';
import { skippable } from ${JSON.stringify(pathToFileURL(join(ROOT, 'test', 'helpers.ts')).href)};
describe('a server that is not installed', () => {
  const skip = 'the server is not installed';
  const test = skippable(skip);
  before(() => { if (skip) return; throw new Error('started'); });
  test('one', () => { throw new Error('ran'); });
  test('two', () => { throw new Error('ran'); });
});
describe('a server that is', () => {
  const test = skippable(false);
  test('three', () => {});
});
`,
    );
    // Without NODE_TEST_CONTEXT, which would make the child report to this runner instead of stdout.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));
    const r = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], { cwd: ROOT, env, cleanEnv: true });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(summary(r.stdout, 'skipped'), 2, r.stdout);
    assert.equal(summary(r.stdout, 'pass'), 1, r.stdout);
    assert.match(r.stdout, /ok \d+ - one # SKIP the server is not installed/);
  } finally {
    await cleanup(dir);
  }
});

test('no test file skips a whole describe(): node:test would count its tests nowhere', async () => {
  const dir = join(ROOT, 'test');
  const offenders: string[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.test.ts'))) {
    const text = await readFile(join(dir, name), 'utf8');
    if (/\bdescribe\(\s*(?:'[^']*'|`[^`]*`|"[^"]*")\s*,\s*\{[^}]*\bskip\b/.test(text)) offenders.push(name);
  }
  assert.deepEqual(offenders, [], 'use skippable() from test/helpers.ts');
});
