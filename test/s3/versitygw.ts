import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, waitForServer } from '../helpers.ts';
import { s3ServerAt, type S3Server } from './moto.ts';

/** Where scripts/test-tools.sh builds it (go install of a pinned versitygw); null when absent. */
export function versitygwBinary(): string | null {
  const bin = process.env.PEXPRESS_TEST_VERSITYGW ?? join(ROOT, '.venv', 'bin', 'versitygw');
  return existsSync(bin) ? bin : null;
}

/**
 * versitygw, a second S3 implementation (Go, posix backend on a temp dir): unlike moto it verifies
 * ChecksumSHA256 and returns full-object checksums, and it checks request signatures.
 */
export async function startVersitygw(): Promise<S3Server> {
  const bin = versitygwBinary();
  if (!bin) throw new Error('versitygw is not built: run scripts/test-tools.sh (needs Go)');
  const data = await mkdtemp(join(tmpdir(), 'pexpress-vgw-'));
  const port = await freePort();
  const child = spawn(bin, ['--access', 'testing', '--secret', 'testing', '--port', `127.0.0.1:${port}`, 'posix', data], {
    stdio: 'ignore',
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForServer(endpoint, child, 'versitygw');
  return s3ServerAt(endpoint, child, () => rm(data, { recursive: true, force: true }));
}
