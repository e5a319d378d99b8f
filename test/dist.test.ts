import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cleanup, ROOT, run, tempDir } from './helpers.ts';

describe('scripts/check-dist.sh', { timeout: 120_000 }, () => {
  test('passes on a fresh bundle, fails when src changes without a rebuilt, committed bundle', async () => {
    const copy = await tempDir('pexpress-dist-');
    try {
      for (const p of ['src', 'scripts', 'package.json', 'tsconfig.json']) await cp(join(ROOT, p), join(copy, p), { recursive: true });
      // A hard-linked node_modules: esbuild names modules by their real path, so no symlink.
      const ln = await run('cp', ['-al', join(ROOT, 'node_modules'), join(copy, 'node_modules')]);
      if (ln.code !== 0) await cp(join(ROOT, 'node_modules'), join(copy, 'node_modules'), { recursive: true });
      const sh = (cmd: string, args: string[]) =>
        run(cmd, args, {
          cwd: copy,
          env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
        });
      const check = () => sh('bash', ['scripts/check-dist.sh']);

      // Outside git: compares with dist/ on disk.
      assert.equal((await sh(process.execPath, ['scripts/bundle.mjs'])).code, 0);
      let r = await check();
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /matches the sources/);
      // A change that reaches the bundle (an unused export would be tree-shaken away).
      const report = join(copy, 'src', 'action', 'report.ts');
      const text = await readFile(report, 'utf8');
      assert.ok(text.includes('updated on every push'));
      await writeFile(report, text.replace('updated on every push', 'updated on each push'));
      r = await check();
      assert.equal(r.code, 1);
      assert.match(r.stderr, /dist\/ differs from a fresh bundle of the sources — run 'npm run build'/);

      // In a checkout: compares with the committed bundle.
      await writeFile(join(copy, '.gitignore'), 'node_modules/\n');
      await sh('git', ['init', '-q']);
      await sh('git', ['add', '-A']);
      await sh('git', ['commit', '-qm', 'stale bundle']);
      r = await check();
      assert.equal(r.code, 1, 'the committed bundle predates the src change');
      assert.equal((await sh(process.execPath, ['scripts/bundle.mjs'])).code, 0);
      r = await check();
      assert.equal(r.code, 1, 'rebuilt but not committed');
      await sh('git', ['add', '-A']);
      await sh('git', ['commit', '-qm', 'rebuilt bundle']);
      r = await check();
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /the committed dist\/ matches/);
    } finally {
      await cleanup(copy);
    }
  });
});
