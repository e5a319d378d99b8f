import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildJson, cleanup, copyExample, PYTHON, run, tempDir, type BuildJson } from './helpers.ts';

/** Runs the archives built from examples/hello with a real python3, as a deploy would. */
describe('the runtime inside the archives', () => {
  let project: string;
  let built: BuildJson;
  let work: string;
  let pexRoot: string;
  let source: string;
  let deps: string;

  before(async () => {
    project = await copyExample('hello');
    await writeFile(join(project, 'src', 'hello', 'show_path.py'), 'import sys, json\nprint(json.dumps(sys.argv))\n');
    built = await buildJson(project);
    work = await tempDir('pexpress-archives-');
    // Deployed layout: both archives side by side, away from the build tree.
    source = join(work, 'source.pex');
    deps = join(work, 'deps.pex');
    await copyFile(built.source.path!, source);
    await copyFile(built.deps.path!, deps);
  });
  after(() => cleanup(project, work));

  const py = async (args: string[], env: Record<string, string> = {}, input?: string) => {
    pexRoot ??= await tempDir('pexpress-root-');
    return run(PYTHON, args, { env: { PEX_ROOT: pexRoot, ...env }, input });
  };

  test('PEX_PATH composition and the deps.pex next to source.pex', async () => {
    const viaPath = await py([source, '-c', 'import click, requests; print(requests.__version__)'], { PEX_PATH: deps });
    assert.equal(viaPath.code, 0, viaPath.stderr);
    assert.equal(viaPath.stdout.trim(), '2.32.3');
    const sibling = await py([source, '-c', 'import markupsafe; print(markupsafe.escape("<>"))']);
    assert.equal(sibling.stdout.trim(), '&lt;&gt;', sibling.stderr);
  });

  test('PEX_MODULE, both forms', async () => {
    const mod = await py([source, '--name', 'mod'], { PEX_MODULE: 'hello.app' });
    assert.match(mod.stdout, /Hello from source\.pex, mod!/, mod.stderr);
    const fn = await py([source, '--name', 'fn'], { PEX_MODULE: 'hello.app:main' });
    assert.match(fn.stdout, /Hello from source\.pex, fn!/, fn.stderr);
  });

  test('PEX_SCRIPT runs a console script of a dependency', async () => {
    const r = await py([source, '--version'], { PEX_SCRIPT: 'normalizer' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Charset-Normalizer/);
    const missing = await py([source], { PEX_SCRIPT: 'nope' });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^pexpress: PEX_SCRIPT=nope: no such script.*normalizer/);
  });

  test('interpreter mode: -c, -m, a script, stdin', async () => {
    const c = await py([source, '-c', 'import sys; print(sys.argv)', 'a', 'b']);
    assert.equal(c.stdout.trim(), "['-c', 'a', 'b']", c.stderr);
    const m = await py([source, '-m', 'hello.show_path', 'x']);
    assert.match(m.stdout, /show_path\.py", "x"\]/, m.stderr);
    const script = join(work, 'script.py');
    await writeFile(script, 'import sys, click\nprint("script", sys.argv[1:], click.__name__)\n');
    const s = await py([source, script, 'arg']);
    assert.equal(s.stdout.trim(), "script ['arg'] click", s.stderr);
    const stdin = await py([source], {}, 'import requests\nprint("stdin ok")\n');
    assert.equal(stdin.stdout.trim(), 'stdin ok', stdin.stderr);
  });

  test('importlib.metadata sees the dependencies', async () => {
    const r = await py([
      source,
      '-c',
      'from importlib.metadata import version, entry_points; print(version("click"), len(list(entry_points(group="console_scripts"))) > 0)',
    ]);
    assert.match(r.stdout, /^8\.\d+\.\d+ True$/m, r.stderr);
  });

  test('isolation: the host site-packages are not importable unless inherited', async () => {
    const venv = join(work, 'venv');
    const mk = await run(PYTHON, ['-m', 'venv', venv]);
    assert.equal(mk.code, 0, mk.stderr);
    // A package that only the host has: a tiny local one, so the test needs no index.
    const pkg = join(work, 'hostonly');
    await mkdir(join(pkg, 'hostonly'), { recursive: true });
    await writeFile(join(pkg, 'hostonly', '__init__.py'), 'X = 1\n');
    await writeFile(
      join(pkg, 'pyproject.toml'),
      '[project]\nname = "hostonly"\nversion = "1"\n[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n',
    );
    await writeFile(join(pkg, 'backend.py'), BACKEND);
    const pip = await run(join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--no-index', '--no-build-isolation', pkg]);
    assert.equal(pip.code, 0, pip.stderr);
    const vpy = join(venv, 'bin', 'python');
    const host = await run(vpy, ['-c', 'import hostonly']);
    assert.equal(host.code, 0, 'the host sees it');
    const isolated = await run(vpy, [source, '-c', 'import hostonly'], { env: { PEX_ROOT: pexRoot } });
    assert.notEqual(isolated.code, 0);
    assert.match(isolated.stderr, /No module named 'hostonly'/);
    const fallback = await run(vpy, [source, '-c', 'import hostonly, requests; print("both")'], {
      env: { PEX_ROOT: pexRoot, PEX_INHERIT_PATH: 'fallback' },
    });
    assert.equal(fallback.stdout.trim(), 'both', fallback.stderr);
  });

  test('a missing or mismatched deps archive is one clear line', async () => {
    const alone = join(work, 'alone');
    await mkdir(alone);
    await copyFile(source, join(alone, 'source.pex'));
    const missing = await py([join(alone, 'source.pex'), '-c', 'pass']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(
      missing.stderr,
      new RegExp(`needs its deps archive \\(sha256 ${built.deps.sha256.slice(0, 12)}.*pexpress fetch ${built.deps.sha256}`),
    );
    await copyFile(source, join(alone, 'deps.pex')); // a different archive under the right name
    const wrong = await py([join(alone, 'source.pex'), '-c', 'pass']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /from a different build/);
  });

  test('another interpreter minor re-executes the target python, or is one clear line', async (t) => {
    const other = ['3.12.1', '3.10.13', '3.13.0', '3.9.18']
      .map((v) => join(homedir(), '.pyenv', 'versions', v, 'bin', 'python3'))
      .find((p) => existsSync(p));
    if (!other) return t.skip('no second interpreter on this machine');
    const target = (await run(PYTHON, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])).stdout.trim();
    const onPath = await run(other, [source, '-c', 'import sys, requests; print("%d.%d" % sys.version_info[:2])'], {
      env: { PEX_ROOT: pexRoot },
    });
    assert.equal(onPath.code, 0, onPath.stderr);
    assert.equal(onPath.stdout.trim(), target);
    const r = await run(other, [source, '-c', 'pass'], { env: { PEX_ROOT: pexRoot, PATH: '/nonexistent' } });
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(
      r.stderr,
      /^pexpress: (source|deps)\.pex was built for CPython 3\.\d+\+? on linux_\w+ but this is cpython 3\.\d+.*rebuild with --python/,
    );
  });

  test('parallel cold starts all succeed and leave one extraction per archive', async () => {
    const root = await tempDir('pexpress-race-');
    const runs = await Promise.all(
      Array.from({ length: 8 }, () => run(PYTHON, [source, '-c', 'import requests; print("ok")'], { env: { PEX_ROOT: root } })),
    );
    for (const r of runs) assert.equal(r.stdout.trim(), 'ok', r.stderr);
    const tree = join(root, 'pexpress');
    const leftovers = (await Promise.all(['archives', 'wheels', 'code'].map((d) => readdir(join(tree, d))))).flat();
    assert.deepEqual(
      leftovers.filter((e) => e.endsWith('.tmp')),
      [],
    );
    assert.equal((await readdir(join(tree, 'archives'))).length, 2);
    assert.equal((await readdir(join(tree, 'code'))).length, 1);
    assert.equal((await readdir(join(tree, 'wheels'))).length, built.stats?.wheels);
    await rm(root, { recursive: true, force: true });
  });

  test('a corrupt cache entry is reported, not used', async () => {
    const root = await tempDir('pexpress-corrupt-');
    assert.equal((await run(PYTHON, [source, '-c', 'pass'], { env: { PEX_ROOT: root } })).code, 0);
    for (const e of await readdir(join(root, 'pexpress', 'archives'))) await writeFile(join(root, 'pexpress', 'archives', e), 'garbage\n');
    const r = await run(PYTHON, [source, '-c', 'pass'], { env: { PEX_ROOT: root } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^pexpress: cache entry .* is corrupt: delete it/);
    await rm(root, { recursive: true, force: true });
  });

  test('a corrupt deps archive is one clear line, and nothing is left extracted', async () => {
    const bad = join(work, 'corrupt-deps.pex');
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(deps);
    for (let i = Math.floor(bytes.length / 3); i < Math.floor(bytes.length / 3) + 4096; i++) bytes[i] ^= 0x5a;
    await writeFile(bad, bytes);
    const root = await tempDir('pexpress-corrupt-deps-');
    const r = await run(PYTHON, [source, '-c', 'import requests'], { env: { PEX_ROOT: root, PEX_PATH: bad } });
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^pexpress: refusing to extract .*corrupt-deps\.pex: .*corrupt or malicious archive; fetch it again/);
    const left = (await readdir(join(root, 'pexpress', 'wheels'))).filter((e) => e.endsWith('.tmp'));
    assert.deepEqual(left, []);
    await rm(root, { recursive: true, force: true });
  });

  test('an archive with an escaping entry is refused and nothing is extracted', async () => {
    const evil = join(work, 'evil.pex');
    const forge = `
import sys, zipfile, re
src, dst = sys.argv[1], sys.argv[2]
fake = "f" * 64
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
    for info in zin.infolist():
        data = zin.read(info)
        if info.filename == "__main__.py":
            data, n = re.subn(rb'"pex_hash": "[0-9a-f]{64}"', ('"pex_hash": "%s"' % fake).encode(), data, count=1)
            assert n == 1
        zout.writestr(info, data)
    zout.writestr("../evil.py", "print('escaped')")
    zout.comment = ("pexpress:2:source:" + fake).encode()
`;
    const f = await run(PYTHON, ['-c', forge, source, evil]);
    assert.equal(f.code, 0, f.stderr);
    const root = await tempDir('pexpress-evil-');
    const r = await run(PYTHON, [evil, '-c', 'pass'], { env: { PEX_ROOT: root, PEX_PATH: deps } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^pexpress: refusing to extract .*evil\.pex: entry '\.\.\/evil\.py' escapes/);
    assert.deepEqual(await readdir(join(root, 'pexpress', 'code')).catch(() => []), []);
    assert.ok(!existsSync(join(root, 'evil.py')));
    await rm(root, { recursive: true, force: true });
  });
});

// A minimal PEP 517 backend so the isolation test installs a host-only package without any index.
const BACKEND = `
import base64, hashlib, os, zipfile
def _files():
    return [("hostonly/__init__.py", open("hostonly/__init__.py", "rb").read())]
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "hostonly-1-py3-none-any.whl"
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        files = _files() + [
            ("hostonly-1.dist-info/METADATA", b"Metadata-Version: 2.1\\nName: hostonly\\nVersion: 1\\n"),
            ("hostonly-1.dist-info/WHEEL", b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"),
        ]
        for path, data in files:
            z.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            records.append("%s,sha256=%s,%d" % (path, digest, len(data)))
        records.append("hostonly-1.dist-info/RECORD,,")
        z.writestr("hostonly-1.dist-info/RECORD", "\\n".join(records) + "\\n")
    return name
`;
