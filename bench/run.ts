// pexpress against the pex tool, side by side on the same inputs in one run (issue 7).
//
//   node --import tsx bench/run.ts                  everything (~4–5 min on 2 CPUs: pex resolving pandas cold)
//   node --import tsx bench/run.ts --smoke          tiny inputs, one run each, < 60 s (CI)
//   node --import tsx bench/run.ts --only startup   one benchmark: fast | full | startup | size | repro
//
// Prints a table of ratios and writes bench/out/results.json and bench/out/results.md. Exits
// non-zero only when a command fails, never because of a ratio. docs/bench.md explains each figure.
//
// Environment: BENCH_RUNS (default 5, smoke 1), BENCH_COLD_RUNS (default 2, smoke 1),
// BENCH_STARTUP_RUNS (default 20, smoke 3), BENCH_PYTHON (the interpreter to build for and to
// start; default: what `python3` resolves to, so a pyenv shim is not timed), PEXPRESS_TEST_PEX,
// PEXPRESS_UV, BENCH_WORK (scratch directory; default a new one under the OS temp dir),
// BENCH_KEEP=1 (keep the scratch directory).
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceTree, writeTree } from './tree.ts';

// ---------------------------------------------------------------- configuration

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH, '..');
const argv = process.argv.slice(2);
const SMOKE = argv.includes('--smoke');
const ONLY = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
const NAMES = ['fast', 'full', 'startup', 'size', 'repro'];
const num = (name: string, dflt: number, smoke: number) => Number(process.env[name]) || (SMOKE ? smoke : dflt);
const RUNS = num('BENCH_RUNS', 5, 1);
const COLD_RUNS = num('BENCH_COLD_RUNS', 2, 1);
const STARTUP_RUNS = num('BENCH_STARTUP_RUNS', 20, 3);
const FILES = SMOKE ? 50 : 1000;
const CLI = join(ROOT, 'dist', 'cli.js');
const PEX = process.env.PEXPRESS_TEST_PEX ?? join(ROOT, '.venv', 'bin', 'pex');
const UV = process.env.PEXPRESS_UV ?? join(ROOT, '.venv', 'bin', 'uv');
const MEASURE = join(BENCH, 'measure.py');
const WORK = process.env.BENCH_WORK ?? join(tmpdir(), `pexpress-bench-${process.pid}`);
const SMOKE_REQS = 'six==1.17.0\nmarkupsafe==3.0.2\n';
const FAST_REQS = 'six==1.17.0\n';

/** The real interpreter, resolved once: `python3` may be a launcher shim that costs more than python itself. */
function resolvePython(): string {
  if (process.env.BENCH_PYTHON) return process.env.BENCH_PYTHON;
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout.trim()) throw new Error('python3 not found: set BENCH_PYTHON');
  return r.stdout.trim();
}
const PYTHON = resolvePython();
const PY_VERSION = spawnSync(PYTHON, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).stdout.trim();

/**
 * The environment every measured command starts from: this one without PYTHON*, PEX_* and
 * PEXPRESS_* variables, which change what is measured (PYTHONDONTWRITEBYTECODE=1, set on some CI
 * machines, makes every start compile numpy and pandas again, and pex's own runtime with them).
 */
const DROPPED_ENV = Object.keys(process.env)
  .filter((k) => /^(PYTHON|PEX_|PEXPRESS_)/.test(k))
  .sort();
const BASE_ENV: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter(([k, v]) => v !== undefined && !DROPPED_ENV.includes(k)),
) as Record<string, string>;

function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

// ---------------------------------------------------------------- measuring

interface Sample {
  wall: number; // seconds
  rssMiB: number; // peak RSS of the largest process in the tree
  stdout: string;
}

interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
  samples: number[];
}

function stat(xs: number[]): Stat {
  const s = [...xs].sort((x, y) => x - y);
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length, samples: xs };
}

let seq = 0;
/**
 * Runs one command under bench/measure.py (posix_spawn + wait4): the wall time from spawn to exit
 * and the peak RSS, with the wrapper's own start-up off the clock. Throws when the command fails.
 */
function measure(cmd: string[], env: Record<string, string> = {}, opts: { cwd?: string; umask?: string } = {}): Promise<Sample> {
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
async function alternate(
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

const walls = (xs: Sample[], scale = 1) => stat(xs.map((s) => s.wall * scale));
const rss = (xs: Sample[]) => stat(xs.map((s) => s.rssMiB));

// ---------------------------------------------------------------- results

type Unit = 's' | 'ms' | 'MiB';
interface Row {
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
}
const rows: Row[] = [];
const extra: Record<string, unknown> = {};

function addRow(r: Row): void {
  if (r.ratio === undefined && r.ours && r.pex) r.ratio = r.ours.median / r.pex.median;
  rows.push(r);
  log(`${r.bench}: ${cell(r, 'ours')} vs ${cell(r, 'pex')}${r.ratio !== undefined ? ` (ratio ${r.ratio.toFixed(3)})` : ''}`);
}

function fmt(x: number, unit: Unit): string {
  if (unit === 's') return `${x.toFixed(2)} s`;
  if (unit === 'ms') return `${x.toFixed(1)} ms`;
  return x < 1 ? `${(x * 1024).toFixed(1)} KiB` : `${x.toFixed(1)} MiB`;
}

function cell(r: Row, side: 'ours' | 'pex'): string {
  const text = side === 'ours' ? r.oursText : r.pexText;
  if (text !== undefined) return text;
  const s = side === 'ours' ? r.ours : r.pex;
  if (!s || r.unit === 'text') return '';
  const range = s.n > 1 ? ` (${fmt(s.min, r.unit).split(' ')[0]}–${fmt(s.max, r.unit)})` : '';
  return fmt(s.median, r.unit) + range;
}

// ---------------------------------------------------------------- shared inputs

const pexpressBuild = (project: string, store: string, outDir: string, extraArgs: string[] = []) => [
  'node',
  CLI,
  'build',
  '--project-dir',
  project,
  '--store',
  store,
  '--python',
  PY_VERSION,
  '--out-dir',
  outDir,
  '--json',
  ...extraArgs,
];
const pexpressEnv = (cache: string) => ({ PEXPRESS_CACHE_DIR: cache, PEXPRESS_UV: UV });

function fullRequirements(): string {
  return SMOKE ? SMOKE_REQS : readFileSync(join(BENCH, 'requirements-full.txt'), 'utf8');
}

function countRequirements(text: string): number {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#')).length;
}

function buildJson(s: Sample): {
  buildType: string;
  deps: { sha256: string; path: string | null; size: number };
  source: { sha256: string; path: string; size: number };
  timings: Record<string, number>;
} {
  return JSON.parse(s.stdout);
}

/** A project directory: the generated tree (or one tiny package) plus requirements.txt. */
function makeProject(dir: string, reqs: string, files: number | null): { bytes: number } {
  const bytes = files
    ? writeTree(dir, sourceTree(files))
    : writeTree(dir, [{ path: 'svc/__init__.py', text: '"""A one-file service."""\n' }]);
  writeFileSync(join(dir, 'requirements.txt'), reqs);
  return { bytes };
}

/** Archives of the full requirement set from both tools, built once (timed by `full`, or untimed for the others). */
interface Deps {
  ours: string;
  pex: string;
  warmCache: string;
  pexRoot: string;
}
let depsMemo: Deps | null = null;

async function deps(): Promise<Deps> {
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

// ---------------------------------------------------------------- 1. fast build

async function benchFast(): Promise<void> {
  const dir = join(WORK, 'fast');
  const project = join(dir, 'project');
  const { bytes } = makeProject(project, FAST_REQS, FILES);
  const store = join(dir, 'store');
  const cache = join(dir, 'cache');
  const out = join(dir, 'out');
  log(`fast build: ${FILES} files (${(bytes / 1e6).toFixed(1)} MB); one full build first (untimed)`);
  const first = buildJson(await measure(pexpressBuild(project, store, out), pexpressEnv(cache)));
  if (first.buildType !== 'full') throw new Error(`the first build was ${first.buildType}, expected full`);
  const pexRoot = join(dir, 'pex-root');
  const pexCmd = [PEX, '-D', project, '-o', join(dir, 'pex-source.pex')];
  await measure(pexCmd, { PEX_ROOT: pexRoot }); // pex's caches warm too
  let edit = 0;
  const touch = () => appendFileSync(join(project, 'app', 'pkg01', 'm0001.py'), `# edit ${edit++}\n`);
  const ours = async () => {
    const s = await measure(pexpressBuild(project, store, out), pexpressEnv(cache));
    if (buildJson(s).buildType !== 'fast') throw new Error('a timed fast build was not fast');
    return s;
  };
  const r = await alternate(RUNS, ours, () => measure(pexCmd, { PEX_ROOT: pexRoot }), touch);
  const a = walls(r.a);
  const b = walls(r.b);
  const label = `${FILES} files, ${(bytes / 1e6).toFixed(1)} MB`;
  addRow({
    id: 'fast.wall',
    bench: `fast build (${label}), same checkout again, caches warm`,
    unit: 's',
    ours: a,
    pex: b,
    target: '≤ 0.10',
    met: a.median / b.median <= 0.1,
  });
  const ra = rss(r.a);
  addRow({ id: 'fast.rss', bench: 'fast build, peak RSS', unit: 'MiB', ours: ra, pex: rss(r.b), target: '< 150 MiB', met: ra.max < 150 });
  // A CI runner: a fresh checkout, and no pexpress cache (the Action restores it for full builds
  // only) nor PEX_ROOT: every file is hashed and deflated again.
  const c = await alternate(
    Math.min(RUNS, 3),
    (i) => measure(pexpressBuild(project, store, out), pexpressEnv(join(dir, `cold-cache-${i}`))),
    (i) => measure(pexCmd, { PEX_ROOT: join(dir, `cold-pex-root-${i}`) }),
    touch,
  );
  const [ea, eb] = [walls(c.a), walls(c.b)];
  addRow({
    id: 'fast.empty',
    bench: 'fast build, empty caches (a CI runner)',
    unit: 's',
    ours: ea,
    pex: eb,
    target: '≤ 0.10',
    met: ea.median / eb.median <= 0.1,
  });
  addRow({
    id: 'fast.empty.rss',
    bench: 'fast build, empty caches, peak RSS',
    unit: 'MiB',
    ours: rss(c.a),
    pex: rss(c.b),
    target: '< 150 MiB',
    met: rss(c.a).max < 150,
  });
}

// ---------------------------------------------------------------- 2. full build

async function benchFull(): Promise<void> {
  const dir = join(WORK, 'full');
  const project = join(dir, 'project');
  const reqs = fullRequirements();
  makeProject(project, reqs, null);
  const count = countRequirements(reqs);
  const pexOut = join(dir, 'pex-deps.pex');
  const pexCmd = [PEX, '-r', join(project, 'requirements.txt'), '-o', pexOut, '--python', PYTHON];
  let n = 0;
  extra.fullPhases = [];
  // Every pexpress run gets an empty store, so it is a real full build that also writes deps.pex into the store.
  const ours = async (cache: string) => {
    const s = await measure(pexpressBuild(project, join(dir, `store-${n}`), join(dir, `out-${n++}`)), pexpressEnv(cache));
    const j = buildJson(s);
    if (j.buildType !== 'full') throw new Error('a timed full build was not full');
    (extra.fullPhases as Record<string, unknown>[]).push({ cache: cache === depsMemo?.warmCache ? 'warm' : 'cold', ...j.timings });
    return s;
  };
  log(`full build: ${count} requirements; ${COLD_RUNS} cold run(s) each (empty caches), then ${RUNS} warm`);
  const cold = await alternate(
    COLD_RUNS,
    (i) => ours(join(dir, `cold-cache-${i}`)),
    (i) => measure(pexCmd, { PEX_ROOT: join(dir, `cold-pex-root-${i}`) }),
  );
  const ca = walls(cold.a);
  const cb = walls(cold.b);
  addRow({
    id: 'full.cold',
    bench: `full build, cold caches (${count} reqs)`,
    unit: 's',
    ours: ca,
    pex: cb,
    target: '< 1',
    met: ca.median < cb.median,
  });
  const d = await deps(); // fills the warm caches
  const warm = await alternate(
    RUNS,
    () => ours(d.warmCache),
    () => measure(pexCmd, { PEX_ROOT: d.pexRoot }),
  );
  const wa = walls(warm.a);
  const wb = walls(warm.b);
  addRow({
    id: 'full.warm',
    bench: `full build, warm caches (${count} reqs)`,
    unit: 's',
    ours: wa,
    pex: wb,
    target: '≤ 0.33',
    met: wa.median / wb.median <= 1 / 3,
  });
  addRow({
    id: 'full.rss',
    bench: 'full build warm, peak RSS',
    unit: 'MiB',
    ours: rss(warm.a),
    pex: rss(warm.b),
    target: '(info)',
    met: null,
  });
}

// ---------------------------------------------------------------- 3. start-up

interface Sources {
  ours: string;
  oursDeps: string;
  pex: string;
}
let sourcesMemo: Sources | null = null;

/** source.pex of the generated tree built against the full deps.pex, and pex's `-D` archive of the same tree. */
async function sources(): Promise<Sources> {
  if (sourcesMemo) return sourcesMemo;
  const d = await deps();
  const dir = join(WORK, 'startup');
  const project = join(dir, 'project');
  makeProject(project, fullRequirements(), FILES);
  const s = buildJson(await measure(pexpressBuild(project, join(dir, 'store'), join(dir, 'out')), pexpressEnv(d.warmCache)));
  const pex = join(dir, 'pex-source.pex');
  await measure([PEX, '-D', project, '-o', pex], { PEX_ROOT: d.pexRoot });
  sourcesMemo = { ours: s.source.path, oursDeps: s.deps.path!, pex };
  return sourcesMemo;
}

async function benchStartup(): Promise<void> {
  const d = await deps();
  const src = await sources();
  const dir = join(WORK, 'startup');
  const ours = (code: string, root: string) => measure([PYTHON, src.ours, '-c', code], { PEX_ROOT: root, PEX_PATH: src.oursDeps });
  const theirs = (code: string, root: string) => measure([PYTHON, src.pex, '-c', code], { PEX_ROOT: root, PEX_PATH: d.pex });
  const rootA = join(dir, 'pex-root-pexpress');
  const rootB = join(dir, 'pex-root-pex');
  await ours('pass', rootA); // extract once: the timed runs are warm
  await theirs('pass', rootB);
  log(`start-up: ${STARTUP_RUNS} rounds of bare python / pexpress / pex`);
  const bare: Sample[] = [];
  const a: Sample[] = [];
  const b: Sample[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    bare.push(await measure([PYTHON, '-c', 'pass']));
    a.push(await ours('pass', rootA));
    b.push(await theirs('pass', rootB));
  }
  const [sb, sa, st] = [walls(bare, 1000), walls(a, 1000), walls(b, 1000)];
  extra.barePython = sb;
  const x = (s: Stat) => `${(s.median / sb.median).toFixed(2)}×`;
  addRow({ id: 'startup.bare', bench: 'start-up: bare `python -c pass`', unit: 'ms', ours: sb, pex: sb, target: '(reference)', met: null });
  addRow({
    id: 'startup.warm',
    bench: 'start-up, warm: `PEX_PATH=deps.pex python source.pex -c pass`',
    unit: 'ms',
    ours: sa,
    pex: st,
    target: '(info)',
    met: null,
    note: `${x(sa)} / ${x(st)} bare python`,
  });
  const added = (s: Stat) => stat(s.samples.map((v, i) => v - sb.samples[i]));
  const addA = added(sa);
  const addB = added(st);
  const addRatio = (sa.median - sb.median) / (st.median - sb.median);
  addRow({
    id: 'startup.added',
    bench: 'start-up, warm: added over bare python',
    unit: 'ms',
    ours: addA,
    pex: addB,
    oursText: fmt(sa.median - sb.median, 'ms'),
    pexText: fmt(st.median - sb.median, 'ms'),
    ratio: addRatio,
    target: '≤ 30 ms and ≤ 0.10',
    met: sa.median - sb.median <= 30 && addRatio <= 0.1,
    note: 'difference of medians',
  });
  // Importing real dependencies: each tool's sys.path set-up, as an application sees it.
  const imports = SMOKE ? 'import six, markupsafe' : 'import numpy, pandas';
  await ours(imports, rootA); // the first import writes the bytecode caches
  await theirs(imports, rootB);
  const ia = [] as Sample[];
  const ib = [] as Sample[];
  for (let i = 0; i < Math.min(RUNS, 5); i++) {
    ia.push(await ours(imports, rootA));
    ib.push(await theirs(imports, rootB));
  }
  addRow({
    id: 'startup.import',
    bench: `start-up, warm: \`-c "${imports}"\``,
    unit: 'ms',
    ours: walls(ia, 1000),
    pex: walls(ib, 1000),
    target: '(info)',
    met: null,
  });
  const ca: Sample[] = [];
  const cb: Sample[] = [];
  for (let i = 0; i < COLD_RUNS + (SMOKE ? 0 : 1); i++) {
    ca.push(await ours('pass', join(dir, `cold-a-${i}`)));
    cb.push(await theirs('pass', join(dir, `cold-b-${i}`)));
  }
  const [ma, mb] = [walls(ca, 1000), walls(cb, 1000)];
  addRow({
    id: 'startup.cold',
    bench: 'start-up, cold (empty PEX_ROOT: extracts both archives)',
    unit: 'ms',
    ours: ma,
    pex: mb,
    target: '≤ 1',
    met: ma.median <= mb.median,
  });
}

// ---------------------------------------------------------------- 4. size

/** Top-level `.deps/` names and the compressed bytes of pex's own runtime (`.bootstrap/`). */
function zipSummary(file: string): { deps: string[]; bootstrap: number; entries: number } {
  const code = `import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
deps = sorted({i.filename.split('/')[1] for i in z.infolist() if i.filename.startswith('.deps/') and i.filename.count('/') > 1})
boot = sum(i.compress_size for i in z.infolist() if i.filename.startswith('.bootstrap/') or i.filename.startswith('__pex__/'))
print(json.dumps({'deps': deps, 'bootstrap': boot, 'entries': len(z.infolist())}))`;
  const r = spawnSync(PYTHON, ['-c', code, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`reading ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function benchSize(): Promise<void> {
  const d = await deps();
  const src = await sources();
  const mib = (f: string) => statSync(f).size / 2 ** 20;
  const one = (v: number): Stat => stat([v]);
  const zo = zipSummary(d.ours);
  const zp = zipSummary(d.pex);
  const same = zo.deps.join() === zp.deps.join();
  const diff = same
    ? ''
    : `; wheels differ: pexpress only ${zo.deps.filter((x) => !zp.deps.includes(x)).join(', ') || '–'}, pex only ${zp.deps.filter((x) => !zo.deps.includes(x)).join(', ') || '–'}`;
  const sizeRow = (id: string, bench: string, a: string, b: string, note: string) => {
    const ratio = mib(a) / mib(b);
    addRow({ id, bench, unit: 'MiB', ours: one(mib(a)), pex: one(mib(b)), ratio, target: '≤ 1.05', met: ratio <= 1.05, note });
  };
  sizeRow(
    'size.deps',
    `size: deps archive (${zo.deps.length} wheels)`,
    d.ours,
    d.pex,
    `same wheels: ${same ? 'yes' : 'no'}${diff}; pex's runtime ${(zp.bootstrap / 2 ** 20).toFixed(2)} MiB of it`,
  );
  const so = zipSummary(src.ours);
  const sp = zipSummary(src.pex);
  sizeRow(
    'size.source',
    `size: source archive (${FILES} files)`,
    src.ours,
    src.pex,
    `pex's runtime ${(sp.bootstrap / 2 ** 20).toFixed(2)} MiB of it; entries ${so.entries} / ${sp.entries}`,
  );
}

// ---------------------------------------------------------------- 5. reproducibility

/** The same project built in two places: different path, mtimes, umask, creation order, TZ, LANG and cache. */
async function benchRepro(): Promise<void> {
  const reqs = fullRequirements();
  const tree = sourceTree(FILES);
  const places = [
    {
      dir: join(WORK, 'repro', 'a', 'p'),
      order: tree,
      umask: '022',
      when: new Date('2001-02-03T04:05:06Z'),
      env: { TZ: 'UTC', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
      cache: depsMemo?.warmCache ?? join(WORK, 'repro', 'cache-a'),
    },
    {
      dir: join(WORK, 'repro', 'b', 'deeper', 'checkout'),
      order: [...tree].reverse(),
      umask: '077',
      when: new Date('2025-06-15T12:00:00Z'),
      env: { TZ: 'Asia/Kathmandu', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
      cache: join(WORK, 'repro', 'cache-b'),
    },
  ];
  const hashes: { deps: string; source: string }[] = [];
  for (const [i, p] of places.entries()) {
    // Written under the place's umask (so file modes differ) and in its order, then given its own mtimes.
    const saved = process.umask(parseInt(p.umask, 8));
    try {
      writeTree(p.dir, p.order);
      writeFileSync(join(p.dir, 'requirements.txt'), reqs);
    } finally {
      process.umask(saved);
    }
    const stamp = (d: string, k: number) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) stamp(join(d, e.name), k + 1);
        const t = new Date(p.when.getTime() + (k * 7919 + e.name.length * 104729) * 1000);
        utimesSync(join(d, e.name), t, t);
      }
    };
    stamp(p.dir, 0);
    const s = await measure(
      pexpressBuild(p.dir, join(WORK, 'repro', `store-${i}`), join(WORK, 'repro', `out-${i}`)),
      { ...pexpressEnv(p.cache), ...p.env },
      { umask: p.umask, cwd: join(p.dir, '..') },
    );
    const j = buildJson(s);
    hashes.push({ deps: j.deps.sha256, source: j.source.sha256 });
    process.stdout.write(
      `reproducibility, place ${i + 1} (${p.dir}, umask ${p.umask}, TZ=${p.env.TZ}, LANG=${p.env.LANG}):\n  deps.pex   ${j.deps.sha256}\n  source.pex ${j.source.sha256}\n`,
    );
  }
  const same = hashes[0].deps === hashes[1].deps && hashes[0].source === hashes[1].source;
  extra.reproducibility = hashes;
  const short = (h: { deps: string; source: string }) => `${h.deps.slice(0, 12)} / ${h.source.slice(0, 12)}`;
  addRow({
    id: 'repro',
    bench: `reproducibility: deps / source sha256 in 2 places (${countRequirements(reqs)} reqs, ${FILES} files)`,
    unit: 'text',
    oursText: short(hashes[0]),
    pexText: short(hashes[1]),
    target: 'identical',
    met: same,
    note: 'columns: place 1, place 2 (both pexpress)',
  });
}

// ---------------------------------------------------------------- main

function machine(): Record<string, string | number> {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const meminfo = existsSync('/proc/meminfo') ? readFileSync('/proc/meminfo', 'utf8') : '';
  const v = (cmd: string[]) => spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' }).stdout?.trim() ?? '?';
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    nproc: availableParallelism(),
    cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown CPU',
    memGiB: Math.round(Number(/MemTotal:\s*(\d+)/.exec(meminfo)?.[1] ?? 0) / 2 ** 20),
    kernel: v(['uname', '-r']),
    node: process.version,
    python: `${v([PYTHON, '-c', 'import platform; print(platform.python_version())'])} (${PYTHON})`,
    pex: v([PEX, '--version']),
    uv: v([UV, '--version']),
    pexpress: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    commit: v(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    droppedEnv: DROPPED_ENV.join(' ') || 'none',
  };
}

function table(m: Record<string, string | number>): string {
  const head = `_${m.date} · ${m.nproc} CPUs (${m.cpu}) · ${m.memGiB} GiB · Linux ${m.kernel} · Node ${m.node} · Python ${String(m.python).split(' ')[0]} · pex ${m.pex} · ${m.uv} · pexpress ${m.pexpress} (${m.commit})${m.droppedEnv !== 'none' ? ` · unset for measured commands: ${m.droppedEnv}` : ''}${SMOKE ? ' · **SMOKE: tiny inputs**' : ''} · ${RUNS} run(s) per side (start-up ${STARTUP_RUNS}, cold ${COLD_RUNS}); median (min–max)_`;
  const met = (r: Row) => (r.met === null ? '–' : r.met ? 'yes' : '**no**');
  return [
    head,
    '',
    '| benchmark | pexpress | pex | ratio | target | met |',
    '|:--|--:|--:|--:|:--|:--|',
    ...rows.map(
      (r) =>
        `| ${r.bench} | ${cell(r, 'ours')} | ${cell(r, 'pex')} | ${r.ratio === undefined || r.id === 'startup.bare' ? '' : r.ratio.toFixed(3)} | ${r.target} | ${met(r)}${r.note ? ` · ${r.note}` : ''} |`,
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  if (ONLY && !NAMES.includes(ONLY)) throw new Error(`--only ${ONLY}: use one of ${NAMES.join(', ')}`);
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build');
  if (!existsSync(PEX))
    throw new Error(`pex not found at ${PEX}: bash scripts/test-tools.sh installs it into .venv (or set PEXPRESS_TEST_PEX)`);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  log(`python ${PYTHON} (${PY_VERSION}), pex ${PEX}, scratch ${WORK}${SMOKE ? ', SMOKE' : ''}`);
  if (DROPPED_ENV.length) log(`not passed to the measured commands: ${DROPPED_ENV.join(', ')}`);
  const t0 = performance.now();
  const want = (name: string) => !ONLY || ONLY === name;
  try {
    if (want('fast')) await benchFast();
    if (want('full')) await benchFull();
    if (want('startup')) await benchStartup();
    if (want('size')) await benchSize();
    if (want('repro')) await benchRepro();
  } finally {
    if (!process.env.BENCH_KEEP) rmSync(WORK, { recursive: true, force: true });
    else log(`kept ${WORK}`);
  }
  const m = machine();
  const md = table(m);
  const outDir = join(BENCH, 'out');
  mkdirSync(outDir, { recursive: true });
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(join(outDir, 'results.md'), md + '\n');
  writeFileSync(
    join(outDir, 'results.json'),
    JSON.stringify(
      { machine: m, smoke: SMOKE, only: ONLY, runs: { runs: RUNS, cold: COLD_RUNS, startup: STARTUP_RUNS }, seconds, rows, extra },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write('\n' + md + '\n');
  log(`done in ${seconds.toFixed(0)} s; bench/out/results.md, bench/out/results.json`);
}

main().catch((err) => {
  process.stderr.write(`bench: FAILED: ${(err as Error).message}\n`);
  process.exit(1);
});
