import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { appendFile, cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { annotations, BUNDLE, HEAD_SHA, REPO, runAction, TOKEN, type ActionRun } from './action-helpers.ts';
import { startGitHubServer, type GitHubServer } from './github-server.ts';
import { cleanup, copyExample, pexpress, tempDir } from './helpers.ts';
import { startMoto } from './s3/moto.ts';

describe('the Action end to end (dist/index.js, loopback GitHub, local store)', { timeout: 240_000 }, () => {
  let ws: string;
  let app: string;
  let gh: GitHubServer;
  const PR = 7;
  const MARKER = '<!-- pexpress:app -->';
  const samples = process.env.PEXPRESS_ACTION_SAMPLES;
  const ours = () => gh.commentsOf(PR).filter((c) => c.body.startsWith('<!-- pexpress:'));
  let firstRun: ActionRun;

  before(async () => {
    assert.ok(existsSync(BUNDLE), 'dist/index.js exists (npm run build)');
    ws = await tempDir('pexpress-ws-');
    app = await copyExample('hello', join(ws, 'app'));
    gh = await startGitHubServer({ repository: REPO, token: TOKEN });
    // Reviewers talked first: our comment lands on the third page of 100.
    gh.seed(PR, 250);
  });
  after(async () => {
    await gh.close();
    await cleanup(ws);
  });

  test('first run: full, outputs set, one comment created saying full and why, summary written', async () => {
    const r = (firstRun = await runAction({ workspace: ws, gh, inputs: { 'project-dir': 'app', 'entry-point': 'hello.app:main' } }));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(annotations(r.stdout, 'error'), []);
    assert.equal(r.outputs['build-type'], 'full');
    assert.match(r.outputs.reason, /no deps\.pex stored/);
    assert.match(r.outputs.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(r.outputs['deps-key'], `sha256/${r.outputs['deps-sha256']}.pex`);
    assert.equal(r.outputs['source-key'], `sha256/${r.outputs['source-sha256']}.pex`);
    assert.equal(r.outputs['manifest-key'], `manifests/${r.outputs['source-sha256']}.json`);
    assert.equal(r.outputs['store-url'], `file://${app}/.pexpress/store`);
    assert.ok(existsSync(r.outputs['deps-path']) && existsSync(r.outputs['source-path']));
    assert.ok(existsSync(join(app, '.pexpress', 'store', r.outputs['deps-key'])));
    // phases are groups
    for (const g of ['fingerprint', 'decide', 'resolve', 'pack deps', 'pack source', 'publish'])
      assert.ok(r.stdout.includes(`::group::${g}\n`), `group ${g}`);
    assert.equal(ours().length, 1);
    const c = ours()[0];
    assert.ok(c.body.startsWith(MARKER + '\n'));
    assert.match(c.body, /🔨 \*\*full build\*\*/);
    assert.ok(c.body.includes(`**Full:** deps.pex was rebuilt — no deps.pex stored`));
    assert.ok(c.body.includes(`pexpress lookup ${r.outputs['deps-sha256']} --store file://${app}/.pexpress/store`));
    assert.ok(c.body.includes(`[\`a1b2c3d\`](https://github.com/${REPO}/commit/${HEAD_SHA})`));
    assert.equal(gh.calls.filter((x) => x.method === 'POST' && x.path !== '/graphql').length, 1);
    assert.match(r.summary, /### pexpress · `app` · 🔨 \*\*full build\*\*/);
    assert.ok(!r.summary.includes(MARKER));
    // The token appears only in the ::add-mask:: command that tells the runner to hide it.
    assert.deepEqual(
      r.stdout.split('\n').filter((l) => l.includes(TOKEN)),
      [`::add-mask::${TOKEN}`],
    );
    assert.ok(!c.body.includes(TOKEN) && !r.summary.includes(TOKEN));
    if (samples) await writeFile(join(samples, 'full.md'), c.body);
  });

  test('after a source edit: fast, the same comment edited in place across three pages, no second comment', async (t) => {
    await appendFile(join(app, 'src', 'hello', 'app.py'), '\n# a one-line change\n');
    const before = gh.calls.length;
    const r = await runAction({ workspace: ws, gh, inputs: { 'project-dir': 'app', 'entry-point': 'hello.app:main' } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['build-type'], 'fast');
    assert.match(r.outputs.reason, new RegExp(`reusing deps\\.pex ${firstRun.outputs['deps-sha256'].slice(0, 12)}`));
    assert.equal(r.outputs['deps-sha256'], firstRun.outputs['deps-sha256']);
    assert.equal(r.outputs['deps-path'], '');
    assert.notEqual(r.outputs['source-sha256'], firstRun.outputs['source-sha256']);
    assert.equal(ours().length, 1);
    assert.equal(gh.commentsOf(PR).length, 251);
    assert.match(ours()[0].body, /⚡ \*\*fast build\*\*/);
    assert.match(ours()[0].body, /\| `deps\.pex` \|.*♻️ reused \|/);
    const calls = gh.calls.slice(before).filter((c) => c.path !== '/graphql');
    assert.deepEqual(
      calls.map((c) => `${c.method} ${c.query.page ?? ''}`),
      ['GET ', 'GET 2', 'GET 3', 'PATCH '],
    );
    assert.match(r.summary, /⚡ \*\*fast build\*\*/);
    t.diagnostic(
      `fast build through the Action: ${r.ms} ms wall (node start to exit), core build ${/Built in \*\*([^*]+)\*\*/.exec(r.summary)?.[1]}`,
    );
    if (samples) {
      await writeFile(join(samples, 'fast.md'), ours()[0].body);
      await writeFile(join(samples, 'timing.txt'), `${r.ms}\n`);
    }
  });

  test('after a requirements edit: full again, naming the changed requirement', async () => {
    const req = join(app, 'requirements.txt');
    await writeFile(req, (await readFile(req, 'utf8')).replace('markupsafe==3.0.2', 'markupsafe==3.0.1'));
    const r = await runAction({ workspace: ws, gh, inputs: { 'project-dir': 'app', 'entry-point': 'hello.app:main' } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['build-type'], 'full');
    assert.match(r.outputs.reason, /requirements\.txt: .*markupsafe 3\.0\.2 → 3\.0\.1/);
    assert.equal(ours().length, 1);
    assert.match(ours()[0].body, /🔨 \*\*full build\*\*/);
    assert.match(ours()[0].body, /markupsafe 3\.0\.2 → 3\.0\.1/);
    if (samples) await writeFile(join(samples, 'full-changed.md'), ours()[0].body);
  });

  test('a failing run: the step fails with the reason, the comment says it failed', async () => {
    const req = join(app, 'requirements.txt');
    const good = await readFile(req, 'utf8');
    await writeFile(req, good + 'requests ==\n');
    try {
      const r = await runAction({ workspace: ws, gh, inputs: { 'project-dir': 'app', 'entry-point': 'hello.app:main' } });
      assert.equal(r.code, 1, r.stdout);
      const errors = annotations(r.stdout, 'error');
      assert.equal(errors.length, 1, r.stdout);
      assert.match(errors[0], /requirements\.txt/);
      assert.deepEqual(r.outputs, {});
      assert.equal(ours().length, 1);
      assert.match(ours()[0].body, /❌ \*\*build failed\*\*/);
      assert.match(ours()[0].body, /\*\*Why:\*\* .*requirements\.txt/);
      assert.match(r.summary, /build failed/);
      if (samples) await writeFile(join(samples, 'failed.md'), ours()[0].body);
    } finally {
      await writeFile(req, good);
    }
  });

  test('a 403 from the comment endpoints: a warning, a green step, the summary written', async () => {
    gh.mode = 'forbidden';
    try {
      const r = await runAction({ workspace: ws, gh, inputs: { 'project-dir': 'app', 'entry-point': 'hello.app:main' } });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(annotations(r.stdout, 'error'), []);
      const warnings = annotations(r.stdout, 'warning');
      assert.equal(warnings.length, 1, r.stdout);
      assert.match(warnings[0], /cannot comment on PR #7 \(GET .*: 403 Resource not accessible by integration\): the token is read-only/);
      assert.equal(r.outputs['build-type'], 'fast');
      assert.match(r.summary, /⚡ \*\*fast build\*\*/);
    } finally {
      gh.mode = 'ok';
    }
  });

  test('a push build: no comment calls, the summary written', async () => {
    const before = gh.calls.length;
    const r = await runAction({ workspace: ws, gh, pr: null, inputs: { 'project-dir': 'app' } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(gh.calls.length, before);
    assert.match(r.summary, /\*\*fast build\*\*/);
  });

  test('promote-to: a push to the default branch promotes the build; a PR build does not', async () => {
    let r = await runAction({ workspace: ws, gh, inputs: { 'project-dir': 'app', 'promote-to': 'production' } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['promoted-to'], '');
    assert.match(r.stdout, /promote-to production: not promoted \(only pushes to main are/);
    r = await runAction({ workspace: ws, gh, pr: null, inputs: { 'project-dir': 'app', 'promote-to': 'production' } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['promoted-to'], 'production');
    const store = ['--store', join(app, '.pexpress', 'store')];
    const log = await pexpress(['log', '--limit', '1', '--json', ...store]);
    const fetched = await pexpress(['fetch', '--env', 'production', '-o', join(ws, 'prod.pex'), '--json', ...store]);
    assert.equal(fetched.code, 0, fetched.stderr);
    assert.equal(JSON.parse(fetched.stdout).sha256, r.outputs['source-sha256']);
    assert.equal(JSON.parse(log.stdout).builds[0].source.sha256, r.outputs['source-sha256']);
    r = await runAction({ workspace: ws, gh, pr: null, inputs: { 'project-dir': 'app', 'promote-to': 'prod/../x' } });
    assert.equal(r.code, 1);
    assert.match(annotations(r.stdout, 'error').join('\n'), /input 'promote-to': 'prod\/\.\.\/x' is not an environment name/);
  });

  test('a requirements input naming a missing file fails the step with one error naming it', async () => {
    const r = await runAction({ workspace: ws, gh, pr: null, inputs: { 'project-dir': 'app', requirements: 'requirement.txt' } });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const errors = annotations(r.stdout, 'error');
    assert.equal(errors.length, 1, r.stdout);
    assert.match(errors[0], /requirements file requirement\.txt does not exist in .* — fix its name/);
  });

  test('two project dirs in one PR keep separate comments (code defaults only, a shared store)', async () => {
    const mono = await tempDir('pexpress-mono-');
    try {
      await cp(app, join(mono, 'services', 'a'), { recursive: true, filter: (s) => !s.includes('.pexpress') });
      await cp(app, join(mono, 'services', 'b'), { recursive: true, filter: (s) => !s.includes('.pexpress') });
      const store = `file://${app}/.pexpress/store`;
      const step = (dir: string) =>
        runAction({ workspace: mono, gh, pr: 8, bare: true, inputs: { 'project-dir': dir, store, 'github-token': TOKEN } });
      for (const dir of ['services/a', 'services/b', 'services/a']) {
        const r = await step(dir);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.equal(r.outputs['build-type'], 'fast', 'same dependencies as app: its deps.pex is reused from the shared store');
      }
      const comments = gh.commentsOf(8);
      assert.deepEqual(
        comments.map((c) => c.body.split('\n')[0]),
        ['<!-- pexpress:services/a -->', '<!-- pexpress:services/b -->'],
      );
      assert.match(comments[0].body, /### pexpress · `services\/a` · ⚡ \*\*fast build\*\*/);
    } finally {
      await cleanup(mono);
    }
  });

  test('each invalid input fails the step with one annotation naming it, before any build or API call', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['project-dir', 'missing', /input 'project-dir': 'missing' does not exist/],
      ['python-version', '3', /input 'python-version': '3' is not a supported target/],
      ['platform', 'macos', /input 'platform': 'macos' is not supported — use linux_x86_64 or linux_aarch64/],
      ['resolver', 'conda', /input 'resolver': 'conda' is not a resolver — use auto, uv, pip/],
      ['force-full-build', 'maybe', /input 'force-full-build': 'maybe' is not a boolean — use true or false/],
      ['comment-on-pr', 'nope', /input 'comment-on-pr': 'nope' is not a choice/],
      ['entry-point', 'a b', /input 'entry-point': 'a b' is not MODULE or MODULE:FUNCTION/],
      ['s3-bucket', 'Bad_Bucket', /input 's3-bucket': 'Bad_Bucket' is not a valid bucket name/],
      ['s3-endpoint', 'not a url', /input 's3-endpoint': 'not a url' is not an endpoint URL/],
      ['s3-region', 'Mars!', /input 's3-region': 'Mars!' is not a region name/],
      ['manylinux', 'manylinux_x', /input 'manylinux': 'manylinux_x' is not a manylinux tag/],
      ['store', 'gs://b', /input 'store': 'gs:\/\/b' is not a store URL/],
    ];
    const before = gh.calls.length;
    const results = await Promise.all(
      cases.map(([name, value]) => runAction({ workspace: ws, gh, inputs: { 'project-dir': 'app', [name]: value } })),
    );
    cases.forEach(([name, , expected], i) => {
      const r = results[i];
      assert.equal(r.code, 1, `${name}: ${r.stdout}`);
      const errors = annotations(r.stdout, 'error');
      assert.equal(errors.length, 1, `${name}: ${r.stdout}`);
      assert.match(errors[0], expected);
      assert.ok(!r.stdout.includes('::group::'), `${name}: no build started`);
      assert.deepEqual(r.outputs, {});
    });
    assert.equal(gh.calls.length, before);
  });
});

// ---------------------------------------------------------------------------------------------
// S3 through the Action

describe('the Action against S3 (moto)', { timeout: 120_000 }, () => {
  test('s3-bucket + s3-endpoint: keys under the prefix, fast on the second run', async () => {
    const server = await startMoto();
    const gh = await startGitHubServer({ repository: REPO, token: TOKEN });
    const ws = await tempDir('pexpress-s3-ws-');
    try {
      await copyExample('hello', join(ws, 'app'));
      await server.createBucket('pexpress-action');
      const inputs = {
        'project-dir': 'app',
        's3-bucket': 'pexpress-action',
        's3-prefix': 'ci/hello',
        's3-endpoint': server.endpoint,
        's3-region': 'us-east-1',
      };
      const first = await runAction({ workspace: ws, gh, inputs, env: server.env });
      assert.equal(first.code, 0, first.stdout + first.stderr);
      assert.equal(first.outputs['build-type'], 'full');
      assert.equal(first.outputs['deps-key'], `ci/hello/sha256/${first.outputs['deps-sha256']}.pex`);
      assert.equal(first.outputs['store-url'], 's3://pexpress-action/ci/hello');
      await appendFile(join(ws, 'app', 'src', 'hello', 'app.py'), '\n# edit\n');
      const second = await runAction({ workspace: ws, gh, inputs, env: server.env });
      assert.equal(second.code, 0, second.stdout + second.stderr);
      assert.equal(second.outputs['build-type'], 'fast');
      const c = gh.commentsOf(7);
      assert.equal(c.length, 1);
      assert.match(c[0].body, /\| S3 key \|/);
      assert.ok(c[0].body.includes(`pexpress lookup ${second.outputs['source-sha256']} --store s3://pexpress-action/ci/hello`));
    } finally {
      await gh.close();
      await server.stop();
      await cleanup(ws);
    }
  });
});
