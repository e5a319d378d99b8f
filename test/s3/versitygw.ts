import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ROOT } from '../helpers.ts';
import { freePort, type S3Server } from './moto.ts';

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
  for (let i = 0; ; i++) {
    if (
      await fetch(endpoint).then(
        () => true,
        () => false,
      )
    )
      break;
    if (i > 150 || child.exitCode !== null) throw new Error(`versitygw did not start on ${endpoint}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const env = {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const client = (ep = endpoint) =>
    new S3Client({
      region: 'us-east-1',
      endpoint: ep,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
  return {
    endpoint,
    env,
    client,
    async createBucket(name) {
      await client().send(new CreateBucketCommand({ Bucket: name }));
    },
    async stop() {
      child.kill();
      await rm(data, { recursive: true, force: true });
    },
  };
}
