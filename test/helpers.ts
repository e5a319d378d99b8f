import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BuildResult } from '../src/build/records.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const PYTHON = process.env.PEXPRESS_TEST_PYTHON ?? 'python3';
/** One wheel/uv cache for the whole run: tests exercise pexpress, not PyPI's bandwidth. */
export const TEST_CACHE = process.env.PEXPRESS_CACHE_DIR ?? join(tmpdir(), 'pexpress-test-cache');

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** `cleanEnv`: run with exactly opts.env (nothing inherited), as a CI runner would. */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; cleanEnv?: boolean } = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const env = opts.cleanEnv ? opts.env : { ...process.env, ...opts.env };
    const child = spawn(cmd, args, { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    // A child that exits without reading its stdin closes the pipe first; that is not a test failure.
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    // A child that exits without reading its stdin (an exec, a quick refusal) must not fail the run.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

export function pexpress(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return run(process.execPath, [CLI, ...args], { ...opts, env: { PEXPRESS_CACHE_DIR: TEST_CACHE, ...opts.env } });
}

export async function buildJson(projectDir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<BuildResult> {
  const r = await pexpress(['build', '--project-dir', projectDir, '--json', ...extra], { env });
  if (r.code !== 0) throw new Error(`build failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as BuildResult;
}

/** What `build --json` prints: the type the CLI and the Action use, so a field renamed there fails here. */
export type { BuildResult as BuildJson } from '../src/build/records.ts';

export async function tempDir(prefix = 'pexpress-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A private copy of an example project, so tests can edit it. */
export async function copyExample(name: string, dest?: string): Promise<string> {
  const dir = dest ?? join(await tempDir(), name);
  await cp(join(ROOT, 'examples', name), dir, { recursive: true, filter: (src) => !/(\.pexpress|__pycache__|\.egg-info)/.test(src) });
  return dir;
}

export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string, rel: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(join(d, e.name), r);
      else out.push(r);
    }
  }
  await walk(dir, '');
  return out.sort();
}

export async function cleanup(...dirs: string[]): Promise<void> {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}

/**
 * `test` for a suite that may be unable to run (a server that is not installed, say). node:test
 * (Node 20) counts the tests of a skipped describe() nowhere, so its summary would read "skipped 0":
 * instead the suite stays, each of its tests is registered with the reason and reported as skipped,
 * and the suite's hooks check the same reason before starting anything.
 */
export function skippable(skip: string | false): (name: string, fn: (t: TestContext) => void | Promise<void>) => void {
  return (name, fn) => void test(name, { skip }, fn);
}

/** A loopback port nobody listens on right now, for a server a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls URL until the server CHILD started answers (any HTTP status); fails if it exits or takes over 15 s. */
export async function waitForServer(url: string, child: ChildProcess, name: string): Promise<void> {
  const POLL_MS = 100;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await fetch(url).then(
      () => true,
      () => false,
    );
    if (up) return;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${name} did not start on ${url}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
