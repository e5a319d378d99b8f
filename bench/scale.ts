// The scale section (issue 16, "How the cost grows"): the fast build at growing file counts (and at
// one count with 4× the bytes per file), the full build at ~30 / ~100 / ~250 real pinned wheels
// (bench/sets/), cold and warm, and warm start-up at those sizes, each against pex on the same input.
// Writes bench/out/scale.json; bench/chart.ts draws it (docs/scaling.svg). docs/bench.md explains it.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import {
  BENCH,
  FAST_REQS,
  PEX,
  PYTHON,
  SMOKE,
  SMOKE_REQS,
  STARTUP_RUNS,
  WORK,
  addRow,
  buildJson,
  countRequirements,
  deps,
  extra,
  fmt,
  log,
  measure,
  num,
  pexpressBuild,
  pexpressEnv,
  rss,
  stat,
  walls,
  type Sample,
  type Stat,
} from './lib.ts';
import { sourceTree, writeTree } from './tree.ts';
import { renderChart } from './chart.ts';

// ---------------------------------------------------------------- configuration

const sizes = (name: string, dflt: number[], smoke: number[]): number[] => {
  const v = process.env[name]
    ?.split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  return v?.length ? v : SMOKE ? smoke : dflt;
};
/** Source file counts for the fast build. */
export const FILE_SIZES = sizes('BENCH_SCALE_FILES', [1000, 10000, 50000], [50, 100]);
/** Requirement sets: N names bench/sets/wheels-N.txt (smoke: 2 and 5 tiny wheels, written here). */
export const WHEEL_SETS = sizes('BENCH_SCALE_SETS', [30, 100, 250], [2, 5]);
/** The file count whose tree is built a second time with BYTES_FACTOR × the bytes per file. */
const BYTES_AT = Number(process.env.BENCH_SCALE_BYTES_FILES) || (SMOKE ? FILE_SIZES[0] : FILE_SIZES[Math.min(1, FILE_SIZES.length - 1)]);
const BYTES_FACTOR = 4;
/** Timed runs per side (fast and warm full builds); pex's -D build above 20,000 files runs at most twice. */
const RUNS = num('BENCH_SCALE_RUNS', 3, 1);
// Smoke: no cold runs (the same code with new cache directories), and both sets share the caches
// bench/lib.ts deps() fills (the smoke run's other sections have filled them already).
const COLD_RUNS = SMOKE ? Number(process.env.BENCH_SCALE_COLD_RUNS) || 0 : num('BENCH_SCALE_COLD_RUNS', 1, 0);
const SMOKE_SETS: Record<number, string> = {
  2: SMOKE_REQS,
  5: SMOKE_REQS + 'idna==3.20\ncertifi==2026.10.19.post1\ntyping-extensions==4.16.0\n',
};
// Targets (docs/bench.md, "How the cost grows", says why these numbers).
const LINEAR_MAX = 1.5; // marginal cost per file, last interval / first interval
const BYTES_MAX = 1.25; // fast build with 4× the bytes per file / the same count at 1×
const STARTUP_GROWTH_MAX_MS = 5; // warm start-up at the largest set minus at the smallest

function requirements(n: number): string {
  if (SMOKE_SETS[n] && SMOKE) return SMOKE_SETS[n];
  const file = join(BENCH, 'sets', `wheels-${n}.txt`);
  if (!existsSync(file)) throw new Error(`BENCH_SCALE_SETS: ${n} has no bench/sets/wheels-${n}.txt`);
  return readFileSync(file, 'utf8');
}

/** The measured commands find the real interpreter first: a shebang's `env python3.X` or pex's sh-boot would otherwise time a pyenv shim. */
const RUN_PATH = { PATH: `${dirname(PYTHON)}:${process.env.PATH ?? '/usr/bin:/bin'}` };

interface FastPoint {
  files: number;
  bytesScale: number;
  bytes: number;
  sourceMiB: number;
  ours: Stat;
  pex: Stat;
  oursRss: Stat;
  pexRss: Stat;
}
interface FullPoint {
  wheels: number;
  depsMiB: number;
  cold: { ours: Stat; pex: Stat; oursRss: Stat; pexRss: Stat } | null;
  warm: { ours: Stat; pex: Stat; oursRss: Stat; pexRss: Stat };
  phases: Record<string, number>[];
}
interface StartupPoint {
  wheels: number;
  bare: Stat;
  ours: Stat;
  pex: Stat;
}
export interface ScaleResults {
  date: string;
  smoke: boolean;
  runs: { runs: number; cold: number; startup: number };
  fast: FastPoint[];
  full: FullPoint[];
  startup: StartupPoint[];
}

const ms = (xs: Sample[]) => walls(xs, 1000);
const mb = (b: number) => `${(b / 1e6).toFixed(b < 1e7 ? 1 : 0)} MB`;
const k = (n: number) => n.toLocaleString('en-US');
const signed = (v: number) => `${v < 0 ? '−' : '+'}${fmt(Math.abs(v), 'ms')}`;

// ---------------------------------------------------------------- fast build

/** A fast build of `files` files (one edited before each run) against `pex -D`, both caches warm. */
async function fastAt(files: number, bytesScale: number): Promise<FastPoint> {
  const dir = join(WORK, 'scale', `fast-${files}-x${bytesScale}`);
  const project = join(dir, 'project');
  const bytes = writeTree(project, sourceTree(files, undefined, bytesScale));
  writeFileSync(join(project, 'requirements.txt'), FAST_REQS);
  const [store, cache, out] = [join(dir, 'store'), join(dir, 'cache'), join(dir, 'out')];
  const pexRoot = join(dir, 'pex-root');
  const pexCmd = [PEX, '-D', project, '-o', join(dir, 'pex-source.pex')];
  const pexRuns = files > 20000 ? Math.min(RUNS, 2) : RUNS;
  log(
    `scale: fast build at ${k(files)} files (${mb(bytes)}); ${RUNS} run(s), pex ${pexRuns}; one full build and one pex build first (untimed)`,
  );
  const first = buildJson(await measure(pexpressBuild(project, store, out), pexpressEnv(cache)));
  if (first.buildType !== 'full') throw new Error(`the first build was ${first.buildType}, expected full`);
  await measure(pexCmd, { PEX_ROOT: pexRoot });
  let edit = 0;
  const touch = () => appendFileSync(join(project, 'app', 'pkg01', 'm0001.py'), `# edit ${edit++}\n`);
  const a: Sample[] = [];
  const b: Sample[] = [];
  let sourceBytes = 0;
  for (let i = 0; i < RUNS; i++) {
    touch();
    const s = await measure(pexpressBuild(project, store, out), pexpressEnv(cache));
    const j = buildJson(s);
    if (j.buildType !== 'fast') throw new Error('a timed fast build was not fast');
    sourceBytes = j.source.size;
    a.push(s);
    if (i < pexRuns) {
      touch();
      b.push(await measure(pexCmd, { PEX_ROOT: pexRoot }));
    }
  }
  rmSync(dir, { recursive: true, force: true }); // 50,000 files are ~400 MB
  return { files, bytesScale, bytes, sourceMiB: sourceBytes / 2 ** 20, ours: walls(a), pex: walls(b), oursRss: rss(a), pexRss: rss(b) };
}

async function scaleFast(): Promise<FastPoint[]> {
  const points: FastPoint[] = [];
  for (const files of FILE_SIZES) {
    const p = await fastAt(files, 1);
    points.push(p);
    const perFile = (s: Stat) => `${((s.median / files) * 1e6).toFixed(0)} µs`;
    addRow({
      id: `scale.fast.${files}`,
      bench: `scale: fast build, ${k(files)} files (${mb(p.bytes)}), one changed`,
      unit: 's',
      ours: p.ours,
      pex: p.pex,
      target: '≤ 0.10 (issue 7)',
      met: p.ours.median / p.pex.median <= 0.1,
      note: `per file ${perFile(p.ours)} / ${perFile(p.pex)}; source.pex ${p.sourceMiB.toFixed(1)} MiB; runs ${p.ours.n} / ${p.pex.n}`,
    });
    addRow({
      id: `scale.fast.rss.${files}`,
      bench: `scale: fast build, ${k(files)} files, peak RSS`,
      unit: 'MiB',
      ours: p.oursRss,
      pex: p.pexRss,
      target: '(info)',
      met: null,
    });
  }
  // Linear in the files: the cost of each further 1,000 files over the last interval against the first.
  if (points.length >= 3) {
    const slope = (p: FastPoint, q: FastPoint) => ((q.ours.median - p.ours.median) / (q.files - p.files)) * 1000 * 1000; // ms per 1,000 files
    const first = slope(points[0], points[1]);
    const last = slope(points[points.length - 2], points[points.length - 1]);
    const ratio = last / first;
    const pexRatio =
      (points.at(-1)!.pex.median - points.at(-2)!.pex.median) /
      (points.at(-1)!.files - points.at(-2)!.files) /
      ((points[1].pex.median - points[0].pex.median) / (points[1].files - points[0].files));
    addRow({
      id: 'scale.fast.linear',
      bench: `scale: fast build, added time per 1,000 files, ${k(points.at(-2)!.files)}→${k(points.at(-1)!.files)} vs ${k(points[0].files)}→${k(points[1].files)}`,
      unit: 'ms',
      ours: stat([last]),
      pex: stat([first]),
      oursText: fmt(last, 'ms'),
      pexText: fmt(first, 'ms'),
      refName: 'the first interval',
      ratio,
      target: `≤ ${LINEAR_MAX} (linear in files)`,
      met: ratio <= LINEAR_MAX,
      note: `pex's same ratio ${pexRatio.toFixed(2)}`,
    });
  } else {
    log('scale: the linearity row needs 3 file counts; skipped');
  }
  // Not with the bytes: the same count with 4× the bytes per file costs about the same.
  const base = points.find((p) => p.files === BYTES_AT) ?? (await fastAt(BYTES_AT, 1));
  const big = await fastAt(BYTES_AT, BYTES_FACTOR);
  points.push(big);
  const ratio = big.ours.median / base.ours.median;
  addRow({
    id: 'scale.fast.bytes',
    bench: `scale: fast build, ${k(BYTES_AT)} files with ${BYTES_FACTOR}× the bytes (${mb(big.bytes)} vs ${mb(base.bytes)})`,
    unit: 's',
    ours: big.ours,
    pex: base.ours,
    refName: `pexpress, ${mb(base.bytes)}`,
    ratio,
    target: `≤ ${BYTES_MAX} (not with bytes)`,
    met: ratio <= BYTES_MAX,
    note: `pex ${fmt(big.pex.median, 's')} vs ${fmt(base.pex.median, 's')}, ratio ${(big.pex.median / base.pex.median).toFixed(2)}; source.pex ${big.sourceMiB.toFixed(1)} vs ${base.sourceMiB.toFixed(1)} MiB`,
  });
  const rssRatio = big.oursRss.median / base.oursRss.median;
  addRow({
    id: 'scale.fast.bytes.rss',
    bench: `scale: fast build, ${k(BYTES_AT)} files with ${BYTES_FACTOR}× the bytes, peak RSS`,
    unit: 'MiB',
    ours: big.oursRss,
    pex: base.oursRss,
    refName: `pexpress, ${mb(base.bytes)}`,
    ratio: rssRatio,
    target: `≤ ${BYTES_MAX} (not with bytes)`,
    met: rssRatio <= BYTES_MAX,
    note: `pex ${fmt(big.pexRss.median, 'MiB')} vs ${fmt(base.pexRss.median, 'MiB')}`,
  });
  return points;
}

// ---------------------------------------------------------------- full build and start-up

interface Built {
  wheels: number;
  project: string;
  reqs: string;
  ours: { deps: string; source: string };
  warmCache: string;
  warmRoot: string;
}

/** Full builds of one set: cold (new caches each run; the first run's caches become the warm ones), then warm. */
async function fullAt(wheels: number): Promise<{ point: FullPoint; built: Built }> {
  const dir = join(WORK, 'scale', `full-${wheels}`);
  const project = join(dir, 'project');
  const reqs = requirements(wheels);
  const count = countRequirements(reqs);
  if (count !== wheels && !SMOKE) log(`scale: wheels-${wheels}.txt pins ${count} wheels`);
  writeTree(project, [{ path: 'svc/__init__.py', text: '"""A one-file service."""\n' }]);
  writeFileSync(join(project, 'requirements.txt'), reqs);
  const pexOut = join(dir, 'pex-deps.pex');
  const pexCmd = [PEX, '-r', join(project, 'requirements.txt'), '-o', pexOut, '--python', PYTHON];
  const phases: Record<string, number>[] = [];
  let n = 0;
  let last = { deps: '', source: '' };
  const ours = async (cache: string, kind: string) => {
    const s = await measure(pexpressBuild(project, join(dir, `store-${n}`), join(dir, `out-${n++}`)), pexpressEnv(cache));
    const j = buildJson(s);
    if (j.buildType !== 'full') throw new Error('a timed full build was not full');
    phases.push({ kind: kind === 'cold' ? 0 : 1, ...j.timings });
    last = { deps: j.deps.path!, source: j.source.path };
    return s;
  };
  const caches = (i: number) => [join(dir, `cold-cache-${i}`), join(dir, `cold-pex-root-${i}`)];
  log(`scale: full build, ${count} wheels: ${COLD_RUNS} cold run(s) per side, then ${RUNS} warm`);
  const ca: Sample[] = [];
  const cb: Sample[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    ca.push(await ours(caches(i)[0], 'cold'));
    cb.push(await measure(pexCmd, { PEX_ROOT: caches(i)[1] }));
    if (i > 0) for (const c of caches(i)) rmSync(c, { recursive: true, force: true });
  }
  let [warmCache, warmRoot] = caches(0);
  if (SMOKE) ({ warmCache, pexRoot: warmRoot } = await deps());
  else if (COLD_RUNS === 0) {
    log('scale: filling the warm caches (untimed)');
    await ours(warmCache, 'warm');
    phases.pop();
    await measure(pexCmd, { PEX_ROOT: warmRoot });
  }
  const wa: Sample[] = [];
  const wb: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    wa.push(await ours(warmCache, 'warm'));
    wb.push(await measure(pexCmd, { PEX_ROOT: warmRoot }));
  }
  const depsMiB = statSync(last.deps).size / 2 ** 20;
  const point: FullPoint = {
    wheels: count,
    depsMiB,
    cold: ca.length ? { ours: walls(ca), pex: walls(cb), oursRss: rss(ca), pexRss: rss(cb) } : null,
    warm: { ours: walls(wa), pex: walls(wb), oursRss: rss(wa), pexRss: rss(wb) },
    phases: phases.map(({ kind, ...t }) => ({ warm: kind, ...t })),
  };
  return { point, built: { wheels: count, project, reqs, ours: last, warmCache, warmRoot } };
}

function fullRows(p: FullPoint): void {
  const label = `${p.wheels} wheels, ${p.depsMiB.toFixed(p.depsMiB < 10 ? 1 : 0)} MiB`;
  if (p.cold)
    addRow({
      id: `scale.full.cold.${p.wheels}`,
      bench: `scale: full build, cold caches (${label})`,
      unit: 's',
      ours: p.cold.ours,
      pex: p.cold.pex,
      target: '< 1',
      met: p.cold.ours.median < p.cold.pex.median,
      note: `peak RSS ${fmt(p.cold.oursRss.median, 'MiB')} / ${fmt(p.cold.pexRss.median, 'MiB')}`,
    });
  addRow({
    id: `scale.full.warm.${p.wheels}`,
    bench: `scale: full build, warm caches (${label})`,
    unit: 's',
    ours: p.warm.ours,
    pex: p.warm.pex,
    target: '≤ 0.33',
    met: p.warm.ours.median / p.warm.pex.median <= 1 / 3,
    note: `runs ${p.warm.ours.n} / ${p.warm.pex.n}`,
  });
  addRow({
    id: `scale.full.rss.${p.wheels}`,
    bench: `scale: full build warm, peak RSS (${p.wheels} wheels)`,
    unit: 'MiB',
    ours: p.warm.oursRss,
    pex: p.warm.pexRss,
    target: '(info)',
    met: null,
  });
}

/**
 * Warm start-up of every set, in interleaved rounds (bare python, then each set's pexpress and pex
 * archive), so the machine's drift hits every size alike. pexpress: `./source.pex -c pass` with
 * deps.pex next to it; pex: `./app.pex -c pass` built `--venv --sh-boot` from the same project.
 */
async function scaleStartup(built: Built[]): Promise<StartupPoint[]> {
  const sets = [];
  for (const b of built) {
    const dir = join(WORK, 'scale', `startup-${b.wheels}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(b.ours.deps, join(dir, 'deps.pex'));
    copyFileSync(b.ours.source, join(dir, 'source.pex'));
    const app = join(dir, 'app.pex');
    log(`scale: pex --venv --sh-boot for ${b.wheels} wheels (untimed)`);
    await measure([PEX, '--venv', '--sh-boot', '-r', join(b.project, 'requirements.txt'), '-D', b.project, '-o', app, '--python', PYTHON], {
      PEX_ROOT: b.warmRoot,
    });
    const ours = () =>
      measure([join(dir, 'source.pex'), '-c', 'pass'], { ...RUN_PATH, PEX_ROOT: join(dir, 'root-pexpress') }, { cwd: dir });
    const pex = () => measure([app, '-c', 'pass'], { ...RUN_PATH, PEX_ROOT: join(dir, 'root-pex') }, { cwd: dir });
    for (let i = 0; i < 2; i++) {
      await ours(); // extract, and for pex build the venv, then its sh-boot fast path
      await pex();
    }
    sets.push({ wheels: b.wheels, dir, app, ours, pex, a: [] as Sample[], b: [] as Sample[], bare: [] as Sample[] });
  }
  log(`scale: start-up, ${STARTUP_RUNS} rounds of bare python / pexpress / pex at ${sets.map((s) => s.wheels).join(', ')} wheels`);
  for (let i = 0; i < STARTUP_RUNS; i++) {
    for (const s of sets) {
      s.bare.push(await measure([PYTHON, '-c', 'pass'], RUN_PATH));
      s.a.push(await s.ours());
      s.b.push(await s.pex());
    }
  }
  const points = sets.map((s) => ({ wheels: s.wheels, bare: ms(s.bare), ours: ms(s.a), pex: ms(s.b) }));
  const bare = stat(sets.flatMap((s) => s.bare.map((x) => x.wall * 1000)));
  addRow({
    id: 'scale.startup.bare',
    bench: 'scale: start-up, bare `python -c pass`',
    unit: 'ms',
    ours: bare,
    target: '(reference)',
    met: null,
  });
  for (const p of points) {
    const added = p.ours.median - p.bare.median;
    addRow({
      id: `scale.startup.${p.wheels}`,
      bench: `scale: start-up, warm, ${p.wheels} wheels: \`./source.pex -c pass\` vs pex \`--venv --sh-boot\` \`./app.pex -c pass\``,
      unit: 'ms',
      ours: p.ours,
      pex: p.pex,
      target: '≤ 1',
      met: p.ours.median <= p.pex.median,
      note: `${signed(added)} / ${signed(p.pex.median - p.bare.median)} over bare`,
    });
  }
  if (points.length >= 2) {
    const [lo, hi] = [points[0], points.at(-1)!];
    const growth = hi.ours.median - lo.ours.median;
    const pexGrowth = hi.pex.median - lo.pex.median;
    addRow({
      id: 'scale.startup.growth',
      bench: `scale: start-up growth, ${hi.wheels} wheels minus ${lo.wheels}`,
      unit: 'ms',
      oursText: signed(growth),
      pexText: signed(pexGrowth),
      target: `≤ ${STARTUP_GROWTH_MAX_MS} ms`,
      met: growth <= STARTUP_GROWTH_MAX_MS,
      note: 'difference of medians',
    });
  }
  await scaleImports(sets);
  return points;
}

/**
 * A start that looks up every top-level name the set's wheels provide (importlib.util.find_spec,
 * so no module code runs): where one sys.path entry per wheel would cost a stat per entry per
 * import, and pexpress's import index one lookup. The same names for both archives.
 */
async function scaleImports(sets: { wheels: number; dir: string; app: string }[]): Promise<void> {
  for (const s of sets) {
    const names = join(s.dir, 'names.txt');
    const list = spawnSync(
      PYTHON,
      [
        '-c',
        `import sys, zipfile
names = set()
for n in zipfile.ZipFile(sys.argv[1]).namelist():
    parts = n.split("/")
    if len(parts) < 3 or parts[0] != ".deps" or not parts[2]:
        continue
    top = parts[2] if len(parts) > 3 else parts[2].split(".")[0]
    if top.isidentifier() and (len(parts) > 3 or parts[2].endswith((".py", ".so"))):
        names.add(top)
print("\\n".join(sorted(names)))`,
        join(s.dir, 'deps.pex'),
      ],
      { encoding: 'utf8' },
    );
    if (list.status !== 0) throw new Error(`listing the top-level names of ${s.wheels} wheels: ${list.stderr}`);
    writeFileSync(names, list.stdout);
    const count = list.stdout.split('\n').filter(Boolean).length;
    const code = `import importlib.util as u\nfor n in open(${JSON.stringify(names)}).read().split(): u.find_spec(n)`;
    const ours = () =>
      measure([join(s.dir, 'source.pex'), '-c', code], { ...RUN_PATH, PEX_ROOT: join(s.dir, 'root-pexpress') }, { cwd: s.dir });
    const pex = () => measure([s.app, '-c', code], { ...RUN_PATH, PEX_ROOT: join(s.dir, 'root-pex') }, { cwd: s.dir });
    await ours();
    await pex();
    const a: Sample[] = [];
    const b: Sample[] = [];
    for (let i = 0; i < Math.max(5, Math.floor(STARTUP_RUNS / 2)); i++) {
      a.push(await ours());
      b.push(await pex());
    }
    const [sa, sb] = [ms(a), ms(b)];
    addRow({
      id: `scale.imports.${s.wheels}`,
      bench: `scale: start-up and a lookup of every top-level name (${count}), ${s.wheels} wheels, vs pex \`--venv --sh-boot\``,
      unit: 'ms',
      ours: sa,
      pex: sb,
      target: '≤ 1',
      met: sa.median <= sb.median,
    });
  }
}

// ---------------------------------------------------------------- the section

export async function benchScale(): Promise<void> {
  const t0 = performance.now();
  for (const n of WHEEL_SETS) requirements(n); // a missing set fails now, not after the fast builds
  const fast = await scaleFast();
  const full: FullPoint[] = [];
  const built: Built[] = [];
  for (const n of WHEEL_SETS) {
    const r = await fullAt(n);
    fullRows(r.point);
    full.push(r.point);
    built.push(r.built);
  }
  const startup = await scaleStartup(built);
  const results: ScaleResults = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    smoke: SMOKE,
    runs: { runs: RUNS, cold: COLD_RUNS, startup: STARTUP_RUNS },
    fast,
    full,
    startup,
  };
  extra.scale = results;
  const outDir = join(BENCH, 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'scale.json'), JSON.stringify(results, null, 2) + '\n');
  if (!SMOKE) writeFileSync(join(outDir, 'scaling.svg'), renderChart(results));
  log(
    `scale: done in ${((performance.now() - t0) / 1000).toFixed(0)} s; bench/out/scale.json${SMOKE ? '' : ', bench/out/scaling.svg (copy to docs/scaling.svg)'}`,
  );
}
