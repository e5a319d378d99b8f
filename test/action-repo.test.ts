import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, readdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { failureLocation, historyOf } from '../src/action/context.ts';
import { diffDeps, type DepsIndexEntry } from '../src/build/decide.ts';
import type { BuildResult } from '../src/build/build.ts';
import { renderComment } from '../src/action/report.ts';
import { refKey } from '../src/store/store.ts';
import { hostPythonVersion } from '../src/platform/tools.ts';
import { annotations, BUNDLE, REPO, runAction, TOKEN, type ActionRun, type StepOptions } from './action-runner.ts';
import { startGitHubServer, type GitHubServer } from './github-server.ts';
import { cleanup, copyExample, ROOT, run, TEST_CACHE, tempDir } from './helpers.ts';
import { startMoto, type S3Server } from './s3/moto.ts';

/**
 * Issue 14: the Action on a fresh runner and in a real repository, end to end through
 * dist/index.js, the loopback GitHub API and real stores (moto S3 on loopback, a local store).
 */

const MERGE = '5e9d0c3b7a1f';
const ok = (r: ActionRun) => assert.equal(r.code, 0, r.stdout + r.stderr);
/** PATH without the test tools' venv: no uv for the Action to find. */
const PATH_WITHOUT_UV = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((d) => !d.includes('.venv'))
  .join(delimiter);
const samples = process.env.PEXPRESS_ACTION_SAMPLES;

async function listKeys(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(join(d, e.name), `${rel}${e.name}/`);
      else out.push(rel + e.name);
    }
  };
  await walk(dir, '');
  return out.sort();
}

async function setRequirements(project: string, text: string): Promise<void> {
  await writeFile(join(project, 'requirements.txt'), text);
}

const HELLO_REQS = 'requests==2.32.3\nmarkupsafe==3.0.2\n';

// ---------------------------------------------------------------------------------------------
// the pieces, in-process

describe('records, identity and failure locations (in-process)', () => {
  test('ref records are keyed by repository, project and target; the branch comes last', () => {
    const scope = { repository: 'acme/shop', project: 'services/api', python: '3.11', platform: 'linux_x86_64' };
    assert.equal(refKey('feature/x', scope), 'refs/acme/shop/services%2Fapi/3.11-linux_x86_64/feature/x.json');
    assert.equal(refKey('main', { ...scope, project: '.' }), 'refs/acme/shop/%2E/3.11-linux_x86_64/main.json');
    assert.equal(refKey('main', { ...scope, repository: null }), 'refs/_local/services%2Fapi/3.11-linux_x86_64/main.json');
    assert.equal(refKey('main', { ...scope, repository: '../..' }), 'refs/_local/services%2Fapi/3.11-linux_x86_64/main.json');
    assert.notEqual(refKey('main', scope), refKey('main', { ...scope, platform: 'linux_aarch64' }));
    assert.notEqual(refKey('main', scope), refKey('main', { ...scope, repository: 'forker/shop' }));
  });

  test("a fork's PR writes under the fork's name and reads the base repository's base and default branches", () => {
    const gh = {
      eventName: 'pull_request',
      prNumber: 3,
      headSha: null,
      repository: REPO,
      headRepository: 'forker/shop',
      baseRef: 'release',
      defaultBranch: 'trunk',
      sha: null,
      ref: 'main',
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      runUrl: undefined,
    };
    assert.deepEqual(historyOf(gh, { projectDirLabel: 'app' }), {
      repository: 'forker/shop',
      project: 'app',
      fallbacks: [
        { ref: 'release', repository: REPO },
        { ref: 'trunk', repository: REPO },
      ],
    });
  });

  test('deps diff: added, removed and changed packages with sizes; unchanged ones left out', () => {
    const entry = (packages: Array<[string, string, number]>): DepsIndexEntry => ({
      schema: 1,
      fingerprint: 'f',
      sha256: 's',
      size: 1,
      pexHash: 'p',
      python: '3.11',
      platform: 'linux_x86_64',
      requirements: packages.map(([n, v]) => `${n}==${v}`),
      packages: packages.map(([name, version, size]) => ({ name, version, size })),
      commit: null,
      builtAt: '',
    });
    const before = entry([
      ['MarkupSafe', '3.0.2', 20_000],
      ['six', '1.17.0', 11_000],
      ['idna', '3.10', 70_000],
    ]);
    const after = entry([
      ['markupsafe', '3.0.1', 19_500],
      ['idna', '3.10', 70_000],
      ['click', '8.1.8', 98_000],
    ]);
    assert.deepEqual(diffDeps(before, after), [
      { name: 'click', before: null, after: { version: '8.1.8', size: 98_000 } },
      { name: 'markupsafe', before: { version: '3.0.2', size: 20_000 }, after: { version: '3.0.1', size: 19_500 } },
      { name: 'six', before: { version: '1.17.0', size: 11_000 }, after: null },
    ]);
    // A record written before sizes were kept still diffs, without sizes.
    const old = { ...before, packages: undefined };
    assert.equal(diffDeps(old, after)[1].before?.size, null);
  });

  test('the comment: deps table rows for removed packages and records without sizes, the deploy-host commands with the endpoint', () => {
    const sha = (c: string) => c.repeat(64);
    const r: BuildResult = {
      buildType: 'full',
      reason: 'dependencies changed since 89abcdef0123: requirements.txt: −six',
      fingerprint: sha('f'),
      deps: {
        sha256: sha('d'),
        key: `p/sha256/${sha('d')}.pex`,
        url: `s3://b/p/sha256/${sha('d')}.pex`,
        size: 2048,
        uploaded: true,
        path: null,
      },
      source: {
        sha256: sha('5'),
        key: `p/sha256/${sha('5')}.pex`,
        url: `s3://b/p/sha256/${sha('5')}.pex`,
        size: 100,
        uploaded: true,
        path: null,
      },
      manifest: { key: `p/manifests/${sha('5')}.json` },
      timings: { total: 10 },
      target: { python: '3.11', platform: 'linux_x86_64' },
      commit: null,
      ref: 'main',
      depsChange: {
        base: { ref: 'main', base: false, commit: null, sha256: sha('c'), size: null },
        packages: [
          { name: 'six', before: { version: '1.17.0', size: 11_264 }, after: null },
          { name: 'idna', before: { version: '3.9', size: null }, after: { version: '3.10', size: 70_000 } },
        ],
      },
    };
    const md = renderComment(r, { projectDir: '.', repository: REPO, storeUrl: 's3://b/p', s3Endpoint: 'http://127.0.0.1:9000' });
    assert.match(md, /^<!-- pexpress:\. -->\n### pexpress · `shop` · 🔨 \*\*full build\*\*/);
    assert.ok(md.includes('**What changed in deps.pex** against the last build: 1 removed, 1 changed'), md);
    assert.ok(md.includes('| ➖ `six` | 1.17.0 | −11.0 KiB |'), md);
    assert.ok(md.includes('| 🔄 `idna` | 3.9 → 3.10 | 68.4 KiB |'), md);
    assert.ok(md.includes(`| **deps.pex** | \`cccccccccccc\` → \`dddddddddddd\` | **2.0 KiB** |`), md);
    assert.ok(md.includes(`aws s3 cp --endpoint-url http://127.0.0.1:9000 s3://b/p/sha256/${sha('d')}.pex deps.pex\n`));
    assert.ok(md.includes(`| sha256sum -c -\nPEX_PATH=deps.pex python3 source.pex\n`));
  });

  test('a declaration-line error points at that line of the file, relative to the workspace', async () => {
    const ws = await tempDir();
    try {
      await mkdir(join(ws, 'svc'), { recursive: true });
      await writeFile(join(ws, 'svc', 'requirements.txt'), 'a\n');
      const inputs = { projectDir: join(ws, 'svc') };
      assert.deepEqual(failureLocation("requirements.txt:3: 'x ==' is not a valid requirement", inputs, ws), {
        file: 'svc/requirements.txt',
        startLine: 3,
      });
      assert.equal(failureLocation('missing.txt:3: nope', inputs, ws), null, 'only a file that is there');
      assert.equal(failureLocation('cannot reach PyPI', inputs, ws), null);
      assert.equal(failureLocation('../../etc/passwd:1: x', inputs, ws), null, 'never outside the workspace');
    } finally {
      await cleanup(ws);
    }
  });

  test("python's version: from the binary's resolved name, else asked once per file identity; scripts every time", async () => {
    const dir = await tempDir();
    try {
      let calls = 0;
      const runner = async () => (calls++, { code: 0, stdout: '3.12\n', stderr: '' });
      const env = { PEXPRESS_CACHE_DIR: join(dir, 'cache'), PATH: join(dir, 'bin') };
      await mkdir(join(dir, 'bin'));
      await mkdir(join(dir, 'real'));
      // setup-python / a venv: python3 → python3.13 (a symlink chain): no process at all.
      await writeFile(join(dir, 'real', 'python3.13'), '\x7fELF');
      await chmod(join(dir, 'real', 'python3.13'), 0o755);
      await symlink(join(dir, 'real', 'python3.13'), join(dir, 'bin', 'python3'));
      assert.equal(await hostPythonVersion(runner, env), '3.13');
      assert.equal(calls, 0);
      // A binary named python3: asked once, then remembered while its file identity holds.
      const bin = join(dir, 'bin2');
      await mkdir(bin);
      await writeFile(join(bin, 'python3'), '\x7fELF');
      await chmod(join(bin, 'python3'), 0o755);
      const env2 = { ...env, PATH: bin };
      assert.equal(await hostPythonVersion(runner, env2), '3.12');
      assert.equal(await hostPythonVersion(runner, env2), '3.12');
      assert.equal(calls, 1);
      await utimes(join(bin, 'python3'), new Date(), new Date(Date.now() + 5000));
      assert.equal(await hostPythonVersion(runner, env2), '3.12');
      assert.equal(calls, 2, 'a changed binary is asked again');
      // A version-manager shim (a script): its answer depends on the directory, so it is never remembered.
      const shims = join(dir, 'shims');
      await mkdir(shims);
      await writeFile(join(shims, 'python3'), '#!/bin/sh\nexec some-manager python3 "$@"\n');
      await chmod(join(shims, 'python3'), 0o755);
      const env3 = { ...env, PATH: shims };
      await hostPythonVersion(runner, env3);
      await hostPythonVersion(runner, env3);
      assert.equal(calls, 4);
    } finally {
      await cleanup(dir);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// end to end

describe('the Action on a fresh runner (dist/index.js, moto S3, loopback GitHub)', { timeout: 240_000 }, () => {
  let s3: S3Server;
  let gh: GitHubServer;
  let ws: string;
  let app: string;
  const inputs = () => ({
    'project-dir': 'app',
    'entry-point': 'hello.app:main',
    's3-bucket': 'fresh-runner',
    's3-prefix': 'pexpress',
    's3-endpoint': s3.endpoint,
    's3-region': 'us-east-1',
  });
  const step = (o: Partial<StepOptions> & { cache?: string }) =>
    runAction({
      workspace: ws,
      gh,
      inputs: inputs(),
      event: { pr: 7, branch: 'feature/x' },
      ...o,
      env: { ...s3.env, PEXPRESS_CACHE_DIR: o.cache ?? TEST_CACHE, ...o.env },
    });

  before(async () => {
    assert.ok(existsSync(BUNDLE), 'dist/index.js exists (npm run build)');
    s3 = await startMoto();
    await s3.createBucket('fresh-runner');
    gh = await startGitHubServer({ repository: REPO, token: TOKEN });
    ws = await tempDir('pexpress-e2e-');
    app = await copyExample('hello', join(ws, 'app'));
  });
  after(async () => {
    await gh.close();
    await s3.stop();
    await cleanup(ws);
  });

  test('a fast build with an empty cache dir and no uv: no tool lookup, no uv install, the comment edited', async (t) => {
    ok(await step({})); // deps.pex into the store; the comment created
    const fresh = await tempDir('pexpress-fresh-cache-');
    const warm = await tempDir('pexpress-warm-cache-');
    try {
      const noUv = { PATH: PATH_WITHOUT_UV, PEXPRESS_UV: undefined };
      ok(await step({ cache: warm, env: noUv })); // leaves warm caches
      await writeFile(join(app, 'src', 'hello', 'extra.py'), 'X = 1\n');
      const patches = () => gh.calls.filter((c) => c.method === 'PATCH').length;
      const before = patches();
      const r = await step({ cache: fresh, env: noUv });
      ok(r);
      assert.equal(r.outputs['build-type'], 'fast');
      assert.ok(!/installing uv|::group::tools|::group::restore resolver cache/.test(r.stdout), r.stdout);
      assert.ok(!existsSync(join(fresh, 'tools')), 'no tool venv on a fast build');
      assert.equal(patches(), before + 1);
      assert.equal(gh.commentsOf(7).length, 1);
      // The resolver is fingerprinted as requested: uv asked explicitly is the same fingerprint as auto.
      const explicit = await step({ cache: fresh, env: noUv, inputs: { ...inputs(), resolver: 'uv' } });
      ok(explicit);
      assert.equal(explicit.outputs.fingerprint, r.outputs.fingerprint);
      assert.equal(explicit.outputs['build-type'], 'fast');
      await writeFile(join(app, 'src', 'hello', 'extra.py'), 'X = 2\n');
      const w = await step({ cache: warm, env: noUv });
      ok(w);
      t.diagnostic(`fast build step: fresh runner ${r.ms} ms, warm caches ${w.ms} ms (bench/action.ts measures this properly)`);
      const body = gh.commentsOf(7)[0].body;
      assert.ok(
        body.includes(`aws s3 cp --endpoint-url ${s3.endpoint} s3://fresh-runner/pexpress/sha256/${w.outputs['deps-sha256']}.pex deps.pex`),
      );
      assert.ok(body.includes(`**Fast:** only source.pex was built — dependencies unchanged`));
      if (samples) await writeFile(join(samples, 'pr-fast-s3.md'), body);
    } finally {
      await cleanup(fresh, warm);
    }
  });
});

describe('the Action in a real repository (dist/index.js, local store, loopback GitHub)', { timeout: 600_000 }, () => {
  let gh: GitHubServer;
  let ws: string;
  let store: string;
  before(async () => {
    gh = await startGitHubServer({ repository: REPO, token: TOKEN });
    ws = await tempDir('pexpress-repo-');
    store = join(ws, '..', `${ws.split('/').pop()}-store`);
    await mkdir(store);
  });
  after(async () => {
    await gh.close();
    await cleanup(ws, store);
  });
  const step = (o: Partial<StepOptions> & { dir?: string }) =>
    runAction({
      workspace: ws,
      gh,
      ...o,
      inputs: { 'project-dir': o.dir ?? 'app', store: `file://${store}`, 'entry-point': 'hello.app:main', ...o.inputs },
    });

  test('the first PR build after a dependency change compares with the base branch and lists what changed in deps.pex', async () => {
    const app = await copyExample('hello', join(ws, 'app'));
    const main = await step({ event: { branch: 'main' } });
    ok(main);
    assert.equal(main.outputs['build-type'], 'full');
    await setRequirements(app, HELLO_REQS.replace('markupsafe==3.0.2', 'markupsafe==3.0.1') + 'six==1.17.0\n');
    const pr = await step({ event: { pr: 11, branch: 'feature/deps', base: 'main' } });
    ok(pr);
    assert.equal(pr.outputs['build-type'], 'full');
    assert.match(
      pr.outputs.reason,
      new RegExp(
        `^first build of feature/deps; dependencies changed since main's last build \\(${MERGE}\\): requirements\\.txt: .*markupsafe 3\\.0\\.2 → 3\\.0\\.1`,
      ),
    );
    const body = gh.commentsOf(11)[0].body;
    assert.match(body, /\*\*What changed in deps\.pex\*\* against `main`'s last build \(\[`5e9d0c3`\]\([^)]+\)\): 1 added, 1 changed/);
    assert.match(body, /\| 🔄 `markupsafe` \| 3\.0\.2 → 3\.0\.1 \| [\d.]+ KiB \([+−][\d.]+ (B|KiB)\) \|/i);
    assert.match(body, /\| ➕ `six` \| 1\.17\.0 \| \+[\d.]+ KiB \|/);
    assert.match(body, /\| \*\*deps\.pex\*\* \| `[0-9a-f]{12}` → `[0-9a-f]{12}` \| \*\*[\d.]+ KiB \([+−][\d.]+ KiB\)\*\* \|/);
    if (samples) await writeFile(join(samples, 'pr-first-full.md'), body);

    // A PR against a branch that never built: the default branch stands in.
    await setRequirements(app, HELLO_REQS + 'six==1.17.0\n');
    const other = await step({ event: { pr: 12, branch: 'feature/other', base: 'release', defaultBranch: 'main' } });
    ok(other);
    assert.match(other.outputs.reason, /^first build of feature\/other; dependencies changed since main's last build/);

    // The commands in the comment's details work on a host without pexpress, as written.
    const host = await tempDir('pexpress-deploy-host-');
    try {
      const block = /On the deploy host[^\n]*\n\n```sh\n([\s\S]*?)```/.exec(body)?.[1];
      assert.ok(block, body);
      const r = await run('bash', ['-euo', 'pipefail', '-c', block], { cwd: host });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /deps\.pex: OK\nsource\.pex: OK\n/);
      assert.match(r.stdout, /Hello from source\.pex, world!\nrequests 2\.32\.3, markupsafe 3\.0\.1/);
    } finally {
      await cleanup(host);
    }
  });

  test('a monorepo: the second project compares with its own last build, never the first one', async () => {
    const a = await copyExample('hello', join(ws, 'services', 'a'));
    const b = await copyExample('hello', join(ws, 'services', 'b'));
    await setRequirements(a, HELLO_REQS);
    await setRequirements(b, 'requests==2.32.3\n');
    for (const dir of ['services/a', 'services/b']) ok(await step({ dir, event: { branch: 'main' } }));
    await setRequirements(b, 'requests==2.32.3\nsix==1.17.0\n');
    const r = await step({ dir: 'services/b', event: { branch: 'main' } });
    ok(r);
    assert.match(r.outputs.reason, /requirements\.txt: \+six==1\.17\.0$/);
    assert.ok(!r.outputs.reason.includes('markupsafe'), r.outputs.reason);
  });

  test('a two-platform matrix: each platform compares with its own last build', async () => {
    const m = await copyExample('hello', join(ws, 'matrix'));
    await setRequirements(m, 'six==1.17.0\nmarkupsafe==3.0.2\n');
    const build = (platform: string) => step({ dir: 'matrix', event: { branch: 'main' }, inputs: { platform, 'python-version': '3.11' } });
    for (const p of ['linux_x86_64', 'linux_aarch64']) {
      const r = await build(p);
      ok(r);
      assert.ok(!/target/.test(r.outputs.reason), `${p}: ${r.outputs.reason}`);
    }
    await setRequirements(m, 'six==1.17.0\nmarkupsafe==3.0.1\n');
    for (const p of ['linux_x86_64', 'linux_aarch64']) {
      const r = await build(p);
      ok(r);
      assert.match(r.outputs.reason, /^dependencies changed since 5e9d0c3b7a1f: requirements\.txt: markupsafe 3\.0\.2 → 3\.0\.1$/, p);
    }
  });

  test("a fork's PR from a branch named main never writes the base repository's records", async () => {
    const recordsBefore = await listKeys(join(store, 'refs', 'acme'));
    const mainRecord = (await listKeys(join(store, 'refs', 'acme', 'shop'))).find((k) => k.startsWith('app/') && k.endsWith('/main.json'));
    assert.ok(mainRecord, recordsBefore.join('\n'));
    const before = await readFile(join(store, 'refs', 'acme', 'shop', mainRecord), 'utf8');
    const app = join(ws, 'app');
    const good = await readFile(join(app, 'requirements.txt'), 'utf8');
    await setRequirements(app, HELLO_REQS + 'idna==3.10\n');
    try {
      const r = await step({ event: { pr: 13, branch: 'main', base: 'main', headRepo: 'forker/shop' } });
      ok(r);
      assert.match(r.outputs.reason, /^first build of main; dependencies changed since main's last build/);
      assert.equal(await readFile(join(store, 'refs', 'acme', 'shop', mainRecord), 'utf8'), before);
      assert.deepEqual(await listKeys(join(store, 'refs', 'acme')), recordsBefore);
      assert.ok((await listKeys(join(store, 'refs', 'forker', 'shop'))).some((k) => k.endsWith('/main.json')));
    } finally {
      await setRequirements(app, good);
    }
  });

  test('pull_request_target names the build by the head branch in the fork; workflow_dispatch comments nowhere', async () => {
    const t = await step({ event: { name: 'pull_request_target', pr: 61, branch: 'feature/t', base: 'main', headRepo: 'forker/shop' } });
    ok(t);
    assert.equal(gh.commentsOf(61).length, 1);
    const fork = await listKeys(join(store, 'refs', 'forker', 'shop', 'app'));
    assert.ok(
      fork.some((k) => k.endsWith('/feature/t.json')),
      fork.join('\n'),
    );
    const n = gh.calls.length;
    const d = await step({ event: { name: 'workflow_dispatch', branch: 'release' } });
    ok(d);
    assert.equal(gh.calls.length, n);
    assert.ok((await listKeys(join(store, 'refs', 'acme', 'shop', 'app'))).some((k) => k.endsWith('/release.json')));
  });

  test("another user's comment carrying the marker is never edited; ours is", async () => {
    gh.seed(21, 1, () => '<!-- pexpress:app -->\nI can type the marker too', 'mallory');
    const first = await step({ event: { pr: 21, branch: 'feature/y' } });
    ok(first);
    const second = await step({ event: { pr: 21, branch: 'feature/y' } });
    ok(second);
    const comments = gh.commentsOf(21);
    assert.equal(comments.length, 2);
    assert.equal(comments[0].body, '<!-- pexpress:app -->\nI can type the marker too');
    assert.equal(comments[1].user.login, 'github-actions[bot]');
    assert.ok(comments[1].body.startsWith('<!-- pexpress:app -->\n### pexpress'));
    assert.ok(
      gh.calls.some((c) => c.path === '/graphql'),
      'the identity comes from GraphQL viewer',
    );
  });

  test('comment-on-pr: on-full comments only on full builds and takes the claim back on a later fast one; never and false stay silent', async () => {
    const app = join(ws, 'app');
    const good = await readFile(join(app, 'requirements.txt'), 'utf8');
    const onFull = (pr: number, extra: Record<string, string> = {}) =>
      step({ event: { pr, branch: 'feature/z' }, inputs: { 'comment-on-pr': 'on-full', ...extra } });
    ok(await onFull(31));
    assert.equal(gh.commentsOf(31).length, 0, 'fast, nothing earlier to correct: no comment');
    await setRequirements(app, good + 'idna==3.10\n');
    try {
      const full = await onFull(31);
      ok(full);
      assert.equal(full.outputs['build-type'], 'full');
      assert.match(gh.commentsOf(31)[0].body, /🔨 \*\*full build\*\*/);
    } finally {
      await setRequirements(app, good);
    }
    const fast = await onFull(31);
    ok(fast);
    assert.equal(fast.outputs['build-type'], 'fast');
    assert.equal(gh.commentsOf(31).length, 1);
    assert.match(gh.commentsOf(31)[0].body, /⚡ \*\*fast build\*\*/, 'the earlier "deps changed" claim is gone');
    for (const mode of ['never', 'false']) {
      const n = gh.calls.length;
      ok(await step({ event: { pr: 32, branch: 'feature/z' }, inputs: { 'comment-on-pr': mode } }));
      assert.equal(gh.calls.length, n, `${mode}: no API call at all`);
    }
  });

  test('a failed build: the error annotation points at the declaration line', async () => {
    const app = join(ws, 'app');
    const good = await readFile(join(app, 'requirements.txt'), 'utf8');
    await setRequirements(app, 'requests==2.32.3\n\nrequests ==\n');
    try {
      const r = await step({ event: { pr: 41, branch: 'feature/bad' } });
      assert.equal(r.code, 1);
      const errors = annotations(r.stdout, 'error');
      assert.equal(errors.length, 1, r.stdout);
      assert.match(errors[0], /^::error title=pexpress,file=app\/requirements\.txt,line=3::requirements\.txt:3: /);
      assert.match(gh.commentsOf(41)[0].body, /❌ \*\*build failed\*\*/);
      if (samples) await writeFile(join(samples, 'pr-failed.md'), gh.commentsOf(41)[0].body);
    } finally {
      await setRequirements(app, good);
    }
  });

  test('a root project is named after the repository in the header', async () => {
    const root = await tempDir('pexpress-root-');
    try {
      await cp(join(ws, 'app'), root, { recursive: true, filter: (s) => !s.includes('.pexpress') });
      const r = await runAction({ workspace: root, gh, inputs: { store: `file://${store}` }, event: { pr: 51, branch: 'feature/r' } });
      ok(r);
      assert.match(gh.commentsOf(51)[0].body, /^<!-- pexpress:\. -->\n### pexpress · `shop` · /);
    } finally {
      await cleanup(root);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// the README's workflow, as written

describe("the README's workflow example", () => {
  test('current majors, setup-uv, a concurrency group per ref and project, inputs the Action has, the pull_request_target warning', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const block = /```yaml\n(name: pexpress\n[\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(block, 'the workflow block');
    const wf = parseYaml(block) as {
      on: Record<string, unknown>;
      jobs: Record<string, { concurrency: { group: string }; steps: Array<{ uses?: string; with?: Record<string, string> }> }>;
    };
    assert.ok(!('pull_request_target' in wf.on));
    const job = wf.jobs.build;
    assert.match(job.concurrency.group, /\$\{\{ github\.ref \}\}.*services\/api/);
    const uses = job.steps.map((s) => s.uses).filter(Boolean);
    assert.deepEqual(uses, [
      'actions/checkout@v6',
      'actions/setup-python@v6',
      'astral-sh/setup-uv@v7',
      'aws-actions/configure-aws-credentials@v6',
      'OWNER/pexpress@v0',
    ]);
    const inputs = (parseYaml(await readFile(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs;
    for (const name of Object.keys(job.steps.find((s) => s.uses === 'OWNER/pexpress@v0')!.with!)) assert.ok(name in inputs, name);
    assert.match(readme, /> \[!WARNING\]\n> \*\*Do not run this on `pull_request_target` for pull requests you do not trust\.\*\*/);
  });
});
