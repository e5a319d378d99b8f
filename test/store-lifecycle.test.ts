// The store over months: `log`, `promote`, `run/fetch --env` and `gc` on a store filled by real
// builds over two branches, against the local store and real S3 servers on loopback.
import assert from 'node:assert/strict';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { cleanup, copyExample, pexpress, run, skippable, tempDir, type BuildJson, type Ran } from './helpers.ts';
import { FaultProxy } from './s3/fault-proxy.ts';
import { startMoto, type S3Server } from './s3/moto.ts';
import { startVersitygw, versitygwBinary } from './s3/versitygw.ts';

const BUCKET = 'pexpress-life';
const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };

interface Backend {
  name: string;
  skip: string | false;
  start(): Promise<{ args: string[]; env: Record<string, string>; stop(): Promise<void>; proxy?: FaultProxy }>;
}

const s3Backend = (name: string, start: () => Promise<S3Server>, skip: string | false): Backend => ({
  name,
  skip,
  async start() {
    const s3 = await start();
    await s3.createBucket(BUCKET);
    const proxy = new FaultProxy(s3.endpoint);
    await proxy.start();
    return {
      args: ['--store', `s3://${BUCKET}/life`, '--s3-endpoint', proxy.endpoint],
      env: s3.env,
      proxy,
      async stop() {
        await proxy.stop();
        await s3.stop();
      },
    };
  },
});

const BACKENDS: Backend[] = [
  {
    name: 'the local store',
    skip: false,
    async start() {
      const dir = await tempDir('pexpress-life-store-');
      return { args: ['--store', dir], env: {}, stop: () => cleanup(dir) };
    },
  },
  s3Backend('moto', startMoto, false),
  s3Backend(
    'versitygw',
    startVersitygw,
    versitygwBinary() ? false : 'versitygw is not built (scripts/test-tools.sh builds it when Go is installed)',
  ),
];

for (const backend of BACKENDS) {
  describe(`store lifecycle on ${backend.name}`, { timeout: 300_000 }, () => {
    const test = skippable(backend.skip);
    let store: Awaited<ReturnType<Backend['start']>>;
    let project: string;
    let pexRoot: string;
    const builds: Record<string, BuildJson> = {};

    const cli = (args: string[], extraEnv: Record<string, string> = {}): Promise<Ran> =>
      pexpress([...args, ...store.args], { env: { ...store.env, PEX_ROOT: pexRoot, ...extraEnv } });
    const git = (...args: string[]) => run('git', args, { cwd: project, env: GIT_ENV });
    const commitAndBuild = async (label: string, edit: () => Promise<void>) => {
      await edit();
      await git('add', '-A');
      await git('commit', '-qm', label);
      const r = await cli(['build', '--project-dir', project, '--json', '--entry-point', 'hello.app:main']);
      assert.equal(r.code, 0, r.stderr);
      builds[label] = JSON.parse(r.stdout) as BuildJson;
    };
    const line = (n: number) => () => appendFile(join(project, 'src', 'hello', 'app.py'), `# change ${n}\n`);
    const runs = async (sha: string) => (await cli(['run', sha.slice(0, 12)])).code === 0;

    before(async () => {
      if (backend.skip) return;
      store = await backend.start();
      project = await copyExample('hello');
      pexRoot = await tempDir('pexpress-life-root-');
      await writeFile(join(project, '.gitignore'), '.pexpress/\n');
      await git('init', '-q', '-b', 'main');
      await commitAndBuild('A', line(1));
      await commitAndBuild('B', line(2));
      await commitAndBuild('C', line(3));
      await git('checkout', '-q', '-b', 'feature');
      await commitAndBuild('D', () => appendFile(join(project, 'requirements.txt'), 'six==1.17.0\n'));
      await git('checkout', '-q', 'main');
      await commitAndBuild('E', line(5));
    });
    after(async () => {
      await store?.stop();
      await cleanup(project, pexRoot);
    });

    test('log lists the builds newest first, by ref, as text and JSON', async () => {
      let r = await cli(['log', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const all = JSON.parse(r.stdout).builds as Array<{ ref: string; buildType: string; source: { sha256: string; size: number } }>;
      assert.deepEqual(
        all.map((b) => b.source.sha256),
        ['E', 'D', 'C', 'B', 'A'].map((l) => builds[l].source.sha256),
      );
      assert.deepEqual(
        all.map((b) => `${b.ref}:${b.buildType}`),
        ['main:fast', 'feature:full', 'main:fast', 'main:fast', 'main:full'],
      );
      assert.equal(all[0].source.size, builds.E.source.size);
      r = await cli(['log', '--ref', 'feature', '--json']);
      assert.deepEqual(
        JSON.parse(r.stdout).builds.map((b: { source: { sha256: string } }) => b.source.sha256),
        [builds.D.source.sha256],
      );
      r = await cli(['log', '--limit', '2']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((r.stdout.match(/^\d{4}-\d\d-\d\d /gm) ?? []).length, 2);
      assert.match(r.stdout, new RegExp(`source ${builds.E.source.sha256.slice(0, 12)}`));
    });

    test('promote records an environment; run and fetch --env use it; history keeps the previous one', async () => {
      let r = await cli(['promote', builds.B.source.sha256.slice(0, 10), '--to', 'production', '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).previous, null);
      r = await cli(['promote', builds.A.source.sha256, '--to', 'production', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const promoted = JSON.parse(r.stdout);
      assert.equal(promoted.current.source.sha256, builds.A.source.sha256);
      assert.equal(promoted.previous.source.sha256, builds.B.source.sha256);
      r = await cli(['run', '--env', 'production']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /hello/i);
      const out = join(pexRoot, 'fetched.pex');
      r = await cli(['fetch', '--env', 'production', '-o', out, '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).sha256, builds.A.source.sha256);
    });

    test('bad input: one line, exit 2', async () => {
      for (const [args, pattern] of [
        [['run', '--env', 'nowhere'], /nothing is promoted to 'nowhere'/],
        [['promote', 'ffffffff', '--to', 'production'], /no archive .* starting with ffffffff/],
        [['promote', builds.A.deps.sha256, '--to', 'production'], /not a source archive/],
        [['promote', builds.A.source.sha256, '--to', '../x'], /not an environment name/],
        [['gc', '--keep-days', '-1'], /--keep-days '-1' looks like an option/],
        [['gc', '--keep-days=-1'], /--keep-days '-1' must be a whole number/],
        [['gc', '--grace', 'soon'], /--grace 'soon' is not a duration/],
        [['run', builds.A.source.sha256, '--env', 'production'], /either a SHA256 or --env/],
      ] as Array<[string[], RegExp]>) {
        const r = await cli(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, pattern);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      }
    });

    test('gc with the default grace period deletes nothing that was just built', async () => {
      const r = await cli(['gc', '--keep-days', '0', '--keep-builds', '1', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.deepEqual(report.deleted, []);
      assert.equal(report.bytesFreed, 0);
    });

    test('gc --dry-run lists exactly the unreferenced objects; gc deletes them; every kept build still runs', async () => {
      const gcArgs = ['gc', '--keep-days', '0', '--keep-builds', '1', '--grace', '0'];
      let r = await cli([...gcArgs, '--dry-run', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const plan = JSON.parse(r.stdout);
      // A is promoted (production), B is in production's history, D and E are the newest of their refs: only C goes.
      const c = builds.C.source.sha256;
      const expected = [`manifests/${c}.json`, `sha256/${c}.pex`];
      assert.deepEqual(plan.deleted.map((d: { key: string }) => d.key.replace(/^life\//, '')).sort(), expected);
      assert.equal(
        plan.bytesFreed,
        plan.deleted.reduce((n: number, d: { size: number }) => n + d.size, 0),
      );
      assert.ok(await runs(c), 'a dry run deletes nothing');

      r = await cli(['gc', '--keep-days', '0', '--keep-builds', '1', '--grace', '0']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /2 object\(s\) deleted/);
      for (const l of ['A', 'B', 'D', 'E']) assert.ok(await runs(builds[l].source.sha256), `build ${l} still runs`);
      assert.equal((await cli(['run', '--env', 'production'])).code, 0);
      r = await cli(['lookup', c]);
      assert.notEqual(r.code, 0, 'C is gone');
      r = await cli([...gcArgs, '--dry-run', '--json']);
      assert.deepEqual(JSON.parse(r.stdout).deleted, [], 'a second run finds nothing more');
    });

    const onMoto = skippable(backend.skip || (backend.name !== 'moto' && 'one S3 server is enough'));
    onMoto('a build whose upload is in flight while gc runs loses nothing', async () => {
      await appendFile(join(project, 'src', 'hello', 'app.py'), '# in flight\n');
      store.proxy!.add({
        match: (m, url) => m === 'PUT' && url.includes('/sha256/'),
        fault: { kind: 'delay', ms: 2000 },
        times: Infinity,
      });
      const building = cli(['build', '--project-dir', project, '--json']);
      await new Promise((res) => setTimeout(res, 700));
      const collected = await cli(['gc', '--keep-days', '0', '--keep-builds', '1', '--json']);
      const b = await building;
      store.proxy!.clear();
      assert.equal(collected.code, 0, collected.stderr);
      assert.equal(b.code, 0, b.stderr);
      assert.ok(await runs((JSON.parse(b.stdout) as BuildJson).source.sha256));
    });
  });
}
