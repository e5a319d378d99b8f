import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildJson, cleanup, PYTHON, run, tempDir, type BuildJson } from './helpers.ts';

/**
 * The Dagster code server, the deploy this project exists for, driven by dagster's own CLI from
 * the deps archive (PEX_SCRIPT=dagster). dagster drops sys.path[0] ("the script's directory")
 * before importing the code location, so this fails unless the user's code survives that drop.
 * Slow (dagster's ~25 MB of wheels, resolved once into the shared test cache), so in its own file.
 */
const DAGSTER = 'dagster==1.13.29';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('dagster code location from pexpress archives', () => {
  let project: string;
  let work: string;
  let built: BuildJson;
  let env: Record<string, string>;
  let source: string;

  before(async () => {
    project = await tempDir('pexpress-dagster-');
    await mkdir(join(project, 'src', 'my_code_location'), { recursive: true });
    await writeFile(join(project, 'requirements.txt'), `${DAGSTER}\n`);
    await writeFile(
      join(project, 'src', 'my_code_location', '__init__.py'),
      'from dagster import Definitions, asset\n\n\n@asset\ndef hello_asset():\n    return "hello"\n\n\ndefs = Definitions(assets=[hello_asset])\n',
    );
    built = await buildJson(project);
    work = await tempDir('pexpress-dagster-run-');
    source = join(work, 'source.pex');
    await copyFile(built.source.path!, source);
    await copyFile(built.deps.path!, join(work, 'deps.pex'));
    await mkdir(join(work, 'home'));
    env = { PEX_ROOT: join(work, 'pex-root'), DAGSTER_HOME: join(work, 'home'), PEX_SCRIPT: 'dagster' };
  });
  after(() => cleanup(project, work));

  test('dagster definitions validate -m my_code_location', async () => {
    const r = await run(PYTHON, [source, 'definitions', 'validate', '-m', 'my_code_location'], { env, cwd: work });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /Validation successful for code location my_code_location/);
  });

  test('./source.pex -m dagster definitions validate, through boot/ (python -sS) on the second start', async () => {
    const { PEX_SCRIPT: _, ...plain } = env;
    const code = 'import sys; print("no_site", sys.flags.no_site)';
    await run(source, ['-c', code], { env: plain, cwd: work }); // leaves boot/<hash> if the test above did not
    const flag = await run(source, ['-c', code], { env: plain, cwd: work });
    assert.match(flag.stdout, /no_site 1/, flag.stderr);
    const r = await run(source, ['-m', 'dagster', 'definitions', 'validate', '-m', 'my_code_location'], { env: plain, cwd: work });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /Validation successful for code location my_code_location/);
  });

  test('dagster api grpc -m my_code_location starts and answers a health check', async () => {
    const port = await freePort();
    const server = spawn(PYTHON, [source, 'api', 'grpc', '-m', 'my_code_location', '--host', '127.0.0.1', '--port', String(port)], {
      env: { ...process.env, ...env },
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    server.stdout.on('data', (b) => (log += b));
    server.stderr.on('data', (b) => (log += b));
    try {
      const started = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 120_000);
        const check = () => {
          if (/Started Dagster code server/.test(log)) {
            clearTimeout(timer);
            resolve(true);
          }
        };
        server.stdout.on('data', check);
        server.stderr.on('data', check);
        server.on('exit', () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      assert.ok(started, log);
      const health = await run(PYTHON, [source, 'api', 'grpc-health-check', '--host', '127.0.0.1', '--port', String(port)], {
        env,
        cwd: work,
      });
      assert.equal(health.code, 0, health.stdout + health.stderr);
      assert.match(health.stdout, /gRPC connection successful/);
    } finally {
      server.kill('SIGTERM');
      if (server.exitCode === null) await new Promise((r) => server.on('exit', r));
    }
  });
});
