import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { ALLOWED, collectLicenses, licenseAllowed } from '../scripts/licenses.mjs';
import { ROOT, run, tempDir } from './helpers.ts';

test('the bundle step writes dist/licenses.txt covering every bundled package, each with an allowed license', async () => {
  const out = await tempDir('pexpress-bundle-');
  try {
    const r = await run(process.execPath, ['scripts/bundle.mjs', '--outdir', out], { cwd: ROOT });
    assert.equal(r.code, 0, r.stderr);
    const text = await readFile(join(out, 'licenses.txt'), 'utf8');
    const entries = [...text.matchAll(/^-{78}\n(\S+) (\S+)\nLicense: (.+)\n\n(.+)/gm)].map((m) => ({
      name: m[1],
      license: m[3],
      first: m[4],
    }));
    const names = entries.map((e) => e.name);
    // What the Action and the CLI really bundle: the S3 SDK, the cache client, our own small deps.
    for (const n of ['@aws-sdk/client-s3', '@actions/core', '@actions/cache', 'fflate', 'smol-toml', 'yauzl', 'ignore', 'undici'])
      assert.ok(names.includes(n), `${n} missing from licenses.txt`);
    assert.match(text, new RegExp(`\\(${entries.length} npm packages\\)`));
    for (const e of entries) {
      assert.ok(licenseAllowed(e.license), `${e.name}: ${e.license}`);
      assert.ok(e.first.trim().length > 0, `${e.name} has no license text`);
    }
    // Every package esbuild reports as an input appears: the list is derived, not hand-kept.
    const dev = ['esbuild', 'typescript', 'prettier', 'eslint'];
    for (const d of dev) assert.ok(!names.includes(d), `${d} is a build tool, not bundled`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test('a bundled package without a license, or with one outside the allow-list, is refused', async () => {
  const dir = await tempDir('pexpress-licenses-');
  try {
    const pkg = async (name: string, manifest: object, license?: string) => {
      await mkdir(join(dir, 'node_modules', name), { recursive: true });
      await writeFile(
        join(dir, 'node_modules', name, 'package.json'),
        JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...manifest }),
      );
      await writeFile(join(dir, 'node_modules', name, 'index.js'), `module.exports = ${JSON.stringify(name)};`);
      if (license) await writeFile(join(dir, 'node_modules', name, 'LICENSE'), license);
    };
    await pkg('fine', { license: '(MIT OR GPL-3.0)' }, 'MIT text');
    await pkg('copyleft', { license: 'GPL-3.0-only' }, 'GPL text');
    await pkg('unlicensed', {});
    await writeFile(join(dir, 'entry.js'), "console.log(require('fine'), require('copyleft'), require('unlicensed'));");
    const r = await build({
      entryPoints: [join(dir, 'entry.js')],
      bundle: true,
      write: false,
      platform: 'node',
      metafile: true,
      absWorkingDir: dir,
      logLevel: 'silent',
    });
    const got = collectLicenses(r.metafile, dir);
    assert.deepEqual(got.packages.map((p) => p.name).sort(), ['copyleft', 'fine', 'unlicensed']);
    assert.equal(got.problems.length, 2, got.problems.join('\n'));
    assert.match(
      got.problems.find((p) => p.startsWith('copyleft'))!,
      /licensed GPL-3\.0-only, not in the allow-list .* — replace it or extend ALLOWED/,
    );
    assert.match(
      got.problems.find((p) => p.startsWith('unlicensed'))!,
      /declares no license — /,
    );
    assert.match(got.text, /^fine 1\.0\.0\nLicense: \(MIT OR GPL-3\.0\)\n\nMIT text$/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assert.ok(
    licenseAllowed('Apache-2.0 AND BSD-3-Clause') && !licenseAllowed('MIT AND GPL-2.0') && !licenseAllowed('') && ALLOWED.includes('MIT'),
  );
});
