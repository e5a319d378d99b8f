import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cacheKeys, ResolverCache, type CacheBackend } from '../src/action/cache.ts';

describe('resolver cache', () => {
  const target = { fingerprint: 'f'.repeat(64), python: '3.11', platform: 'linux_x86_64' };
  const env = { RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' };
  function fake(opts: { available?: boolean; hit?: string; failRestore?: boolean; failSave?: boolean } = {}) {
    const calls: string[] = [];
    const backend: CacheBackend = {
      isFeatureAvailable: () => opts.available ?? true,
      restoreCache: async (paths, key, restoreKeys) => {
        calls.push(`restore ${paths.join(',')} ${key} [${restoreKeys?.join(',')}]`);
        if (opts.failRestore) throw new Error('cache service unreachable');
        return opts.hit;
      },
      saveCache: async (paths, key) => {
        calls.push(`save ${paths.join(',')} ${key}`);
        if (opts.failSave) throw new Error('Unable to reserve cache with key, another job may be creating this cache');
        return 1;
      },
    };
    const logs: string[] = [];
    const log = { info: (m: string) => logs.push('info ' + m), warn: (m: string) => logs.push('warn ' + m) };
    return { backend, calls, logs, log };
  }

  test('keys: the fingerprint exactly, restore keys by target', () => {
    const k = cacheKeys(target, env);
    assert.equal(k.primary, `pexpress-v2-Linux-X64-cp3.11-linux_x86_64-${'f'.repeat(64)}`);
    assert.deepEqual(k.restoreKeys, ['pexpress-v2-Linux-X64-cp3.11-linux_x86_64-']);
  });

  test('unavailable service: no calls', async () => {
    const f = fake({ available: false });
    const c = new ResolverCache('/c', f.log, f.backend, env);
    assert.equal(await c.restore(target), undefined);
    assert.equal(await c.save(target), false);
    assert.deepEqual(f.calls, []);
    assert.match(f.logs[0], /not available/);
  });

  test('restores once; saves after a partial hit; skips the save after an exact hit', async () => {
    const k = cacheKeys(target, env);
    const partial = fake({ hit: k.restoreKeys[0] + 'old' });
    const c = new ResolverCache('/c', partial.log, partial.backend, env);
    await c.restore(target);
    await c.restore(target);
    assert.equal(await c.save(target), true);
    // The tool venv and the fast-build caches stay out of the fingerprint-keyed entry.
    const paths = '/c/wheels,/c/built-v2,/c/uv,/c/pip';
    assert.deepEqual(partial.calls, [`restore ${paths} ${k.primary} [${k.restoreKeys[0]}]`, `save ${paths} ${k.primary}`]);
    const exact = fake({ hit: k.primary });
    const e = new ResolverCache('/c', exact.log, exact.backend, env);
    await e.restore(target);
    assert.equal(await e.save(target), false);
    assert.equal(exact.calls.length, 1);
  });

  test('failures are warnings, never errors', async () => {
    const f = fake({ failRestore: true, failSave: true });
    const c = new ResolverCache('/c', f.log, f.backend, env);
    assert.equal(await c.restore(target), undefined);
    assert.equal(await c.save(target), false);
    assert.equal(f.logs.filter((l) => l.startsWith('warn')).length, 2);
    // @actions/cache's own way of failing a save: a warning of its own and -1.
    const quiet = new ResolverCache('/c', f.log, { ...fake().backend, saveCache: async () => -1 }, env);
    assert.equal(await quiet.save(target), false);
    // A cache module that cannot even load.
    const broken = fake();
    const b = new ResolverCache(
      '/c',
      broken.log,
      async () => {
        throw new Error('cannot load');
      },
      env,
    );
    assert.equal(await b.restore(target), undefined);
    assert.match(broken.logs.join('\n'), /warn resolver cache: unavailable \(cannot load\)/);
  });
});
