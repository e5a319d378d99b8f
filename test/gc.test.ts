// gc's safety rules on a real local store with a controlled clock: marking before deleting, a mark
// lifted by a build that reuses an archive, and the compare-and-swap that promotion relies on.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gc, parseDuration, PENDING_KEY } from '../src/deploy/gc.ts';
import { FsStore } from '../src/store/fs.ts';
import { cleanup, tempDir } from './helpers.ts';

const HOUR = 3600_000;
const T = new Date('2026-06-01T12:00:00Z');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

async function put(root: string, key: string, body: string, at: Date): Promise<void> {
  const file = join(root, ...key.split('/'));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, body);
  await utimes(file, at, at);
}

function manifest(source: string, deps: string, ref: string, builtAt: Date) {
  return JSON.stringify({
    schema: 1,
    commit: null,
    ref,
    buildType: 'fast',
    reason: 'test',
    fingerprint: 'f'.repeat(64),
    builtAt: builtAt.toISOString(),
    target: { python: '3.11', platform: 'linux_x86_64' },
    deps: { sha256: deps, key: `sha256/${deps}.pex`, pexHash: 'h'.repeat(40) },
    source: { sha256: source, key: `sha256/${source}.pex`, pexHash: 'h'.repeat(40) },
    entryPoint: null,
    pexpressVersion: '0.1.0',
  });
}

describe('gc marks before it deletes', () => {
  let root: string;
  let store: FsStore;
  const old = new Date(T.getTime() - 48 * HOUR);
  const deps = sha('deps');
  const oldDeps = sha('old deps');
  const s1 = sha('source 1');
  const s2 = sha('source 2');

  before(async () => {
    root = await tempDir('pexpress-gc-');
    store = new FsStore(root);
    for (const [s, body] of [
      [deps, 'deps'],
      [oldDeps, 'old deps'],
      [s1, 'source 1'],
      [s2, 'source 2'],
    ])
      await put(root, `sha256/${s}.pex`, body, old);
    await put(root, `manifests/${s1}.json`, manifest(s1, oldDeps, 'main', old), old);
    await put(root, `manifests/${s2}.json`, manifest(s2, deps, 'main', new Date(old.getTime() + HOUR)), old);
    await put(root, `deps/${'a'.repeat(64)}.json`, JSON.stringify({ schema: 1, sha256: oldDeps }), old);
    await put(root, `refs/main.json`, JSON.stringify({ schema: 1, ref: 'main', source: { sha256: s2 }, deps: { sha256: deps } }), old);
  });
  after(() => cleanup(root));

  const opts = (now: Date, dryRun = false) => ({
    keepDays: 1,
    keepBuilds: 1,
    graceMs: HOUR,
    dryRun,
    now,
    warn: (m: string) => assert.fail(m),
  });

  test('the first run deletes the dead manifest and the deps index entry, and only marks the archives', async () => {
    const r = await gc(store, opts(T));
    assert.deepEqual(r.deleted.map((d) => d.key).sort(), [`deps/${'a'.repeat(64)}.json`, `manifests/${s1}.json`]);
    assert.deepEqual(r.pending.map((p) => p.key).sort(), [`sha256/${oldDeps}.pex`, `sha256/${s1}.pex`].sort());
    assert.equal(r.pending[0].deletableAfter, new Date(T.getTime() + HOUR).toISOString());
    assert.ok(await store.head(`sha256/${s1}.pex`));
    assert.ok(await store.getText(PENDING_KEY));
  });

  test('a run within the grace period deletes nothing more', async () => {
    const r = await gc(store, opts(new Date(T.getTime() + HOUR / 2)));
    assert.deepEqual(r.deleted, []);
    assert.equal(r.pending.length, 2);
  });

  test('a build that reuses a marked archive lifts the mark', async () => {
    const s3 = sha('source 3');
    const now = new Date(T.getTime() + HOUR / 2);
    await put(root, `sha256/${s3}.pex`, 'source 3', now);
    await put(root, `manifests/${s3}.json`, manifest(s3, oldDeps, 'feature', now), now);
    const r = await gc(store, opts(new Date(T.getTime() + 2 * HOUR)));
    assert.deepEqual(
      r.deleted.map((d) => d.key),
      [`sha256/${s1}.pex`],
      'the old deps.pex is used again; the dead source goes',
    );
    assert.equal(await store.head(`sha256/${s1}.pex`), null);
    assert.ok(await store.head(`sha256/${oldDeps}.pex`));
    assert.deepEqual(r.pending, []);
  });

  test('durations', () => {
    assert.equal(parseDuration('0', '--grace'), 0);
    assert.equal(parseDuration('90s', '--grace'), 90_000);
    assert.equal(parseDuration('2h', '--grace'), 2 * HOUR);
    assert.throws(() => parseDuration('1 hour', '--grace'), /not a duration/);
  });
});

describe('putJsonIf on the local store', () => {
  test('of writers holding the same version, exactly one wins', async () => {
    const root = await tempDir('pexpress-cas-');
    try {
      const store = new FsStore(root);
      assert.equal(await store.putJsonIf('envs/prod.json', { n: 0 }, null), true);
      assert.equal(await store.putJsonIf('envs/prod.json', { n: 0 }, null), false, 'create-only when it exists');
      const v = (await store.getJsonVersioned('envs/prod.json'))!.version;
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.putJsonIf('envs/prod.json', { n: i + 1 }, v)));
      assert.equal(results.filter(Boolean).length, 1);
      const winner = results.indexOf(true) + 1;
      assert.deepEqual((await store.getJsonVersioned<{ n: number }>('envs/prod.json'))!.value, { n: winner });
    } finally {
      await cleanup(root);
    }
  });
});
