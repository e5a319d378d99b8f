import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildJson, cleanup, freePort, listFiles, pexpress, PYTHON, ROOT, run, tempDir, waitForServer } from './helpers.ts';

async function project(files: Record<string, string>): Promise<string> {
  const dir = join(await tempDir('pexpress-resolve-'), 'proj');
  await mkdir(join(dir, 'app'), { recursive: true });
  await writeFile(join(dir, 'app', '__init__.py'), '');
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function wheelsIn(pexFile: string): Promise<string[]> {
  const r = await run(PYTHON, [
    '-c',
    'import zipfile,sys; print("\\n".join(sorted({n.split("/")[1] for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.startswith(".deps/")})))',
    pexFile,
  ]);
  return r.stdout.split('\n').filter(Boolean);
}

interface PexInfoJson {
  pexpress: { python: string; platform: string };
  interpreter_constraints: string[];
  [field: string]: unknown;
}

async function pexInfo(pexFile: string): Promise<PexInfoJson> {
  const r = await run(PYTHON, ['-c', 'import zipfile,sys; print(zipfile.ZipFile(sys.argv[1]).read("PEX-INFO").decode())', pexFile]);
  return JSON.parse(r.stdout);
}

describe('deps.pex is built for the target, not the host', () => {
  const reqs = 'markupsafe==3.0.2\nsix==1.17.0; python_version < "3.12"\nappnope; sys_platform == "darwin"\n';

  test('python 3.12 on linux_aarch64: target tags, target markers', async () => {
    const dir = await project({ 'requirements.txt': reqs });
    try {
      const b = await buildJson(dir, ['--python', '3.12', '--platform', 'linux_aarch64']);
      const wheels = await wheelsIn(b.deps.path!);
      assert.equal(wheels.length, 1, wheels.join(', '));
      assert.match(wheels[0], /^markupsafe-3\.0\.2-cp312-cp312-.*manylinux.*aarch64.*\.whl$/i);
      const info = await pexInfo(b.deps.path!);
      assert.deepEqual([info.pexpress.python, info.pexpress.platform], ['3.12', 'linux_aarch64']);
      assert.deepEqual(info.interpreter_constraints, ['CPython==3.12.*']);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('the pip resolver picks target wheels, and warns that it evaluates markers for the host', async () => {
    const dir = await project({ 'requirements.txt': 'markupsafe==3.0.2\n' });
    try {
      const r = await pexpress([
        'build',
        '--project-dir',
        dir,
        '--json',
        '--resolver',
        'pip',
        '--python',
        '3.12',
        '--platform',
        'linux_aarch64',
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /warning: pip evaluates environment markers for this host .*--resolver uv/);
      const wheels = await wheelsIn(JSON.parse(r.stdout).deps.path);
      assert.equal(wheels.length, 1, wheels.join(', '));
      assert.match(wheels[0], /^markupsafe-3\.0\.2-cp312-cp312-.*manylinux.*aarch64.*\.whl$/i);
      const fp = JSON.parse((await pexpress(['fingerprint', '--project-dir', dir, '--resolver', 'pip', '--json'])).stdout);
      assert.equal(fp.resolver, 'pip');
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('python 3.11 on linux_x86_64: the python_version < "3.12" requirement is in, darwin-only never', async () => {
    const dir = await project({ 'requirements.txt': reqs });
    try {
      const b = await buildJson(dir, ['--python', '3.11', '--platform', 'linux_x86_64']);
      const wheels = await wheelsIn(b.deps.path!);
      assert.deepEqual(
        wheels.map((w) => w.split('-')[0].toLowerCase()),
        ['markupsafe', 'six'],
      );
      assert.match(wheels[0], /cp311-cp311-.*manylinux.*x86_64/);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('deps.pex runs on a matching host: namespace packages across wheels, .pth files, metadata, scripts', async () => {
    const dir = await project({ 'requirements.txt': 'jaraco.context==6.0.1\njaraco.functools==4.1.0\nsetuptools==75.8.0\n' });
    try {
      const b = await buildJson(dir);
      const root = await tempDir('pexpress-ns-root-');
      const code = [
        'import sys, importlib.metadata as md',
        'import jaraco.context, jaraco.functools', // one PEP 420 namespace, two wheels
        'assert "_distutils_hack" in sys.modules, "setuptools\' distutils-precedence.pth ran"',
        'print(md.version("jaraco.context"), md.version("setuptools"))',
      ].join('\n');
      const r = await run(PYTHON, [b.source.path!, '-c', code], { env: { PEX_ROOT: root } });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), '6.0.1 75.8.0');
      await cleanup(root);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('an sdist-only requirement: built on any host when the wheel is pure, refused when it is for this host only', async () => {
    const dir = await project({ 'requirements.txt': 'docopt==0.6.2\n' });
    try {
      const host = await pexpress(['build', '--project-dir', dir, '--json']);
      assert.equal(host.code, 0, host.stderr);
      const wheels = await wheelsIn(JSON.parse(host.stdout).deps.path);
      assert.match(wheels[0], /^docopt-0\.6\.2-py.*-none-any\.whl$/);
      // Another runner with an empty cache and its own store builds it again: the same bytes.
      const fresh = async (store: string) => {
        const cache = await tempDir('pexpress-sdist-cache-');
        try {
          const r = await pexpress(
            ['build', '--project-dir', dir, '--json', '--force-full', '--store', store, '--out-dir', join(dir, 'again')],
            {
              env: { PEXPRESS_CACHE_DIR: cache },
            },
          );
          assert.equal(r.code, 0, r.stderr);
          return r;
        } finally {
          await cleanup(cache);
        }
      };
      const rebuilt = await fresh(`file://${join(dir, 'other-store')}`);
      assert.match(rebuilt.stderr, /building docopt 0\.6\.2 from its sdist/);
      assert.equal(JSON.parse(rebuilt.stdout).deps.sha256, JSON.parse(host.stdout).deps.sha256, 'a rebuilt sdist gives the same deps.pex');
      // One sharing the store takes the wheel the first build stored instead of building it.
      const shared = await fresh(`file://${join(dir, '.pexpress', 'store')}`);
      assert.doesNotMatch(shared.stderr, /building docopt/);
      assert.match(shared.stderr, /docopt-0\.6\.2-py.*\.whl: built from docopt 0\.6\.2's sdist by an earlier build, taken from the store/);
      assert.equal(JSON.parse(shared.stdout).deps.sha256, JSON.parse(host.stdout).deps.sha256);
      const foreign = await pexpress(['build', '--project-dir', dir, '--json', '--platform', 'linux_aarch64', '--python', '3.12']);
      assert.equal(foreign.code, 0, foreign.stderr);
      assert.deepEqual(await wheelsIn(JSON.parse(foreign.stdout).deps.path), wheels, 'the same pure wheel');
      // MarkupSafe 2.0.1 has no wheels for 3.12 and its sdist compiles an extension for this host.
      await writeFile(join(dir, 'requirements.txt'), 'markupsafe==2.0.1\n');
      const native = await pexpress(['build', '--project-dir', dir, '--platform', 'linux_aarch64', '--python', '3.12']);
      assert.equal(native.code, 2, native.stderr);
      assert.match(
        native.stderr.trim().split('\n').at(-1)!,
        /^pexpress: markupsafe 2\.0\.1 has no wheel for CPython 3\.12 on linux_aarch64 and its sdist builds markupsafe-2\.0\.1-cp\d+-cp\d+-linux_\w+\.whl on this host, which the target cannot use — pin a version that publishes such wheels/,
      );
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('setup.py extras are installed only when asked for', async () => {
    const dir = await project({
      'setup.py':
        'from setuptools import setup\nsetup(name="app", version="1", packages=["app"], install_requires=["six"], extras_require={"fmt": ["markupsafe==3.0.2"]})\n',
    });
    try {
      const plain = await buildJson(dir);
      assert.deepEqual(
        (await wheelsIn(plain.deps.path!)).map((w) => w.split('-')[0]),
        ['six'],
      );
      const withExtra = await buildJson(dir, ['--extras', 'fmt']);
      assert.equal(withExtra.buildType, 'full');
      assert.deepEqual(
        (await wheelsIn(withExtra.deps.path!)).map((w) => w.split('-')[0].toLowerCase()),
        ['markupsafe', 'six'],
      );
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('a direct URL requirement is installed from its archive, hash-checked', async () => {
    const url =
      'https://files.pythonhosted.org/packages/b7/ce/149a00dd41f10bc29e5921b496af8b574d8413afcd5e30dfa0ed46c2cc5e/six-1.17.0-py2.py3-none-any.whl';
    const dir = await project({ 'requirements.txt': `six @ ${url}\n` });
    try {
      const b = await buildJson(dir);
      assert.deepEqual(await wheelsIn(b.deps.path!), ['six-1.17.0-py2.py3-none-any.whl']);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('a second full build of the same set downloads nothing', async () => {
    const dir = await project({ 'requirements.txt': 'six==1.17.0\n' });
    const cache = await tempDir('pexpress-cache-');
    try {
      const first = await buildJson(dir, [], { PEXPRESS_CACHE_DIR: cache });
      assert.equal(first.stats?.downloaded, 1);
      const again = await buildJson(dir, ['--force-full'], { PEXPRESS_CACHE_DIR: cache });
      assert.deepEqual(again.stats, { wheels: 1, downloaded: 0 });
      assert.equal(again.deps.sha256, first.deps.sha256);
    } finally {
      await cleanup(join(dir, '..'), cache);
    }
  });

  test('an unreachable index is one clear line, exit 1', async () => {
    const dir = await project({ 'requirements.txt': '--index-url http://127.0.0.1:9/simple/\nsix\n' });
    try {
      const r = await pexpress(['build', '--project-dir', dir]);
      assert.equal(r.code, 1);
      const last = r.stderr.trim().split('\n').at(-1)!;
      assert.match(last, /^pexpress: (uv|pip) could not resolve requirements\.txt/);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });
});

describe('a lockfile is the source of truth', () => {
  let dir: string;
  before(async () => {
    dir = join(await tempDir('pexpress-lock-'), 'locked');
    await cp(join(ROOT, 'test', 'fixtures', 'locked'), dir, { recursive: true });
  });
  after(() => cleanup(join(dir, '..')));

  const fingerprint = async () => {
    const r = await pexpress(['fingerprint', '--project-dir', dir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };

  test('installs exactly the locked versions, markers evaluated for the target', async () => {
    // pyproject says six>=1.10; the lock pins 1.16.0 although 1.17.0 exists.
    const b311 = await buildJson(dir, ['--python', '3.11']);
    assert.deepEqual(await wheelsIn(b311.deps.path!), ['six-1.16.0-py2.py3-none-any.whl']);
    const b39 = await buildJson(dir, ['--python', '3.9']);
    const names = (await wheelsIn(b39.deps.path!)).map((w) => w.split('-').slice(0, 2).join('-'));
    assert.deepEqual(names, ['six-1.16.0', 'tomli-2.5.0']);
  });

  test('a comment or a non-dependency edit of pyproject.toml keeps the fingerprint; a lock change changes it', async () => {
    const before = await fingerprint();
    assert.equal(before.source, 'uv.lock');
    const pyproject = join(dir, 'pyproject.toml');
    // (A dependency edit without re-locking is refused as a stale lock: see declarations.test.ts.)
    await writeFile(pyproject, '# a comment\n' + (await readFile(pyproject, 'utf8')).replace('version = "0.1.0"', 'version = "0.2.0"'));
    assert.equal((await fingerprint()).fingerprint, before.fingerprint, 'declarations do not count when locked');
    const lock = join(dir, 'uv.lock');
    await writeFile(lock, (await readFile(lock, 'utf8')).replace('version = "2.5.0"', 'version = "2.4.0"'));
    const after = await fingerprint();
    assert.notEqual(after.fingerprint, before.fingerprint);
  });
});

describe('Poetry projects', () => {
  const pyproject = `[tool.poetry]
name = "poetry-app"
version = "0.1.0"
description = ""
authors = ["x <x@example.com>"]
packages = [{ include = "app" }]

[tool.poetry.dependencies]
python = "^3.9"
six = "^1.16"

[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"
`;

  test("[tool.poetry.dependencies] are resolved through the project's build backend", async () => {
    const dir = await project({ 'pyproject.toml': pyproject });
    try {
      const b = await buildJson(dir);
      assert.deepEqual(
        (await wheelsIn(b.deps.path!)).map((w) => w.split('-')[0]),
        ['six'],
      );
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('poetry.lock pins the exact versions and hashes', async () => {
    const lock = `[[package]]
name = "six"
version = "1.16.0"
description = "Python 2 and 3 compatibility utilities"
optional = false
python-versions = ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*"
files = [
    {file = "six-1.16.0-py2.py3-none-any.whl", hash = "sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254"},
    {file = "six-1.16.0.tar.gz", hash = "sha256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926"},
]

[metadata]
lock-version = "2.0"
python-versions = "^3.9"
content-hash = "03ad29a0ba7630030b8c7f96440f361ded0d3a6fb00b9fda78ff45a6fd3fb103"
`;
    const dir = await project({ 'pyproject.toml': pyproject, 'poetry.lock': lock });
    try {
      const b = await buildJson(dir);
      assert.deepEqual(await wheelsIn(b.deps.path!), ['six-1.16.0-py2.py3-none-any.whl']);
      const fp = JSON.parse((await pexpress(['fingerprint', '--project-dir', dir, '--json'])).stdout);
      assert.equal(fp.source, 'poetry.lock');
    } finally {
      await cleanup(join(dir, '..'));
    }
  });
});

describe('a private index behind basic auth', () => {
  const token = `tok-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  let server: ChildProcess;
  let port: number;
  let work: string;

  before(async () => {
    work = await tempDir('pexpress-private-');
    const pkgs = join(work, 'packages');
    await mkdir(pkgs);
    // A real wheel of a package that exists nowhere else.
    const make = `
import base64, hashlib, sys, zipfile
name = "pexpress_private_demo-1.0-py3-none-any.whl"
files = {"pexpress_private_demo/__init__.py": b"SECRET_SAUCE = 42\\n",
         "pexpress_private_demo-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\\nName: pexpress-private-demo\\nVersion: 1.0\\n",
         "pexpress_private_demo-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"}
rec = []
with zipfile.ZipFile(sys.argv[1] + "/" + name, "w") as z:
    for p, d in files.items():
        z.writestr(p, d)
        rec.append("%s,sha256=%s,%d" % (p, base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b"=").decode(), len(d)))
    z.writestr("pexpress_private_demo-1.0.dist-info/RECORD", "\\n".join(rec + ["pexpress_private_demo-1.0.dist-info/RECORD,,"]) + "\\n")
`;
    assert.equal((await run(PYTHON, ['-c', make, pkgs])).code, 0);
    const venvPy = join(ROOT, '.venv', 'bin', 'python');
    const htpasswd = join(work, 'htpasswd');
    const h = await run(venvPy, [
      '-c',
      `from passlib.apache import HtpasswdFile; h = HtpasswdFile(${JSON.stringify(htpasswd)}, new=True); h.set_password("ci", ${JSON.stringify(token)}); h.save()`,
    ]);
    assert.equal(h.code, 0, h.stderr);
    port = await freePort();
    const bin = process.env.PEXPRESS_TEST_PYPISERVER ?? join(ROOT, '.venv', 'bin', 'pypi-server');
    server = spawn(bin, ['run', '-i', '127.0.0.1', '-p', String(port), '-P', htpasswd, '-a', 'download,list,update', pkgs], {
      stdio: 'ignore',
    });
    await waitForServer(`http://127.0.0.1:${port}/simple/`, server, 'pypi-server');
    const denied = await fetch(`http://127.0.0.1:${port}/simple/`);
    assert.equal(denied.status, 401, 'the index really needs credentials');
  });
  after(async () => {
    server?.kill();
    await cleanup(work);
  });

  test('the build works and the token appears in no output, archive or store object', async () => {
    const dir = await project({
      'requirements.txt': `--extra-index-url http://ci:${token}@127.0.0.1:${port}/simple/\npexpress-private-demo==1.0\nsix==1.17.0\n`,
    });
    try {
      const r = await pexpress(['build', '--project-dir', dir, '--json']);
      assert.equal(r.code, 0, r.stderr.replaceAll(token, '<TOKEN>'));
      assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token), 'not in logs or JSON');
      const b = JSON.parse(r.stdout);
      assert.deepEqual(
        (await wheelsIn(b.deps.path)).map((w) => w.split('-')[0]),
        ['pexpress_private_demo', 'six'],
      );
      const fp = await pexpress(['fingerprint', '--project-dir', dir, '--json']);
      assert.ok(!fp.stdout.includes(token), 'not in the fingerprint');
      assert.match(fp.stdout, new RegExp(`http://127\\.0\\.0\\.1:${port}/simple/`));
      const storeDir = join(dir, '.pexpress');
      for (const f of await listFiles(storeDir)) {
        const bytes = await readFile(join(storeDir, f));
        assert.ok(!bytes.includes(token), `token found in ${f}`);
      }
      const out = await run(PYTHON, [b.source.path, '-c', 'import pexpress_private_demo as p; print(p.SECRET_SAUCE)'], {
        env: { PEX_ROOT: join(work, 'pexroot') },
      });
      assert.equal(out.stdout.trim(), '42', out.stderr);
      // A failing build must not leak it either.
      await writeFile(
        join(dir, 'requirements.txt'),
        `--extra-index-url http://ci:${token}@127.0.0.1:${port}/simple/\npexpress-private-demo==9.9\n`,
      );
      const bad = await pexpress(['build', '--project-dir', dir]);
      assert.equal(bad.code, 1);
      assert.ok(!bad.stderr.includes(token), bad.stderr);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });
});
