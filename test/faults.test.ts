import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CLI, cleanup, tempDir, TEST_CACHE } from './helpers.ts';

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

/** Processes still running whose command line mentions `marker` (orphaned tools). */
function processesWith(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes(marker) && !l.includes(' ps -eo'))
    .map((l) => l.trim());
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
    name: 'a missing wheel for the target',
    setup: async (d) => {
      await files(join(d, 'p'), { 'requirements.txt': 'docopt==0.6.2\n' });
      return { args: ['--platform', 'linux_aarch64'] };
    },
    code: 2,
    line: /docopt 0\.6\.2 has no wheel for CPython .* on linux_aarch64/,
  },
  // Item 9: nothing waits forever.
  {
    name: 'a setup.py that sleeps',
    setup: async (d) => {
      await files(join(d, 'p'), {
        'setup.py': 'import time\ntime.sleep(3600)  # pexpress-sleepy-setup\nfrom setuptools import setup\nsetup(name="x", version="1")\n',
      });
      return { env: { PEXPRESS_RESOLVE_TIMEOUT_MS: '5000' } };
    },
    code: 2,
    line: /uv did not finish resolving .* in 5 s: evaluating setup\.py for its dependencies hangs/,
    check: async (r, d) => {
      assert.ok(r.ms < 30_000, `${r.ms} ms`);
      await new Promise((res) => setTimeout(res, 300));
      assert.deepEqual(processesWith(join(d, 'p')), [], 'no uv or python left running');
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

describe('faults and bad input: one line, the right exit code', () => {
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
