import assert from 'node:assert/strict';
import { chmod, copyFile, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildJson, cleanup, copyExample, PYTHON, ROOT, run, tempDir } from './helpers.ts';
import { slowPathVariables } from '../src/archive/preamble.ts';

const BOOTSTRAP = readFileSync(join(ROOT, 'src', 'archive', 'runtime', 'bootstrap.py'), 'utf8');

/**
 * `./source.pex` started directly (docs/runtime.md "Starting an archive"): the shell preamble execs
 * `python -sS $PEX_ROOT/pexpress/boot/<hash>.pyc` once a verified extraction left that entry, and
 * the ordinary `python3.X source.pex` path otherwise. Each test reads sys.flags.no_site to know
 * which path ran, and checks that both behave the same.
 */
describe('runtime: ./source.pex through the shell preamble', () => {
  let project: string;
  let work: string;
  let source: string;
  let hash: string;
  let python: string;

  before(async () => {
    project = await copyExample('hello');
    await writeFile(
      join(project, 'src', 'hello', 'kids.py'),
      ['import os', 'def work(x):', '    import click', '    return (x * 2, click.__name__, os.getpid())', ''].join('\n'),
    );
    const built = await buildJson(project);
    work = await tempDir('pexpress-boot-');
    await chmod(work, 0o755);
    source = join(work, 'source.pex');
    await copyFile(built.source.path!, source);
    await copyFile(built.deps.path!, join(work, 'deps.pex'));
    await chmod(source, 0o755);
    const bytes = await readFile(source);
    hash = bytes.subarray(bytes.length - 64).toString('latin1');
    python = (await run(PYTHON, ['-c', 'import os, sys; print(os.path.realpath(sys.executable))'])).stdout.trim();
  });
  after(() => cleanup(project, work));

  const freshRoot = async () => join(await tempDir('pexpress-boot-root-'), 'root');
  const PROBE = [
    'import os, sys, click',
    'print(sys.flags.no_site)',
    'print(sys.argv, __name__, sys.path[0] == "", click.__name__)',
    'print(os.environ["PEX"])',
    'print(sorted(k for k in os.environ if k.startswith("PEX_")))',
    'print(any("site-packages" in p for p in sys.path))',
  ].join('\n');
  const start = (root: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
    run(source, args, { env: { PEX_ROOT: root, ...env }, cwd: work });

  test('the first start extracts and leaves boot/<hash>; the next is python -sS on the compiled bootstrap, with the same behaviour', async () => {
    const root = await freshRoot();
    const cold = await start(root, ['-c', PROBE, 'a b']);
    assert.equal(cold.code, 0, cold.stderr);
    const boot = join(root, 'pexpress', 'boot');
    assert.deepEqual((await readdir(boot)).sort(), [hash, `${hash}.py`, `${hash}.pyc`]);
    assert.equal(await readFile(join(boot, hash), 'utf8'), python + '\n');
    const warm = await start(root, ['-c', PROBE, 'a b']);
    const names = await start(root, ['-c', 'import os; print([os.environ.get(k) for k in ("R", "B", "P", "IFS")])'], {
      R: 'r',
      B: 'b',
      P: 'p',
    });
    assert.equal(names.stdout.trim(), "['r', 'b', 'p', None]", 'the preamble leaves the environment as it found it');
    assert.equal(warm.code, 0, warm.stderr);
    const [coldFlag, ...coldRest] = cold.stdout.split('\n');
    const [warmFlag, ...warmRest] = warm.stdout.split('\n');
    assert.equal(coldFlag, '0', 'the cold start runs python3.X on the zip');
    assert.equal(warmFlag, '1', 'the warm start runs the compiled bootstrap without site');
    assert.deepEqual(warmRest, coldRest);
    assert.deepEqual(warmRest.slice(0, 4), ["['-c', 'a b'] __main__ True click", realpathSync(source), '[]', 'False']);
    assert.equal(warm.stderr, '');
  });

  test('an entry point runs through boot/ as from the zip (the bootstrap stays __main__)', async () => {
    const dir = join(work, 'entry');
    await buildJson(project, ['--entry-point', 'hello.app:main', '--out-dir', dir]);
    if (!existsSync(join(dir, 'deps.pex'))) await copyFile(join(work, 'deps.pex'), join(dir, 'deps.pex')); // a fast build reuses it
    const root = await freshRoot();
    const first = await run(join(dir, 'source.pex'), ['--name', 'boot'], { env: { PEX_ROOT: root } });
    assert.equal(first.code, 0, first.stderr);
    assert.ok(existsSync(join(root, 'pexpress', 'boot')), 'the first start left the boot entry');
    const again = await run(join(dir, 'source.pex'), ['--name', 'boot'], { env: { PEX_ROOT: root } });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, first.stdout);
    assert.match(again.stdout, /^Hello from source\.pex, boot!$/m);
  });

  test('without site, exit() and quit() still exist, exit codes and stdin pass through, and the host site-packages stay out', async () => {
    const root = await freshRoot();
    await start(root, ['-c', 'pass']);
    const code = 'import sys, importlib.util as u; print(sys.flags.no_site, u.find_spec("pip")); exit(int(sys.stdin.read()))';
    const host = await run(PYTHON, ['-c', 'import importlib.util as u; print(u.find_spec("pip") is not None)']);
    assert.equal(host.stdout.trim(), 'True', 'the host python has pip in its site-packages');
    const r = await run(source, ['-c', code], { env: { PEX_ROOT: root }, input: '7' });
    assert.equal(r.code, 7, r.stderr);
    assert.equal(r.stdout.trim(), '1 None');
  });

  test('any PEX_* variable but PEX_ROOT takes the ordinary path, with the meaning the bootstrap gives it', async () => {
    const root = await freshRoot();
    await start(root, ['-c', 'pass']);
    const verbose = await start(root, ['-c', 'import sys; print(sys.flags.no_site)'], { PEX_VERBOSE: '1' });
    assert.equal(verbose.stdout.trim(), '0');
    const inherit = await start(root, ['-c', 'import sys, importlib.util as u; print(sys.flags.no_site, u.find_spec("pip") is not None)'], {
      PEX_INHERIT_PATH: 'fallback',
    });
    assert.equal(inherit.stdout.trim(), '0 True', inherit.stderr);
    const module = await start(root, [], { PEX_MODULE: 'hello.app:main' });
    assert.equal(module.code, 0, module.stderr);
    const empty = await start(root, ['-c', 'import sys; print(sys.flags.no_site)'], { PEX_VERBOSE: '' });
    assert.equal(empty.stdout.trim(), '1', 'an empty variable is an unset one, as in the bootstrap');
    for (const name of ['PEX_PATH', 'PEX_MODULE', 'PEX_SCRIPT', 'PEX_INTERPRETER', 'PEX_PYTHON', 'PEX_VENV', '__PEXPRESS_ENV__']) {
      assert.ok(slowPathVariables(BOOTSTRAP).includes(name), name);
    }
    assert.ok(!slowPathVariables(BOOTSTRAP).includes('PEX_ROOT'));
  });

  test('a missing interpreter, a damaged entry or a relative PEX_ROOT falls back to the ordinary path', async () => {
    const root = await freshRoot();
    await start(root, ['-c', 'pass']);
    const record = join(root, 'pexpress', 'boot', hash);
    await writeFile(record, '/nonexistent/python3.11\n');
    const gone = await start(root, ['-c', 'import sys; print(sys.flags.no_site)']);
    assert.equal(gone.code, 0, gone.stderr);
    assert.equal(gone.stdout.trim(), '0');
    await writeFile(record, '');
    const empty = await start(root, ['-c', 'import sys; print(sys.flags.no_site)']);
    assert.equal(empty.stdout.trim(), '0', empty.stderr);
    const relative = await run(source, ['-c', 'import sys; print(sys.flags.no_site)'], { env: { PEX_ROOT: 'rel-root' }, cwd: work });
    assert.equal(relative.code, 0, relative.stderr);
    assert.equal(relative.stdout.trim(), '0');
    assert.ok(existsSync(join(work, 'rel-root', 'pexpress', 'archives')));
  });

  test('python3 source.pex leaves the entry too; a PEX_PYTHON run leaves only the verified source, compiled by the next plain start', async () => {
    const root = await freshRoot();
    const plain = await run(PYTHON, [source, '-c', 'pass'], { env: { PEX_ROOT: root, PEX_PATH: join(work, 'deps.pex') } });
    assert.equal(plain.code, 0, plain.stderr);
    assert.ok(existsSync(join(root, 'pexpress', 'boot', hash)), 'PEX_PATH composes deps, it does not pick the interpreter');
    const root2 = await freshRoot();
    const chosen = await start(root2, ['-c', 'pass'], { PEX_PYTHON: python });
    assert.equal(chosen.code, 0, chosen.stderr);
    const boot = join(root2, 'pexpress', 'boot');
    assert.deepEqual(await readdir(boot), [`${hash}.py`]);
    const next = await start(root2, ['-c', 'import sys; print(sys.flags.no_site)']);
    assert.equal(next.stdout.trim(), '0');
    assert.deepEqual((await readdir(boot)).sort(), [hash, `${hash}.py`, `${hash}.pyc`]);
    const third = await start(root2, ['-c', 'import sys; print(sys.flags.no_site)']);
    assert.equal(third.stdout.trim(), '1');
  });

  test('a forged archive claiming the genuine hash plants no boot entry; the genuine one then runs its own code', async () => {
    const forged = join(work, 'forged', 'source.pex');
    await mkdir(join(work, 'forged'), { recursive: true });
    await copyFile(join(work, 'deps.pex'), join(work, 'forged', 'deps.pex'));
    // The genuine bytes with one module changed in place (same length, same comment): the comment
    // still names the genuine hash, which the bytes no longer have.
    const bytes = await readFile(source);
    const at = bytes.indexOf('pexpress:2:source:');
    assert.ok(at > 0);
    const copy = Buffer.from(bytes);
    const member = copy.indexOf('hello/app.py') + 'hello/app.py'.length + 8;
    assert.ok(member < at);
    copy[member] ^= 0xff;
    await writeFile(forged, copy, { mode: 0o755 });
    const root = await freshRoot();
    const r = await run(forged, ['-c', 'print("forged ran")'], { env: { PEX_ROOT: root } });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^pexpress: refusing to extract \S*forged\/source\.pex: /);
    assert.ok(!existsSync(join(root, 'pexpress', 'boot', hash)));
    assert.ok(!existsSync(join(root, 'pexpress', 'boot', `${hash}.py`)));
    const genuine = await start(root, ['-c', 'import hello, sys; print(sys.flags.no_site)']);
    assert.equal(genuine.stdout.trim(), '0', genuine.stderr);
    const again = await start(root, ['-c', 'import hello, sys; print(sys.flags.no_site)']);
    assert.equal(again.stdout.trim(), '1', again.stderr);
  });

  test('symlinked onto PATH, it finds deps.pex next to its real file; multiprocessing spawn works under -sS', async () => {
    const root = await freshRoot();
    const bin = join(work, 'bin');
    await mkdir(bin, { recursive: true });
    await symlink(source, join(bin, 'myapp'));
    const env = { PEX_ROOT: root, PATH: `${bin}:${process.env.PATH}` };
    const code = [
      'import multiprocessing as mp, sys',
      'from hello.kids import work',
      'if __name__ == "__main__":',
      '    with mp.get_context("spawn").Pool(2) as p:',
      '        print(sys.flags.no_site, [r[:2] for r in p.map(work, [1, 2])])',
    ].join('\n');
    await run('myapp', ['-c', 'pass'], { env, cwd: work });
    const r = await run('myapp', ['-c', code], { env, cwd: work });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "1 [(2, 'click'), (4, 'click')]");
    assert.ok(!existsSync(join(bin, 'deps.pex')), 'deps.pex is only next to the real file');
  });

  test('concurrent first starts leave one entry and no temporary files', async () => {
    const root = await freshRoot();
    const runs = await Promise.all([0, 1, 2, 3].map(() => start(root, ['-c', 'import click; print("ok")'])));
    for (const r of runs) assert.equal(r.stdout.trim(), 'ok', r.stderr);
    const boot = join(root, 'pexpress', 'boot');
    assert.deepEqual((await readdir(boot)).sort(), [hash, `${hash}.py`, `${hash}.pyc`]);
    const all = await readdir(join(root, 'pexpress'), { recursive: true });
    assert.deepEqual(
      all.filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  test('without python on PATH it says what it needs in one line and exits 127; the preamble parses under dash and bash', async () => {
    const bin = join(work, 'tail-only');
    await mkdir(bin, { recursive: true });
    await symlink('/usr/bin/tail', join(bin, 'tail')).catch(() => undefined);
    const r = await run('/bin/sh', [source, '-c', 'pass'], { env: { PEX_ROOT: await freshRoot(), PATH: bin } });
    assert.equal(r.code, 127);
    assert.match(r.stderr.trim(), /^\S*source\.pex: needs python3\.\d+ \(or python3\) on PATH$/);
    const bytes = await readFile(source);
    const preamble = join(work, 'preamble.sh');
    await writeFile(preamble, bytes.subarray(0, bytes.indexOf('PK\x03\x04')));
    for (const sh of ['/bin/sh', 'bash']) {
      const syntax = await run(sh, ['-n', preamble]);
      assert.equal(syntax.code, 0, `${sh}: ${syntax.stderr}`);
    }
  });
});

/**
 * The bootstrap's import index (`_WheelIndex`): a top-level import goes to the one wheel tree that
 * provides it. It must give the ordinary search's answer: what comes before the wheels on sys.path
 * wins, namespace packages spread over wheels still merge, and wheels taken off sys.path are gone.
 */
describe('runtime: the import index gives the ordinary answer', () => {
  let project: string;
  let work: string;
  let source: string;

  before(async () => {
    project = await tempDir('pexpress-index-');
    await mkdir(join(project, 'svc'), { recursive: true });
    await writeFile(join(project, 'svc', '__init__.py'), 'NAME = "svc"\n');
    // jaraco.context and jaraco.functools: two wheels sharing the `jaraco` namespace package.
    await writeFile(join(project, 'requirements.txt'), 'jaraco.context==6.0.1\njaraco.functools==4.1.0\nsix==1.17.0\n');
    const built = await buildJson(project);
    work = await tempDir('pexpress-index-run-');
    source = join(work, 'source.pex');
    await copyFile(built.source.path!, source);
    await copyFile(built.deps.path!, join(work, 'deps.pex'));
  });
  after(() => cleanup(project, work));

  for (const how of ['from the zip', 'through boot/']) {
    test(`${how}: namespace packages, the script's directory first, wheels removed from sys.path`, async () => {
      const root = join(work, `root-${how === 'from the zip' ? 'zip' : 'boot'}`);
      const env = { PEX_ROOT: root };
      const start = (code: string) =>
        how === 'from the zip' ? run(PYTHON, [source, '-c', code], { env, cwd: work }) : run(source, ['-c', code], { env, cwd: work });
      await start('pass');
      const ns = await start(
        'import sys, jaraco.context, jaraco.functools, six, svc; print(sys.flags.no_site, len(list(jaraco.__path__)), six.__name__, svc.NAME, any(type(f).__name__ == "_WheelIndex" for f in sys.meta_path))',
      );
      assert.equal(ns.stdout.trim(), `${how === 'from the zip' ? 0 : 1} 2 six svc True`, ns.stderr);
      await writeFile(join(work, 'six.py'), 'LOCAL = True\n');
      try {
        const shadow = await start('import six; print(getattr(six, "LOCAL", False))');
        assert.equal(shadow.stdout.trim(), 'True', shadow.stderr);
      } finally {
        await rm(join(work, 'six.py'));
      }
      const gone = await start(
        'import sys; sys.path[:] = [p for p in sys.path if "/wheels/" not in p]\ntry:\n    import six\nexcept ImportError:\n    print("gone")',
      );
      assert.equal(gone.stdout.trim(), 'gone', gone.stderr);
    });
  }
});
