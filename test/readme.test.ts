// The README's own commands, run as a new user would: `npm run example`, and the "Using the CLI"
// block line by line (placeholders such as <sha256> filled in with what the earlier lines built).
import assert from 'node:assert/strict';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cleanup, CLI, copyExample, ROOT, run, tempDir, TEST_CACHE } from './helpers.ts';
import { startMoto, type S3Server } from './s3/moto.ts';

async function readme(): Promise<string> {
  return readFile(join(ROOT, 'README.md'), 'utf8');
}

/** The first sh block after a heading. */
async function blockAfter(heading: string): Promise<string[]> {
  const text = await readme();
  const at = text.indexOf(heading);
  assert.ok(at >= 0, `README has ${heading}`);
  const m = /```sh\n([\s\S]*?)```/.exec(text.slice(at));
  assert.ok(m, `an sh block after ${heading}`);
  return m[1].split('\n').filter((l) => l.trim());
}

test("the README's first command: npm run example builds full, then fast, and runs", { timeout: 300_000 }, async () => {
  const cmd = (await blockAfter('## Two commands on a fresh machine')).find((l) => l.startsWith('npm run example'));
  assert.ok(cmd, 'the README names npm run example');
  const r = await run('bash', ['-c', cmd], { cwd: ROOT, env: { PEXPRESS_CACHE_DIR: TEST_CACHE } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^fast build:/m);
  assert.match(r.stdout, /Hello from source\.pex, pexpress!/);
});

test(
  "the README's first block: ./source.pex and PEX_PATH=deps.pex python3 source.pex, run literally in an out-dir",
  { timeout: 300_000 },
  async () => {
    const text = await readme();
    const m = /```sh\n([\s\S]*?)```/.exec(text);
    assert.ok(m, 'the README opens with an sh block');
    const lines = m[1].split('\n').filter((l) => l.trim());
    assert.equal(lines.length, 2, lines.join('\n'));
    const project = await copyExample('hello');
    const out = join(project, '..', 'out');
    try {
      const built = await run(
        process.execPath,
        [CLI, 'build', '--project-dir', project, '--out-dir', out, '--entry-point', 'hello.app:main'],
        {
          env: { PEXPRESS_CACHE_DIR: TEST_CACHE },
        },
      );
      assert.equal(built.code, 0, built.stderr);
      const env = { PEX_ROOT: join(out, 'pex-root') };
      // Twice each: the first ./source.pex extracts, the second starts through boot/.
      for (const line of [...lines, ...lines]) {
        const r = await run('sh', ['-c', line], { cwd: out, env });
        assert.equal(r.code, 0, `${line}\n${r.stderr}`);
        assert.match(r.stdout, /^Hello from source\.pex, world!$/m, line);
      }
    } finally {
      await cleanup(join(project, '..'));
    }
  },
);

let s3: S3Server;
let project: string;

before(async () => {
  s3 = await startMoto();
  await s3.createBucket('my-bucket');
  project = join(await tempDir('pexpress-readme-'), 'myapp-project');
  await mkdir(join(project, 'myapp'), { recursive: true });
  await writeFile(join(project, 'requirements.txt'), 'six==1.17.0\n');
  await writeFile(join(project, '.gitignore'), 'node_modules/\n');
  await writeFile(join(project, 'myapp', '__init__.py'), '');
  await writeFile(
    join(project, 'myapp', 'main.py'),
    'import sys, six\n\ndef run():\n    print("myapp running with", " ".join(sys.argv[1:]), "six", six.__version__)\n',
  );
  // What `npm install pexpress` (or the release tarball) leaves: npx finds the local bin first.
  await mkdir(join(project, 'node_modules', '.bin'), { recursive: true });
  await symlink(CLI, join(project, 'node_modules', '.bin', 'pexpress'));
});
after(async () => {
  await s3?.stop();
  await cleanup(join(project, '..'));
});

test("the README's 'Using the CLI' block, line by line", { timeout: 300_000 }, async () => {
  const lines = await blockAfter('## Using the CLI');
  assert.equal(lines.length, 6, lines.join('\n'));
  // The S3 line reaches moto through the SDK's standard endpoint variable; nothing else changes.
  const env = { ...s3.env, AWS_ENDPOINT_URL_S3: s3.endpoint, PEXPRESS_CACHE_DIR: TEST_CACHE, PEX_ROOT: join(project, '..', 'pex-root') };
  const sh = (line: string) => run('bash', ['-c', line.replace(/\s+#.*$/, '')], { cwd: project, env });
  const results: string[] = [];
  let shaLocal = '';
  for (const raw of lines) {
    let line = raw;
    line = line.replace('3f2a9c', shaLocal.slice(0, 6)).replace('<sha256>', shaLocal).replace('<source-sha256>', shaLocal);
    const r = await sh(line);
    assert.equal(r.code, 0, `${line}\n${r.stderr}`);
    results.push(r.stdout);
    if (line.includes('build --project-dir .')) {
      // The first line prints a summary; the JSON of the local store comes from its output line.
      const m = /source\.pex\s+([0-9a-f]{12})/.exec(r.stderr);
      assert.ok(m, r.stderr);
      const found = await run(process.execPath, [CLI, 'lookup', m[1], '--json'], { cwd: project, env });
      shaLocal = (JSON.parse(found.stdout) as { sha256: string }).sha256;
    }
  }
  const s3Build = JSON.parse(results[1]) as { source: { url: string } };
  assert.match(s3Build.source.url, /^s3:\/\/my-bucket\/pexpress\/sha256\//);
  assert.ok((JSON.parse(results[2]) as { components: unknown[] }).components.length > 0);
  assert.match(results[3], new RegExp(`sha256\\s+${shaLocal}`));
  assert.match(results[5], /myapp running with --port 8080 six 1\.17\.0/);
});
