import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { copyExample, ROOT, run, tempDir, TEST_CACHE } from './helpers.ts';

/** The sh blocks of the README's "Installing" section, in order. */
async function installingBlocks(): Promise<string[]> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = /^## Installing\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

// The README's "Installing" commands, run as written: `npm pack`, a global install on a "laptop",
// a separate prefix on a "deploy host", each from the tarball alone (nothing else of this repo).
test('npm pack gives a self-contained package; the README install commands give a working pexpress', async () => {
  const work = await tempDir('pexpress-pack-');
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const tarball = join(ROOT, `pexpress-${manifest.version as string}.tgz`);
  try {
    assert.equal(manifest.dependencies, undefined, 'dist/ is self-contained: runtime dependencies would only slow installs');
    assert.match(String((manifest.engines as { node: string }).node), /^>=20/);
    const listed = await run('npm', ['pack', '--dry-run', '--json'], { cwd: ROOT });
    assert.equal(listed.code, 0, listed.stderr);
    const files = (JSON.parse(listed.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path).sort();
    // Only what the CLI needs: no sources, tests, the Action's entry point or its cache client.
    for (const f of ['LICENSE', 'README.md', 'dist/cli.js', 'dist/licenses.txt', 'package.json'])
      assert.ok(files.includes(f), `${f} not packed`);
    for (const f of files)
      assert.match(
        f,
        /^(LICENSE|README\.md|package\.json|dist\/(cli\.js|licenses\.txt|chunks\/(?!cache-)[\w-]+\.js))$/,
        `${f} should not be packed`,
      );

    const [laptop, host] = await installingBlocks();
    assert.ok(laptop && host, 'README has an Installing section with two sh blocks');
    const global = join(work, 'global');
    // Under `npm test` the parent npm exports npm_config_prefix (lowercase), which would win over
    // NPM_CONFIG_PREFIX: set both, so the "laptop" install lands in the test's own prefix.
    const env = {
      NPM_CONFIG_PREFIX: global,
      npm_config_prefix: global,
      PATH: `${join(global, 'bin')}:${process.env.PATH}`,
      PEXPRESS_CACHE_DIR: TEST_CACHE,
    };
    const installed = await run('bash', ['-euo', 'pipefail', '-c', laptop], { cwd: ROOT, env });
    assert.equal(installed.code, 0, installed.stderr);
    assert.match(installed.stdout.trim(), new RegExp(`${manifest.version as string}$`));
    const packages = (await readdir(join(global, 'lib', 'node_modules'))).filter((n) => !n.startsWith('.'));
    assert.deepEqual(packages, ['pexpress'], 'the package installs nothing else');

    // Build with the laptop's pexpress into a store the "deploy host" then reads.
    const project = await copyExample('hello', join(work, 'hello'));
    const store = `file://${join(work, 'store')}`;
    const built = await run('pexpress', ['build', '--entry-point', 'hello.app:main', '--store', store, '--json'], { cwd: project, env });
    assert.equal(built.code, 0, built.stderr);
    const sha = (JSON.parse(built.stdout) as { source: { sha256: string } }).source.sha256;

    const script = host
      .replaceAll('/opt/pexpress', join(work, 'opt'))
      .replace('<source-sha256>', sha)
      .replace('s3://my-bucket/pexpress', store);
    const ran = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: ROOT, env: { PEXPRESS_CACHE_DIR: join(work, 'host-cache') } });
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /, prod!/);
  } finally {
    await rm(tarball, { force: true });
    await rm(work, { recursive: true, force: true });
  }
});
