import assert from 'node:assert/strict';
import { chmod, copyFile, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { buildJson, cleanup, copyExample, PYTHON, run, tempDir, type BuildJson } from './helpers.ts';

/**
 * The runtime's security model and production behaviour (docs/runtime.md), against real archives
 * built from examples/hello and run by a real python3. Forged archives are written by FORGE below:
 * a minimal zip writer whose comment names the true hash of its body unless told to lie.
 */
const FORGE = String.raw`
import hashlib, json, struct, sys, zipfile, zlib
def members(src):
    with zipfile.ZipFile(src) as z:
        return [[i.filename, z.read(i), i.external_attr] for i in z.infolist()]
def comment_hash(src):
    with zipfile.ZipFile(src) as z:
        return z.comment.decode().split(":")[3]
def write(dst, items, kind, claim=None, sizes=None, raw=None, zip64=False):
    out = bytearray(b"#!/usr/bin/env python3\n")
    cd = bytearray()
    for name, data, attr in items:
        n = name.encode()
        if raw and name in raw:
            c = raw[name]
        else:
            comp = zlib.compressobj(6, zlib.DEFLATED, -15)
            c = comp.compress(data) + comp.flush()
        usize = (sizes or {}).get(name, len(data))
        crc = zlib.crc32(data)
        off = len(out)
        if zip64:
            # Every size and offset through the zip64 field, as a multi-gigabyte archive has them.
            lx = struct.pack("<HHQQ", 1, 16, usize, len(c))
            out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(n), len(lx)) + n + lx + c
            cx = struct.pack("<HHQQQ", 1, 24, usize, len(c), off)
            cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x032D, 45, 0, 8, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(n), len(cx), 0, 0, 0, attr, 0xFFFFFFFF) + n + cx
            continue
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(c), usize, len(n), 0) + n + c
        cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, 0, 8, 0, 0, crc, len(c), usize, len(n), 0, 0, 0, 0, attr, off) + n
    cdoff = len(out)
    out += cd
    prefix = "pexpress:2:%s:" % kind
    length = len(prefix) + len(claim if claim is not None else "0" * 64)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(items), len(items), len(cd), cdoff, length)
    h = claim if claim is not None else hashlib.sha256(out).hexdigest()
    out += (prefix + h).encode()
    open(dst, "wb").write(out)
`;

describe('runtime: verified extraction and production hosts', () => {
  let project: string;
  let built: BuildJson;
  let work: string;
  let source: string;
  let deps: string;

  before(async () => {
    project = await copyExample('hello');
    await writeFile(
      join(project, 'src', 'hello', 'kids.py'),
      [
        'import os, sys, json',
        'def work():',
        '    import requests',
        '    return requests.__version__',
        'def reexec():',
        '    if os.environ.get("HELLO_AGAIN"):',
        '        import requests',
        '        print("again", requests.__version__, sorted(k for k in os.environ if k == "PEX" or k.startswith("PEX_")))',
        '        return 0',
        '    os.environ["HELLO_AGAIN"] = "1"',
        '    os.execv(sys.executable, [sys.executable] + sys.argv)',
        '',
      ].join('\n'),
    );
    built = await buildJson(project);
    work = await tempDir('pexpress-runtime-');
    await chmod(work, 0o755); // the read-only tests run as nobody
    source = join(work, 'source.pex');
    deps = join(work, 'deps.pex');
    await copyFile(built.source.path!, source);
    await copyFile(built.deps.path!, deps);
  });
  after(() => cleanup(project, work));

  const forge = async (code: string) => {
    const r = await run(PYTHON, ['-c', FORGE + code, deps, source, work]);
    assert.equal(r.code, 0, r.stderr);
  };
  const freshRoot = async () => {
    const dir = await tempDir('pexpress-rt-root-');
    return { dir, root: join(dir, 'root') };
  };
  /** Every file under dir: proves what a refused archive left behind (nothing outside PEX_ROOT). */
  const files = async (dir: string): Promise<string[]> =>
    (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  const oneLine = (r: { stderr: string }) => assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);

  test('the archive comment names the hash of the bytes before it; the first line names the target minor', async () => {
    const bytes = await readFile(source);
    const comment = bytes.subarray(bytes.length - 82).toString('latin1');
    assert.match(comment, /^pexpress:2:source:[0-9a-f]{64}$/);
    const { createHash } = await import('node:crypto');
    assert.equal(
      createHash('sha256')
        .update(bytes.subarray(0, bytes.length - 82))
        .digest('hex'),
      comment.slice(18),
    );
    // source.pex starts with the shell preamble (test/boot.test.ts), which names the target minor; deps.pex with a shebang naming it.
    assert.match(bytes.subarray(0, 2000).toString('latin1'), /^#!\/bin\/sh\n[^]*exec python3\.\d+ "\$0" "\$@"\n/);
    assert.match((await readFile(deps)).subarray(0, 40).toString('latin1'), /^#!\/usr\/bin\/env python3\.\d+\n/);
  });

  test('zip64 fields (how a multi-gigabyte deps archive names sizes and offsets past 4 GiB) are read; a truncated one is refused', async () => {
    await forge(`
src, _, work = sys.argv[1:4]
write(work + "/z64-deps.pex", members(src), "deps", zip64=True)
with zipfile.ZipFile(work + "/z64-deps.pex") as z:
    assert z.testzip() is None
    assert z.infolist()[-1].header_offset > 0
`);
    const { root } = await freshRoot();
    const r = await run(PYTHON, [source, '-c', 'import requests; print(requests.__version__)'], {
      env: { PEX_ROOT: root, PEX_PATH: join(work, 'z64-deps.pex') },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '2.32.3');
    await forge(`
src, _, work = sys.argv[1:4]
write(work + "/z64-bad.pex", members(src)[:3], "deps", zip64=True)
data = bytearray(open(work + "/z64-bad.pex", "rb").read())
i = data.rfind(struct.pack("<HHQQQ", 1, 24, 0, 0, 0)[:4])
data[i + 2:i + 4] = struct.pack("<H", 8)  # the field now holds the uncompressed size only
import hashlib
cut = len(data) - 64
data[cut:] = hashlib.sha256(bytes(data[:cut - len("pexpress:2:deps:")])).hexdigest().encode()
open(work + "/z64-bad.pex", "wb").write(bytes(data))
`);
    const bad = await run(PYTHON, [source, '-c', 'pass'], {
      env: { PEX_ROOT: (await freshRoot()).root, PEX_PATH: join(work, 'z64-bad.pex') },
    });
    assert.equal(bad.code, 1);
    oneLine(bad);
    assert.match(bad.stderr, /refusing to extract .*declares zip64 sizes without a complete zip64 field/);
  });

  test('cache poisoning: a modified copy keeping the genuine comment is refused, and the genuine archive still runs its own code', async () => {
    await forge(`
src, _, work = sys.argv[1:4]
items = members(src)
for it in items:
    if it[0].endswith("/requests/__version__.py"):
        it[1] = it[1].replace(b'__version__ = "2.32.3"', b'__version__ = "evil"')
write(work + "/evil-deps.pex", items, "deps", claim=comment_hash(src))
`);
    const { dir, root } = await freshRoot();
    const env = { PEX_ROOT: root };
    const code = 'import requests; print(requests.__version__)';
    const evil = await run(PYTHON, [source, '-c', code], { env: { ...env, PEX_PATH: join(work, 'evil-deps.pex') } });
    assert.equal(evil.code, 1);
    oneLine(evil);
    assert.match(
      evil.stderr,
      /^pexpress: refusing to extract .*evil-deps\.pex: its bytes hash to [0-9a-f]{16}, not to the [0-9a-f]{16} its comment names/,
    );
    for (const f of await files(dir)) assert.ok(f.startsWith(root + '/'), f);
    const genuine = await run(PYTHON, [source, '-c', code], { env });
    assert.equal(genuine.stdout.trim(), '2.32.3', genuine.stderr);
    // And once the genuine extraction exists, the forgery's claim cannot reach it either: the warm
    // path trusts the claim, but the extraction under it holds only the genuine bytes.
    const again = await run(PYTHON, [source, '-c', code], { env: { ...env, PEX_PATH: join(work, 'evil-deps.pex') } });
    assert.equal(again.stdout.trim(), '2.32.3', again.stderr);
    await rm(dir, { recursive: true, force: true });
  });

  for (const [label, claim, message] of [
    ['a path escape', '/../../../escaped', /names an invalid archive hash '\/\.\.\/\.\.\/\.\.\/escaped'/],
    ['a wrong-length hash', 'ab'.repeat(31), /names an invalid archive hash 'a?b?.*' \(expected 64 lowercase hex digits\)/],
    ['an uppercase hash', 'AB'.repeat(32), /names an invalid archive hash/],
  ] as const) {
    test(`a comment with ${label} is refused with one line and nothing is written`, async () => {
      const name = `claim-${label.replace(/\W+/g, '-')}.pex`;
      await forge(`
src, _, work = sys.argv[1:4]
write(work + "/${name}", members(src), "deps", claim=${JSON.stringify(claim)})
`);
      const { dir, root } = await freshRoot();
      const r = await run(PYTHON, [source, '-c', 'pass'], { env: { PEX_ROOT: root, PEX_PATH: join(work, name) } });
      assert.equal(r.code, 1);
      oneLine(r);
      assert.match(r.stderr, message);
      for (const f of await files(dir)) assert.ok(f.startsWith(root + '/'), f);
      assert.ok(!existsSync(join(dir, 'escaped')) && !existsSync(join(work, 'escaped')));
      const genuine = await run(PYTHON, [source, '-c', 'import requests; print(requests.__version__)'], { env: { PEX_ROOT: root } });
      assert.equal(genuine.stdout.trim(), '2.32.3', genuine.stderr);
      await rm(dir, { recursive: true, force: true });
    });
  }

  const hostile: Array<[string, string, RegExp]> = [
    ['duplicate names', 'items.append(list(items[-1]))', /appears twice/],
    ['an empty name', 'items.append(["", b"x", 0o100644 << 16])', /invalid name/],
    ['a "." name', 'items.append([".", b"x", 0o100644 << 16])', /invalid name/],
    ['a control character in a name', 'items.append([".deps/x-1-py3-none-any.whl/a\\nb.py", b"x", 0o100644 << 16])', /invalid name/],
    ['a "." part', 'items.append([".deps/x-1-py3-none-any.whl/./a.py", b"x", 0o100644 << 16])', /invalid name/],
    [
      'a file/directory clash',
      'items += [[".deps/x-1-py3-none-any.whl/a", b"file", 0o100644 << 16], [".deps/x-1-py3-none-any.whl/a/b.py", b"x", 0o100644 << 16]]',
      /'\.deps\/x-1-py3-none-any\.whl\/a' is both a file and a directory/,
    ],
    ['a symlink', 'items.append([".deps/x-1-py3-none-any.whl/link", b"/etc/passwd", 0o120777 << 16])', /is a symbolic link/],
    [
      'an entry inflating past its declared size',
      'items.append([".deps/x-1-py3-none-any.whl/bomb.txt", b"0" * (1 << 20), 0o100644 << 16]); sizes[".deps/x-1-py3-none-any.whl/bomb.txt"] = 1000',
      /'\.deps\/x-1-py3-none-any\.whl\/bomb\.txt' inflates past its declared size 1000/,
    ],
    [
      'a total declared size above the free space',
      'items += [[".deps/x-1-py3-none-any.whl/b%d" % i, b"", 0o100644 << 16] for i in range(400)]; sizes.update({".deps/x-1-py3-none-any.whl/b%d" % i: 0xFFFFFFF0 for i in range(400)}); raw.update({".deps/x-1-py3-none-any.whl/b%d" % i: b"\\x03\\x00" for i in range(400)})',
      /declares \d+ MB and only \d+ MB are free/,
    ],
  ];
  for (const [label, edit, message] of hostile) {
    test(`hostile members: ${label} is refused with one line, nothing extracted`, async () => {
      const name = `hostile-${label.replace(/\W+/g, '-')}.pex`;
      await forge(`
src, _, work = sys.argv[1:4]
items = members(src)
sizes, raw = {}, {}
${edit}
write(work + "/${name}", items, "deps", sizes=sizes, raw=raw)
`);
      const { dir, root } = await freshRoot();
      const r = await run(PYTHON, [source, '-c', 'pass'], { env: { PEX_ROOT: root, PEX_PATH: join(work, name) } });
      assert.equal(r.code, 1);
      oneLine(r);
      assert.match(r.stderr, /^pexpress: (refusing to extract|cannot extract) .*hostile-/);
      assert.match(r.stderr, message);
      // Only source.pex's own marker: the hostile deps archive never got one, nor a temp tree.
      assert.equal((await readdir(join(root, 'pexpress', 'archives')).catch(() => [])).length, 1);
      assert.deepEqual(
        (await readdir(join(root, 'pexpress', 'wheels')).catch(() => [])).filter((e) => e.endsWith('.tmp')),
        [],
      );
      for (const f of await files(dir)) assert.ok(f.startsWith(root + '/'), f);
      await rm(dir, { recursive: true, force: true });
    });
  }

  test('child processes: PEX_* consumed, PEX set; the same archive re-run gets its composition back, another archive does not', async () => {
    const alone = join(work, 'alone');
    await mkdir(alone, { recursive: true });
    await copyFile(source, join(alone, 'source.pex'));
    const { dir, root } = await freshRoot();
    const env = { PEX_ROOT: root, PEX_PATH: deps, PEX_INHERIT_PATH: 'false' };
    const me = join(alone, 'source.pex');
    const show = 'import os, json; print(json.dumps({k: v for k, v in os.environ.items() if k == "PEX" or k.startswith("PEX_")}))';
    const seen = await run(PYTHON, [me, '-c', show], { env });
    assert.equal(seen.code, 0, seen.stderr);
    assert.deepEqual(JSON.parse(seen.stdout), { PEX: realpathSync(me) });

    const sub = [
      'import os, subprocess, sys',
      'same = subprocess.run([sys.executable, os.environ["PEX"], "-c", "import requests; print(requests.__version__)"], capture_output=True, text=True)',
      'print("same", same.returncode, same.stdout.strip())',
      `other = subprocess.run([sys.executable, ${JSON.stringify(join(work, 'other', 'source.pex'))}, "-c", "import requests"], capture_output=True, text=True)`,
      'print("other", other.returncode, other.stderr.strip()[:60])',
    ].join('\n');
    await mkdir(join(work, 'other'), { recursive: true });
    await copyFile(source, join(work, 'other', 'source.pex'));
    const r = await run(PYTHON, [me, '-c', sub], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^same 0 2\.32\.3$/m);
    assert.match(r.stdout, /^other 1 pexpress: source\.pex needs its deps archive/m);

    const exec = await run(PYTHON, [me, 'x'], { env: { ...env, PEX_MODULE: 'hello.kids:reexec' } });
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout.trim(), "again 2.32.3 ['PEX']");

    const mp = await run(
      PYTHON,
      [
        me,
        '-c',
        'import multiprocessing as m\nfrom hello.kids import work\nif __name__ == "__main__":\n    print(m.get_context("spawn").Pool(1).apply(work))',
      ],
      { env },
    );
    assert.equal(mp.stdout.trim(), '2.32.3', mp.stderr);
    await rm(dir, { recursive: true, force: true });
  });

  test('environment variables are parsed strictly, each error one line naming the variable', async () => {
    const { dir, root } = await freshRoot();
    for (const [name, value, message] of [
      ['PEX_INTERPRETER', 'yes', /^pexpress: PEX_INTERPRETER=yes is not a boolean: use 1, 0, true or false$/],
      ['PEX_VERBOSE', 'loud', /^pexpress: PEX_VERBOSE=loud is not an integer/],
      ['PEX_INHERIT_PATH', 'always', /^pexpress: PEX_INHERIT_PATH=always is not one of false, prefer, fallback$/],
      ['PEX_VENV', '1', /^pexpress: PEX_VENV is set but pexpress does not support it/],
      ['PEX_PYTHON', 'python9.99', /^pexpress: PEX_PYTHON=python9\.99: no such interpreter on PATH$/],
    ] as const) {
      const r = await run(PYTHON, [source, '-c', 'pass'], { env: { PEX_ROOT: root, [name]: value } });
      assert.equal(r.code, 1, `${name}=${value}`);
      oneLine(r);
      assert.match(r.stderr.trim(), message);
    }
    const quiet = await run(PYTHON, [source, '-c', 'print("ok")'], { env: { PEX_ROOT: root, PEX_VERBOSE: '0' } });
    assert.equal(quiet.stdout.trim(), 'ok');
    assert.equal(quiet.stderr, '', 'PEX_VERBOSE=0 is off');
    const truthy = await run(PYTHON, [source, '-c', 'print(1)'], { env: { PEX_ROOT: root, PEX_INTERPRETER: 'TRUE' } });
    assert.equal(truthy.stdout.trim(), '1', truthy.stderr);
    await rm(dir, { recursive: true, force: true });
  });

  test('PEX_EXTRA_SYS_PATH, PEX_PYTHON, interpreter options after the archive, a relative PEX_ROOT, a symlinked archive', async () => {
    const { dir, root } = await freshRoot();
    const extra = join(dir, 'extra');
    await mkdir(extra, { recursive: true });
    await writeFile(join(extra, 'extra_mod.py'), 'X = "extra"\n');
    const e = await run(PYTHON, [source, '-c', 'import extra_mod, sys; print(extra_mod.X, sys.path[-1])'], {
      env: { PEX_ROOT: root, PEX_EXTRA_SYS_PATH: extra },
    });
    assert.equal(e.stdout.trim(), `extra ${extra}`, e.stderr);

    if (existsSync('/usr/bin/python3.11')) {
      const p = await run(PYTHON, [source, '-c', 'import sys; print(sys.executable)'], {
        env: { PEX_ROOT: root, PEX_PYTHON: '/usr/bin/python3.11' },
      });
      assert.equal(p.stdout.trim(), '/usr/bin/python3.11', p.stderr);
    }

    const flags = await run(
      PYTHON,
      [source, '-u', '-OO', '-W', 'error', '-c', 'import sys; print(sys.flags.optimize, sys.warnoptions, sys.argv[1:])', 'a'],
      {
        env: { PEX_ROOT: root },
      },
    );
    assert.equal(flags.stdout.trim(), "2 ['error'] ['a']", flags.stderr);
    const combined = await run(PYTHON, [source, '-uc', 'import sys; print(sys.stdout.write_through)'], { env: { PEX_ROOT: root } });
    assert.equal(combined.stdout.trim(), 'True', combined.stderr);
    const bad = await run(PYTHON, [source, '-Z', '-c', 'pass'], { env: { PEX_ROOT: root } });
    assert.equal(bad.code, 1);
    oneLine(bad);
    assert.match(bad.stderr, /^pexpress: interpreter option -Z is not supported here/);

    // Relative PEX_ROOT: made absolute at start-up, so a later chdir does not break imports.
    const rel = await run(PYTHON, [source, '-c', 'import os; os.chdir("/"); import click, requests; print(click.__name__)'], {
      env: { PEX_ROOT: 'relroot' },
      cwd: dir,
    });
    assert.equal(rel.stdout.trim(), 'click', rel.stderr);
    assert.ok(existsSync(join(dir, 'relroot', 'pexpress', 'archives')));

    const bin = join(dir, 'bin');
    await mkdir(bin);
    await symlink(source, join(bin, 'myapp'));
    const linked = await run(join(bin, 'myapp'), ['--name', 'link'], {
      env: { PEX_ROOT: root, PEX_MODULE: 'hello.app', PATH: `${process.env.PATH}` },
    });
    assert.match(linked.stdout, /Hello from source\.pex, link!/, linked.stderr);
    await rm(dir, { recursive: true, force: true });
  });

  test('read-only hosts: an unwritable PEX_ROOT falls back to a private temp dir (one warning, removed at exit); a read-only one holding the extraction is used as is', async () => {
    const { dir, root } = await freshRoot();
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o755);
    const tmp = join(dir, 'tmp');
    await mkdir(tmp, { mode: 0o1777 });
    await chmod(tmp, 0o1777);
    const blocked = join(dir, 'a-file');
    await writeFile(blocked, '');
    const r = await run(PYTHON, [source, '-c', 'import requests; print("ran")'], { env: { PEX_ROOT: join(blocked, 'root'), TMPDIR: tmp } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'ran');
    oneLine(r);
    assert.match(r.stderr, /^pexpress: warning: .*a-file\/root\/pexpress is not writable .*private temporary directory, removed at exit/);
    assert.deepEqual(await readdir(tmp), [], 'the private extraction is removed at exit');
    const silent = await run(PYTHON, [source, '-c', 'pass'], {
      env: { PEX_ROOT: join(blocked, 'root'), TMPDIR: tmp, PEX_EMIT_WARNINGS: 'false' },
    });
    assert.equal(silent.code, 0, silent.stderr);
    assert.equal(silent.stderr, '', 'PEX_EMIT_WARNINGS=false silences the warning');

    // As nobody (the USER of a hardened container): the root-owned PEX_ROOT is read-only to it.
    const python = '/usr/bin/python3.11';
    if (!existsSync('/usr/bin/setpriv') || !existsSync(python) || process.getuid?.() !== 0) return;
    const nobody = (args: string[], env: Record<string, string>) =>
      run('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', python, ...args], {
        env: { HOME: '/nonexistent', ...env },
      });
    const warm = await run(python, [source, '-c', 'import requests'], { env: { PEX_ROOT: root } });
    assert.equal(warm.code, 0, warm.stderr);
    await run('chmod', ['-R', 'a+rX', dir]);
    const ro = await nobody([source, '-c', 'import requests; print("ro")'], { PEX_ROOT: root, TMPDIR: tmp });
    assert.equal(ro.stdout.trim(), 'ro', ro.stderr);
    assert.equal(ro.stderr, '', 'no warning: the extraction was there');
    const home = await nobody([source, '-c', 'import requests; print("home")'], { TMPDIR: tmp });
    assert.equal(home.stdout.trim(), 'home', home.stderr);
    assert.match(home.stderr, /^pexpress: warning: \/nonexistent\/\.cache\/pex\/pexpress is not writable/);
    assert.deepEqual(await readdir(tmp), []);
    await rm(dir, { recursive: true, force: true });
  });

  test('8 concurrent first runs extract each archive once: the others wait for the lock', async () => {
    const { dir, root } = await freshRoot();
    const runs = await Promise.all(
      Array.from({ length: 8 }, () =>
        run(PYTHON, [source, '-c', 'import requests; print("ok")'], { env: { PEX_ROOT: root, PEX_VERBOSE: '1' } }),
      ),
    );
    for (const r of runs) assert.equal(r.stdout.trim(), 'ok', r.stderr);
    const extractions = runs.flatMap((r) => r.stderr.split('\n').filter((l) => /^pexpress: extracting /.test(l)));
    assert.equal(extractions.length, 2, extractions.join('\n'));
    await rm(dir, { recursive: true, force: true });
  });

  test('a deps archive of version-independent wheels runs on a later minor without re-executing', async (t) => {
    const { homedir } = await import('node:os');
    const later = ['3.12.1', '3.13.0'].map((v) => join(homedir(), '.pyenv', 'versions', v, 'bin', 'python3')).find((p) => existsSync(p));
    if (!later) return t.skip('no later interpreter on this machine');
    await forge(`
src, _, work = sys.argv[1:4]
info = None
items = []
for it in members(src):
    if it[0] == "PEX-INFO":
        info = json.loads(it[1])
        info["distributions"] = {"purepkg-1-py3-none-any.whl": "0" * 64}
        it[1] = json.dumps(info).encode()
    if not it[0].startswith(".deps/") or it[0] == ".deps/":
        items.append(it)
items.append([".deps/purepkg-1-py3-none-any.whl/purepkg.py", b"X = 'pure'\\n", 0o100644 << 16])
write(work + "/pure-deps.pex", items, "deps")
`);
    const { dir, root } = await freshRoot();
    const code = 'import sys, purepkg; print(purepkg.X, sys.version_info[:2] > (3, 11))';
    const r = await run(later, [source, '-c', code], {
      env: { PEX_ROOT: root, PEX_PATH: join(work, 'pure-deps.pex'), PATH: '/nonexistent' },
    });
    assert.equal(r.stdout.trim(), 'pure True', r.stderr);
    await rm(dir, { recursive: true, force: true });
  });

  test('out of space mid-extraction (a real, tiny filesystem) is one line naming the directory, with no temp tree left', async (t) => {
    const { dir } = await freshRoot();
    const mnt = join(dir, 'small');
    await mkdir(mnt, { recursive: true });
    // Few inodes, plenty of bytes: the free-space check passes and creating files fails midway.
    const m = await run('mount', ['-t', 'tmpfs', '-o', 'size=50m,nr_inodes=60', 'tmpfs', mnt]);
    if (m.code !== 0) return t.skip('cannot mount a tmpfs here');
    try {
      const r = await run(PYTHON, [source, '-c', 'import requests'], { env: { PEX_ROOT: join(mnt, 'root') } });
      assert.equal(r.code, 1);
      oneLine(r);
      assert.match(
        r.stderr,
        /^pexpress: cannot extract deps\.pex into .*small\/root\/pexpress \(No space left on device\): free space there or set PEX_ROOT/,
      );
      const left = (await files(mnt)).concat(await readdir(join(mnt, 'root', 'pexpress', 'wheels')));
      assert.deepEqual(
        left.filter((f) => f.endsWith('.tmp') || f.includes('.tmp/')),
        [],
      );
    } finally {
      await run('umount', [mnt]);
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('disk: wheels are shared across deps archives, and a killed extraction is cleaned up once its process is gone', async () => {
    const { dir, root } = await freshRoot();
    const r1 = await run(PYTHON, [source, '-c', 'import requests'], { env: { PEX_ROOT: root } });
    assert.equal(r1.code, 0, r1.stderr);
    const wheels = join(root, 'pexpress', 'wheels');
    const before = (await readdir(wheels)).sort();
    // A second deps archive with the same wheels plus one: only the new wheel is added.
    await forge(`
src, _, work = sys.argv[1:4]
items = members(src)
items.append([".deps/extra_pkg-1-py3-none-any.whl/extra_pkg.py", b"X = 1\\n", 0o100644 << 16])
write(work + "/plus-one.pex", items, "deps")
`);
    const r2 = await run(PYTHON, [source, '-c', 'import extra_pkg, requests; print(extra_pkg.X)'], {
      env: { PEX_ROOT: root, PEX_PATH: join(work, 'plus-one.pex') },
    });
    assert.equal(r2.stdout.trim(), '1', r2.stderr);
    const afterAdd = (await readdir(wheels)).sort();
    assert.equal(afterAdd.length, before.length + 1);
    assert.ok(before.every((w) => afterAdd.includes(w)));

    // Leftovers of a killed extraction (its pid is gone) go; a live one's stay.
    const dead = join(wheels, '.999999.deadbeef.tmp');
    const live = join(wheels, `.${process.pid}.cafebabe.tmp`);
    await mkdir(join(dead, 'pkg'), { recursive: true });
    await writeFile(join(dead, 'pkg', 'big.bin'), Buffer.alloc(1 << 20));
    await mkdir(live);
    await writeFile(join(work, 'touch.txt'), '');
    await forge(`
src, _, work = sys.argv[1:4]
items = members(src)
items.append([".deps/another-1-py3-none-any.whl/another.py", b"Y = 2\\n", 0o100644 << 16])
write(work + "/plus-two.pex", items, "deps")
`);
    const r3 = await run(PYTHON, [source, '-c', 'import another; print(another.Y)'], {
      env: { PEX_ROOT: root, PEX_PATH: join(work, 'plus-two.pex') },
    });
    assert.equal(r3.stdout.trim(), '2', r3.stderr);
    assert.ok(!existsSync(dead), 'a dead extraction is removed');
    assert.ok(existsSync(live), 'a live one is not');
    await rm(dir, { recursive: true, force: true });
  });

  test('a binary console script (an ELF in .data/scripts) is exec-ed with the composed environment', async () => {
    await forge(`
src, _, work = sys.argv[1:4]
items = members(src)
items.append([".deps/binscript-1-py3-none-any.whl/binscript-1.data/scripts/show-env", open("/usr/bin/env", "rb").read(), 0o100755 << 16])
write(work + "/bin-deps.pex", items, "deps")
`);
    const { dir, root } = await freshRoot();
    const r = await run(PYTHON, [source], { env: { PEX_ROOT: root, PEX_PATH: join(work, 'bin-deps.pex'), PEX_SCRIPT: 'show-env' } });
    assert.equal(r.code, 0, r.stderr);
    const vars = Object.fromEntries(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.equal(vars.PEX, realpathSync(source));
    assert.equal(vars.PEX_SCRIPT, undefined);
    assert.equal(vars.PEX_PATH, undefined);
    assert.match(vars.PYTHONPATH, new RegExp(`${root}/pexpress/code/[0-9a-f]{64}:.*${root}/pexpress/wheels/`));
    await rm(dir, { recursive: true, force: true });
  });

  test('the REPL has tab completion, like python itself', async () => {
    const { dir, root } = await freshRoot();
    const driver = String.raw`
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.executable, [sys.executable, sys.argv[1]])
out = b""
def pump(until, limit=20):
    global out
    end = time.time() + limit
    while until not in out and time.time() < end:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                out += os.read(fd, 65536)
            except OSError:
                return
pump(b">>> ")
os.write(fd, b"import requests\n")
pump(b">>> ", 20)
os.write(fd, b"requests.__versi\t")
pump(b"__version__", 5)
os.write(fd, b"\nexit()\n")
pump(b"never", 3)
os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
`;
    const r = await run(PYTHON, ['-c', driver, source], { env: { PEX_ROOT: root, HOME: dir } });
    assert.match(r.stdout, /'2\.32\.3'/, r.stdout + r.stderr);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('runtime: flask run --reload re-runs the archive', () => {
  let project: string;
  let work: string;
  before(async () => {
    project = await tempDir('pexpress-flask-');
    await mkdir(join(project, 'src', 'webapp'), { recursive: true });
    await writeFile(join(project, 'requirements.txt'), 'flask==3.1.3\n');
    await writeFile(
      join(project, 'src', 'webapp', '__init__.py'),
      'import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/")\ndef index():\n    return "hello from %d" % os.getpid()\n',
    );
    const built = await buildJson(project);
    work = await tempDir('pexpress-flask-run-');
    await copyFile(built.source.path!, join(work, 'source.pex'));
    await copyFile(built.deps.path!, join(work, 'deps.pex'));
  });
  after(() => cleanup(project, work));

  test('PEX_SCRIPT=flask … run --reload: the reloader child serves from the archive', async () => {
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    // Its own process group: the reloader's child is stopped with it.
    const server = spawn(PYTHON, [join(work, 'source.pex'), '--app', 'webapp', 'run', '--reload', '--port', String(port)], {
      env: { ...process.env, PEX_ROOT: join(work, 'root'), PEX_SCRIPT: 'flask' },
      cwd: work,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    server.stdout.on('data', (b) => (log += b));
    server.stderr.on('data', (b) => (log += b));
    try {
      let body = '';
      for (let i = 0; i < 100 && !body; i++) {
        await new Promise((r) => setTimeout(r, 200));
        body = await fetch(`http://127.0.0.1:${port}/`).then(
          (res) => res.text(),
          () => '',
        );
      }
      assert.match(body, /^hello from \d+$/, log);
      assert.match(log, /Restarting with stat/);
      assert.notEqual(Number(body.split(' ').at(-1)), server.pid, 'served by the reloader child');
    } finally {
      process.kill(-server.pid!, 'SIGTERM');
      if (server.exitCode === null) await new Promise((r) => server.on('exit', r));
    }
  });
});
