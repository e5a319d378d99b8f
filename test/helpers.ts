import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    // A child that exits without reading its stdin (an exec, a quick refusal) must not fail the run.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

export function pexpress(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return run(process.execPath, [CLI, ...args], { ...opts, env: { PEXPRESS_CACHE_DIR: TEST_CACHE, ...opts.env } });
}

export async function buildJson(projectDir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<BuildJson> {
  const r = await pexpress(['build', '--project-dir', projectDir, '--json', ...extra], { env });
  if (r.code !== 0) throw new Error(`build failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as BuildJson;
}

export interface BuildJson {
  buildType: 'full' | 'fast';
  reason: string;
  fingerprint: string;
  deps: { sha256: string; key: string; url: string; size: number; uploaded: boolean; path: string | null };
  source: { sha256: string; key: string; url: string; size: number; uploaded: boolean; path: string | null };
  manifest: { key: string };
  timings: Record<string, number>;
  stats?: { wheels: number; downloaded: number } | null;
}

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
