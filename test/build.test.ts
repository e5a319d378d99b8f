import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildJson, cleanup, copyExample, listFiles, pexpress, PYTHON, run, tempDir, type BuildJson } from './helpers.ts';

describe('full → fast → full on the example project', () => {
  let project: string;
  let pexRoot: string;
  let first: BuildJson;

  before(async () => {
    project = await copyExample('hello');
    pexRoot = await tempDir('pexpress-pexroot-');
    first = await buildJson(project, ['--entry-point', 'hello.app:main']);
  });
  after(() => cleanup(project, pexRoot));

  test('the first build is full and publishes both archives', async () => {
    assert.equal(first.buildType, 'full');
    assert.match(first.reason, /no deps\.pex stored/);
    assert.match(first.fingerprint, /^[0-9a-f]{64}$/);
    for (const a of [first.deps, first.source]) {
      assert.match(a.sha256, /^[0-9a-f]{64}$/);
      assert.equal(a.key, `sha256/${a.sha256}.pex`);
      assert.equal(a.uploaded, true);
      assert.ok(a.size > 0);
      assert.ok(a.url.startsWith('file://'));
    }
    assert.ok(first.deps.path?.endsWith('deps.pex'));
    assert.equal(first.manifest.key, `manifests/${first.source.sha256}.json`);
    const stored = await listFiles(join(project, '.pexpress', 'store'));
    assert.ok(stored.includes(`sha256/${first.deps.sha256}.pex`));
    assert.ok(stored.includes(`sha256/${first.source.sha256}.pex`));
    assert.ok(stored.includes(`deps/${first.fingerprint}.json`));
    assert.ok(stored.includes(first.manifest.key));
    assert.ok(stored.some((k) => k.startsWith('refs/')));
  });

  test('deps.pex holds the requirements and the setup.py install_requires, not the project', async () => {
    const r = await run(PYTHON, ['-c', 'import zipfile,sys; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', first.deps.path!]);
    const wheels = new Set(
      r.stdout
        .split('\n')
        .filter((n) => n.startsWith('.deps/'))
        .map((n) => n.split('/')[1]),
    );
    const names = [...wheels].map((w) => w.split('-')[0].toLowerCase());
    for (const expected of ['requests', 'markupsafe', 'click', 'certifi', 'idna', 'urllib3', 'charset_normalizer']) {
      assert.ok(names.includes(expected), `${expected} in ${[...wheels].join(', ')}`);
    }
    assert.ok(!names.includes('hello'), 'the project itself is not a dependency');
    assert.ok(!r.stdout.includes('.pyc'));
  });

  test('the archives run with python3: entry point, composition, compiled extension', async () => {
    const r = await run(PYTHON, [first.source.path!, '--name', '<pexpress>'], { env: { PEX_ROOT: pexRoot, PEX_PATH: first.deps.path! } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Hello from source\.pex, &lt;pexpress&gt;!/);
    assert.match(r.stdout, /requests 2\.32\.3, markupsafe 3\.0\.2 \(C speedups: True\)/);
  });

  test('a source edit gives a fast build that reuses deps.pex', async () => {
    await appendFile(join(project, 'src', 'hello', 'app.py'), '\n# edited\n');
    const fast = await buildJson(project, ['--entry-point', 'hello.app:main']);
    assert.equal(fast.buildType, 'fast');
    assert.match(fast.reason, new RegExp(`reusing deps\\.pex ${first.deps.sha256.slice(0, 12)}`));
    assert.equal(fast.deps.sha256, first.deps.sha256);
    assert.equal(fast.deps.uploaded, false);
    assert.equal(fast.deps.path, null);
    assert.equal(fast.source.uploaded, true);
    assert.notEqual(fast.source.sha256, first.source.sha256);
  });

  test('a comment-only edit of requirements.txt keeps the build fast', async () => {
    const req = join(project, 'requirements.txt');
    const text = await readFile(req, 'utf8');
    await writeFile(req, '# reordered, recased, commented\n\n' + text.split('\n').reverse().join('\n').replace('requests', 'Requests'));
    const fast = await buildJson(project);
    assert.equal(fast.buildType, 'fast', fast.reason);
    assert.equal(fast.fingerprint, first.fingerprint);
  });

  let changed: BuildJson;
  test('a version change gives a full build that names the change', async () => {
    const req = join(project, 'requirements.txt');
    await writeFile(req, (await readFile(req, 'utf8')).replace('markupsafe==3.0.2', 'markupsafe==3.0.1'));
    const full = (changed = await buildJson(project));
    assert.equal(full.buildType, 'full');
    assert.match(full.reason, /requirements\.txt: .*markupsafe 3\.0\.2 → 3\.0\.1/);
    assert.notEqual(full.deps.sha256, first.deps.sha256);
  });

  test('--force-full rebuilds, and the deterministic rebuild is not re-uploaded', async () => {
    const forced = await buildJson(project, ['--force-full']);
    assert.equal(forced.buildType, 'full');
    assert.match(forced.reason, /forced/);
    assert.equal(forced.deps.sha256, changed.deps.sha256);
    assert.equal(forced.deps.uploaded, false);
  });

  test('lookup, fetch and run work against what the build stored', async () => {
    const store = ['--project-dir', project];
    const lk = await pexpress(['lookup', first.source.sha256.slice(0, 10), ...store, '--json']);
    assert.equal(lk.code, 0, lk.stderr);
    const info = JSON.parse(lk.stdout);
    assert.equal(info.sha256, first.source.sha256);
    assert.equal(info.kind, 'source');
    assert.equal(info.deps.sha256, first.deps.sha256);
    assert.equal(info.fingerprint, first.fingerprint);

    const depsInfo = JSON.parse((await pexpress(['lookup', first.deps.sha256, ...store, '--json'])).stdout);
    assert.equal(depsInfo.kind, 'deps');

    const out = join(await tempDir(), 'fetched.pex');
    const f = await pexpress(['fetch', first.deps.sha256, ...store, '-o', out]);
    assert.equal(f.code, 0, f.stderr);

    const r = await pexpress(['run', first.source.sha256, ...store, '--', '--name', 'run'], { env: { PEX_ROOT: pexRoot } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Hello from source\.pex, run!/);
  });

  test('fetch refuses an archive whose stored bytes changed and writes nothing', async () => {
    const key = join(project, '.pexpress', 'store', 'sha256', `${first.source.sha256}.pex`);
    const bytes = await readFile(key);
    bytes[bytes.length - 100] ^= 0xff;
    await writeFile(key, bytes);
    const dir = await tempDir();
    const r = await pexpress(['fetch', first.source.sha256, '--project-dir', project, '-o', join(dir, 'x.pex')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /corrupt/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.deepEqual(await listFiles(dir), []);
  });

  test('a deps archive changed in the store is noticed by the next build and repaired', async () => {
    const before = await buildJson(project);
    assert.equal(before.buildType, 'fast', 'the check is remembered while the file is untouched');
    const key = join(project, '.pexpress', 'store', 'sha256', `${before.deps.sha256}.pex`);
    const bytes = await readFile(key);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    await writeFile(key, bytes);
    const repaired = await buildJson(project);
    assert.equal(repaired.buildType, 'full');
    assert.match(repaired.reason, /fails its sha256 check; rebuilding and replacing it/);
    assert.equal(repaired.deps.sha256, before.deps.sha256);
    assert.equal(repaired.deps.uploaded, true);
    assert.equal((await buildJson(project)).buildType, 'fast');
  });
});
