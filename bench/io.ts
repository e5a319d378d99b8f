// Big archives and S3 (issue 16, targets 4 and 5): a multi-gigabyte deps.pex built from real PyPI
// wheels against `cp` of the same bytes, and S3 upload and fetch of a ~1 GiB deps.pex against the
// AWS CLI (`aws s3 cp`) on the same loopback server (moto and versitygw). docs/bench.md § io says
// what each row measures and how the page cache is handled.
//
// Environment (besides bench/lib.ts's): BENCH_IO_RUNS (timed runs per side, default 3, smoke 1),
// BENCH_IO_CACHE (the wheel cache for the big sets, kept between runs when given: ~6 GB; default a
// directory in the scratch space, so every run downloads the set again), BENCH_AWS (the aws
// executable; default .venv-bench/bin/aws from scripts/bench-tools.sh). Smoke mode: the two tiny
// smoke wheels, moto only, and no AWS CLI rows when it is not installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hashFile } from '../src/platform/files.ts';
import { startMoto, type S3Server } from '../test/s3/moto.ts';
import { startVersitygw, versitygwBinary } from '../test/s3/versitygw.ts';
import {
  BENCH,
  PYTHON,
  ROOT,
  SMOKE,
  SMOKE_REQS,
  WORK,
  addRow,
  alternate,
  buildJson,
  countRequirements,
  extra,
  log,
  makeProject,
  measure,
  num,
  pexpressBuild,
  pexpressEnv,
  rss,
  stat,
  walls,
  type Sample,
} from './lib.ts';

const IO_RUNS = num('BENCH_IO_RUNS', 3, 1);
const AWS = process.env.BENCH_AWS ?? join(ROOT, '.venv-bench', 'bin', 'aws');
const MB = 1e6;
const GiB = 2 ** 30;
/** The multi-gigabyte set (target 4) and the ~1 GiB one (target 5); both resolve from the same wheel cache. */
const LARGE_SET = join(BENCH, 'sets', 'torch-jax-cuda.txt');
const S3_SET = join(BENCH, 'sets', 's3-1gib.txt');

const sh = (script: string, ...args: string[]) => {
  const r = spawnSync('sh', ['-c', script, 'sh', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sh -c ${script}: ${r.stderr}`);
  return r.stdout;
};
const sizeOf = (f: string) => statSync(f).size;
const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;
const mbps = (bytes: number, seconds: number) => `${(bytes / MB / seconds).toFixed(0)} MB/s`;

/**
 * The same page-cache state before every timed run of either side: the inputs read once (so both
 * read from memory, as a build right after a download or a cp right after a build does) and
 * `sync`, so dirty pages left by the previous run are not written back on this run's clock.
 */
function settle(inputs: string[]): void {
  if (inputs.length) sh('cat "$@" > /dev/null', ...inputs);
  sh('sync');
}

function wheelFiles(cache: string): string[] {
  const root = join(cache, 'wheels');
  if (!existsSync(root)) return [];
  const out: string[] = [];
  for (const d of readdirSync(root, { withFileTypes: true }))
    if (d.isDirectory() && d.name !== '.tmp')
      for (const f of readdirSync(join(root, d.name))) if (f.endsWith('.whl')) out.push(join(root, d.name, f));
  return out;
}

/** A full build of REQS with CACHE warm (filled first, untimed) and an empty store: its deps.pex. */
async function fill(dir: string, reqs: string, cache: string): Promise<{ deps: string; sample: Sample; project: string }> {
  const project = join(dir, 'project');
  rmSync(dir, { recursive: true, force: true });
  makeProject(project, reqs, null);
  const sample = await measure(pexpressBuild(project, join(dir, 'store'), join(dir, 'out')), pexpressEnv(cache));
  rmSync(join(dir, 'store'), { recursive: true, force: true }); // a second copy of the archive: disk is shared
  return { deps: buildJson(sample).deps.path!, sample, project };
}

// ---------------------------------------------------------------- target 4: the large deps.pex

async function large(cache: string): Promise<string> {
  const dir = join(WORK, 'io', 'large');
  const reqs = SMOKE ? SMOKE_REQS : readFileSync(LARGE_SET, 'utf8');
  const n = countRequirements(reqs);
  log(`io: full build of ${n} requirements to fill ${cache} (downloads the wheels unless already there)`);
  const first = await fill(dir, reqs, cache);
  const firstJson = buildJson(first.sample);
  const wheels = wheelFiles(cache);
  const wheelBytes = wheels.reduce((s, f) => s + sizeOf(f), 0);
  const archive = sizeOf(first.deps);
  extra.ioDownload = { seconds: (firstJson.timings.download ?? 0) / 1000, wheelBytes, wheels: wheels.length };
  log(`io: deps.pex ${gb(archive)}; download phase ${((firstJson.timings.download ?? 0) / 1000).toFixed(1)} s; cache ${gb(wheelBytes)}`);

  // Timed: the full build again into an empty store (wheels in the cache: resolve + pack + publish),
  // against cp of the deps.pex it produces. Each run's output is deleted before the next.
  const runs = join(dir, 'runs');
  const cpOut = join(dir, 'cp.pex');
  const samples = await alternate(
    IO_RUNS,
    async (i) => {
      settle(wheels);
      const s = await measure(pexpressBuild(first.project, join(runs, `store-${i}`), join(runs, `out-${i}`)), pexpressEnv(cache));
      rmSync(runs, { recursive: true, force: true });
      return s;
    },
    async () => {
      settle([first.deps]);
      const s = await measure(['cp', first.deps, cpOut]);
      rmSync(cpOut, { force: true });
      return s;
    },
  );
  const builds = samples.a.map(buildJson);
  const shas = new Set([firstJson.deps.sha256, ...builds.map((b) => b.deps.sha256)]);
  extra.ioLarge = { sha256: firstJson.deps.sha256, size: archive };
  const pack = stat(builds.map((b) => b.timings['pack deps'] / 1000));
  const cp = walls(samples.b);
  const label = SMOKE
    ? `smoke deps.pex (${n} wheels, ${(archive / 2 ** 20).toFixed(1)} MiB)`
    : `large deps.pex (${n} wheels, ${gb(archive)})`;
  addRow({
    id: 'io.large.pack',
    bench: `${label}: pack deps (install + zip), wheels in the cache`,
    unit: 's',
    ours: pack,
    pex: cp,
    refName: 'cp of the deps.pex',
    target: '≤ 1.5 (I/O-bound)',
    met: pack.median / cp.median <= 1.5,
    note: `${mbps(archive, pack.median)} vs ${mbps(archive, cp.median)} written; same sha256 every run: ${shas.size === 1 ? 'yes' : '**no**'}`,
  });
  const wall = walls(samples.a);
  const phases = ['resolve', 'pack deps', 'publish'].map((p) => `${p} ${stat(builds.map((b) => b.timings[p] / 1000)).median.toFixed(1)} s`);
  addRow({
    id: 'io.large.build',
    bench: `${label}: whole full build (resolve, pack, copy into the local store)`,
    unit: 's',
    ours: wall,
    pex: cp,
    refName: 'cp of the deps.pex',
    target: '(info)',
    met: null,
    note: `${phases.join(', ')}; the archive is written twice (out-dir and store)`,
  });
  const mem = rss(samples.a);
  addRow({
    id: 'io.large.rss',
    bench: `${label}: full build, peak RSS`,
    unit: 'MiB',
    ours: mem,
    pex: rss(samples.b),
    refName: 'cp',
    target: '< 200 MiB',
    met: mem.max < 200,
    note: 'max over the runs is what the target checks',
  });
  check(first.deps, first.project, dir, cache);
  return first.deps;
}

/** Untimed: Python's zipfile reads the archive (zip64 records when needed) and the runtime imports from it. */
function check(deps: string, project: string, dir: string, cache: string): void {
  const probe = String.raw`
import json, struct, sys, zipfile, zlib
z = zipfile.ZipFile(sys.argv[1])
infos = z.infolist()
with open(sys.argv[1], "rb") as f:
    f.seek(-(22 + len(z.comment)), 2)
    eocd = f.read(22)
    f.seek(-(22 + len(z.comment) + 20), 2)
    zip64 = f.read(4) == b"PK\x06\x07"
big = max(infos, key=lambda i: i.header_offset)
crc = 0
with z.open(big) as m:
    for chunk in iter(lambda: m.read(1 << 20), b""):
        crc = zlib.crc32(chunk, crc)
print(json.dumps({"entries": len(infos), "lastOffset": big.header_offset, "zip64": zip64, "lastOk": crc == big.CRC, "last": big.filename}))
`;
  const r = spawnSync(PYTHON, ['-c', probe, deps], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`zipfile cannot read ${deps}: ${r.stderr}`);
  const z = JSON.parse(r.stdout) as { entries: number; lastOffset: number; zip64: boolean; lastOk: boolean; last: string };
  const needs64 = z.entries >= 0xffff || sizeOf(deps) >= 2 ** 32;
  // The runtime, once: source.pex of the same build with deps.pex on PEX_PATH, cold (extracts everything).
  const source = join(dir, 'out', 'source.pex');
  const imports = SMOKE ? 'six, markupsafe' : 'numpy, jax, torch';
  const pexRoot = join(dir, 'pex-root');
  const t0 = performance.now();
  const run = spawnSync(PYTHON, [source, '-c', `import ${imports}; print("ok")`], {
    encoding: 'utf8',
    env: { ...process.env, PEX_PATH: deps, PEX_ROOT: pexRoot, PEXPRESS_CACHE_DIR: cache },
    cwd: project,
  });
  const runSeconds = (performance.now() - t0) / 1000;
  rmSync(pexRoot, { recursive: true, force: true });
  const ran = run.status === 0 && run.stdout.trim() === 'ok';
  if (!ran) log(`io: runtime check failed: ${run.stderr.slice(-2000)}`);
  // The runtime's one-line refusal, without the path: the reason the row is not met.
  const why = (run.stderr.trim().split('\n').pop() ?? '').replace(/ \/\S+/g, ' …').slice(0, 240);
  const ok = z.lastOk && ran && (!needs64 || z.zip64);
  addRow({
    id: 'io.large.zip',
    bench: `${SMOKE ? 'smoke' : 'large'} deps.pex read back: Python zipfile, then \`PEX_PATH=deps.pex python source.pex -c "import ${imports}"\``,
    unit: 'text',
    oursText: `${z.entries} entries, last local header at ${gb(z.lastOffset)}; zip64 records: ${z.zip64 ? 'yes' : 'no'}`,
    target: 'readable, zip64 where needed, imports',
    met: ok,
    note: `zip64 needed: ${needs64 ? 'yes' : 'no'}; last member's CRC checked: ${z.lastOk ? 'ok' : '**bad**'}; import ${ran ? 'ok' : `**failed**: ${why}`} (${runSeconds.toFixed(0)} s cold, untimed)`,
  });
}

// ---------------------------------------------------------------- target 5: S3 upload and fetch

function awsAvailable(): boolean {
  return existsSync(AWS) && spawnSync(AWS, ['--version']).status === 0;
}

async function s3(server: S3Server, name: string, archive: string, sha256: string): Promise<void> {
  const bucket = `bench-${name}`;
  await server.createBucket(bucket);
  const size = sizeOf(archive);
  const env = { ...server.env, AWS_ENDPOINT_URL_S3: server.endpoint, AWS_ENDPOINT_URL: server.endpoint };
  const withAws = awsAvailable();
  const dir = join(WORK, 'io', `s3-${name}`);
  mkdirSync(dir, { recursive: true });
  const label = size >= GiB / 10 ? `${(size / GiB).toFixed(2)} GiB deps.pex` : `${(size / 2 ** 20).toFixed(1)} MiB deps.pex`;

  // Upload: pexpress's publish step (bench/io-put.ts) and `aws s3 cp`, each to a fresh prefix.
  const put = (i: number) =>
    measure(['node', '--import', 'tsx', join(BENCH, 'io-put.ts'), `s3://${bucket}/px-${i}`, archive, sha256], env, { cwd: ROOT });
  const awsPut = (i: number) => measure([AWS, 's3', 'cp', '--only-show-errors', archive, `s3://${bucket}/aws-${i}/x.pex`], env);
  const up = withAws ? await alternate(IO_RUNS, put, awsPut, () => settle([archive])) : { a: [await put(0)], b: [] as Sample[] };
  addRow(s3Row(`io.s3.${name}.put`, `S3 upload, ${name} on loopback: ${label}`, up.a, up.b, size, withAws));

  // Fetch: `pexpress fetch` (downloads, verifies the sha256, renames into place) and `aws s3 cp`.
  const out = join(dir, 'fetched.pex');
  const get = () =>
    measure(
      [
        'node',
        join(ROOT, 'dist', 'cli.js'),
        'fetch',
        sha256,
        '-o',
        out,
        '--store',
        `s3://${bucket}/px-0`,
        '--s3-endpoint',
        server.endpoint,
      ],
      env,
    ).then((s) => (rmSync(out, { force: true }), s));
  const awsGet = () =>
    measure([AWS, 's3', 'cp', '--only-show-errors', `s3://${bucket}/aws-0/x.pex`, out], env).then((s) => (rmSync(out, { force: true }), s));
  const down = withAws ? await alternate(IO_RUNS, get, awsGet, () => settle([])) : { a: [await get()], b: [] as Sample[] };
  addRow(s3Row(`io.s3.${name}.fetch`, `fetch from ${name} on loopback: ${label}, sha256 verified`, down.a, down.b, size, withAws));
  const mem = rss(down.a);
  addRow({
    id: `io.s3.${name}.rss`,
    bench: `S3 upload / fetch (${name}), peak RSS`,
    unit: 'text',
    oursText: `${rss(up.a).median.toFixed(0)} / ${mem.median.toFixed(0)} MiB`,
    pexText: withAws ? `${rss(up.b).median.toFixed(0)} / ${rss(down.b).median.toFixed(0)} MiB` : '',
    refName: 'aws s3 cp',
    target: '< 200 MiB',
    met: Math.max(rss(up.a).max, mem.max) < 200,
  });
  rmSync(dir, { recursive: true, force: true });
}

function s3Row(id: string, bench: string, ours: Sample[], ref: Sample[], size: number, withAws: boolean) {
  const o = walls(ours);
  if (!withAws)
    return {
      id,
      bench,
      unit: 's' as const,
      ours: o,
      target: '≥ AWS CLI MB/s',
      met: null,
      note: `${mbps(size, o.median)}; AWS CLI not installed (bash scripts/bench-tools.sh): no reference`,
    };
  const r = walls(ref);
  // Same bytes both sides, so the ratio of times is the inverse ratio of throughputs.
  return {
    id,
    bench,
    unit: 's' as const,
    ours: o,
    pex: r,
    refName: 'aws s3 cp',
    target: '≤ 1 (≥ AWS CLI MB/s)',
    met: o.median <= r.median,
    note: `${mbps(size, o.median)} vs ${mbps(size, r.median)}`,
  };
}

export async function benchIo(): Promise<void> {
  const cache = process.env.BENCH_IO_CACHE ?? join(WORK, 'io', 'cache');
  const largeDeps = await large(cache);
  // Target 5's archive: a real ~1 GiB deps.pex (four CUDA wheels from the same cache). Smoke: the tiny one.
  let archive = largeDeps;
  if (!SMOKE) {
    archive = (await fill(join(WORK, 'io', 's3set'), readFileSync(S3_SET, 'utf8'), cache)).deps;
    rmSync(join(WORK, 'io', 'large'), { recursive: true, force: true }); // the multi-GB archive is done with
  }
  const sha256 = await hashFile(archive);
  const servers: Array<[string, () => Promise<S3Server>]> = [['moto', startMoto]];
  if (!SMOKE && versitygwBinary()) servers.push(['versitygw', startVersitygw]);
  else if (!SMOKE) log('io: versitygw is not built (scripts/test-tools.sh needs Go): moto only');
  for (const [name, start] of servers) {
    const server = await start();
    try {
      await s3(server, name, archive, sha256);
    } finally {
      await server.stop();
    }
  }
  if (!process.env.BENCH_IO_CACHE) rmSync(cache, { recursive: true, force: true });
}
