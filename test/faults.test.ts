import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startMoto, type S3Server } from './s3/moto.ts';
import { CLI, cleanup, PYTHON, tempDir, TEST_CACHE, type BuildJson } from './helpers.ts';

/**
 * The fault and bad-input suite (issue 13): every case is one row — the input, the exit code, the
 * one line on stderr. 2 is for what the user must fix in their input, 1 for what failed while
 * doing the work (network, server, disk). The README's "Reliability" section states these promises.
 */

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The CLI with a hard limit: a case that hangs fails here instead of holding the suite. */
function cli(args: string[], opts: { env?: NodeJS.ProcessEnv; uid?: number; limitMs?: number } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, PEXPRESS_CACHE_DIR: TEST_CACHE, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.limitMs ?? 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** One line on stderr, the last, naming the problem; no stack trace; nothing on stdout. */
function assertOneLine(r: Ran, code: number, line: RegExp): void {
  assert.equal(r.code, code, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.trim().split('\n');
  const errors = lines.filter((l) => l.startsWith('pexpress: '));
  assert.equal(errors.length, 1, r.stderr);
  assert.equal(lines.at(-1), errors[0], r.stderr);
  assert.match(errors[0], line);
  assert.ok(!/\n\s+at /.test(r.stderr), `no stack trace: ${r.stderr}`);
  assert.equal(r.stdout, '');
}

/**
 * Processes still running that inherited PEXPRESS_TEST_MARKER=<marker> from a build (uv, pip, the
 * python evaluating setup.py, ...): after the build is gone there must be none.
 */
function processesWith(marker: string): string[] {
  const needle = Buffer.from(`PEXPRESS_TEST_MARKER=${marker}\0`);
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`).includes(needle))
        found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 120)}`);
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

async function files(root: string, tree: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(tree)) {
    await mkdir(join(root, name, '..'), { recursive: true });
    await writeFile(join(root, name), text);
  }
}

/** A loopback HTTP server whose behaviour a test picks per request. */
async function server(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close: () => Promise<void> }> {
  const srv: Server = createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  return {
    url,
    close: () =>
      new Promise((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      }),
  };
}

const S3_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  PEXPRESS_S3_MAX_ATTEMPTS: '2',
  PEXPRESS_S3_TIMEOUT_MS: '400',
};

/** A tiny pure-Python wheel, made with the stdlib, for loopback indexes. */
function makeWheel(dir: string, name: string): string {
  const file = join(dir, `${name}-1.0-py3-none-any.whl`);
  execFileSync('python3', [
    '-c',
    `import zipfile, sys
n = sys.argv[2]
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr(n + "/__init__.py", "X = 1\\n")
    z.writestr(n + "-1.0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: " + n + "\\nVersion: 1.0\\n")
    z.writestr(n + "-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: t\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
    z.writestr(n + "-1.0.dist-info/RECORD", "")
`,
    file,
    name,
  ]);
  return file;
}

interface Case {
  name: string;
  /** Prepares the project in `dir` (a fresh temp dir, project at dir/p); returns extra args and env. */
  setup: (
    dir: string,
  ) => Promise<{ args?: string[]; env?: NodeJS.ProcessEnv; uid?: number; noStore?: boolean; cleanup?: () => Promise<void> } | void>;
  code: 1 | 2;
  line: RegExp;
  /** Checked after the run (nothing left behind, how long it took). */
  check?: (r: Ran, dir: string) => void | Promise<void>;
  skip?: () => string | false;
}

const app = { 'app/__init__.py': '', 'app/main.py': 'def run():\n    print("hi")\n' };
const isRoot = process.getuid?.() === 0;

const CASES: Case[] = [
  // Item 6: empty values are usage errors, never the working directory.
  { name: "--store ''", setup: async () => ({ args: ['--store', ''] }), code: 2, line: /--store is empty/ },
  {
    name: "PEXPRESS_STORE=''",
    setup: async () => ({ env: { PEXPRESS_STORE: '' }, noStore: true }),
    code: 2,
    line: /PEXPRESS_STORE is empty/,
  },
  { name: "--out-dir ''", setup: async () => ({ args: ['--out-dir', ''] }), code: 2, line: /--out-dir is empty/ },
  // Item 2: names the runtime refuses are refused by the build.
  {
    name: 'a backslash in a file name',
    setup: (d) => files(join(d, 'p'), { 'back\\slash.py': '' }),
    code: 2,
    line: /back\\slash\.py: the file name contains a backslash.*--exclude/,
  },
  {
    name: 'a file name that is not UTF-8',
    setup: (d) => writeFile(Buffer.concat([Buffer.from(join(d, 'p', 'app', 'bad')), Buffer.from([0xff, 0xfe]), Buffer.from('.py')]), ''),
    code: 2,
    line: /app\/bad.*\.py: the file name is not valid UTF-8/,
  },
  // Item 9: declaration files that would block a read forever.
  {
    name: 'a FIFO as requirements.txt',
    setup: async (d) => void execFileSync('mkfifo', [join(d, 'p', 'requirements.txt')]),
    code: 2,
    line: /requirements\.txt is not a regular file/,
  },
  {
    name: 'a FIFO as setup.cfg',
    setup: async (d) => void execFileSync('mkfifo', [join(d, 'p', 'setup.cfg')]),
    code: 2,
    line: /setup\.cfg is not a regular file/,
  },
  // Item 10: lockfiles with wrong types.
  {
    name: 'uv.lock with package = 5',
    setup: (d) => files(join(d, 'p'), { 'uv.lock': 'version = 1\npackage = 5\n' }),
    code: 2,
    line: /uv\.lock: package must be an array of tables, not 5 — regenerate the lockfile/,
  },
  {
    name: 'uv.lock with wheels = 5',
    setup: (d) => files(join(d, 'p'), { 'uv.lock': 'version = 1\n[[package]]\nname = "six"\nversion = "1.17.0"\nwheels = 5\n' }),
    code: 2,
    line: /uv\.lock: package "six": wheels must be an array of tables/,
  },
  {
    name: 'poetry.lock with files = 7',
    setup: (d) => files(join(d, 'p'), { 'poetry.lock': '[[package]]\nname = "six"\nversion = "1.17.0"\nfiles = 7\n' }),
    code: 2,
    line: /poetry\.lock: package "six": files must be an array of tables/,
  },
  {
    name: 'pyproject.toml with dependencies = 5',
    setup: (d) => files(join(d, 'p'), { 'pyproject.toml': '[project]\nname = "x"\nversion = "1"\ndependencies = 5\n' }),
    code: 2,
    line: /pyproject\.toml: \[project\] dependencies must be a list of requirement strings, not 5/,
  },
  // Item 10: source files pexpress cannot pack.
  {
    name: 'a source file over 4 GiB (sparse)',
    setup: async (d) => {
      await writeFile(join(d, 'p', 'app', 'huge.bin'), '');
      await truncate(join(d, 'p', 'app', 'huge.bin'), 2 ** 32 + 1);
    },
    code: 2,
    line: /app\/huge\.bin is 4\.0 GiB; source\.pex holds files under 4 GiB — leave it out with --exclude/,
    check: (r) => assert.ok(r.ms < 20_000, `refused before hashing it (${r.ms} ms)`),
  },
  {
    name: 'an unreadable file',
    setup: async (d) => {
      await writeFile(join(d, 'p', 'app', 'secret.py'), 'x');
      await chmod(join(d, 'p', 'app', 'secret.py'), 0o000);
      // root reads anything: run the build as nobody, with everything else open to it.
      if (!isRoot) return;
      for (const p of [d, join(d, 'p'), join(d, 'p', 'app')]) await chmod(p, 0o777);
      await mkdir(join(d, 'cache'), { mode: 0o777 });
      await chmod(join(d, 'cache'), 0o777);
      return { uid: 65534, env: { PEXPRESS_CACHE_DIR: join(d, 'cache'), HOME: join(d, 'cache') } };
    },
    code: 2,
    line: /cannot read app\/secret\.py \(permission denied\) — make it readable, or leave it out with --exclude/,
    skip: () => (isRoot && !canRunAsNobody() ? 'cannot run as nobody here' : false),
  },
  {
    name: 'a symlink out of the project',
    setup: async (d) => void (await symlink('/etc/hostname', join(d, 'p', 'app', 'leak.txt'))),
    code: 2,
    line: /app\/leak\.txt is a symlink to \/etc\/hostname, outside the project — .*--exclude 'app\/leak\.txt' or \.gitignore/,
  },
  {
    name: 'an empty project',
    setup: async (d) => {
      await cleanup(join(d, 'p'));
      await mkdir(join(d, 'p'));
    },
    code: 2,
    line: /nothing to pack: .* has no files left after \.gitignore and --exclude/,
  },
  // Item 11: input errors the resolver finds are still input errors (exit 2).
  {
    name: 'a bad environment marker',
    setup: (d) => files(join(d, 'p'), { 'requirements.txt': 'six==1.17.0 ; python_versio >= "3.8"\n' }),
    code: 2,
    line: /could not resolve requirements\.txt .*python_versio/,
  },
  {
    name: 'an unknown extra',
    setup: async (d) => {
      await files(join(d, 'p'), { 'pyproject.toml': '[project]\nname = "x"\nversion = "1"\ndependencies = ["six==1.17.0"]\n' });
      return { args: ['--extras', 'nope'] };
    },
    code: 2,
    line: /extra not found: nope/,
  },
  {
    // A pure-Python sdist is built for any target now; pywin32 publishes Windows wheels only.
    name: 'a missing wheel for the target',
    setup: async (d) => {
      await files(join(d, 'p'), { 'requirements.txt': 'pywin32==306\n' });
      return { args: ['--platform', 'linux_aarch64'] };
    },
    code: 2,
    line: /pywin32==306 has no wheels with a matching platform tag/,
  },
  // Item 9: nothing waits forever.
  {
    name: 'a setup.py that sleeps',
    setup: async (d) => {
      await files(join(d, 'p'), {
        'setup.py': 'import time\ntime.sleep(3600)  # pexpress-sleepy-setup\nfrom setuptools import setup\nsetup(name="x", version="1")\n',
      });
      return { env: { PEXPRESS_RESOLVE_TIMEOUT_MS: '5000', PEXPRESS_TEST_MARKER: d } };
    },
    code: 2,
    // Whichever runs setup.py first stops at the timeout: the resolver, or the backend computing the project's metadata.
    line: /(uv did not finish resolving .*|computing the project's metadata did not finish) in 5 s: .*setup\.py/,
    check: async (r, d) => {
      assert.ok(r.ms < 30_000, `${r.ms} ms`);
      await new Promise((res) => setTimeout(res, 300));
      assert.deepEqual(processesWith(d), [], 'no uv or python left running');
    },
  },
  {
    name: 'an S3 server answering 500 to everything',
    setup: async () => {
      const s = await server((_req, res) => {
        res.writeHead(500, { 'content-type': 'application/xml' });
        res.end('<Error><Code>InternalError</Code><Message>boom</Message></Error>');
      });
      return { args: ['--store', 's3://bucket/pre', '--s3-endpoint', s.url], env: S3_ENV, cleanup: s.close };
    },
    code: 1,
    line: /S3 HEAD of bucket s3:\/\/bucket\/pre at http:\/\/127\.0\.0\.1:\d+ failed after retries: HTTP 500/,
  },
  {
    name: 'an S3 server answering 500 to every object',
    setup: async () => {
      const s = await server((req, res) => {
        if (req.method === 'HEAD' && /^\/bucket\/?(\?|$)/.test(req.url ?? '')) res.writeHead(200).end();
        else res.writeHead(500, { 'content-type': 'application/xml' }).end('<Error><Code>InternalError</Code></Error>');
      });
      return { args: ['--store', 's3://bucket/pre', '--s3-endpoint', s.url], env: S3_ENV, cleanup: s.close };
    },
    code: 1,
    line: /S3 read of s3:\/\/bucket\/pre\/(deps|refs)\/\S+\.json failed after retries: .*HTTP 500/,
  },
  {
    name: 'an S3 server that accepts and never answers',
    setup: async () => {
      const s = await server((req, res) => {
        if (req.method === 'HEAD' && /^\/bucket\/?(\?|$)/.test(req.url ?? '')) res.writeHead(200).end();
        // Everything else: the connection is accepted and left hanging.
      });
      return { args: ['--store', 's3://bucket/pre', '--s3-endpoint', s.url], env: S3_ENV, cleanup: s.close };
    },
    code: 1,
    line: /S3 read of s3:\/\/bucket\/pre\/(deps|refs)\/\S+\.json failed after retries: no answer \(timed out\)/,
    check: (r) => assert.ok(r.ms < 30_000, `${r.ms} ms`),
  },
  {
    name: 'a download that stalls',
    setup: async (d) => {
      const wheel = makeWheel(d, 'stallpkg');
      const bytes = await readFile(wheel);
      const s = await server((req, res) => {
        // uv (resolving) gets the wheel; pexpress's own download gets a few bytes, then silence.
        if (/^uv\//.test(req.headers['user-agent'] ?? '')) {
          if (req.method === 'HEAD') return void res.writeHead(200, { 'content-length': bytes.length }).end();
          return void res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
        }
        res.writeHead(200, { 'content-length': bytes.length });
        res.write(bytes.subarray(0, 10));
      });
      await files(join(d, 'p'), { 'requirements.txt': `stallpkg @ ${s.url}/stallpkg-1.0-py3-none-any.whl\n` });
      return { env: { PEXPRESS_DOWNLOAD_TIMEOUT_MS: '500' }, cleanup: s.close };
    },
    code: 1,
    line: /download of http:\/\/127\.0\.0\.1:\d+\/stallpkg-1\.0-py3-none-any\.whl failed: no data for 1 s \(stalled\)/,
    check: (r) => assert.ok(r.ms < 40_000, `${r.ms} ms`),
  },
];

let nobodyChecked: boolean | null = null;
function canRunAsNobody(): boolean {
  if (nobodyChecked === null) {
    try {
      execFileSync(process.execPath, ['-e', 'require("fs").accessSync(process.argv[1])', CLI], { uid: 65534, gid: 65534 });
      nobodyChecked = true;
    } catch {
      nobodyChecked = false;
    }
  }
  return nobodyChecked;
}

// Independent cases, mostly waiting (timeouts, retries, a stalled server): run a few at a time.
describe('faults and bad input: one line, the right exit code', { concurrency: 4 }, () => {
  for (const c of CASES) {
    test(`${c.name} → exit ${c.code}`, async (t) => {
      const why = c.skip?.();
      if (why) return t.skip(why);
      const dir = await tempDir('pexpress-fault-');
      await files(join(dir, 'p'), app);
      const extra = (await c.setup(dir)) ?? {};
      try {
        const store = extra.noStore ? [] : ['--store', join(dir, 'store')];
        const r = await cli(['build', '--project-dir', join(dir, 'p'), ...store, ...(extra.args ?? [])], {
          env: extra.env,
          uid: extra.uid,
        });
        assertOneLine(r, c.code, c.line);
        await c.check?.(r, dir);
      } finally {
        await extra.cleanup?.();
        await chmod(join(dir, 'p', 'app', 'secret.py'), 0o644).catch(() => undefined);
        await cleanup(dir);
      }
    });
  }
});

/** A build through the CLI that must succeed; its --json result. */
async function built(project: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<BuildJson> {
  const r = await cli(['build', '--project-dir', project, '--json', ...args], { env });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as BuildJson;
}

const sha256Of = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

async function flipByte(path: string): Promise<void> {
  const b = await readFile(path);
  b[b.length - 200] ^= 0xff;
  await writeFile(path, b);
}

describe('faults: right results after damage, nothing packed twice', { concurrency: 3 }, () => {
  let dir: string;
  before(async () => {
    dir = await tempDir('pexpress-fault-');
  });
  after(() => cleanup(dir));

  test('a symlinked directory does not replace the real one: import works from source.pex', async () => {
    const p = join(dir, 'sym');
    await files(p, { 'zpkg/__init__.py': 'NAME = "zpkg"\n' });
    await symlink('zpkg', join(p, 'alias'));
    const b = await built(p, ['--store', join(dir, 'sym-store')]);
    const out = execFileSync(PYTHON, [b.source.path!, '-c', 'import zpkg, alias; print(zpkg.NAME, alias.NAME)'], {
      env: { ...process.env, PEX_ROOT: join(dir, 'pexroot') },
      encoding: 'utf8',
    });
    assert.equal(out.trim(), 'zpkg zpkg');
  });

  test('a symlink out of the project can be left out with --exclude or .gitignore, as the message says', async () => {
    const p = join(dir, 'leak');
    await files(p, app);
    await symlink('/etc/hostname', join(p, 'app', 'leak.txt'));
    const store = ['--store', join(dir, 'leak-store')];
    const excluded = await built(p, [...store, '--exclude', 'app/leak.txt']);
    await files(p, { '.gitignore': 'app/leak.txt\n' });
    const ignored = await built(p, store);
    assert.equal(ignored.source.sha256, excluded.source.sha256);
  });

  test('pexpress run passes SIGINT, SIGTERM and SIGHUP on to the app and leaves nothing running', async () => {
    const p = join(dir, 'runsig');
    const store = join(dir, 'runsig-store');
    await files(p, {
      'app/__init__.py': '',
      'app/main.py':
        'import signal, sys, time\n' +
        'def run():\n' +
        '    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):\n' +
        '        signal.signal(s, lambda n, f: (print("got", signal.Signals(n).name, flush=True), sys.exit(0)))\n' +
        '    print("ready", flush=True)\n' +
        '    time.sleep(60)\n',
    });
    const b = await built(p, ['--store', store, '--entry-point', 'app.main:run']);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const child = spawn(process.execPath, [CLI, 'run', b.source.sha256, '--store', store], {
        env: { ...process.env, PEXPRESS_CACHE_DIR: join(dir, 'runsig-cache'), PEX_ROOT: join(dir, 'pexroot'), PEXPRESS_TEST_MARKER: p },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      const t0 = Date.now();
      while (!out.includes('ready') && Date.now() - t0 < 20_000) await sleep(50);
      assert.match(out, /ready/);
      child.kill(sig);
      const [code] = (await once(child, 'close')) as [number | null];
      assert.match(out, new RegExp(`got ${sig}`));
      assert.equal(code, 0);
      assert.deepEqual(processesWith(p), []);
    }
  });

  test('an out-dir inside the project is not packed into the next build', async () => {
    const p = join(dir, 'outdir');
    await files(p, app);
    const args = ['--store', join(dir, 'outdir-store'), '--out-dir', join(p, 'dist')];
    const first = await built(p, args);
    const second = await built(p, args);
    assert.equal(second.source.sha256, first.source.sha256);
    assert.equal(second.source.size, first.source.size);
  });

  test('a corrupt source.pex object in the local store is replaced, never reported as reused', async () => {
    const p = join(dir, 'corrupt-src');
    const store = join(dir, 'corrupt-src-store');
    await files(p, app);
    const first = await built(p, ['--store', store]);
    const object = join(store, 'sha256', `${first.source.sha256}.pex`);
    await flipByte(object);
    const second = await built(p, ['--store', store]);
    assert.equal(second.source.sha256, first.source.sha256);
    assert.equal(second.source.uploaded, true, 'the damaged object was written again');
    assert.equal(await sha256Of(object), first.source.sha256);
    const third = await built(p, ['--store', store]);
    assert.equal(third.source.uploaded, false, 'a sound object is reused');
  });

  test('--force-full replaces a corrupt deps.pex', async () => {
    const p = join(dir, 'corrupt-deps');
    const store = join(dir, 'corrupt-deps-store');
    await files(p, app);
    const first = await built(p, ['--store', store]);
    const object = join(store, 'sha256', `${first.deps.sha256}.pex`);
    await flipByte(object);
    const forced = await built(p, ['--store', store, '--force-full']);
    assert.equal(forced.buildType, 'full');
    assert.equal(forced.deps.sha256, first.deps.sha256);
    assert.equal(forced.deps.uploaded, true);
    assert.equal(await sha256Of(object), first.deps.sha256);
  });

  test('a tampered archive in the local cache is fetched again before pexpress run executes it', async () => {
    const p = join(dir, 'runcache');
    const store = join(dir, 'runcache-store');
    const cache = join(dir, 'runcache-cache');
    await files(p, { 'app/__init__.py': '', 'app/main.py': 'def run():\n    print("GOOD")\n' });
    const good = await built(p, ['--store', store, '--entry-point', 'app.main:run']);
    await writeFile(join(p, 'app', 'main.py'), 'def run():\n    print("EVIL")\n');
    const evil = await built(p, ['--store', store, '--entry-point', 'app.main:run']);
    const env = { PEXPRESS_CACHE_DIR: cache, PEX_ROOT: join(dir, 'pexroot') };
    const runIt = () => cli(['run', good.source.sha256, '--store', store], { env });
    assert.equal((await runIt()).stdout.trim(), 'GOOD');
    await writeFile(join(cache, 'archives', `${good.source.sha256}.pex`), await readFile(evil.source.path!));
    const again = await runIt();
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), 'GOOD');
    assert.equal(await sha256Of(join(cache, 'archives', `${good.source.sha256}.pex`)), good.source.sha256);
  });

  test('a tampered wheel in the local cache is downloaded again, not packed', async () => {
    const p = join(dir, 'wheelcache');
    const cache = join(dir, 'wheelcache-cache');
    await mkdir(cache, { recursive: true });
    // uv's own cache is shared with the other tests (speed); the wheel cache is private to this one.
    await symlink(join(TEST_CACHE, 'uv'), join(cache, 'uv'));
    await files(p, { ...app, 'requirements.txt': 'six==1.17.0\n' });
    const args = ['--store', join(dir, 'wheelcache-store')];
    const env = { PEXPRESS_CACHE_DIR: cache };
    const first = await built(p, args, env);
    const [sha] = await readdir(join(cache, 'wheels')).then((d) => d.filter((n) => /^[0-9a-f]{64}$/.test(n)));
    const [name] = (await readdir(join(cache, 'wheels', sha))).filter((n) => n.endsWith('.whl'));
    await flipByte(join(cache, 'wheels', sha, name));
    const forced = await built(p, [...args, '--force-full'], env);
    assert.equal(forced.deps.sha256, first.deps.sha256);
    assert.deepEqual(forced.stats, { wheels: 1, downloaded: 1 });
    assert.equal(await sha256Of(join(cache, 'wheels', sha, name)), sha);
    // The check is remembered by file identity: the warm path reads this instead of hashing.
    assert.match(await readFile(join(cache, 'wheels', sha, `.${name}.verified`), 'utf8'), new RegExp(`^${sha} `));
    const warm = await built(p, [...args, '--force-full'], env);
    assert.deepEqual(warm.stats, { wheels: 1, downloaded: 0 });
  });
});

/** The temp name src/platform/tmp.ts gives a file of process `pid` (as a killed build leaves it). */
const HOST = hostname().replace(/[^A-Za-z0-9-]/g, '-') || 'host';
const tempName = (label: string, pid: number) => `.${label}.${HOST}.${pid}.k1lled.tmp`;

/** A pid that is surely not running: a child that already exited. */
function deadPid(): number {
  const r = spawnSync('true');
  return r.pid!;
}

/** A private cache dir that shares uv's cache with the other tests (speed), nothing else. */
async function privateCache(path: string): Promise<string> {
  await mkdir(path, { recursive: true });
  await symlink(join(TEST_CACHE, 'uv'), join(path, 'uv')).catch(() => undefined);
  return path;
}

/** Every record in a local store points at archives that exist and hash to their names. */
async function assertStoreConsistent(store: string): Promise<{ archives: number; records: number }> {
  const archives = await readdir(join(store, 'sha256')).catch(() => [] as string[]);
  for (const a of archives) {
    assert.match(a, /^[0-9a-f]{64}\.pex$/, `only whole archives under their names: ${a}`);
    assert.equal(await sha256Of(join(store, 'sha256', a)), a.slice(0, 64), `${a} hashes to its name`);
  }
  const has = (sha: string) => archives.includes(`${sha}.pex`);
  let records = 0;
  for (const kind of ['deps', 'manifests', 'refs']) {
    for (const f of await readdir(join(store, kind), { recursive: true }).catch(() => [] as string[])) {
      if (!f.endsWith('.json')) continue;
      assert.ok(!f.split('/').pop()!.startsWith('.'), `no temp records: ${kind}/${f}`);
      const rec = JSON.parse(await readFile(join(store, kind, f), 'utf8'));
      records++;
      if (kind === 'deps') assert.ok(has(rec.sha256), `deps index ${f} → ${rec.sha256}`);
      else {
        assert.ok(has(rec.deps.sha256), `${kind}/${f} → deps ${rec.deps.sha256}`);
        assert.ok(has(rec.source.sha256), `${kind}/${f} → source ${rec.source.sha256}`);
      }
    }
  }
  return { archives: archives.length, records };
}

/** No temp file or directory of any owner left where pexpress writes (recursively; links not followed). */
async function assertNoTemps(dirs: string[]): Promise<void> {
  const left: string[] = [];
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      // `.tmp` itself is the store's and the wheel cache's temp directory; what is inside counts.
      if (e.name.endsWith('.tmp') && e.name !== '.tmp') left.push(join(d, e.name));
      else if (e.isDirectory()) await walk(join(d, e.name));
    }
  }
  for (const d of dirs) await walk(d);
  assert.deepEqual(left, [], 'temps left behind');
}

describe('faults: nothing left behind', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir('pexpress-fault-');
  });
  after(() => cleanup(dir));

  test('temps of builds that are gone are removed by the next build; a live owner keeps its own', async () => {
    const p = join(dir, 'sweep');
    const store = join(dir, 'sweep-store');
    const cache = await privateCache(join(dir, 'sweep-cache'));
    const out = join(p, '.pexpress', 'out');
    await files(p, { ...app, 'requirements.txt': 'six==1.17.0\n' });
    const dead = deadPid();
    const planted = [
      join(store, '.tmp', tempName('object', dead)),
      join(store, '.tmp', tempName('record', dead)),
      join(out, tempName('source.pex', dead)),
      join(out, tempName('deps.pex', dead)),
      join(cache, 'wheels', '.tmp', tempName('wheel', dead)),
    ];
    for (const f of planted) await files('/', { [f]: 'partial' });
    await mkdir(join(cache, 'tmp', tempName('pexpress-uv', dead)), { recursive: true });
    const live = join(store, '.tmp', tempName('object', process.pid));
    await writeFile(live, 'mine');
    await built(p, ['--store', store], { PEXPRESS_CACHE_DIR: cache });
    await assertNoTemps([out, join(cache, 'wheels', '.tmp'), join(cache, 'tmp')]);
    assert.deepEqual(await readdir(join(store, '.tmp')), [tempName('object', process.pid)]);
  });

  for (const signal of ['SIGKILL', 'SIGTERM', 'SIGINT'] as const) {
    test(`${signal} while setup.py is being evaluated: no uv or python outlives the build`, async () => {
      const p = join(dir, `orphans-${signal}`);
      // setup.py starts a process of its own too: the whole tree must go, not only the direct child.
      await files(p, { ...app, 'setup.py': 'import subprocess, time\nsubprocess.Popen(["sleep", "3600"])\ntime.sleep(3600)\n' });
      const child = spawn(process.execPath, [CLI, 'build', '--project-dir', p, '--store', join(dir, `orphans-store-${signal}`)], {
        env: { ...process.env, PEXPRESS_CACHE_DIR: TEST_CACHE, PEXPRESS_TEST_MARKER: p },
        stdio: 'ignore',
      });
      const others = () => processesWith(p).filter((l) => !l.startsWith(`${child.pid} `));
      const t0 = Date.now();
      // setup.py's own child is the deepest process of the tree: once it runs, everything does.
      const grandchild = () => others().some((l) => / sleep 3600/.test(l));
      while (!grandchild() && Date.now() - t0 < 30_000) await sleep(100);
      assert.ok(grandchild(), `setup.py is running under the build: ${others().join(' | ')}`);
      child.kill(signal);
      await once(child, 'close');
      const t1 = Date.now();
      while (others().length && Date.now() - t1 < 5000) await sleep(50);
      assert.deepEqual(others(), []);
    });
  }

  test('kill -9 at random points of 24 builds: the store stays consistent and nothing is left behind', async () => {
    const p = join(dir, 'killed');
    const store = join(dir, 'killed-store');
    const cache = await privateCache(join(dir, 'killed-cache'));
    const out = join(p, '.pexpress', 'out');
    await files(p, { ...app, 'requirements.txt': 'six==1.17.0\n' });
    const env = { ...process.env, PEXPRESS_CACHE_DIR: cache, PEXPRESS_TEST_MARKER: p };
    // One clean build first, so the loop's builds are fast and full ones alternating; how long each
    // kind takes on this machine now sets where the kills land (anywhere from start to finish).
    await built(p, ['--store', store], { PEXPRESS_CACHE_DIR: cache });
    const took = async (extra: string[]) => {
      const r = await cli(['build', '--project-dir', p, '--store', store, ...extra], { env: { PEXPRESS_CACHE_DIR: cache } });
      assert.equal(r.code, 0, r.stderr);
      return r.ms;
    };
    const fullMs = await took(['--force-full']);
    await writeFile(join(p, 'app', 'main.py'), 'def run():\n    print(-1)\n');
    const fastMs = await took([]);
    const kills: number[] = [];
    let finished = 0;
    for (let i = 0; i < 24; i++) {
      await writeFile(join(p, 'app', 'main.py'), `def run():\n    print(${i})\n`);
      const args = ['build', '--project-dir', p, '--store', store, ...(i % 3 === 0 ? ['--force-full'] : [])];
      const child = spawn(process.execPath, [CLI, ...args], { env, stdio: 'ignore' });
      // Spread over the whole build; a few land after it finished.
      const at = 10 + Math.floor(Math.random() * 1.1 * (i % 3 === 0 ? fullMs : fastMs));
      const timer = setTimeout(() => child.kill('SIGKILL'), at);
      const [code, signal] = (await once(child, 'close')) as [number | null, string | null];
      clearTimeout(timer);
      if (signal === 'SIGKILL') kills.push(at);
      else {
        assert.equal(code, 0);
        finished++;
      }
    }
    assert.ok(kills.length >= 10, `enough builds were killed (${kills.length} of 24)`);
    await sleep(300);
    assert.deepEqual(processesWith(p), [], 'no tool outlived a killed build');
    // Whatever the kills left, the store never points at a missing or partial archive...
    await assertStoreConsistent(store);
    // ...and the next build cleans up after the killed ones and succeeds.
    await built(p, ['--store', store, '--force-full'], { PEXPRESS_CACHE_DIR: cache });
    const { archives, records } = await assertStoreConsistent(store);
    assert.ok(archives >= 2 && records >= 3);
    await assertNoTemps([store, out, cache]);
    process.stderr.write(
      `kill -9 loop: ${kills.length} kills (at ${kills.join(', ')} ms; fast build ${fastMs} ms, full ${fullMs} ms), ${finished} builds finished\n`,
    );
  });
});

/**
 * A full disk, simulated with a tiny tmpfs (root only). Where mounting is not permitted the tests
 * report a skip instead of passing silently.
 */
describe('faults: a full disk', () => {
  let dir: string;
  const mounts: string[] = [];
  let why: string | false = false;
  before(async () => {
    dir = await tempDir('pexpress-fault-');
    const probe = join(dir, 'probe');
    await mkdir(probe);
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { encoding: 'utf8' });
    if (r.status !== 0) why = `cannot mount a tmpfs here (${(r.stderr || r.error?.message || '').trim()})`;
    else mounts.push(probe);
  });
  after(async () => {
    for (const m of mounts.reverse()) spawnSync('umount', ['-l', m]);
    await cleanup(dir);
  });

  async function tiny(path: string, size: string): Promise<void> {
    await mkdir(path, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path]);
    mounts.push(path);
  }

  /** Fills a mounted tmpfs to the last byte. */
  function fill(path: string): void {
    spawnSync('sh', ['-c', `dd if=/dev/zero of=${path}/filler bs=1k 2>/dev/null; true`]);
  }

  test('the wheel cache is full: exit 1 at once, naming the path, not retried as a network error', async (t) => {
    if (why) return t.skip(why);
    const p = join(dir, 'wheels-full');
    const cache = await privateCache(join(dir, 'wheels-full-cache'));
    await tiny(join(cache, 'wheels'), '16k');
    await files(p, { ...app, 'requirements.txt': 'idna==3.10\n' });
    const r = await cli(['build', '--project-dir', p, '--store', join(dir, 'wheels-full-store')], { env: { PEXPRESS_CACHE_DIR: cache } });
    assertOneLine(r, 1, /no space left on the device writing .*wheels-full-cache\/wheels\/\.tmp\/.*\.tmp — free some space/);
    assert.ok(!/check the index/.test(r.stderr));
    assert.deepEqual(await readdir(join(cache, 'wheels', '.tmp')), [], 'the partial download is gone');
  });

  test('the store is full when the records are written: exit 1 naming the record', async (t) => {
    if (why) return t.skip(why);
    const p = join(dir, 'store-full');
    const store = join(dir, 'store-full-store');
    await tiny(store, '256k');
    await files(p, app);
    await built(p, ['--store', store]);
    fill(store);
    const r = await cli(['build', '--project-dir', p, '--store', store]);
    assertOneLine(r, 1, /no space left on the device writing .*store-full-store\/manifests\/[0-9a-f]{64}\.json — free some space/);
    await rm(join(store, 'filler'));
    await assertStoreConsistent(store);
    await assertNoTemps([join(store, '.tmp')]);
  });

  test('the out-dir is full: exit 1 naming the archive, no partial file left', async (t) => {
    if (why) return t.skip(why);
    const p = join(dir, 'out-full');
    await files(p, { ...app, 'app/data.bin': randomBytes(200_000).toString('base64') });
    await tiny(join(dir, 'out-full-out'), '64k');
    const r = await cli(['build', '--project-dir', p, '--store', join(dir, 'out-full-store'), '--out-dir', join(dir, 'out-full-out')]);
    assertOneLine(r, 1, /no space left on the device writing .*out-full-out\/(deps|source)\.pex/);
    await assertNoTemps([join(dir, 'out-full-out')]);
  });
});

describe('faults: a damaged S3 object', () => {
  let s3: S3Server;
  let dir: string;
  before(async () => {
    s3 = await startMoto();
    await s3.createBucket('faults');
    dir = await tempDir('pexpress-fault-');
  });
  after(async () => {
    await s3?.stop();
    await cleanup(dir);
  });

  test('an object whose bytes were replaced is written again, never reported as reused', async () => {
    const p = join(dir, 's3');
    await files(p, app);
    const args = ['--store', 's3://faults/x', '--s3-endpoint', s3.endpoint];
    const first = await built(p, args, s3.env);
    const get = async (sha: string) => {
      const r = await s3.client().send(new GetObjectCommand({ Bucket: 'faults', Key: `x/sha256/${sha}.pex` }));
      return Buffer.from(await r.Body!.transformToByteArray());
    };
    // One flipped byte, written back by something other than pexpress (no checksum, no metadata).
    for (const sha of [first.source.sha256, first.deps.sha256]) {
      const bytes = await get(sha);
      bytes[bytes.length - 200] ^= 0xff;
      await s3.client().send(new PutObjectCommand({ Bucket: 'faults', Key: `x/sha256/${sha}.pex`, Body: bytes }));
    }
    const second = await built(p, [...args, '--force-full'], s3.env);
    assert.equal(second.source.uploaded, true);
    assert.equal(second.deps.uploaded, true);
    for (const sha of [first.source.sha256, first.deps.sha256]) {
      assert.equal(
        createHash('sha256')
          .update(await get(sha))
          .digest('hex'),
        sha,
      );
    }
    const third = await built(p, args, s3.env);
    assert.equal(third.source.uploaded, false);
  });
});
