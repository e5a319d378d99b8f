import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { partSizeFor, S3Store } from '../src/store/s3.ts';
import { cleanup, copyExample, listFiles, pexpress, skippable, tempDir, type BuildJson } from './helpers.ts';
import { FaultProxy } from './s3/fault-proxy.ts';
import { startMoto, type S3Server } from './s3/moto.ts';
import { startVersitygw, versitygwBinary } from './s3/versitygw.ts';

const BUCKET = 'pexpress-ci';

const SERVERS: Array<[string, () => Promise<S3Server>, string | false]> = [
  ['moto', startMoto, false],
  [
    'versitygw',
    startVersitygw,
    versitygwBinary() ? false : 'versitygw is not built (scripts/test-tools.sh builds it when Go is installed)',
  ],
];

for (const [serverName, startServer, skip] of SERVERS) {
  describe(`S3 store against ${serverName} on loopback`, { timeout: 300_000 }, () => {
    const test = skippable(skip);
    let s3: S3Server;
    let proxy: FaultProxy;
    let project: string;
    let first: BuildJson;
    let pexRoot: string;
    const prefix = 'team/app';

    const env = () => ({ ...s3.env, PEX_ROOT: pexRoot });
    const storeArgs = (endpoint = proxy.endpoint, p = prefix) => ['--store', `s3://${BUCKET}/${p}`, '--s3-endpoint', endpoint];
    const build = async (dir: string, extra: string[] = []) => {
      const r = await pexpress(['build', '--project-dir', dir, '--json', ...storeArgs(), ...extra], { env: env() });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as BuildJson;
    };
    const keys = async (p: string) => {
      const r = await s3.client().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: p }));
      return (r.Contents ?? []).map((o) => o.Key!).sort();
    };

    before(async () => {
      if (skip) return;
      s3 = await startServer();
      await s3.createBucket(BUCKET);
      proxy = new FaultProxy(s3.endpoint);
      await proxy.start();
      project = await copyExample('hello');
      pexRoot = await tempDir('pexpress-s3-root-');
      first = await build(project, ['--entry-point', 'hello.app:main']);
    });
    after(async () => {
      if (skip) return;
      await proxy?.stop();
      await s3?.stop();
      await cleanup(project, pexRoot);
    });

    test('a full build uploads both archives with checksum, create-only and metadata', async () => {
      assert.equal(first.buildType, 'full');
      assert.equal(first.deps.uploaded, true);
      assert.equal(first.source.uploaded, true);
      assert.equal(first.deps.key, `${prefix}/sha256/${first.deps.sha256}.pex`);
      assert.equal(first.source.url, `s3://${BUCKET}/${prefix}/sha256/${first.source.sha256}.pex`);
      const all = await keys(prefix);
      assert.ok(all.includes(`${prefix}/deps/${first.fingerprint}.json`));
      assert.ok(all.includes(`${prefix}/manifests/${first.source.sha256}.json`));
      assert.ok(all.some((k) => k.startsWith(`${prefix}/refs/`)));
      for (const [kind, a] of [
        ['deps', first.deps],
        ['source', first.source],
      ] as const) {
        const put = proxy.log.find((l) => l.method === 'PUT' && l.url.startsWith(`/${BUCKET}/${a.key}`));
        assert.ok(put, `PUT of ${a.key}`);
        assert.equal(put.headers['x-amz-checksum-sha256'], Buffer.from(a.sha256, 'hex').toString('base64'));
        assert.equal(put.headers['if-none-match'], '*');
        const head = await s3.client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: a.key }));
        assert.equal(head.Metadata?.['pexpress-kind'], kind);
        assert.equal(head.Metadata?.['pexpress-fingerprint'], first.fingerprint);
        assert.equal(head.Metadata?.['pexpress-sha256'], a.sha256);
        assert.ok('pexpress-commit' in (head.Metadata ?? {}));
      }
    });

    test('a second identical build uploads nothing; a fast build uploads only source.pex', async () => {
      const again = await build(project, ['--entry-point', 'hello.app:main']);
      assert.equal(again.buildType, 'fast');
      assert.deepEqual([again.deps.uploaded, again.source.uploaded], [false, false]);
      await writeFile(
        join(project, 'src', 'hello', 'app.py'),
        (await readFile(join(project, 'src', 'hello', 'app.py'), 'utf8')) + '\n# edit\n',
      );
      const fast = await build(project, ['--entry-point', 'hello.app:main']);
      assert.equal(fast.buildType, 'fast');
      assert.deepEqual([fast.deps.uploaded, fast.source.uploaded], [false, true]);
      assert.equal(fast.deps.sha256, first.deps.sha256);
    });

    test('lookup (full and short sha), fetch and run work against the bucket', async () => {
      const lk = await pexpress(['lookup', first.source.sha256.slice(0, 8), ...storeArgs(), '--json'], { env: env() });
      assert.equal(lk.code, 0, lk.stderr);
      const info = JSON.parse(lk.stdout);
      assert.equal(info.kind, 'source');
      assert.equal(info.deps.sha256, first.deps.sha256);
      assert.equal(info.key, first.source.key);
      const dk = JSON.parse((await pexpress(['lookup', first.deps.sha256, ...storeArgs(), '--json'], { env: env() })).stdout);
      assert.equal(dk.kind, 'deps');
      assert.equal(dk.fingerprint, first.fingerprint);
      const dir = await tempDir();
      const f = await pexpress(['fetch', first.deps.sha256, ...storeArgs(), '-o', join(dir, 'deps.pex')], { env: env() });
      assert.equal(f.code, 0, f.stderr);
      assert.equal(
        createHash('sha256')
          .update(await readFile(join(dir, 'deps.pex')))
          .digest('hex'),
        first.deps.sha256,
      );
      const r = await pexpress(['run', first.source.sha256, ...storeArgs(), '--', '--name', 's3'], {
        env: { ...env(), PEXPRESS_CACHE_DIR: join(dir, 'cache') },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Hello from source\.pex, s3!/);
      await cleanup(dir);
    });

    test('503 SlowDown bursts, 500s and slow answers are retried; nothing partial is visible', async () => {
      const p = 'faults/retry';
      proxy.add({
        match: (m, u) => m === 'PUT' && u.includes('/sha256/'),
        fault: { kind: 'status', status: 503, code: 'SlowDown' },
        times: 3,
      });
      proxy.add({
        match: (m, u) => m === 'GET' && u.includes('/deps/'),
        fault: { kind: 'status', status: 500, code: 'InternalError' },
        times: 2,
      });
      proxy.add({ match: (m, u) => m === 'PUT' && u.includes('/manifests/'), fault: { kind: 'delay', ms: 1500 }, times: 1 });
      const r = await pexpress(['build', '--project-dir', project, '--json', ...storeArgs(proxy.endpoint, p)], { env: env() });
      proxy.clear();
      assert.equal(r.code, 0, r.stderr);
      const b = JSON.parse(r.stdout) as BuildJson;
      assert.ok(proxy.log.filter((l) => l.fault === 'status503').length >= 3, 'the faults were hit');
      for (const a of [b.deps, b.source]) {
        const obj = await s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: a.key }));
        const bytes = Buffer.from(await obj.Body!.transformToByteArray());
        assert.equal(createHash('sha256').update(bytes).digest('hex'), a.sha256);
      }
    });

    test('a connection reset in the middle of a multipart upload is retried', async () => {
      const dir = await tempDir();
      const file = join(dir, 'big.pex');
      const data = randomBytes(13 * 1024 * 1024);
      await writeFile(file, data);
      const sha = createHash('sha256').update(data).digest('hex');
      const prev = { t: process.env.PEXPRESS_S3_MULTIPART_THRESHOLD, p: process.env.PEXPRESS_S3_PART_SIZE };
      process.env.PEXPRESS_S3_MULTIPART_THRESHOLD = String(1024 * 1024);
      process.env.PEXPRESS_S3_PART_SIZE = String(5 * 1024 * 1024);
      Object.assign(process.env, s3.env);
      try {
        const store = new S3Store(`s3://${BUCKET}/faults/multipart`, { s3Endpoint: proxy.endpoint, warn: () => undefined });
        proxy.add({ match: (m, u) => m === 'PUT' && /partNumber=2/.test(u), fault: { kind: 'reset' }, times: 1 });
        const before = proxy.log.length;
        assert.deepEqual(await store.putFile(`sha256/${sha}.pex`, file, { sha256: sha }), { uploaded: true });
        const parts = proxy.log.slice(before).filter((l) => /partNumber=/.test(l.url));
        assert.ok(
          parts.some((l) => l.fault === 'reset'),
          'a part upload was cut off',
        );
        assert.ok(parts.length >= 4, `3 parts + 1 retry, saw ${parts.length}`);
        // Each part is hashed once: its own signed checksum header, payload not hashed again for the signature.
        for (const l of parts) {
          assert.equal(l.headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD', l.url);
          assert.match(String(l.headers['x-amz-checksum-sha256']), /^[A-Za-z0-9+/]{43}=$/, l.url);
        }
        assert.equal(await store.verify(`sha256/${sha}.pex`, sha), 'ok');
        const obj = await s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: `faults/multipart/sha256/${sha}.pex` }));
        assert.equal(
          createHash('sha256')
            .update(Buffer.from(await obj.Body!.transformToByteArray()))
            .digest('hex'),
          sha,
        );
        assert.deepEqual(await store.putFile(`sha256/${sha}.pex`, file, { sha256: sha }), { uploaded: false });
      } finally {
        proxy.clear();
        if (prev.t === undefined) delete process.env.PEXPRESS_S3_MULTIPART_THRESHOLD;
        else process.env.PEXPRESS_S3_MULTIPART_THRESHOLD = prev.t;
        if (prev.p === undefined) delete process.env.PEXPRESS_S3_PART_SIZE;
        else process.env.PEXPRESS_S3_PART_SIZE = prev.p;
        await cleanup(dir);
      }
    });

    test('a multipart upload whose part keeps failing is aborted: no parts, no object left', async () => {
      const dir = await tempDir();
      const file = join(dir, 'big.pex');
      const data = randomBytes(11 * 1024 * 1024);
      await writeFile(file, data);
      const sha = createHash('sha256').update(data).digest('hex');
      const prev = { ...process.env };
      Object.assign(process.env, s3.env, {
        PEXPRESS_S3_MULTIPART_THRESHOLD: String(1024 * 1024),
        PEXPRESS_S3_PART_SIZE: String(5 * 1024 * 1024),
        PEXPRESS_S3_MAX_ATTEMPTS: '2',
      });
      try {
        const store = new S3Store(`s3://${BUCKET}/faults/abort`, { s3Endpoint: proxy.endpoint, warn: () => undefined });
        proxy.add({
          match: (m, u) => m === 'PUT' && /partNumber=2/.test(u),
          fault: { kind: 'status', status: 500, code: 'InternalError' },
          times: Infinity,
        });
        await assert.rejects(store.putFile(`sha256/${sha}.pex`, file, { sha256: sha }), /S3 write of .*failed after retries/);
        proxy.clear();
        const uploads = await s3.client().send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'faults/abort/' }));
        assert.deepEqual(uploads.Uploads ?? [], []);
        assert.equal(await store.verify(`sha256/${sha}.pex`, sha), 'missing');
      } finally {
        proxy.clear();
        for (const k of ['PEXPRESS_S3_MULTIPART_THRESHOLD', 'PEXPRESS_S3_PART_SIZE', 'PEXPRESS_S3_MAX_ATTEMPTS'])
          if (prev[k] === undefined) delete process.env[k];
          else process.env[k] = prev[k];
        await cleanup(dir);
      }
    });

    test('a permanent 403 fails the build with one clear line and exit 1', async () => {
      proxy.add({
        match: (m, u) => m === 'PUT' && u.includes('/sha256/'),
        fault: { kind: 'status', status: 403, code: 'AccessDenied' },
        times: Infinity,
      });
      const r = await pexpress(['build', '--project-dir', project, ...storeArgs(proxy.endpoint, 'faults/denied')], { env: env() });
      proxy.clear();
      assert.equal(r.code, 1);
      const last = r.stderr.trim().split('\n').at(-1)!;
      assert.match(
        last,
        /^pexpress: S3 write of s3:\/\/pexpress-ci\/faults\/denied\/sha256\/[0-9a-f]{64}\.pex failed after retries: access denied/,
      );
      assert.deepEqual(
        (await keys('faults/denied')).filter((k) => !k.includes('/sha256/')),
        [],
        'no index points at a missing archive',
      );
    });

    test('two builds of the same project at once both succeed and leave one object per archive', async () => {
      const twin = join(await tempDir(), 'hello');
      await cp(project, twin, { recursive: true, filter: (s) => !s.includes('.pexpress') });
      const p = 'race';
      const runs = await Promise.all(
        [project, twin].map((d) => pexpress(['build', '--project-dir', d, '--json', ...storeArgs(s3.endpoint, p)], { env: env() })),
      );
      for (const r of runs) assert.equal(r.code, 0, r.stderr);
      const [a, b] = runs.map((r) => JSON.parse(r.stdout) as BuildJson);
      assert.deepEqual([a.deps.sha256, a.source.sha256], [b.deps.sha256, b.source.sha256]);
      assert.deepEqual((await keys(`${p}/sha256/`)).sort(), [a.deps.key, a.source.key].sort());
      await cleanup(join(twin, '..'));
    });

    test('a changed archive: fetch and run refuse it, the next build repairs deps.pex', async () => {
      const p = 'corrupt';
      const b = await build(project, ['--store', `s3://${BUCKET}/${p}`]);
      // Someone overwrites the stored deps archive with other bytes.
      await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: b.deps.key, Body: Buffer.from('not the archive') }));
      const dir = await tempDir();
      const f = await pexpress(['fetch', b.deps.sha256, ...storeArgs(s3.endpoint, p), '-o', join(dir, 'deps.pex')], { env: env() });
      assert.equal(f.code, 1);
      assert.match(f.stderr, /corrupt/);
      assert.deepEqual(await listFiles(dir), []);
      const r = await pexpress(['run', b.source.sha256, ...storeArgs(s3.endpoint, p)], {
        env: { ...env(), PEXPRESS_CACHE_DIR: join(dir, 'cache') },
      });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /corrupt/);
      const repaired = await build(project, ['--store', `s3://${BUCKET}/${p}`]);
      assert.equal(repaired.buildType, 'full');
      assert.match(repaired.reason, /fails its sha256 check; rebuilding and replacing it/);
      assert.equal(repaired.deps.sha256, b.deps.sha256);
      assert.equal(repaired.deps.uploaded, true);
      const ok = await pexpress(['fetch', b.deps.sha256, ...storeArgs(s3.endpoint, p), '-o', join(dir, 'deps.pex')], { env: env() });
      assert.equal(ok.code, 0, ok.stderr);
      await cleanup(dir);
    });

    test('a deps index naming the source archive (told by its pexpress-kind metadata) is ignored with one warning', async () => {
      const p = 'damaged-index';
      const b = await build(project, ['--store', `s3://${BUCKET}/${p}`]);
      const indexKey = `${p}/deps/${b.fingerprint}.json`;
      const stored = await s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: indexKey }));
      const entry = JSON.parse(await stored.Body!.transformToString());
      await s3
        .client()
        .send(new PutObjectCommand({ Bucket: BUCKET, Key: indexKey, Body: JSON.stringify({ ...entry, sha256: b.source.sha256 }) }));
      // Only the object's metadata can tell now: the source archive's manifest is gone.
      await s3.client().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${p}/manifests/${b.source.sha256}.json` }));
      const r = await pexpress(['build', '--project-dir', project, '--json', ...storeArgs(proxy.endpoint, p)], { env: env() });
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as BuildJson).buildType, 'full');
      const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
      assert.equal(warnings.length, 1, r.stderr);
      assert.ok(warnings[0].includes(`s3://${BUCKET}/${indexKey}`), warnings[0]);
      assert.match(warnings[0], /names a source archive, not a deps archive/);
    });

    test('bad input: no bucket, a missing bucket, no credentials, an unreachable endpoint', async () => {
      const one = async (args: string[], e: Record<string, string | undefined>, pattern: RegExp) => {
        const r = await pexpress(['build', '--project-dir', project, ...args], { env: e });
        assert.equal(r.code, 2, r.stderr);
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0], pattern);
      };
      await one(['--store', 's3://'], env(), /^pexpress: store URL s3:\/\/ has no bucket/);
      await one(
        ['--store', 's3://no-such-bucket/x', '--s3-endpoint', s3.endpoint],
        env(),
        /^pexpress: bucket no-such-bucket does not exist/,
      );
      await one(
        ['--store', `s3://${BUCKET}/x`, '--s3-endpoint', s3.endpoint],
        { ...env(), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
        /^pexpress: no AWS credentials/,
      );
      await one(
        ['--store', `s3://${BUCKET}/x`, '--s3-endpoint', 'http://127.0.0.1:9'],
        env(),
        /^pexpress: cannot reach S3 at http:\/\/127\.0\.0\.1:9 .*ECONNREFUSED.*check --s3-endpoint/,
      );
    });
  });
}

test('multipart part size: the configured size, at least 5 MiB, and large enough for under 9,000 parts', () => {
  const MiB = 1024 * 1024;
  assert.equal(partSizeFor(1024 * MiB, 8 * MiB), 8 * MiB);
  assert.equal(partSizeFor(100 * MiB, 1 * MiB), 5 * MiB);
  const huge = 200 * 1024 * MiB; // 200 GiB
  const part = partSizeFor(huge, 8 * MiB);
  assert.ok(Math.ceil(huge / part) <= 9000, `${Math.ceil(huge / part)} parts`);
  assert.ok(part > 8 * MiB);
});
