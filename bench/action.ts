// The Action's fast build step on a fresh runner against the same step with warm caches (issue 14).
//
//   node --import tsx bench/action.ts            7 alternating runs of each (npm run bench:action)
//   BENCH_RUNS=3 node --import tsx bench/action.ts
//
// What a GitHub-hosted runner does on a push to a PR whose dependencies did not change: `node
// dist/index.js` with action.yml's defaults as INPUT_*, a pull_request event, an empty
// PEXPRESS_CACHE_DIR (every runner is fresh; a fast build restores no cache), no uv on PATH,
// deps.pex already in the store (moto S3 on loopback), the sticky comment already on the PR (the
// loopback GitHub API) and edited. "Warm" is the same step with the cache directory a previous
// fast build left. Before each run one source file changes, so source.pex is new and uploaded.
// Wall time is the whole process, start to exit. Writes bench/out/action.md and action.json.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';
import { startGitHubServer } from '../test/github-server.ts';
import { copyExample, ROOT, TEST_CACHE } from '../test/helpers.ts';
import { startMoto } from '../test/s3/moto.ts';
import { REPO, runAction, TOKEN, type ActionRun } from '../test/action-runner.ts';

const RUNS = Number(process.env.BENCH_RUNS) || 7;
const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'pexpress-bench-action-'));
  const s3 = await startMoto();
  const gh = await startGitHubServer({ repository: REPO, token: TOKEN });
  try {
    await s3.createBucket('bench-action');
    const app = await copyExample('hello', join(work, 'ws', 'app'));
    const ws = join(work, 'ws');
    gh.seed(7, 40);
    const inputs = {
      'project-dir': 'app',
      'entry-point': 'hello.app:main',
      's3-bucket': 'bench-action',
      's3-prefix': 'pexpress',
      's3-endpoint': s3.endpoint,
      's3-region': 'us-east-1',
    };
    // No uv anywhere the Action could find it: a fast build must not need it.
    const path = (process.env.PATH ?? '')
      .split(delimiter)
      .filter((d) => !d.includes('.venv'))
      .join(delimiter);
    const step = (cache: string, uv: boolean) =>
      runAction({
        workspace: ws,
        gh,
        inputs,
        event: { pr: 7, branch: 'feature/x' },
        env: { ...s3.env, PEXPRESS_CACHE_DIR: cache, PATH: path, PEXPRESS_UV: uv ? process.env.PEXPRESS_UV : undefined },
      });
    const check = (r: ActionRun, what: string, type: string) => {
      if (r.code !== 0 || r.outputs['build-type'] !== type) throw new Error(`${what}: ${r.code} ${r.outputs['build-type']}\n${r.stdout}`);
    };
    // deps.pex into the store (full build, shared test cache), then a warm cache dir for "warm".
    check(await step(TEST_CACHE, true), 'priming full build', 'full');
    const warm = join(work, 'warm-cache');
    mkdirSync(warm);
    check(await step(warm, false), 'warming fast build', 'fast');
    const samples: Record<'fresh' | 'warm', number[]> = { fresh: [], warm: [] };
    const core: Record<'fresh' | 'warm', number[]> = { fresh: [], warm: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const kind of i % 2 ? (['warm', 'fresh'] as const) : (['fresh', 'warm'] as const)) {
        appendFileSync(join(app, 'src', 'hello', 'app.py'), `\n# edit ${kind} ${i}\n`);
        const cache = kind === 'warm' ? warm : mkdtempSync(join(work, 'fresh-cache-'));
        const patches = gh.calls.filter((c) => c.method === 'PATCH').length;
        const r = await step(cache, false);
        check(r, `${kind} run ${i}`, 'fast');
        if (gh.calls.filter((c) => c.method === 'PATCH').length !== patches + 1)
          throw new Error(`${kind} run ${i}: the comment was not edited`);
        samples[kind].push(r.ms);
        if (process.env.BENCH_VERBOSE) log(r.stdout);
        core[kind].push(
          Number(/"timings":\{[^}]*"total":(\d+)/.exec(r.stdout)?.[1] ?? /fast build in (\d+) ms/.exec(r.stdout)?.[1] ?? NaN),
        );
        if (kind === 'fresh') rmSync(cache, { recursive: true, force: true });
      }
    }
    const fresh = median(samples.fresh);
    const warmMs = median(samples.warm);
    const ratio = fresh / warmMs;
    const rows = [
      `_${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpus()[0]?.model.trim()} · ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version} · ${RUNS} run(s) each, alternating, medians_`,
      '',
      '| the Action, fast build step (S3 on loopback, PR comment edited) | wall | core build | target | met |',
      '|:--|--:|--:|:--|:--|',
      `| fresh runner: empty PEXPRESS_CACHE_DIR, no uv | ${(fresh / 1000).toFixed(2)} s | ${median(core.fresh)} ms | < 1 s | ${fresh < 1000 ? 'yes' : 'no'} |`,
      `| warm caches | ${(warmMs / 1000).toFixed(2)} s | ${median(core.warm)} ms | (info) | – |`,
      `| fresh / warm | ${ratio.toFixed(2)} | | ≤ 2 | ${ratio <= 2 ? 'yes' : 'no'} |`,
    ].join('\n');
    const out = join(ROOT, 'bench', 'out');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'action.md'), rows + '\n');
    writeFileSync(join(out, 'action.json'), JSON.stringify({ runs: RUNS, samples, core, fresh, warm: warmMs, ratio }, null, 2) + '\n');
    process.stdout.write(rows + '\n');
    log(`fresh ${samples.fresh.join(' ')} ms; warm ${samples.warm.join(' ')} ms`);
  } finally {
    await gh.close();
    await s3.stop();
    if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
