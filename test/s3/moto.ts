import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ROOT } from '../helpers.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface S3Server {
  endpoint: string;
  /** What a child process needs to talk to it: fake credentials, a region, no real AWS config. */
  env: Record<string, string>;
  client(endpoint?: string): S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** moto's S3 server (PyPI moto[server], installed into .venv by `npm test`) on a free loopback port. */
export async function startMoto(): Promise<S3Server> {
  const port = await freePort();
  const bin = process.env.PEXPRESS_TEST_MOTO ?? join(ROOT, '.venv', 'bin', 'moto_server');
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(endpoint).then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (i > 150 || child.exitCode !== null) throw new Error(`moto_server did not start on ${endpoint}`);
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
  Object.assign(process.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
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
    },
  };
}
