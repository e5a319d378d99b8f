import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort, ROOT, waitForServer } from '../helpers.ts';

export interface S3Server {
  endpoint: string;
  /** What a child process needs to talk to it: fake credentials, a region, no real AWS config. */
  env: Record<string, string>;
  client(endpoint?: string): S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** The S3Server of a server process listening on ENDPOINT with the credentials testing/testing. */
export function s3ServerAt(endpoint: string, child: ChildProcess, cleanup: () => Promise<void> = async () => undefined): S3Server {
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
      await cleanup();
    },
  };
}

/** moto's S3 server (PyPI moto[server], installed into .venv by `npm test`) on a free loopback port. */
export async function startMoto(): Promise<S3Server> {
  const port = await freePort();
  const bin = process.env.PEXPRESS_TEST_MOTO ?? join(ROOT, '.venv', 'bin', 'moto_server');
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForServer(endpoint, child, 'moto_server');
  return s3ServerAt(endpoint, child);
}
