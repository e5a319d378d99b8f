import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildJson, cleanup, listFiles, pexpress, PYTHON, ROOT, run, tempDir } from './helpers.ts';
import { startPrivateIndex, type PrivateIndex } from './private-index.ts';

const UV = process.env.PEXPRESS_UV ?? join(ROOT, '.venv', 'bin', 'uv');

async function project(files: Record<string, string>): Promise<string> {
  const dir = join(await tempDir('pexpress-decl-'), 'proj');
  await mkdir(join(dir, 'app'), { recursive: true });
  await writeFile(join(dir, 'app', '__init__.py'), '');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

async function uv(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await run(UV, args, { cwd, env: { UV_PYTHON_DOWNLOADS: 'never', ...env } });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

async function wheelsIn(pexFile: string): Promise<string[]> {
  const r = await run(PYTHON, [
    '-c',
    'import zipfile,sys; print("\\n".join(sorted({n.split("/")[1].split("-")[0].lower() for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.startswith(".deps/")})))',
    pexFile,
  ]);
  return r.stdout.split('\n').filter(Boolean);
}

async function member(pexFile: string, name: string): Promise<string> {
  const r = await run(PYTHON, [
    '-c',
    'import zipfile,sys; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())',
    pexFile,
    name,
  ]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

async function fingerprint(dir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const r = await pexpress(['fingerprint', '--project-dir', dir, '--json', ...extra], { env });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { fingerprint: string; source: string; components: Array<{ name: string; value: unknown }> };
}

const lastLine = (s: string) => s.trim().split('\n').at(-1)!;

const PYPROJECT = `[project]
name = "shop"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["six==1.17.0"]

[project.optional-dependencies]
fmt = ["markupsafe==3.0.2"]

[dependency-groups]
dev = ["iniconfig==2.0.0"]
docs = ["idna==3.10"]
`;

describe('lockfiles install the runtime dependencies, then what is asked for', () => {
  let dir: string;
  before(async () => {
    dir = await project({ 'pyproject.toml': PYPROJECT });
    await uv(dir, ['lock', '--quiet']);
  });
  after(() => cleanup(join(dir, '..')));

  test('uv.lock: no dev group by default; --extras and --groups add theirs', async () => {
    const plain = await buildJson(dir);
    assert.deepEqual(await wheelsIn(plain.deps.path!), ['six']);
    const more = await buildJson(dir, ['--extras', 'fmt', '--groups', 'docs']);
    assert.deepEqual(await wheelsIn(more.deps.path!), ['idna', 'markupsafe', 'six']);
    const fp = await fingerprint(dir, ['--groups', 'docs']);
    assert.deepEqual(fp.components.find((c) => c.name === 'groups')?.value, ['docs']);
    const bad = await pexpress(['build', '--project-dir', dir, '--groups', 'doc']);
    assert.equal(bad.code, 2);
    assert.equal(
      lastLine(bad.stderr),
      "pexpress: --groups doc: uv.lock (project shop) has no group 'doc' (it has: dev, docs) — fix the name or re-lock",
    );
  });

  test('uv.lock: a dev tool bump keeps the fingerprint; a runtime bump changes it', async () => {
    const before = await fingerprint(dir);
    const value = JSON.stringify(before.components.find((c) => c.name === 'uv.lock')?.value);
    assert.ok(!value.includes('iniconfig') && value.includes('six==1.17.0'), value);
    const pyproject = join(dir, 'pyproject.toml');
    await writeFile(pyproject, PYPROJECT.replace('iniconfig==2.0.0', 'iniconfig==2.1.0'));
    await uv(dir, ['lock', '--quiet']);
    assert.equal((await fingerprint(dir)).fingerprint, before.fingerprint, 'dev-only change');
    await writeFile(pyproject, PYPROJECT.replace('iniconfig==2.0.0', 'iniconfig==2.1.0').replace('six==1.17.0', 'six==1.16.0'));
    await uv(dir, ['lock', '--quiet']);
    assert.notEqual((await fingerprint(dir)).fingerprint, before.fingerprint);
    await writeFile(pyproject, PYPROJECT);
    await uv(dir, ['lock', '--quiet']);
  });

  test('uv.lock out of date with pyproject.toml: refused, naming the difference', async () => {
    const pyproject = join(dir, 'pyproject.toml');
    await writeFile(pyproject, PYPROJECT.replace('"six==1.17.0"', '"six==1.16.0", "idna>=3"'));
    try {
      const r = await pexpress(['build', '--project-dir', dir]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(
        lastLine(r.stderr),
        'pexpress: uv.lock is out of date with pyproject.toml (+six==1.16.0, +idna>=3, −six==1.17.0) — run uv lock and commit it',
      );
    } finally {
      await writeFile(pyproject, PYPROJECT);
    }
  });

  test('pylock.toml: markers over extras and dependency_groups are decided by --extras/--groups', async () => {
    const p = await project({ 'pyproject.toml': PYPROJECT });
    try {
      await uv(p, ['lock', '--quiet']);
      await uv(p, [
        'export',
        '--quiet',
        '--format',
        'pylock.toml',
        '--all-groups',
        '--all-extras',
        '--no-emit-project',
        '-o',
        'pylock.toml',
      ]);
      // Mark each package with the group/extra it belongs to, as a PEP 751 lock with groups does.
      let lock = await readFile(join(p, 'pylock.toml'), 'utf8');
      lock = lock.replace(
        'lock-version = "1.0"',
        'lock-version = "1.0"\nextras = ["fmt"]\ndependency-groups = ["dev", "docs"]\ndefault-groups = []',
      );
      const mark = (name: string, marker: string) => {
        lock = lock.replace(`name = "${name}"\n`, `name = "${name}"\nmarker = "${marker}"\n`);
      };
      mark('idna', "'docs' in dependency_groups");
      mark('iniconfig', "'dev' in dependency_groups and python_version >= '3.8'");
      mark('markupsafe', "'fmt' in extras");
      await writeFile(join(p, 'pylock.toml'), lock);
      const { rm } = await import('node:fs/promises');
      await rm(join(p, 'uv.lock'));
      const plain = await buildJson(p);
      assert.deepEqual(await wheelsIn(plain.deps.path!), ['six']);
      const docs = await buildJson(p, ['--groups', 'docs,dev']);
      assert.deepEqual(await wheelsIn(docs.deps.path!), ['idna', 'iniconfig', 'six']);
      assert.equal((await fingerprint(p)).source, 'pylock.toml');
    } finally {
      await cleanup(join(p, '..'));
    }
  });

  test('poetry.lock (written by Poetry): the main group only; groups and extras on request', async () => {
    const p = join(await tempDir('pexpress-poetry-'), 'proj');
    const { cp } = await import('node:fs/promises');
    await cp(join(ROOT, 'test', 'fixtures', 'poetry-groups'), p, { recursive: true });
    try {
      const plain = await buildJson(p);
      assert.deepEqual(await wheelsIn(plain.deps.path!), ['six']);
      const more = await buildJson(p, ['--groups', 'docs', '--extras', 'fmt']);
      assert.deepEqual(await wheelsIn(more.deps.path!), ['idna', 'markupsafe', 'six']);
      const fp = await fingerprint(p);
      assert.ok(!JSON.stringify(fp.components).includes('iniconfig'), 'the dev group is not fingerprinted');
      // Poetry's own freshness rule: the content-hash of the dependency declarations.
      const pyproject = join(p, 'pyproject.toml');
      await writeFile(pyproject, (await readFile(pyproject, 'utf8')).replace('six = "1.17.0"', 'six = "1.16.0"'));
      const stale = await pexpress(['build', '--project-dir', p]);
      assert.equal(stale.code, 2, stale.stderr);
      assert.match(
        lastLine(stale.stderr),
        /^pexpress: poetry\.lock is out of date with pyproject\.toml .* — run poetry lock and commit it$/,
      );
    } finally {
      await cleanup(join(p, '..'));
    }
  });

  test('a uv workspace member installs its locked set from the root uv.lock', async () => {
    const ws = await project({
      // The root pins six below the newest release: a fresh resolution of the member would not.
      'pyproject.toml':
        '[project]\nname = "root"\nversion = "0"\nrequires-python = ">=3.9"\n[tool.uv]\nconstraint-dependencies = ["six==1.16.0"]\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
      'packages/api/pyproject.toml':
        '[project]\nname = "api"\nversion = "0.1"\nrequires-python = ">=3.9"\ndependencies = ["six>=1.10"]\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
      'packages/api/api/__init__.py': '',
    });
    try {
      await uv(ws, ['lock', '--quiet']);
      const api = join(ws, 'packages', 'api');
      const fp = await fingerprint(api);
      assert.equal(fp.source, 'uv.lock');
      const b = await buildJson(api);
      const names = await run(PYTHON, [
        '-c',
        'import zipfile,sys; print(sorted({n.split("/")[1] for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.count("/") > 1 and n.startswith(".deps/")}))',
        b.deps.path!,
      ]);
      assert.equal(names.stdout.trim(), "['six-1.16.0-py2.py3-none-any.whl']");
    } finally {
      await cleanup(join(ws, '..'));
    }
  });
});

describe('requirements files: hash pins, explicit names', () => {
  test('--hash pins: a pin changed without its hashes and an unhashed dependency are refused', async () => {
    const dir = await project({ 'requirements.in': 'python-dateutil==2.9.0.post0\n' });
    try {
      await uv(dir, [
        'pip',
        'compile',
        '--quiet',
        '--generate-hashes',
        '--no-header',
        '--python-version',
        '3.11',
        'requirements.in',
        '-o',
        'requirements.txt',
      ]);
      const hashed = await readFile(join(dir, 'requirements.txt'), 'utf8');
      assert.match(hashed, /six==1\.17\.0 \\\n\s+--hash=sha256:/);
      const ok = await buildJson(dir);
      assert.deepEqual(await wheelsIn(ok.deps.path!), ['python_dateutil', 'six']);

      await writeFile(join(dir, 'requirements.txt'), hashed.replace('six==1.17.0', 'six==1.16.0'));
      const changed = await pexpress(['build', '--project-dir', dir]);
      assert.equal(changed.code, 2, changed.stderr);
      assert.equal(
        lastLine(changed.stderr),
        'pexpress: six 1.16.0: none of its files has a sha256 listed by its --hash in requirements.txt — the pin changed without its hashes; regenerate them',
      );

      const onlyTop = hashed.split(/\n(?=six==)/)[0] + '\n';
      await writeFile(join(dir, 'requirements.txt'), onlyTop);
      const unhashed = await pexpress(['build', '--project-dir', dir]);
      assert.equal(unhashed.code, 2, unhashed.stderr);
      assert.match(
        lastLine(unhashed.stderr),
        /^pexpress: requirements\.txt is in hash-checking mode \(a requirement has --hash\) but six 1\.17\.0 has no --hash — /,
      );
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('a requirements file named but missing is an error; the default may be absent', async () => {
    const dir = await project({
      'requirements.txt': 'six==1.17.0\n',
      'setup.py': 'from setuptools import setup\nsetup(name="app", version="1", packages=["app"])\n',
    });
    try {
      const r = await pexpress(['build', '--project-dir', dir, '--requirements', 'requirement.txt']);
      assert.equal(r.code, 2);
      assert.match(lastLine(r.stderr), /^pexpress: requirements file requirement\.txt does not exist in .* — fix its name/);
      const { rm } = await import('node:fs/promises');
      await rm(join(dir, 'requirements.txt'));
      const b = await buildJson(dir);
      assert.deepEqual(await wheelsIn(b.deps.path!), []);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('requires-python is checked against the target before anything is resolved', async () => {
    const dir = await project({ 'pyproject.toml': PYPROJECT.replace('>=3.9', '>=3.10') });
    try {
      const r = await pexpress(['build', '--project-dir', dir, '--python', '3.9']);
      assert.equal(r.code, 2);
      assert.equal(
        lastLine(r.stderr),
        'pexpress: pyproject.toml: requires-python = ">=3.10" excludes the target CPython 3.9 — build for a Python it allows (--python X.Y) or change the declaration',
      );
      const ok = await pexpress(['fingerprint', '--project-dir', dir, '--python', '3.10']);
      assert.equal(ok.code, 0, ok.stderr);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });
});

describe('the default target follows the project', () => {
  test('.python-version, then a requires-python that allows one minor, then the host; the log says which', async () => {
    const dir = await project({ 'requirements.txt': 'six==1.17.0\n', '.python-version': '3.12.4\n' });
    try {
      const fp = JSON.parse((await pexpress(['fingerprint', '--project-dir', dir, '--json'])).stdout);
      assert.equal(fp.target.python, '3.12');
      const b = await pexpress(['build', '--project-dir', dir]);
      assert.equal(b.code, 0, b.stderr);
      assert.match(b.stderr, /CPython 3\.12 \(from \.python-version\) linux_/);
      const { rm } = await import('node:fs/promises');
      await rm(join(dir, '.python-version'));
      // As uv finds it: in a parent directory too (a monorepo's root).
      await writeFile(join(dir, '..', '.python-version'), '3.10\n');
      const parent = JSON.parse((await pexpress(['fingerprint', '--project-dir', dir, '--json'])).stdout);
      assert.equal(parent.target.python, '3.10');
      await rm(join(dir, '..', '.python-version'));
      await writeFile(
        join(dir, 'pyproject.toml'),
        '[project]\nname = "app"\nversion = "1"\nrequires-python = "==3.13.*"\ndependencies = []\n',
      );
      const pinned = await pexpress(['build', '--project-dir', dir]);
      assert.equal(pinned.code, 0, pinned.stderr);
      assert.match(pinned.stderr, /CPython 3\.13 \(from pyproject\.toml: requires-python = "==3\.13\.\*"\) linux_/);
      await writeFile(
        join(dir, 'pyproject.toml'),
        '[project]\nname = "app"\nversion = "1"\nrequires-python = ">=3.9"\ndependencies = []\n',
      );
      const host = await pexpress(['build', '--project-dir', dir]);
      assert.match(host.stderr, /\(from the host's python3\)/);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });
});

describe('--include wins over .gitignore', () => {
  test('a generated, gitignored _version.py and a gitignored directory are packed when included; --exclude still wins', async () => {
    const dir = await project({
      '.gitignore': 'app/_version.py\ngenerated/\n',
      'app/_version.py': 'version = "1.2.3"\n',
      'generated/schema.py': 'SCHEMA = 1\n',
      'generated/other.py': 'OTHER = 1\n',
    });
    try {
      const names = async (b: { source: { path: string | null } }) => {
        const r = await run(PYTHON, [
          '-c',
          'import zipfile,sys; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))',
          b.source.path!,
        ]);
        return r.stdout.split('\n').filter((n) => /\.py$/.test(n) && n !== '__main__.py');
      };
      assert.deepEqual(await names(await buildJson(dir)), ['app/__init__.py']);
      const included = await buildJson(dir, ['--include', 'app/_version.py', '--include', 'generated/schema.py']);
      assert.deepEqual(await names(included), ['app/__init__.py', 'app/_version.py', 'generated/schema.py']);
      const whole = await buildJson(dir, ['--include', 'generated/', '--include', '_version.py', '--exclude', 'generated/other.py']);
      assert.deepEqual(await names(whole), ['app/__init__.py', 'app/_version.py', 'generated/schema.py']);
      const ran = await run(
        PYTHON,
        [whole.source.path!, '-c', 'import app._version as v, generated.schema as s; print(v.version, s.SCHEMA)'],
        {
          env: { PEX_ROOT: join(dir, '..', 'pexroot') },
        },
      );
      assert.equal(ran.stdout.trim(), '1.2.3 1', ran.stderr);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });
});

describe('a full build names what changed, for every kind of declaration', () => {
  test('-r includes, pyproject.toml dependencies, extras by name', async () => {
    const dir = await project({
      'requirements.txt': '-r requirements/base.txt\nidna==3.10\n',
      'requirements/base.txt': 'six==1.16.0\n',
      'pyproject.toml':
        '[project]\nname = "app"\nversion = "1"\ndependencies = ["six"]\n[project.optional-dependencies]\nfmt = ["markupsafe==3.0.2"]\n',
    });
    try {
      await buildJson(dir);
      await writeFile(join(dir, 'requirements', 'base.txt'), 'six==1.17.0\n');
      const r1 = await buildJson(dir);
      assert.equal(r1.buildType, 'full');
      assert.match(r1.reason, /: requirements\/base\.txt: six 1\.16\.0 → 1\.17\.0$/);
      await writeFile(
        join(dir, 'pyproject.toml'),
        '[project]\nname = "app"\nversion = "2"\ndependencies = ["six>=1.16", "iniconfig==2.0.0"]\n[project.optional-dependencies]\nfmt = ["markupsafe==3.0.2"]\n',
      );
      const r2 = await buildJson(dir);
      assert.match(r2.reason, /: pyproject\.toml: \+iniconfig==2\.0\.0, six \(any\) → >=1\.16$/);
      const r3 = await buildJson(dir, ['--extras', 'fmt']);
      assert.match(r3.reason, /: extras \+fmt$/);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('setup.py: a version bump stays fast, a dependency change is named, computed dependencies say so', async () => {
    const setup = (version: string, requires: string) =>
      `from setuptools import setup\nsetup(name="app", version="${version}", packages=["app"], install_requires=${requires})\n`;
    const dir = await project({ 'setup.py': setup('1.0', '["six==1.16.0"]') });
    try {
      const first = await buildJson(dir);
      await writeFile(join(dir, 'setup.py'), setup('1.1', '["six==1.16.0"]'));
      const bump = await buildJson(dir);
      assert.equal(bump.buildType, 'fast', bump.reason);
      assert.equal(bump.fingerprint, first.fingerprint);
      await writeFile(join(dir, 'setup.py'), setup('1.1', '["six==1.17.0"]'));
      const dep = await buildJson(dir);
      assert.match(dep.reason, /: setup\.py: six 1\.16\.0 → 1\.17\.0$/);
      await writeFile(join(dir, 'setup.py'), setup('1.1', 'open("reqs.txt").read().split()'));
      await writeFile(join(dir, 'reqs.txt'), 'six==1.17.0\n');
      const computed = await buildJson(dir);
      assert.match(
        computed.reason,
        /: setup\.py: its dependencies are read now|setup\.py changed \(install_requires is computed \(line 2\), so any edit counts\)/,
      );
      await writeFile(join(dir, 'setup.py'), setup('1.2', 'open("reqs.txt").read().split()'));
      const again = await buildJson(dir);
      assert.match(again.reason, /: setup\.py changed \(install_requires is computed \(line 2\), so any edit counts\)$/);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });
});

describe("the project's own metadata is in source.pex", () => {
  test('importlib.metadata.version and PEX_SCRIPT with its own console script work; a fast build reuses the metadata', async () => {
    const dir = await project({
      'pyproject.toml':
        '[project]\nname = "shop"\nversion = "1.4.2"\ndependencies = ["six==1.17.0"]\n[project.scripts]\nshop-hello = "app:hello"\n[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n[tool.setuptools]\npackages = ["app"]\n',
      'app/__init__.py': 'def hello():\n    print("hello from shop")\n',
    });
    try {
      const env = {};
      const b = await buildJson(dir, [], env);
      const pexRoot = join(dir, '..', 'pexroot');
      const version = await run(PYTHON, [b.source.path!, '-c', 'import importlib.metadata as m; print(m.version("shop"))'], {
        env: { PEX_ROOT: pexRoot },
      });
      assert.equal(version.stdout.trim(), '1.4.2', version.stderr);
      const script = await run(PYTHON, [b.source.path!], { env: { PEX_ROOT: pexRoot, PEX_SCRIPT: 'shop-hello' } });
      assert.equal(script.stdout.trim(), 'hello from shop', script.stderr);
      // A code edit: fast, and the metadata comes from the cache (keyed by the declarations, not the code).
      await writeFile(join(dir, 'app', 'more.py'), 'X = 1\n');
      const fast = await pexpress(['build', '--project-dir', dir, '--json'], { env });
      assert.equal(fast.code, 0, fast.stderr);
      assert.equal(JSON.parse(fast.stdout).buildType, 'fast');
      const names = await run(PYTHON, [
        '-c',
        'import zipfile,sys; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))',
        JSON.parse(fast.stdout).source.path,
      ]);
      assert.match(names.stdout, /^shop-1\.4\.2\.dist-info\/METADATA$/m);
      assert.match(names.stdout, /^shop-1\.4\.2\.dist-info\/entry_points\.txt$/m);
      assert.ok(JSON.parse(fast.stdout).timings.collect < 2000, 'no build backend ran');
    } finally {
      await cleanup(join(dir, '..'));
    }
  });
});

describe('private indexes: ${VAR} from the environment, credentials nowhere else', () => {
  const token = `tok-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const atPassword = `ss@WORD-TAIL-${Math.random().toString(36).slice(2)}`;
  let index: PrivateIndex;
  before(async () => {
    index = await startPrivateIndex({ ci: token, ci2: atPassword }, [
      { dist: 'my_private_lib', version: '2.1.0', module: 'my_private_lib' },
    ]);
  });
  after(() => index?.stop());

  async function assertNowhere(dir: string, secret: string, outputs: string[]): Promise<void> {
    for (const o of outputs) assert.ok(!o.includes(secret), 'not in the output');
    for (const sub of ['.pexpress/store', '.pexpress/out']) {
      for (const f of await listFiles(join(dir, sub))) {
        const bytes = await readFile(join(dir, sub, f));
        assert.ok(!bytes.includes(secret), `found in ${sub}/${f}`);
      }
    }
  }

  test('the documented example (docs/building.md), with the token only in the environment', async () => {
    const readme = await readFile(join(ROOT, 'docs', 'building.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Private indexes'));
    const example = /```\n([\s\S]*?)```/.exec(section)![1];
    assert.match(example, /\$\{PYPI_TOKEN\}/);
    // Only the host changes: the README's index is a placeholder, ours is on loopback.
    const local = example.replace('https://', 'http://').replace('pypi.example.com', `127.0.0.1:${index.port}`);
    const dir = await project({ 'requirements.txt': local });
    try {
      const env = { PYPI_TOKEN: token };
      const r = await pexpress(['build', '--project-dir', dir, '--json'], { env });
      assert.equal(r.code, 0, r.stderr.replaceAll(token, '<TOKEN>'));
      const b = JSON.parse(r.stdout);
      assert.deepEqual(await wheelsIn(b.deps.path), ['my_private_lib']);
      const fp = await pexpress(['fingerprint', '--project-dir', dir, '--json'], { env });
      assert.ok(fp.stdout.includes('${PYPI_TOKEN}'), 'the placeholder, not the value, is fingerprinted');
      const unset = await pexpress(['fingerprint', '--project-dir', dir, '--json'], { env: { PYPI_TOKEN: '' } });
      assert.equal(JSON.parse(unset.stdout).fingerprint, JSON.parse(fp.stdout).fingerprint, 'the value is not fingerprinted');
      assert.match(unset.stderr, /warning: requirements\.txt:1: \$\{PYPI_TOKEN\} is not set \(or empty\), so it is used as written/);
      await assertNowhere(dir, token, [r.stdout, r.stderr, fp.stdout, fp.stderr]);
      const ran = await run(PYTHON, [b.source.path, '-c', 'import my_private_lib as m; print(m.VERSION)'], {
        env: { PEX_ROOT: join(dir, '..', 'pexroot') },
      });
      assert.equal(ran.stdout.trim(), '2.1.0', ran.stderr);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('a literal password with a raw @: stripped whole, and replaced in the source.pex copy', async () => {
    const dir = await project({
      'requirements.txt': `--extra-index-url http://ci2:${atPassword}@127.0.0.1:${index.port}/simple/\nmy-private-lib==2.1.0\n`,
    });
    try {
      const r = await pexpress(['build', '--project-dir', dir, '--json']);
      assert.equal(r.code, 0, r.stderr.replaceAll(atPassword, '<PW>'));
      const warnings = r.stderr.split('\n').filter((l) => /literal credential/.test(l));
      assert.equal(warnings.length, 1, r.stderr);
      assert.match(
        warnings[0],
        /requirements\.txt:1: source\.pex gets requirements\.txt with it replaced by \$\{PEXPRESS_REDACTED_CREDENTIAL\}/,
      );
      const b = JSON.parse(r.stdout);
      assert.deepEqual(await wheelsIn(b.deps.path), ['my_private_lib']);
      const copy = await member(b.source.path, 'requirements.txt');
      assert.equal(
        copy,
        `--extra-index-url http://ci2:\${PEXPRESS_REDACTED_CREDENTIAL}@127.0.0.1:${index.port}/simple/\nmy-private-lib==2.1.0\n`,
      );
      const fp = await pexpress(['fingerprint', '--project-dir', dir, '--json']);
      assert.match(fp.stdout, new RegExp(`"http://127\\.0\\.0\\.1:${index.port}/simple/"`));
      await assertNowhere(dir, 'WORD-TAIL', [r.stdout, r.stderr, fp.stdout]);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('[[tool.poetry.source]] credentials are not fingerprinted', async () => {
    const dir = await project({
      'pyproject.toml': `[tool.poetry]\nname = "p"\nversion = "0.1.0"\ndescription = ""\nauthors = ["x <x@example.com>"]\n\n[tool.poetry.dependencies]\npython = ">=3.9"\nsix = "*"\n\n[[tool.poetry.source]]\nname = "private"\nurl = "http://ci:${token}@127.0.0.1:${index.port}/simple/"\npriority = "supplemental"\n`,
    });
    try {
      const fp = await pexpress(['fingerprint', '--project-dir', dir, '--json']);
      assert.equal(fp.code, 0, fp.stderr);
      assert.ok(!fp.stdout.includes(token) && fp.stdout.includes(`http://127.0.0.1:${index.port}/simple/`), fp.stdout);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });

  test('[[tool.uv.index]] with credentials: locked, downloaded, and kept out of fingerprints, records and source.pex', async () => {
    const pyproject = `[project]
name = "svc"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["my-private-lib==2.1.0"]

[[tool.uv.index]]
name = "private"
url = "http://ci:${token}@127.0.0.1:${index.port}/simple/"
explicit = true

[tool.uv.sources]
my-private-lib = { index = "private" }
`;
    const dir = await project({ 'pyproject.toml': pyproject });
    try {
      const nolock = await fingerprint(dir);
      assert.ok(!JSON.stringify(nolock).includes(token), 'not in the declarations fingerprint');
      await uv(dir, ['lock', '--quiet']);
      assert.ok(!(await readFile(join(dir, 'uv.lock'), 'utf8')).includes(token), 'uv keeps it out of the lock');
      const r = await pexpress(['build', '--project-dir', dir, '--json']);
      assert.equal(r.code, 0, r.stderr.replaceAll(token, '<TOKEN>'));
      const b = JSON.parse(r.stdout);
      assert.deepEqual(await wheelsIn(b.deps.path), ['my_private_lib']);
      assert.match(await member(b.source.path, 'pyproject.toml'), /url = "http:\/\/ci:\$\{PEXPRESS_REDACTED_CREDENTIAL\}@127/);
      await assertNowhere(dir, token, [r.stdout, r.stderr]);

      // The same index with uv's own credential variables instead of a literal.
      await writeFile(join(dir, 'pyproject.toml'), pyproject.replace(`ci:${token}@`, ''));
      const env = { UV_INDEX_PRIVATE_USERNAME: 'ci', UV_INDEX_PRIVATE_PASSWORD: token };
      await uv(dir, ['lock', '--quiet'], env);
      const viaEnv = await pexpress(['build', '--project-dir', dir, '--json', '--force-full'], { env });
      assert.equal(viaEnv.code, 0, viaEnv.stderr.replaceAll(token, '<TOKEN>'));
      assert.ok(!viaEnv.stderr.includes('literal credential'), viaEnv.stderr);
      await assertNowhere(dir, token, [viaEnv.stdout, viaEnv.stderr]);
    } finally {
      await cleanup(join(dir, '..'));
    }
  });
});
