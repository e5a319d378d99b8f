// pexpress against the pex tool (and, where pex has no equivalent, against cp, the AWS CLI or bare
// python), side by side on the same inputs in one run (issues 7 and 16).
//
//   node --import tsx bench/run.ts                  everything
//   node --import tsx bench/run.ts --smoke          tiny inputs, one run each, < 60 s (CI)
//   node --import tsx bench/run.ts --only startup   one section (see SECTIONS)
//
// Prints a table of ratios with each target and whether it is met, and writes bench/out/results.json,
// bench/out/results.md and bench/out/summary.md (the README's table). Exits non-zero only when a
// command fails, never because of a ratio. docs/bench.md explains each figure; bench/lib.ts has what sections share.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { benchFast, benchFull, benchRepro, benchSize, benchStartup } from './compare.ts';
import { benchScale } from './scale.ts';
import { benchIo } from './io.ts';
import {
  BENCH,
  CLI,
  COLD_RUNS,
  DROPPED_ENV,
  ONLY,
  PEX,
  PYTHON,
  PY_VERSION,
  ROOT,
  RUNS,
  SMOKE,
  STARTUP_RUNS,
  UV,
  WORK,
  cell,
  extra,
  log,
  rows,
  type Row,
} from './lib.ts';

/** Every section, in the order they run; `--only NAME` runs one. */
const SECTIONS: Record<string, () => Promise<void>> = {
  fast: benchFast,
  full: benchFull,
  startup: benchStartup,
  size: benchSize,
  repro: benchRepro,
  scale: benchScale,
  io: benchIo,
};

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

/**
 * The rows that decide each issue-16 target, in its order (the README carries this table): a row
 * id, or a prefix ending in '.' for every row it starts.
 */
const HEADLINES: [target: string, ids: string[]][] = [
  ['1. start-up, warm', ['startup.small.warm', 'startup.full.warm', 'scale.startup.']],
  ['2. start-up, cold', ['startup.small.cold', 'startup.full.cold']],
  ['3. fast build, default flags', ['fast.wall', 'fast.rss', 'fast.empty']],
  ['4. how the cost grows', ['scale.fast.', 'scale.full.cold.', 'scale.full.warm.', 'scale.imports.', 'io.large.']],
  ['5. S3 upload and fetch', ['io.s3.']],
  ['earlier targets', ['full.cold', 'full.warm', 'size.deps', 'size.source', 'repro', 'startup.explicit', 'startup.added']],
];

function row(r: Row): string {
  const met = r.met === null ? '–' : r.met ? 'yes' : '**no**';
  const ratio = r.ratio === undefined || r.id === 'startup.bare' ? '' : r.ratio.toFixed(3);
  return `| ${r.bench} | ${cell(r, 'ours')} | ${cell(r, 'pex')} | ${ratio} | ${r.target} | ${met}${r.note ? ` · ${r.note}` : ''} |`;
}

function summary(head: string): string {
  const lines = [
    head,
    '',
    '| target / benchmark | pexpress | reference (pex unless named) | ratio | target | met |',
    '|:--|--:|--:|--:|:--|:--|',
  ];
  for (const [target, ids] of HEADLINES) {
    const picked = rows.filter((r) => ids.some((id) => (id.endsWith('.') ? r.id.startsWith(id) : r.id === id)) && !r.id.includes('.rss.'));
    if (!picked.length) continue;
    lines.push(`| **${target}** | | | | | |`, ...picked.map(row));
  }
  return lines.join('\n');
}

function header(m: Record<string, string | number>): string {
  return `_${m.date} · ${m.nproc} CPUs (${m.cpu}) · ${m.memGiB} GiB · Linux ${m.kernel} · Node ${m.node} · Python ${String(m.python).split(' ')[0]} · pex ${m.pex} · ${m.uv} · pexpress ${m.pexpress} (${m.commit})${m.droppedEnv !== 'none' ? ` · unset for measured commands: ${m.droppedEnv}` : ''}${SMOKE ? ' · **SMOKE: tiny inputs**' : ''} · ${RUNS} run(s) per side (start-up ${STARTUP_RUNS}, cold ${COLD_RUNS}); median (min–max)_`;
}

function table(m: Record<string, string | number>): string {
  return [
    header(m),
    '',
    '| benchmark | pexpress | reference (pex unless named) | ratio | target | met |',
    '|:--|--:|--:|--:|:--|:--|',
    ...rows.map(row),
  ].join('\n');
}

async function main(): Promise<void> {
  if (ONLY && !(ONLY in SECTIONS)) throw new Error(`--only ${ONLY}: use one of ${Object.keys(SECTIONS).join(', ')}`);
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build');
  if (!existsSync(PEX))
    throw new Error(`pex not found at ${PEX}: bash scripts/test-tools.sh installs it into .venv (or set PEXPRESS_TEST_PEX)`);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  log(`python ${PYTHON} (${PY_VERSION}), pex ${PEX}, scratch ${WORK}${SMOKE ? ', SMOKE' : ''}`);
  if (DROPPED_ENV.length) log(`not passed to the measured commands: ${DROPPED_ENV.join(', ')}`);
  const t0 = performance.now();
  try {
    for (const [name, section] of Object.entries(SECTIONS)) if (!ONLY || ONLY === name) await section();
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
  // The table the README carries: the rows that decide each issue-16 target.
  writeFileSync(join(outDir, 'summary.md'), summary(header(m)) + '\n');
  writeFileSync(
    join(outDir, 'results.json'),
    JSON.stringify(
      { machine: m, smoke: SMOKE, only: ONLY, runs: { runs: RUNS, cold: COLD_RUNS, startup: STARTUP_RUNS }, seconds, rows, extra },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write('\n' + md + '\n');
  log(`done in ${seconds.toFixed(0)} s; bench/out/results.md, bench/out/summary.md (the README's table), bench/out/results.json`);
}

main().catch((err) => {
  process.stderr.write(`bench: FAILED: ${(err as Error).message}\n`);
  process.exit(1);
});
