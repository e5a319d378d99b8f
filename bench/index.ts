// pexpress against the pex tool, side by side on the same inputs in one run.
//
//   npm run bench            the full set (a few minutes: the cold full builds download ~60 MB)
//   npm run bench:smoke      tiny inputs, one run each (CI runs it; exits non-zero only if a command fails)
//
// Writes bench/out/results.json and bench/out/results.md (the table the README quotes).
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, readdirSync, cpSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SMOKE = process.argv.includes('--smoke');
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const RUNS = Number(process.env.BENCH_RUNS) || (SMOKE ? 1 : 5);
const CLI = join(ROOT, 'dist', 'cli.js');
const PEX = process.env.PEXPRESS_TEST_PEX ?? join(ROOT, '.venv', 'bin', 'pex');
const UV = process.env.PEXPRESS_UV ?? join(ROOT, '.venv', 'bin', 'uv');
// The real interpreter, not a launcher shim: start-up is measured in milliseconds.
const PYTHON = process.env.BENCH_PYTHON ?? spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
const PY_VERSION = spawnSync(PYTHON, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).stdout.trim();
const WORK = join(tmpdir(), `pexpress-bench-${process.pid}`);
const HAS_TIME = existsSync('/usr/bin/time');

interface Sample { wall: number; rssMiB: number | null }
interface Row { bench: string; a: string; b: string; aMed: number; bMed: number; ratio: number; unit: string; target: string; met: boolean | null; note?: string }

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One timed process: wall seconds from here, peak RSS from /usr/bin/time when present. */
function timed(cmd: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const out = join(WORK, `time-${Math.random().toString(36).slice(2)}`);
    const argv = HAS_TIME ? ['/usr/bin/time', '-f', '%M', '-o', out, ...cmd] : cmd;
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`${cmd.join(' ')} exited ${code}: ${err.slice(-2000)}`));
      let rssMiB: number | null = null;
      if (HAS_TIME) {
        rssMiB = Number(readFileSync(out, 'utf8').trim().split('\n').pop()) / 1024;
        rmSync(out, { force: true });
      }
      resolve({ wall, rssMiB });
    });
  });
}

/** A and B in turn (A B A B …), so drift in the machine's speed hits both alike. */
async function pair(n: number, a: () => Promise<Sample>, b: () => Promise<Sample>, before?: () => void): Promise<{ a: Sample[]; b: Sample[] }> {
  const out = { a: [] as Sample[], b: [] as Sample[] };
  for (let i = 0; i < n; i++) {
    before?.();
    out.a.push(await a());
    before?.();
    out.b.push(await b());
  }
  return out;
}

function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

/** A deterministic source tree: `files` Python modules of ~8 KiB each in 40 packages. */
function makeSourceTree(dir: string, files: number): void {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const words = ['def', 'class', 'return', 'import', 'self', 'value', 'items', 'for', 'in', 'if', 'else', 'data', 'result', 'config', 'path', 'name'];
  mkdirSync(join(dir, 'app'), { recursive: true });
  writeFileSync(join(dir, 'app', '__init__.py'), '');
  for (let i = 0; i < files; i++) {
    const pkg = join(dir, 'app', `sub${String(i % 40).padStart(2, '0')}`);
    mkdirSync(pkg, { recursive: true });
    if (!existsSync(join(pkg, '__init__.py'))) writeFileSync(join(pkg, '__init__.py'), '');
    let text = `"""Generated module ${i}."""\n\n\ndef f${i}(x):\n`;
    while (text.length < 8000) text += `    # ${Array.from({ length: 10 }, () => words[Math.floor(rand() * words.length)]).join(' ')} ${Math.floor(rand() * 1e6)}\n`;
    writeFileSync(join(pkg, `m${String(i).padStart(4, '0')}.py`), text + `    return x + ${i}\n`);
  }
}

const pexpress = (args: string[]) => ['node', CLI, ...args];

async function fastBuild(rows: Row[]): Promise<{ project: string; store: string; cache: string }> {
  const files = SMOKE ? 50 : 1000;
  const project = join(WORK, 'fast', 'project');
  makeSourceTree(project, files);
  writeFileSync(join(project, 'requirements.txt'), 'six==1.17.0\n');
  const store = join(WORK, 'fast', 'store');
  const cache = join(WORK, 'fast', 'cache');
  const env = { PEXPRESS_CACHE_DIR: cache, PEXPRESS_UV: UV };
  const args = ['build', '--project-dir', project, '--store', store, '--python', PY_VERSION, '--out-dir', join(WORK, 'fast', 'out')];
  log(`fast build: ${files} files; one full build first (untimed)`);
  await timed(pexpress(args), env);
  let edit = 0;
  const touch = () => appendFileSync(join(project, 'app', 'sub01', 'm0001.py'), `# edit ${edit++}\n`);
  const pexRoot = join(WORK, 'fast', 'pex-root');
  const r = await pair(
    RUNS,
    () => timed(pexpress(args), env),
    () => timed([PEX, '-D', project, '-o', join(WORK, 'fast', 'pex-source.pex'), '--python', PYTHON], { PEX_ROOT: pexRoot }),
    touch,
  );
  const a = median(r.a.map((s) => s.wall));
  const b = median(r.b.map((s) => s.wall));
  rows.push({ bench: `fast build (${files} files, ~${Math.round(files * 8 / 1000)} MB)`, a: 'pexpress build', b: 'pex -D', aMed: a, bMed: b, ratio: a / b, unit: 's', target: '≤ 0.10', met: a / b <= 0.1 });
  const rss = median(r.a.map((s) => s.rssMiB ?? NaN));
  const rssB = median(r.b.map((s) => s.rssMiB ?? NaN));
  rows.push({ bench: 'fast build peak memory', a: 'pexpress build', b: 'pex -D', aMed: rss, bMed: rssB, ratio: rss / rssB, unit: 'MiB', target: '< 150 MiB', met: Number.isNaN(rss) ? null : rss < 150 });
  // The same with nothing cached (a fresh CI runner): every file deflated again.
  const cold = await pair(
    Math.min(RUNS, 3),
    () => timed(pexpress(args), { ...env, PEXPRESS_CACHE_DIR: join(WORK, 'fast', `cold-${edit}`), PEXPRESS_UV: UV }),
    () => timed([PEX, '-D', project, '-o', join(WORK, 'fast', 'pex-source.pex'), '--python', PYTHON], { PEX_ROOT: join(WORK, 'fast', `pex-cold-${edit}`) }),
    touch,
  );
  const ca = median(cold.a.map((s) => s.wall));
  const cb = median(cold.b.map((s) => s.wall));
  rows.push({ bench: 'fast build, empty caches', a: 'pexpress build', b: 'pex -D', aMed: ca, bMed: cb, ratio: ca / cb, unit: 's', target: '(info)', met: null, note: 'a fresh runner without the cache restored' });
  return { project, store, cache };
}

async function fullBuild(rows: Row[]): Promise<{ deps: string; pexDeps: string; reqs: string }> {
  const reqs = SMOKE ? 'six==1.17.0\nmarkupsafe==3.0.2\n' : readFileSync(join(ROOT, 'bench', 'requirements-full.txt'), 'utf8');
  const project = join(WORK, 'full', 'project');
  mkdirSync(join(project, 'svc'), { recursive: true });
  writeFileSync(join(project, 'svc', '__init__.py'), '');
  writeFileSync(join(project, 'requirements.txt'), reqs);
  const out = join(WORK, 'full', 'out');
  const pexDeps = join(WORK, 'full', 'pex-deps.pex');
  const args = (cache: string) => [['build', '--project-dir', project, '--store', join(WORK, 'full', 'store'), '--python', PY_VERSION, '--out-dir', out, '--force-full'], { PEXPRESS_CACHE_DIR: cache, PEXPRESS_UV: UV }] as const;
  const pexCmd = [PEX, '-r', join(project, 'requirements.txt'), '-o', pexDeps, '--python', PYTHON];
  const count = reqs.split('\n').filter((l) => l && !l.startsWith('#')).length;
  const coldRuns = SMOKE ? 1 : 2;
  log(`full build: ${count} requirements, ${coldRuns} cold runs each (fresh caches), then ${RUNS} warm`);
  let n = 0;
  const cold = await pair(
    coldRuns,
    () => {
      const [a, env] = args(join(WORK, 'full', `cold-cache-${n}`));
      return timed(pexpress([...a]), env);
    },
    () => timed(pexCmd, { PEX_ROOT: join(WORK, 'full', `cold-pex-root-${n++}`) }),
  );
  const warmCache = join(WORK, 'full', 'warm-cache');
  const pexRoot = join(WORK, 'full', 'warm-pex-root');
  const [wa, wenv] = args(warmCache);
  await timed(pexpress([...wa]), wenv); // fill the caches
  await timed(pexCmd, { PEX_ROOT: pexRoot });
  const warm = await pair(RUNS, () => timed(pexpress([...wa]), wenv), () => timed(pexCmd, { PEX_ROOT: pexRoot }));
  const c = [median(cold.a.map((s) => s.wall)), median(cold.b.map((s) => s.wall))];
  const w = [median(warm.a.map((s) => s.wall)), median(warm.b.map((s) => s.wall))];
  rows.push({ bench: `full build, cold caches (${count} reqs)`, a: 'pexpress build', b: 'pex -r', aMed: c[0], bMed: c[1], ratio: c[0] / c[1], unit: 's', target: '< 1', met: c[0] / c[1] < 1 });
  rows.push({ bench: `full build, warm caches (${count} reqs)`, a: 'pexpress build', b: 'pex -r', aMed: w[0], bMed: w[1], ratio: w[0] / w[1], unit: 's', target: '≤ 0.33', met: w[0] / w[1] <= 1 / 3 });
  return { deps: join(out, 'deps.pex'), pexDeps, reqs };
}

async function startup(rows: Row[], fast: { project: string }, full: { deps: string; pexDeps: string }): Promise<void> {
  // Source archives of the 1,000-file tree, against each tool's deps archive.
  const ours = join(WORK, 'startup', 'source.pex');
  const theirs = join(WORK, 'startup', 'pex-source.pex');
  mkdirSync(join(WORK, 'startup'), { recursive: true });
  const built = spawnSync('node', [CLI, 'build', '--project-dir', fast.project, '--store', join(WORK, 'startup', 'store'), '--python', PY_VERSION, '--out-dir', join(WORK, 'startup', 'out'), '--json'], { encoding: 'utf8', env: { ...process.env, PEXPRESS_CACHE_DIR: join(WORK, 'fast', 'cache'), PEXPRESS_UV: UV } });
  if (built.status !== 0) throw new Error(built.stderr);
  cpSync(join(WORK, 'startup', 'out', 'source.pex'), ours);
  await timed([PEX, '-D', fast.project, '-o', theirs, '--python', PYTHON]);
  const n = SMOKE ? 3 : 20;
  const root = join(WORK, 'startup', 'pex-root');
  const oursCmd = [PYTHON, ours, '-c', 'pass'];
  const theirsCmd = [PYTHON, theirs, '-c', 'pass'];
  const oursEnv = { PEX_ROOT: root, PEX_PATH: full.deps };
  const theirsEnv = { PEX_ROOT: root, PEX_PATH: full.pexDeps, PEX_INTERPRETER: '1' };
  await timed(oursCmd, oursEnv); // warm both caches
  await timed(theirsCmd, theirsEnv);
  const bare: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    bare.push((await timed([PYTHON, '-c', 'pass'])).wall);
    a.push((await timed(oursCmd, oursEnv)).wall);
    b.push((await timed(theirsCmd, theirsEnv)).wall);
  }
  const [mb, ma, mt] = [median(bare), median(a), median(b)].map((x) => x * 1000);
  rows.push({ bench: 'start-up, warm: python + deps + source', a: 'pexpress', b: 'pex', aMed: ma, bMed: mt, ratio: ma / mt, unit: 'ms', target: '(info)', met: null, note: `bare python ${mb.toFixed(1)} ms` });
  rows.push({ bench: 'start-up, warm: added over bare python', a: 'pexpress', b: 'pex', aMed: ma - mb, bMed: mt - mb, ratio: (ma - mb) / (mt - mb), unit: 'ms', target: '≤ 30 ms and ≤ 0.10', met: ma - mb <= 30 && (ma - mb) / (mt - mb) <= 0.1 });
  const coldN = SMOKE ? 1 : 3;
  const ca: number[] = [];
  const cb: number[] = [];
  for (let i = 0; i < coldN; i++) {
    ca.push((await timed(oursCmd, { ...oursEnv, PEX_ROOT: join(WORK, 'startup', `cold-a-${i}`) })).wall * 1000);
    cb.push((await timed(theirsCmd, { ...theirsEnv, PEX_ROOT: join(WORK, 'startup', `cold-b-${i}`) })).wall * 1000);
  }
  rows.push({ bench: 'start-up, cold (empty PEX_ROOT)', a: 'pexpress', b: 'pex', aMed: median(ca), bMed: median(cb), ratio: median(ca) / median(cb), unit: 'ms', target: '≤ 1', met: median(ca) / median(cb) <= 1 });
  const size = (f: string) => statSync(f).size / 1024 / 1024;
  rows.push({ bench: 'size: deps archive', a: 'deps.pex', b: 'pex -r', aMed: size(full.deps), bMed: size(full.pexDeps), ratio: size(full.deps) / size(full.pexDeps), unit: 'MiB', target: '≤ 1.05', met: size(full.deps) / size(full.pexDeps) <= 1.05 });
  rows.push({ bench: 'size: source archive', a: 'source.pex', b: 'pex -D', aMed: size(ours), bMed: size(theirs), ratio: size(ours) / size(theirs), unit: 'MiB', target: '≤ 1.05', met: size(ours) / size(theirs) <= 1.05 });
}

/** The same project built in two places, with different mtimes, umask, file order, TZ and locale. */
async function reproducibility(rows: Row[], fast: { project: string }): Promise<void> {
  const results: string[][] = [];
  for (const [i, env, umask, when] of [[0, { TZ: 'UTC', LANG: 'C' }, '022', new Date('2001-01-01')], [1, { TZ: 'Asia/Kathmandu', LANG: 'de_DE.UTF-8' }, '077', new Date('2025-06-15')]] as const) {
    const copy = join(WORK, 'repro', `place-${i}`, 'deep', 'copy');
    const walk = (src: string, dst: string) => {
      mkdirSync(dst, { recursive: true });
      const entries = readdirSync(src, { withFileTypes: true }).filter((e) => e.name !== '.pexpress');
      for (const e of i ? entries.reverse() : entries) {
        if (e.isDirectory()) walk(join(src, e.name), join(dst, e.name));
        else writeFileSync(join(dst, e.name), readFileSync(join(src, e.name)));
        utimesSync(join(dst, e.name), when, when);
      }
    };
    walk(fast.project, copy);
    const r = spawnSync('sh', ['-c', `umask ${umask} && exec node "$0" build --project-dir "$1" --store "$2" --python "$3" --json`, CLI, copy, join(WORK, 'repro', `store-${i}`), PY_VERSION], {
      encoding: 'utf8',
      env: { ...process.env, ...env, PEXPRESS_CACHE_DIR: join(WORK, 'repro', `cache-${i}`), PEXPRESS_UV: UV },
    });
    if (r.status !== 0) throw new Error(r.stderr);
    const j = JSON.parse(r.stdout);
    results.push([j.deps.sha256, j.source.sha256]);
  }
  const same = results[0].join() === results[1].join();
  log(`reproducibility: place 1 deps ${results[0][0]} source ${results[0][1]}`);
  log(`reproducibility: place 2 deps ${results[1][0]} source ${results[1][1]}`);
  rows.push({ bench: 'reproducibility (2 places, mtimes, umask, order, TZ, LANG)', a: results[0].map((h) => h.slice(0, 12)).join(' / '), b: results[1].map((h) => h.slice(0, 12)).join(' / '), aMed: NaN, bMed: NaN, ratio: same ? 1 : 0, unit: '', target: 'identical', met: same });
}

function fmt(x: number, unit: string): string {
  if (Number.isNaN(x)) return '';
  if (unit === 's') return `${x.toFixed(2)} s`;
  if (unit === 'ms') return `${x.toFixed(1)} ms`;
  if (unit === 'MiB') return `${x.toFixed(1)} MiB`;
  return String(x);
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build');
  if (!existsSync(PEX)) throw new Error(`pex not found at ${PEX}: npm test installs it into .venv (or set PEXPRESS_TEST_PEX)`);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const rows: Row[] = [];
  const want = (name: string) => !ONLY || ONLY === name;
  try {
    const fast = await fastBuild(rows);
    const full = want('full') || want('startup') ? await fullBuild(rows) : null;
    if (full && want('startup')) await startup(rows, fast, full);
    if (want('repro')) await reproducibility(rows, fast);
  } finally {
    if (!process.env.BENCH_KEEP) rmSync(WORK, { recursive: true, force: true });
  }
  const cpu = (cpus()[0]?.model ?? 'unknown CPU').trim();
  const machine = `${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpu} · ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version} · Python ${PY_VERSION} · pex ${spawnSync(PEX, ['--version'], { encoding: 'utf8' }).stdout.trim()}${SMOKE ? ' · SMOKE (tiny inputs)' : ''} · ${RUNS} run(s), medians`;
  const lines = [
    `_${machine}_`,
    '',
    '| benchmark | pexpress | pex | ratio | target | met |',
    '|:--|--:|--:|--:|:--|:--|',
    ...rows.map((r) =>
      Number.isNaN(r.aMed)
        ? `| ${r.bench} | ${r.a} | ${r.b} | | ${r.target} | ${r.met ? 'yes' : 'NO'} |`
        : `| ${r.bench} | ${fmt(r.aMed, r.unit)} | ${fmt(r.bMed, r.unit)} | ${r.ratio.toFixed(3)} | ${r.target} | ${r.met === null ? '–' : r.met ? 'yes' : 'no'}${r.note ? ` (${r.note})` : ''} |`,
    ),
  ];
  const outDir = join(ROOT, 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.md'), lines.join('\n') + '\n');
  writeFileSync(join(outDir, 'results.json'), JSON.stringify({ machine, rows }, null, 2) + '\n');
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exit(1);
});
