// The S3 store (and S3-compatible servers): create-only, checksummed uploads with retries
// (ARCHITECTURE.md § 5, write rules).
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BuildError, UsageError } from '../platform/errors.ts';
import type { ObjectInfo, PutResult, Store, StoreOptions, VerifyResult } from './store.ts';

/** Above this size archives go up in parts (retried one part at a time, in parallel). */
const DEFAULT_MULTIPART_THRESHOLD = 16 * 1024 * 1024;

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(url);
  const bucket = m?.[1] ?? '';
  if (!bucket) throw new UsageError(`store URL ${url} has no bucket — use s3://BUCKET/optional/prefix`);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    throw new UsageError(`'${bucket}' is not a valid S3 bucket name — 3 to 63 lowercase letters, digits, dots and hyphens`);
  const prefix = (m?.[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { bucket, prefix };
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function nameOf(err: unknown): string {
  return (err as { name?: string; Code?: string; code?: string })?.name ?? (err as { code?: string })?.code ?? 'Error';
}

const notFound = (err: unknown) => statusOf(err) === 404 || ['NotFound', 'NoSuchKey'].includes(nameOf(err));

/**
 * S3 and S3-compatible servers. Credentials and region come from the standard AWS chain only
 * (environment, shared profile, web identity as set by aws-actions/configure-aws-credentials).
 */
export class S3Store implements Store {
  readonly url: string;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly endpoint: string | undefined;
  private readonly threshold: number;
  private readonly warn: (msg: string) => void;
  private warned = new Set<string>();
  private conditionalWrites = true;

  constructor(url: string, opts: StoreOptions = {}) {
    const { bucket, prefix } = parseS3Url(url);
    this.bucket = bucket;
    this.prefix = prefix;
    this.url = `s3://${bucket}${prefix ? '/' + prefix : ''}`;
    this.endpoint = opts.s3Endpoint || process.env.PEXPRESS_S3_ENDPOINT || process.env.AWS_ENDPOINT_URL_S3 || undefined;
    this.threshold = Number(process.env.PEXPRESS_S3_MULTIPART_THRESHOLD) || DEFAULT_MULTIPART_THRESHOLD;
    this.warn = opts.warn ?? ((msg) => process.stderr.write(`warning: ${msg}\n`));
    // Node 20 is supported by this SDK release; its deprecation notice would break one-line errors.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.client = new S3Client({
      region: opts.s3Region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1',
      endpoint: this.endpoint,
      forcePathStyle: !!this.endpoint,
      // The SDK's standard mode retries throttling, 5xx, timeouts and connection resets with
      // exponential backoff and jitter; every body we send is a Buffer, so retries can replay it.
      maxAttempts: Number(process.env.PEXPRESS_S3_MAX_ATTEMPTS) || 8,
      retryMode: 'standard',
    });
  }

  private key(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private warnOnce(id: string, msg: string): void {
    if (this.warned.has(id)) return;
    this.warned.add(id);
    this.warn(msg);
  }

  urlFor(key: string): string {
    return `s3://${this.bucket}/${this.key(key)}`;
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      const where = this.endpoint ? ` at ${this.endpoint}` : '';
      if (nameOf(err) === 'CredentialsProviderError' || /credential/i.test(String((err as Error).message))) {
        throw new UsageError(
          `no AWS credentials for ${this.url} — set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile, or use aws-actions/configure-aws-credentials`,
        );
      }
      if (notFound(err)) throw new UsageError(`bucket ${this.bucket} does not exist${where} — create it or fix --store`);
      if (statusOf(err) === 403)
        throw new UsageError(
          `access to bucket ${this.bucket}${where} is denied — the credentials need s3:ListBucket, s3:GetObject and s3:PutObject on it`,
        );
      if (statusOf(err) === 301)
        throw new UsageError(`bucket ${this.bucket} is in another region — set --s3-region (or AWS_REGION) to the bucket's region`);
      const code = (err as { code?: string }).code ?? nameOf(err);
      throw new UsageError(
        `cannot reach S3${where} for ${this.url} (${code}: ${String((err as Error).message).split('\n')[0]}) — check --s3-endpoint and the network`,
      );
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
      return { key, size: r.ContentLength ?? 0, metadata: r.Metadata ?? {} };
    } catch (err) {
      if (notFound(err)) return null;
      throw this.failure('read', key, err);
    }
  }

  private failure(what: 'read' | 'write', key: string, err: unknown): BuildError {
    const status = statusOf(err);
    const hint =
      status === 403
        ? `access denied — the credentials need s3:${what === 'write' ? 'PutObject' : 'GetObject'} on ${this.url}`
        : `${nameOf(err)}${status ? ` (HTTP ${status})` : ''}: ${String((err as Error).message).split('\n')[0]}`;
    return new BuildError(`S3 ${what} of ${this.urlFor(key)} failed after retries: ${hint}`);
  }

  async putFile(
    key: string,
    file: string,
    opts: { sha256: string; metadata?: Record<string, string>; overwrite?: boolean },
  ): Promise<PutResult> {
    if (!opts.overwrite && (await this.head(key))) return { uploaded: false };
    const size = (await stat(file)).size;
    const Metadata = { ...opts.metadata, 'pexpress-sha256': opts.sha256 };
    const base = { Bucket: this.bucket, Key: this.key(key), Metadata, ContentType: 'application/octet-stream' };
    const attempt = async (conditional: boolean): Promise<PutResult> => {
      const IfNoneMatch = conditional && !opts.overwrite ? '*' : undefined;
      if (size < this.threshold) {
        // The server recomputes the sha256 of what it received and rejects a mismatch.
        const r = await this.client.send(
          new PutObjectCommand({
            ...base,
            Body: await readFile(file),
            ContentLength: size,
            ChecksumSHA256: Buffer.from(opts.sha256, 'hex').toString('base64'),
            IfNoneMatch,
          }),
        );
        if (!r.ChecksumSHA256)
          this.warnOnce(
            'checksum',
            `the S3 server did not confirm the SHA-256 checksum of ${this.urlFor(key)}; pexpress verifies bytes on fetch, but the server may not`,
          );
      } else {
        // Each part carries its own SHA-256 checksum; the object's is recorded in its metadata.
        await new Upload({
          client: this.client,
          params: { ...base, Body: createReadStream(file), ContentLength: size, ChecksumAlgorithm: 'SHA256', IfNoneMatch },
          partSize: Math.max(Number(process.env.PEXPRESS_S3_PART_SIZE) || 8 * 1024 * 1024, 5 * 1024 * 1024, Math.ceil(size / 9000)),
          queueSize: 4,
          leavePartsOnError: false,
        }).done();
      }
      return { uploaded: true };
    };
    try {
      return await attempt(this.conditionalWrites);
    } catch (err) {
      if (statusOf(err) === 412 || nameOf(err) === 'PreconditionFailed') return { uploaded: false }; // another runner won
      if (this.conditionalWrites && (statusOf(err) === 501 || ['NotImplemented', 'InvalidArgument'].includes(nameOf(err)))) {
        this.conditionalWrites = false;
        this.warnOnce(
          'conditional',
          `the S3 server rejects conditional writes (If-None-Match); writing ${this.url} without them, so concurrent builds may overwrite each other's identical archives`,
        );
        try {
          return await attempt(false);
        } catch (err2) {
          throw this.failure('write', key, err2);
        }
      }
      throw this.failure('write', key, err);
    }
  }

  async getJson<T>(key: string): Promise<T | null> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
      const text = await r.Body!.transformToString('utf8');
      try {
        return JSON.parse(text) as T;
      } catch {
        return null; // a damaged index document is the same as none: the next build rewrites it
      }
    } catch (err) {
      if (notFound(err)) return null;
      throw this.failure('read', key, err);
    }
  }

  async putJson(key: string, value: unknown): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key(key),
          Body: JSON.stringify(value, null, 2) + '\n',
          ContentType: 'application/json',
        }),
      );
    } catch (err) {
      throw this.failure('write', key, err);
    }
  }

  async openRead(key: string): Promise<Readable> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
      return r.Body as Readable;
    } catch (err) {
      if (notFound(err)) throw new BuildError(`no object ${this.urlFor(key)}`);
      throw this.failure('read', key, err);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    const strip = this.prefix ? this.prefix.length + 1 : 0;
    do {
      let r;
      try {
        r = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.key(prefix), ContinuationToken: token }));
      } catch (err) {
        throw this.failure('read', prefix, err);
      }
      for (const o of r.Contents ?? []) if (o.Key) keys.push(o.Key.slice(strip));
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /**
   * Cheap enough for every build (one HEAD). An object replaced by anything but pexpress carries
   * neither a matching checksum nor our recorded sha256, and counts as corrupt. Fetch and run hash
   * the bytes anyway.
   */
  async verify(key: string, sha256: string): Promise<VerifyResult> {
    let r;
    try {
      r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(key), ChecksumMode: 'ENABLED' }));
    } catch (err) {
      if (notFound(err)) return 'missing';
      throw this.failure('read', key, err);
    }
    const expected = Buffer.from(sha256, 'hex').toString('base64');
    if (r.ChecksumSHA256 === expected) return 'ok';
    // A server-kept full-object checksum that differs is proof; anything else (multipart's composite
    // checksums, servers that keep none) falls back to the sha256 recorded at upload.
    if (r.ChecksumSHA256 && r.ChecksumType === 'FULL_OBJECT') return 'corrupt';
    return r.Metadata?.['pexpress-sha256'] === sha256 ? 'ok' : 'corrupt';
  }
}
