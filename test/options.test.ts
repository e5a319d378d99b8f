import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readInputs, type InputName } from '../src/action/inputs.ts';
import { parseCommand } from '../src/cli/args.ts';
import { ENV_VARS, readEnv } from '../src/platform/env.ts';
import { BuildError, describeError, messageOf, optionRef, renderError, UsageError } from '../src/platform/errors.ts';
import { FsStore } from '../src/store/fs.ts';
import { actionName, cliName, OPTION_KEYS, OPTIONS, type OptionKey, type OptionSpec } from '../src/options/table.ts';
import { cleanup, pexpress, ROOT, run, tempDir, TEST_CACHE } from './helpers.ts';

/** dist/index.js as a push-event step with only these inputs (the rest at action.yml's defaults, set by the code). */
function runAction(workspace: string, inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(INPUT_|GITHUB_|ACTIONS_|RUNNER_|PEXPRESS_DEBUG)/.test(k)) clean[k] = v;
  for (const [k, v] of Object.entries(inputs)) clean[`INPUT_${k.toUpperCase()}`] = v;
  Object.assign(
    clean,
    { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_WORKSPACE: workspace, PEXPRESS_CACHE_DIR: TEST_CACHE },
    env,
  );
  return run(process.execPath, [join(ROOT, 'dist', 'index.js')], { cwd: workspace, env: clean, cleanEnv: true });
}

const errorAnnotations = (out: string) => out.split('\n').filter((l) => l.startsWith('::error'));

/** The same bad value through the CLI and through the Action: the same words after the option's name. */
function bothWays(key: OptionKey, value: string, ws: string): { cli: string | null; action: string | null } {
  const spec: OptionSpec = OPTIONS[key];
  let cli: string | null = null;
  let action: string | null = null;
  try {
    parseCommand(['build', '--project-dir', ws, `--${spec.cli!.flag}`, value], {});
  } catch (err) {
    assert.ok(err instanceof UsageError, String(err));
    const prefix = `--${spec.cli!.flag} `;
    assert.ok(err.message.startsWith(prefix), err.message);
    cli = err.message.slice(prefix.length);
  }
  try {
    readInputs((name: InputName) => (name === spec.action!.input ? value : ''), { GITHUB_WORKSPACE: ws });
  } catch (err) {
    assert.ok(err instanceof UsageError, String(err));
    const prefix = `input '${spec.action!.input}': `;
    assert.ok(err.message.startsWith(prefix), err.message);
    action = err.message.slice(prefix.length);
  }
  return { cli, action };
}

describe('one validator for the CLI and the Action', () => {
  let ws: string;
  before(async () => {
    ws = await tempDir('pexpress-options-');
    await mkdir(join(ws, 'app'));
  });
  after(() => cleanup(ws));

  // [option, value, accepted?] — the cases first: each used to differ between the two.
  const cases: Array<[OptionKey, string, boolean]> = [
    ['python', '3.15', false],
    ['python', '3.12', true],
    ['python', '3.11.4', false],
    ['manylinux', '2.28', true],
    ['manylinux', 'manylinux2014', true],
    ['manylinux', 'musllinux_1_2', false],
    ['extras', 'web cli', false],
    ['extras', 'web\ncli', false],
    ['extras', 'web, cli', true],
    ['entryPoint', 'app.main:run', true],
    ['entryPoint', 'app:main:x', false],
    ['platform', 'linux_aarch64', true],
    ['platform', 'win_amd64', false],
    ['resolver', 'poetry', false],
    ['requirements', '../other.txt', false],
    ['s3Region', 'EU West', false],
    ['s3Endpoint', 'localhost:9000', false],
    ['s3Endpoint', 'http://127.0.0.1:9000', true],
    ['store', 'ftp://x', false],
    ['store', 's3://bucket/prefix', true],
    ['epoch', 'a\nb', false],
  ];
  for (const [key, value, ok] of cases) {
    test(`${key}=${JSON.stringify(value)}: ${ok ? 'accepted' : 'rejected with the same words'} by both`, () => {
      const { cli, action } = bothWays(key, value, ws);
      if (ok) assert.deepEqual({ cli, action }, { cli: null, action: null });
      else {
        assert.ok(cli && action, `cli: ${cli}, action: ${action}`);
        assert.equal(cli, action);
        assert.ok(!cli.includes('\n'));
      }
    });
  }

  test('every option both front ends take is validated by the table, so the cases above cover each kind', () => {
    const both = OPTION_KEYS.filter((k) => (OPTIONS[k] as OptionSpec).cli && (OPTIONS[k] as OptionSpec).action);
    for (const k of both) assert.ok((OPTIONS[k] as OptionSpec).action!.input.length > 0, k);
    assert.ok(both.length >= 14, both.join(', '));
  });

  test('the typed values agree: extras a set, manylinux as given, entry point kept', () => {
    const cli = parseCommand(['build', '--extras', 'web, cli,web', '--manylinux', '2.28', '--entry-point', 'a.b:c'], {});
    assert.equal(cli.name, 'build');
    const i = readInputs(
      (name: InputName) => ({ extras: 'web, cli,web', manylinux: '2.28', 'entry-point': 'a.b:c' })[name as string] ?? '',
      { GITHUB_WORKSPACE: ws },
    );
    if (cli.name !== 'build') return;
    assert.deepEqual(cli.options.extras, ['cli', 'web']);
    assert.deepEqual(i.extras, ['cli', 'web']);
    assert.equal(cli.options.manylinux, i.manylinux);
    assert.equal(cli.options.entryPoint, i.entryPoint);
  });

  test("the CLI's environment fallback is validated too, and the error names the variable", () => {
    assert.throws(
      () => parseCommand(['build'], { PEXPRESS_RESOLVER: 'conda' }),
      (e: UsageError) => e instanceof UsageError && /^environment variable PEXPRESS_RESOLVER="conda" /.test(e.message),
    );
    const c = parseCommand(['build'], { PEXPRESS_RESOLVER: 'pip', PEXPRESS_STORE: 's3://b-1/p' });
    assert.ok(c.name === 'build' && c.options.resolver === 'pip' && c.options.storeUrl === 's3://b-1/p');
    const flag = parseCommand(['build', '--resolver', 'uv'], { PEXPRESS_RESOLVER: 'pip' });
    assert.ok(flag.name === 'build' && flag.options.resolver === 'uv', 'the flag wins');
  });
});

describe('errors name options the way the user gave them', () => {
  test('a core error: --store on the CLI, input store in the Action', async () => {
    const dir = await tempDir('pexpress-store-');
    try {
      await writeFile(join(dir, 'a-file'), 'not a directory');
      const err = await new FsStore(join(dir, 'a-file', 'store')).check().then(
        () => assert.fail('no error'),
        (e: unknown) => e,
      );
      assert.equal(describeError(err, cliName).hint, 'set --store to a writable directory or an s3:// URL');
      assert.equal(describeError(err, actionName).hint, "set input 'store' to a writable directory or an s3:// URL");
      const line = renderError(describeError(err, actionName));
      assert.match(line, /^cannot use store .*a-file\/store \(ENOTDIR\) — set input 'store' to/);
      assert.ok(!line.includes('--'), 'no CLI flag inside the Action');
    } finally {
      await cleanup(dir);
    }
  });

  test('in the Action (dist/index.js): the step fails with one annotation naming the input, never a CLI flag', async () => {
    const ws = await tempDir('pexpress-action-');
    try {
      await writeFile(join(ws, 'a-file'), 'not a directory');
      await writeFile(join(ws, 'requirements.txt'), '');
      const store = await runAction(ws, { store: `file://${ws}/a-file/store` });
      assert.equal(store.code, 1, store.stdout + store.stderr);
      const errors = errorAnnotations(store.stdout);
      assert.equal(errors.length, 1, store.stdout);
      assert.match(errors[0], /cannot use store .*a-file\/store \(ENOTDIR\) — set input 'store' to a writable directory/);
      assert.ok(!errors[0].includes('--'), errors[0]);

      const python = await runAction(ws, { 'python-version': '3.15' });
      assert.equal(python.code, 1);
      assert.deepEqual(errorAnnotations(python.stdout), [
        "::error::input 'python-version': '3.15' is not a supported target — use X.Y, 3.9 or later up to 3.14 (e.g. 3.12)",
      ]);

      const debug = await runAction(ws, {}, { PEXPRESS_DEBUG: 'yes' });
      assert.equal(debug.code, 1);
      assert.match(errorAnnotations(debug.stdout).join('\n'), /^::error::environment variable PEXPRESS_DEBUG="yes" is not a boolean/);
    } finally {
      await cleanup(ws);
    }
  });

  test('every option reference in src/ names an option of the table', async () => {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync('git', ['grep', '-h', '-o', "optionRef('[A-Za-z0-9]*')", '--', 'src'], { encoding: 'utf8' });
    const keys = [...out.matchAll(/optionRef\('([A-Za-z0-9]+)'\)/g)].map((m) => m[1]);
    assert.ok(keys.length >= 5, out);
    for (const k of keys) assert.ok(k in OPTIONS, `optionRef('${k}') is not in src/options/table.ts`);
  });

  test('hints: explicit, from the house style " — ", none; untyped errors are exit 1 with a generic hint', () => {
    assert.deepEqual(describeError(new UsageError('bad', { hint: `set ${optionRef('python')} to 3.12` })), {
      message: 'bad',
      hint: 'set --python to 3.12',
      exitCode: 2,
    });
    assert.deepEqual(describeError(new BuildError('failed — try again')), { message: 'failed', hint: 'try again', exitCode: 1 });
    assert.deepEqual(describeError(new UsageError('a — b; c — d', { hint: '' })), { message: 'a — b; c — d', hint: null, exitCode: 2 });
    assert.equal(new BuildError('one argument').hint, undefined, 'the one-argument form still works');
    const plain = describeError(new TypeError('x is undefined'));
    assert.equal(plain.exitCode, 1);
    assert.match(plain.hint!, /PEXPRESS_DEBUG=1/);
    const nospace = describeError(Object.assign(new Error('write failed'), { code: 'ENOSPC' }));
    assert.match(nospace.hint!, /disk space/);
    assert.equal(messageOf(new UsageError('bad', { hint: 'fix it' })), 'bad — fix it');
  });
});

describe('environment variables', () => {
  test('booleans are 0/1/true/false, anything else is an error naming the variable', () => {
    for (const [v, want] of [
      ['1', true],
      ['true', true],
      ['0', false],
      ['false', false],
      ['', false],
    ] as const)
      assert.equal(readEnv('PEXPRESS_DEBUG', { PEXPRESS_DEBUG: v }), want, v);
    assert.equal(readEnv('PEXPRESS_DEBUG', {}), false);
    for (const v of ['yes', 'on', '2'])
      assert.throws(
        () => readEnv('PEXPRESS_DEBUG', { PEXPRESS_DEBUG: v }),
        (e: UsageError) =>
          e instanceof UsageError &&
          e.message === `environment variable PEXPRESS_DEBUG="${v}" is not a boolean` &&
          /1, 0, true or false/.test(e.hint!),
      );
  });

  test('integers: whole numbers at or above their minimum, else an error; unset is the default', () => {
    assert.equal(readEnv('PEXPRESS_S3_MAX_ATTEMPTS', {}), 8);
    assert.equal(readEnv('PEXPRESS_S3_MAX_ATTEMPTS', { PEXPRESS_S3_MAX_ATTEMPTS: '3' }), 3);
    assert.equal(readEnv('PEXPRESS_S3_PART_SIZE', {}), Number(ENV_VARS.PEXPRESS_S3_PART_SIZE.default));
    assert.throws(
      () => readEnv('PEXPRESS_S3_MAX_ATTEMPTS', { PEXPRESS_S3_MAX_ATTEMPTS: 'many' }),
      /PEXPRESS_S3_MAX_ATTEMPTS="many" is not a whole number/,
    );
    assert.throws(() => readEnv('PEXPRESS_S3_MAX_ATTEMPTS', { PEXPRESS_S3_MAX_ATTEMPTS: '0' }), /below the minimum 1/);
    assert.throws(
      () => readEnv('PEXPRESS_S3_PART_SIZE', { PEXPRESS_S3_PART_SIZE: '1024' }),
      /PEXPRESS_S3_PART_SIZE="1024" is below the minimum 5242880/,
    );
    assert.throws(() => readEnv('PEXPRESS_S3_ENDPOINT', { PEXPRESS_S3_ENDPOINT: 'localhost:9000' }), /PEXPRESS_S3_ENDPOINT/);
  });

  test('the CLI stops on a malformed variable with exit 2 and one line naming it', async () => {
    const r = await pexpress(['--version'], { env: { PEXPRESS_DEBUG: 'yes' } });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(
      r.stderr,
      'pexpress: environment variable PEXPRESS_DEBUG="yes" is not a boolean — unset it or set it to 1, 0, true or false\n',
    );
    assert.equal(r.stdout, '');
  });
});

describe('--json on failure', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir('pexpress-json-');
  });
  after(() => cleanup(dir));

  test('bad usage: exit 2, one JSON object on stdout with message, hint and exit code, the line on stderr', async () => {
    const r = await pexpress(['fingerprint', '--json', '--project-dir', dir, '--python', '2.7']);
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      error: { message: "--python '2.7' is not a supported target", hint: 'use X.Y, 3.9 or later up to 3.14 (e.g. 3.12)', exitCode: 2 },
    });
    assert.equal(r.stderr, "pexpress: --python '2.7' is not a supported target — use X.Y, 3.9 or later up to 3.14 (e.g. 3.12)\n");
  });

  test('a failure while working: exit 1, the same shape', async () => {
    const store = join(dir, 'store');
    // A whole sha256 the store does not hold: the lookup failed (a prefix matching nothing is exit 2).
    const r = await pexpress(['lookup', 'abcd'.repeat(16), '--store', store, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { error: { message: string; hint: string | null; exitCode: number } };
    assert.deepEqual(Object.keys(out), ['error']);
    assert.match(out.error.message, /no archive (abcd)+ in /);
    assert.equal(out.error.exitCode, 1);
    assert.ok('hint' in out.error);
  });

  test('without --json, stdout stays empty on failure', async () => {
    const r = await pexpress(['lookup', 'abcd'.repeat(16), '--store', join(dir, 'store')]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
  });
});
