// The store over months, measured: `pexpress log` and `pexpress gc` on a store holding N builds
// (default 10,000), on the local store and on moto (S3 on loopback).
//   node --import tsx bench/store.ts [--builds N] [--smoke]
// Synthetic builds: each has a tiny source archive and a manifest; one deps.pex per 100 builds,
// spread over 20 refs and 60 days, as a team pushing ~170 commits a day would leave behind.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mapLimit } from '../src/platform/concurrency.ts';
import { CLI, cleanup, tempDir } from '../test/helpers.ts';
import { startMoto } from '../test/s3/moto.ts';

const argv = process.argv.slice(2);
const SMOKE = argv.includes('--smoke');
const at = argv.indexOf('--builds');
const BUILDS = at >= 0 ? Number(argv[at + 1]) : SMOKE ? 200 : 10_000;
const DAY = 24 * 3600 * 1000;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

interface Obj {
  key: string;
  body: string;
  at: Date;
}

function synthetic(n: number): Obj[] {
  const now = Date.now();
  const out: Obj[] = [];
  for (let i = 0; i < n; i++) {
    const builtAt = new Date(now - 2 * DAY - ((n - i) / n) * 60 * DAY);
    const source = sha(`source ${i}`);
    const deps = sha(`deps ${Math.floor(i / 100)}`);
    const ref = `branch-${i % 20}`;
    if (i % 100 === 0) out.push({ key: `sha256/${deps}.pex`, body: `deps ${Math.floor(i / 100)}`.padEnd(4096, '.'), at: builtAt });
    out.push({ key: `sha256/${source}.pex`, body: `source ${i}`.padEnd(1024, '.'), at: builtAt });
    const manifest = {
      schema: 1,
      commit: sha(`commit ${i}`).slice(0, 40),
      ref,
      buildType: i % 100 === 0 ? 'full' : 'fast',
      reason: 'synthetic',
      fingerprint: sha(`fp ${Math.floor(i / 100)}`),
      target: { python: '3.11', platform: 'linux_x86_64' },
      deps: { sha256: deps, key: `sha256/${deps}.pex`, pexHash: deps },
      source: { sha256: source, key: `sha256/${source}.pex`, pexHash: source },
      entryPoint: null,
      pexpressVersion: '0.1.0',
      builtAt: builtAt.toISOString(),
    };
    out.push({ key: `manifests/${source}.json`, body: JSON.stringify(manifest), at: builtAt });
    out.push({
      key: `refs/${ref}.json`,
      body: JSON.stringify({ schema: 1, ref, source: { sha256: source }, deps: { sha256: deps } }),
      at: builtAt,
    });
  }
  return out;
}

function time(label: string, args: string[], env: NodeJS.ProcessEnv): { seconds: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

const rows: string[] = [];
function measure(where: string, store: string[], env: NodeJS.ProcessEnv): void {
  const log = time('log', ['log', '--limit', '20', '--json', ...store], env);
  const logRef = time('log --ref', ['log', '--ref', 'branch-7', '--limit', '20', '--json', ...store], env);
  const dry = time('gc --dry-run', ['gc', '--dry-run', '--json', '--keep-days', '30', '--keep-builds', '10', ...store], env);
  const real = time('gc', ['gc', '--json', '--keep-days', '30', '--keep-builds', '10', '--grace', '0', ...store], env);
  const r = JSON.parse(real.stdout) as { deleted: unknown[]; bytesFreed: number };
  rows.push(
    `| ${where} | ${BUILDS.toLocaleString('en')} | ${log.seconds.toFixed(2)} s | ${logRef.seconds.toFixed(2)} s | ${dry.seconds.toFixed(2)} s | ${real.seconds.toFixed(2)} s | ${r.deleted.length.toLocaleString('en')} | ${(r.bytesFreed / 1024 / 1024).toFixed(1)} MiB |`,
  );
}

const objects = synthetic(BUILDS);
const local = await tempDir('pexpress-bench-store-');
try {
  await mapLimit(objects, 64, async (o) => {
    const file = join(local, ...o.key.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, o.body);
    await utimes(file, o.at, o.at);
  });
  measure('local store', ['--store', local], {});
} finally {
  await cleanup(local);
}

const moto = await startMoto();
try {
  await moto.createBucket('bench');
  const client = moto.client();
  await mapLimit(objects, 32, (o) => client.send(new PutObjectCommand({ Bucket: 'bench', Key: `p/${o.key}`, Body: o.body })));
  measure('moto (S3 on loopback)', ['--store', 's3://bench/p', '--s3-endpoint', moto.endpoint], moto.env);
} finally {
  await moto.stop();
}

console.log(`| store | builds | log --limit 20 | log --ref --limit 20 | gc --dry-run | gc | objects deleted | freed |`);
console.log(`|---|---|---|---|---|---|---|---|`);
for (const r of rows) console.log(r);
