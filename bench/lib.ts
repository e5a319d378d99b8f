// What every benchmark section shares: the configuration (environment, tools, scratch space),
// the timed-process wrapper (bench/measure.py), statistics, the result rows, and the project and
// build helpers. bench/run.ts owns the order of the sections and the printed table.
//
// Environment: BENCH_RUNS (default 5, smoke 1), BENCH_COLD_RUNS (default 2, smoke 1),
// BENCH_STARTUP_RUNS (default 20, smoke 3), BENCH_PYTHON (the interpreter to build for and to
// start; default: what `python3` resolves to, so a pyenv shim is not timed), PEXPRESS_TEST_PEX,
// PEXPRESS_UV, BENCH_WORK (scratch directory; default a new one under the OS temp dir),
// BENCH_KEEP=1 (keep the scratch directory).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceTree, writeTree } from './tree.ts';

// ---------------------------------------------------------------- configuration

export const BENCH = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(BENCH, '..');
export const argv = process.argv.slice(2);
export const SMOKE = argv.includes('--smoke');
export const ONLY = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
export const num = (name: string, dflt: number, smoke: number) => Number(process.env[name]) || (SMOKE ? smoke : dflt);
export const RUNS = num('BENCH_RUNS', 5, 1);
export const COLD_RUNS = num('BENCH_COLD_RUNS', 2, 1);
export const STARTUP_RUNS = num('BENCH_STARTUP_RUNS', 20, 3);
export const FILES = SMOKE ? 50 : 1000;
export const CLI = join(ROOT, 'dist', 'cli.js');
export const PEX = process.env.PEXPRESS_TEST_PEX ?? join(ROOT, '.venv', 'bin', 'pex');
export const UV = process.env.PEXPRESS_UV ?? join(ROOT, '.venv', 'bin', 'uv');
export const MEASURE = join(BENCH, 'measure.py');
export const WORK = process.env.BENCH_WORK ?? join(tmpdir(), `pexpress-bench-${process.pid}`);
export const SMOKE_REQS = 'six==1.17.0\nmarkupsafe==3.0.2\n';
export const FAST_REQS = 'six==1.17.0\n';

/** The real interpreter, resolved once: `python3` may be a launcher shim that costs more than python itself. */
export function resolvePython(): string {
  if (process.env.BENCH_PYTHON) return process.env.BENCH_PYTHON;
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout.trim()) throw new Error('python3 not found: set BENCH_PYTHON');
  return r.stdout.trim();
}
export const PYTHON = resolvePython();
export const PY_VERSION = spawnSync(PYTHON, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
  encoding: 'utf8',
}).stdout.trim();

/**
 * The environment every measured command starts from: this one without PYTHON*, PEX_* and
 * PEXPRESS_* variables, which change what is measured (PYTHONDONTWRITEBYTECODE=1, set on some CI
 * machines, makes every start compile numpy and pandas again, and pex's own runtime with them).
 */
export const DROPPED_ENV = Object.keys(process.env)
  .filter((k) => /^(PYTHON|PEX_|PEXPRESS_)/.test(k))
  .sort();
export const BASE_ENV: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter(([k, v]) => v !== undefined && !DROPPED_ENV.includes(k)),
) as Record<string, string>;

export function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

// ---------------------------------------------------------------- measuring

export interface Sample {
  wall: number; // seconds
  rssMiB: number; // peak RSS of the largest process in the tree
  stdout: string;
}

export interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
  samples: number[];
}

export function stat(xs: number[]): Stat {
  const s = [...xs].sort((x, y) => x - y);
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length, samples: xs };
}

let seq = 0;
/**
 * Runs one command under bench/measure.py (posix_spawn + wait4): the wall time from spawn to exit
 * and the peak RSS, with the wrapper's own start-up off the clock. Throws when the command fails.
 */
export function measure(cmd: string[], env: Record<string, string> = {}, opts: { cwd?: string; umask?: string } = {}): Promise<Sample> {
  const result = join(WORK, 'measure', `${process.pid}-${seq++}.json`);
  mkdirSync(dirname(result), { recursive: true });
  const wrapped = [PYTHON, '-I', '-S', MEASURE, result, '--', ...cmd];
  // umask is inherited: apply it through sh, which then execs the wrapper.
  const [exe, ...args] = opts.umask ? ['sh', '-c', `umask ${opts.umask} && exec "$@"`, 'sh', ...wrapped] : wrapped;
  return new Promise((resolve, reject) => {
    const child = spawn(exe, args, { cwd: opts.cwd, env: { ...BASE_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err = (err + b).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      let r: { wall: number; maxrss_kib: number; status: number } | null = null;
      try {
        r = JSON.parse(readFileSync(result, 'utf8'));
        rmSync(result, { force: true });
      } catch {
        /* the wrapper itself failed */
      }
      if (code !== 0 || !r || r.status !== 0) {
        return reject(new Error(`command failed (exit ${r?.status ?? code}): ${cmd.join(' ')}\n${err.trim()}`));
      }
      resolve({ wall: r.wall, rssMiB: r.maxrss_kib / 1024, stdout: out });
    });
  });
}

/** A and B in turn (A B A B …), so drift in the machine's speed hits both alike. */
export async function alternate(
  n: number,
  a: (i: number) => Promise<Sample>,
  b: (i: number) => Promise<Sample>,
  before?: () => void,
): Promise<{ a: Sample[]; b: Sample[] }> {
  const out = { a: [] as Sample[], b: [] as Sample[] };
  for (let i = 0; i < n; i++) {
    before?.();
    out.a.push(await a(i));
    before?.();
    out.b.push(await b(i));
  }
  return out;
}

export const walls = (xs: Sample[], scale = 1) => stat(xs.map((s) => s.wall * scale));
export const rss = (xs: Sample[]) => stat(xs.map((s) => s.rssMiB));

// ---------------------------------------------------------------- results

export type Unit = 's' | 'ms' | 'MiB';
export interface Row {
  id: string;
  bench: string;
  unit: Unit | 'text';
  ours?: Stat;
  pex?: Stat;
  oursText?: string;
  pexText?: string;
  ratio?: number;
  target: string;
  met: boolean | null; // null: information only
  note?: string;
  /** What the reference column measured, when it is not the pex tool (`cp`, `aws s3 cp`, bare python). */
  refName?: string;
}
export const rows: Row[] = [];
export const extra: Record<string, unknown> = {};

export function addRow(r: Row): void {
  if (r.ratio === undefined && r.ours && r.pex) r.ratio = r.ours.median / r.pex.median;
  rows.push(r);
  log(`${r.bench}: ${cell(r, 'ours')} vs ${cell(r, 'pex')}${r.ratio !== undefined ? ` (ratio ${r.ratio.toFixed(3)})` : ''}`);
}

export function fmt(x: number, unit: Unit): string {
  if (unit === 's') return `${x.toFixed(2)} s`;
  if (unit === 'ms') return `${x.toFixed(1)} ms`;
  return x < 1 ? `${(x * 1024).toFixed(1)} KiB` : `${x.toFixed(1)} MiB`;
}

export function cell(r: Row, side: 'ours' | 'pex'): string {
  const text = side === 'ours' ? r.oursText : r.pexText;
  const named = (t: string) => (side === 'pex' && r.refName && t ? `${t} (${r.refName})` : t);
  if (text !== undefined) return named(text);
  const s = side === 'ours' ? r.ours : r.pex;
  if (!s || r.unit === 'text') return '';
  const range = s.n > 1 ? ` (${fmt(s.min, r.unit).split(' ')[0]}–${fmt(s.max, r.unit)})` : '';
  return named(fmt(s.median, r.unit) + range);
}

// ---------------------------------------------------------------- shared inputs

/**
 * `pexpress build` into a given store and out-dir. `python: false` leaves the target to pexpress
 * (what a user types): the host interpreter's version is then looked up, as it is for them.
 */
export const pexpressBuild = (
  project: string,
  store: string,
  outDir: string,
  extraArgs: string[] = [],
  opts: { python?: boolean } = {},
) => [
  'node',
  CLI,
  'build',
  '--project-dir',
  project,
  '--store',
  store,
  ...(opts.python === false ? [] : ['--python', PY_VERSION]),
  '--out-dir',
  outDir,
  '--json',
  ...extraArgs,
];
export const pexpressEnv = (cache: string) => ({ PEXPRESS_CACHE_DIR: cache, PEXPRESS_UV: UV });

export function fullRequirements(): string {
  return SMOKE ? SMOKE_REQS : readFileSync(join(BENCH, 'requirements-full.txt'), 'utf8');
}

export function countRequirements(text: string): number {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#')).length;
}

export function buildJson(s: Sample): {
  buildType: string;
  deps: { sha256: string; path: string | null; size: number };
  source: { sha256: string; path: string; size: number };
  timings: Record<string, number>;
} {
  return JSON.parse(s.stdout);
}

/** A project directory: the generated tree (or one tiny package) plus requirements.txt. */
export function makeProject(dir: string, reqs: string, files: number | null): { bytes: number } {
  const bytes = files
    ? writeTree(dir, sourceTree(files))
    : writeTree(dir, [{ path: 'svc/__init__.py', text: '"""A one-file service."""\n' }]);
  writeFileSync(join(dir, 'requirements.txt'), reqs);
  return { bytes };
}

/** Archives of the full requirement set from both tools, built once (timed by `full`, or untimed for the others). */
export interface Deps {
  ours: string;
  pex: string;
  warmCache: string;
  pexRoot: string;
}
export let depsMemo: Deps | null = null;

export async function deps(): Promise<Deps> {
  if (depsMemo) return depsMemo;
  const dir = join(WORK, 'full');
  const project = join(dir, 'project');
  if (!existsSync(project)) makeProject(project, fullRequirements(), null);
  const warmCache = join(dir, 'warm-cache');
  const pexRoot = join(dir, 'warm-pex-root');
  log('building both deps archives once (untimed) to fill the caches');
  const s = await measure(pexpressBuild(project, join(dir, 'store-fill'), join(dir, 'out-fill')), pexpressEnv(warmCache));
  const pexOut = join(dir, 'pex-deps.pex');
  await measure([PEX, '-r', join(project, 'requirements.txt'), '-o', pexOut, '--python', PYTHON], { PEX_ROOT: pexRoot });
  depsMemo = { ours: buildJson(s).deps.path!, pex: pexOut, warmCache, pexRoot };
  return depsMemo;
}
