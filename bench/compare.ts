// The first comparisons with the pex tool on the same inputs (issue 7): fast build, full build,
// start-up, archive size and reproducibility. docs/bench.md explains each figure.
import { appendFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  COLD_RUNS,
  FAST_REQS,
  FILES,
  PEX,
  PYTHON,
  PY_VERSION,
  RUNS,
  SMOKE,
  SMOKE_REQS,
  STARTUP_RUNS,
  WORK,
  addRow,
  alternate,
  buildJson,
  countRequirements,
  deps,
  depsMemo,
  extra,
  fmt,
  fullRequirements,
  log,
  makeProject,
  measure,
  pexpressBuild,
  pexpressEnv,
  rss,
  stat,
  walls,
  type Sample,
  type Stat,
} from './lib.ts';
import { sourceTree, writeTree } from './tree.ts';

// ---------------------------------------------------------------- 1. fast build

export async function benchFast(): Promise<void> {
  const dir = join(WORK, 'fast');
  const project = join(dir, 'project');
  const { bytes } = makeProject(project, FAST_REQS, FILES);
  const store = join(dir, 'store');
  const cache = join(dir, 'cache');
  const out = join(dir, 'out');
  // Default flags: what a user runs. The target is then the host interpreter's version, which
  // pexpress has to find out (--python would skip that); the --python row below shows the gap.
  const build = (cacheDir: string, python = false) => measure(pexpressBuild(project, store, out, [], { python }), pexpressEnv(cacheDir));
  log(`fast build: ${FILES} files (${(bytes / 1e6).toFixed(1)} MB); one full build first (untimed)`);
  const first = buildJson(await build(cache));
  if (first.buildType !== 'full') throw new Error(`the first build was ${first.buildType}, expected full`);
  const pexRoot = join(dir, 'pex-root');
  const pexCmd = [PEX, '-D', project, '-o', join(dir, 'pex-source.pex')];
  await measure(pexCmd, { PEX_ROOT: pexRoot }); // pex's caches warm too
  let edit = 0;
  const touch = () => appendFileSync(join(project, 'app', 'pkg01', 'm0001.py'), `# edit ${edit++}\n`);
  const fast = async (cacheDir: string, python = false) => {
    const s = await build(cacheDir, python);
    if (buildJson(s).buildType !== 'fast') throw new Error('a timed fast build was not fast');
    return s;
  };
  const r = await alternate(
    RUNS,
    () => fast(cache),
    () => measure(pexCmd, { PEX_ROOT: pexRoot }),
    touch,
  );
  const a = walls(r.a);
  const b = walls(r.b);
  const label = `${FILES} files, ${(bytes / 1e6).toFixed(1)} MB`;
  addRow({
    id: 'fast.wall',
    bench: `fast build (${label}), default flags, same checkout again, caches warm`,
    unit: 's',
    ours: a,
    pex: b,
    target: '≤ 0.10',
    met: a.median / b.median <= 0.1,
  });
  const ra = rss(r.a);
  addRow({ id: 'fast.rss', bench: 'fast build, peak RSS', unit: 'MiB', ours: ra, pex: rss(r.b), target: '< 100 MiB', met: ra.max < 100 });
  // What the default costs over naming the target: the interpreter lookup (a process start
  // unless its answer is known), against the same build with --python.
  const p = await alternate(
    RUNS,
    () => fast(cache),
    () => fast(cache, true),
    touch,
  );
  const [pa, pb] = [walls(p.a), walls(p.b)];
  addRow({
    id: 'fast.python',
    bench: 'fast build, default flags against `--python` given',
    unit: 's',
    ours: pa,
    pex: pb,
    refName: `--python ${PY_VERSION}`,
    target: '(info)',
    met: null,
  });
  // A CI runner: a fresh checkout, and no pexpress cache (the Action restores it for full builds
  // only) nor PEX_ROOT: every file is hashed and deflated again.
  const c = await alternate(
    Math.min(RUNS, 3),
    (i) => fast(join(dir, `cold-cache-${i}`)),
    (i) => measure(pexCmd, { PEX_ROOT: join(dir, `cold-pex-root-${i}`) }),
    touch,
  );
  const [ea, eb] = [walls(c.a), walls(c.b)];
  addRow({
    id: 'fast.empty',
    bench: 'fast build, default flags, empty caches (a CI runner)',
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

export async function benchFull(): Promise<void> {
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
  /** pex's fastest start: one `--venv --sh-boot` archive of the same requirements and tree. */
  pexVenv: string;
}
let sourcesMemo: Sources | null = null;

/** The pex archive that starts fastest: deps and sources in one `--venv --sh-boot` pex, run as `./app.pex`. */
async function pexVenvArchive(project: string, out: string, pexRoot: string): Promise<string> {
  await measure([PEX, '-r', join(project, 'requirements.txt'), '-D', project, '--venv', '--sh-boot', '-o', out, '--python', PYTHON], {
    PEX_ROOT: pexRoot,
  });
  return out;
}

/** source.pex of the generated tree built against the full deps.pex, and pex's `-D` and `--venv --sh-boot` archives of the same tree. */
export async function sources(): Promise<Sources> {
  if (sourcesMemo) return sourcesMemo;
  const d = await deps();
  const dir = join(WORK, 'startup');
  const project = join(dir, 'project');
  makeProject(project, fullRequirements(), FILES);
  const s = buildJson(await measure(pexpressBuild(project, join(dir, 'store'), join(dir, 'out')), pexpressEnv(d.warmCache)));
  const pex = join(dir, 'pex-source.pex');
  await measure([PEX, '-D', project, '-o', pex], { PEX_ROOT: d.pexRoot });
  const pexVenv = await pexVenvArchive(project, join(dir, 'pex-app.pex'), d.pexRoot);
  sourcesMemo = { ours: s.source.path, oursDeps: s.deps.path!, pex, pexVenv };
  return sourcesMemo;
}

/** requests + click and a one-file service: the small set the issue-16 figures were first taken with. */
async function smallSet(): Promise<{ ours: string; pexVenv: string; label: string }> {
  const dir = join(WORK, 'startup-small');
  const project = join(dir, 'project');
  makeProject(project, SMOKE ? SMOKE_REQS : 'requests==2.32.3\nclick==8.1.7\n', null);
  const cache = depsMemo?.warmCache ?? join(dir, 'cache');
  const s = buildJson(await measure(pexpressBuild(project, join(dir, 'store'), join(dir, 'out')), pexpressEnv(cache)));
  const pexVenv = await pexVenvArchive(project, join(dir, 'pex-app.pex'), depsMemo?.pexRoot ?? join(dir, 'pex-root'));
  return { ours: s.source.path, pexVenv, label: SMOKE ? 'six + markupsafe, 1 file' : 'requests + click, 1 file' };
}

/**
 * `./source.pex` (deps.pex next to it) against pex's `./app.pex --venv --sh-boot`, both executed
 * directly as their docs say: warm (after one untimed run), then cold (a new PEX_ROOT per run).
 */
async function directStart(label: string, id: string, ours: string, pexVenv: string, bare: Stat): Promise<void> {
  const dir = join(WORK, 'startup', id);
  const rootA = join(dir, 'root-pexpress');
  const rootB = join(dir, 'root-pex');
  const a = (code: string, root: string) => measure([ours, '-c', code], { PEX_ROOT: root });
  const b = (code: string, root: string) => measure([pexVenv, '-c', code], { PEX_ROOT: root });
  await a('pass', rootA);
  await b('pass', rootB);
  const w = await alternate(
    STARTUP_RUNS,
    () => a('pass', rootA),
    () => b('pass', rootB),
  );
  const [wa, wb] = [walls(w.a, 1000), walls(w.b, 1000)];
  addRow({
    id: `startup.${id}.warm`,
    bench: `start-up, warm, executed directly (${label}): \`./source.pex -c pass\` vs pex \`--venv --sh-boot\``,
    unit: 'ms',
    ours: wa,
    pex: wb,
    target: '≤ 1',
    met: wa.median <= wb.median,
    note: `${(wa.median / bare.median).toFixed(2)}× / ${(wb.median / bare.median).toFixed(2)}× bare python`,
  });
  const c = await alternate(
    COLD_RUNS + (SMOKE ? 0 : 1),
    (i) => a('pass', join(dir, `cold-a-${i}`)),
    (i) => b('pass', join(dir, `cold-b-${i}`)),
  );
  const [ca, cb] = [walls(c.a, 1000), walls(c.b, 1000)];
  addRow({
    id: `startup.${id}.cold`,
    bench: `start-up, cold (empty PEX_ROOT), executed directly (${label}) vs pex \`--venv --sh-boot\``,
    unit: 'ms',
    ours: ca,
    pex: cb,
    target: '≤ 1',
    met: ca.median <= cb.median,
  });
}

export async function benchStartup(): Promise<void> {
  const d = await deps();
  const src = await sources();
  const small = await smallSet();
  const dir = join(WORK, 'startup');
  log(`start-up: ${STARTUP_RUNS} rounds of bare python, python -S, and each archive`);
  const bare: Sample[] = [];
  const floor: Sample[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    bare.push(await measure([PYTHON, '-c', 'pass']));
    floor.push(await measure([PYTHON, '-S', '-c', 'pass']));
  }
  const [sb, sf] = [walls(bare, 1000), walls(floor, 1000)];
  extra.barePython = sb;
  addRow({
    id: 'startup.bare',
    bench: 'start-up: bare `python -c pass` / `python -S -c pass` (the floor: no site)',
    unit: 'ms',
    ours: sb,
    pex: sf,
    refName: '-S',
    target: '(reference)',
    met: null,
  });
  const wheels = zipSummary(d.ours).deps.length;
  await directStart(small.label, 'small', small.ours, small.pexVenv, sb);
  await directStart(`${wheels} wheels, ${FILES} files`, 'full', src.ours, src.pexVenv, sb);

  // Started by an explicit interpreter, the host's site runs before the archive can isolate itself.
  const ours = (code: string, root: string) => measure([PYTHON, src.ours, '-c', code], { PEX_ROOT: root, PEX_PATH: src.oursDeps });
  const theirs = (code: string, root: string) => measure([PYTHON, src.pex, '-c', code], { PEX_ROOT: root, PEX_PATH: d.pex });
  const rootA = join(dir, 'pex-root-pexpress');
  const rootB = join(dir, 'pex-root-pex');
  await ours('pass', rootA);
  await theirs('pass', rootB);
  const e = await alternate(
    STARTUP_RUNS,
    () => ours('pass', rootA),
    () => theirs('pass', rootB),
  );
  const [sa, st] = [walls(e.a, 1000), walls(e.b, 1000)];
  const addRatio = (sa.median - sb.median) / (st.median - sb.median);
  addRow({
    id: 'startup.explicit',
    bench: 'start-up, warm, explicit interpreter: `PEX_PATH=deps.pex python source.pex -c pass` vs pex zipapp',
    unit: 'ms',
    ours: sa,
    pex: st,
    target: '(info)',
    met: null,
    note: `${(sa.median / sb.median).toFixed(2)}× / ${(st.median / sb.median).toFixed(2)}× bare python`,
  });
  addRow({
    id: 'startup.added',
    bench: 'start-up, warm, explicit interpreter: added over bare python',
    unit: 'ms',
    ours: stat(sa.samples.map((v, i) => v - sb.samples[i % sb.samples.length])),
    pex: stat(st.samples.map((v, i) => v - sb.samples[i % sb.samples.length])),
    oursText: fmt(sa.median - sb.median, 'ms'),
    pexText: fmt(st.median - sb.median, 'ms'),
    ratio: addRatio,
    target: '≤ 30 ms and ≤ 0.10',
    met: sa.median - sb.median <= 30 && addRatio <= 0.1,
    note: 'difference of medians',
  });
  // Importing real dependencies: each tool's sys.path set-up, as an application sees it.
  const imports = SMOKE ? 'import six, markupsafe' : 'import numpy, pandas';
  const rootC = join(dir, 'full', 'root-pexpress');
  const rootD = join(dir, 'full', 'root-pex');
  await measure([src.ours, '-c', imports], { PEX_ROOT: rootC }); // the first import writes the bytecode caches
  await measure([src.pexVenv, '-c', imports], { PEX_ROOT: rootD });
  const im = await alternate(
    Math.min(RUNS, 5),
    () => measure([src.ours, '-c', imports], { PEX_ROOT: rootC }),
    () => measure([src.pexVenv, '-c', imports], { PEX_ROOT: rootD }),
  );
  addRow({
    id: 'startup.import',
    bench: `start-up, warm, executed directly: \`-c "${imports}"\` vs pex \`--venv --sh-boot\``,
    unit: 'ms',
    ours: walls(im.a, 1000),
    pex: walls(im.b, 1000),
    target: '(info)',
    met: null,
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

export async function benchSize(): Promise<void> {
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
export async function benchRepro(): Promise<void> {
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
