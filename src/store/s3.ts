// The S3 store (and S3-compatible servers): create-only, checksummed uploads with retries
// (ARCHITECTURE.md § 5, write rules).
import { createHash } from 'node:crypto';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type CompletedPart,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { BuildError, optionRef, UsageError } from '../platform/errors.ts';
import { readEnv } from '../platform/env.ts';
import { proxyAgent } from '../platform/net-agent.ts';
import { startTransfer } from '../platform/progress.ts';
import {
  isBucketName,
  type ListedObject,
  type ObjectInfo,
  type PutResult,
  type Store,
  type StoreOptions,
  type VerifyResult,
  type VersionedJson,
} from './store.ts';

const MiB = 1024 * 1024;
// The multipart threshold, part size and attempts are environment variables (platform/env.ts).
/** S3's floor for every part but the last. */
const MIN_PART_SIZE = 5 * MiB;
/** S3 allows 10,000 parts; parts grow so an archive of any size stays below that, with room. */
const MAX_PARTS = 9000;
/** Parts in flight at once; each holds one part-sized buffer, reused for its next part. */
const PART_CONCURRENCY = 4;

/** The part size for an archive of SIZE bytes: the configured one, raised to S3's floor and to stay under MAX_PARTS. */
export function partSizeFor(size: number, configured: number): number {
  return Math.max(configured, MIN_PART_SIZE, Math.ceil(size / MAX_PARTS));
}

/** Fills BUF from FILE at POSITION (a positional read may return less than asked). */
async function readFully(file: FileHandle, buf: Buffer, position: number): Promise<void> {
  for (let got = 0; got < buf.length;) {
    const { bytesRead } = await file.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) throw new Error(`file ended ${buf.length - got} bytes early (did it change during the upload?)`);
    got += bytesRead;
  }
}
/** DeleteObjects takes at most 1,000 keys a call. */
const DELETE_BATCH = 1000;

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(url);
  const bucket = m?.[1] ?? '';
  if (!bucket) throw new UsageError(`store URL ${url} has no bucket — use s3://BUCKET/optional/prefix`);
  if (!isBucketName(bucket))
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
    this.endpoint = opts.s3Endpoint || readEnv('PEXPRESS_S3_ENDPOINT') || readEnv('AWS_ENDPOINT_URL_S3') || undefined;
    // Above this size archives go up in parts (retried one part at a time, in parallel).
    this.threshold = readEnv('PEXPRESS_S3_MULTIPART_THRESHOLD');
    this.warn = opts.warn ?? ((msg) => process.stderr.write(`warning: ${msg}\n`));
    const timeout = readEnv('PEXPRESS_S3_TIMEOUT_MS');
    // Node 20 is supported by this SDK release; its deprecation notice would break one-line errors.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    // HTTPS_PROXY/NO_PROXY and SSL_CERT_FILE, which the SDK's default handler ignores.
    const agent = proxyAgent();
    this.client = new S3Client({
      region: opts.s3Region || readEnv('AWS_REGION') || readEnv('AWS_DEFAULT_REGION') || 'us-east-1',
      endpoint: this.endpoint,
      forcePathStyle: !!this.endpoint,
      // The SDK's standard mode retries throttling, 5xx, timeouts and connection resets with
      // exponential backoff and jitter; every body we send is a Buffer, so retries can replay it.
      maxAttempts: readEnv('PEXPRESS_S3_MAX_ATTEMPTS'),
      retryMode: 'standard',
      // Without these a server that accepts and never answers holds the build forever. An idle
      // socket (no byte either way) for `timeout` ms, or a request not answered in 20 × that, is a
      // TimeoutError, which the retry strategy above treats as transient.
      requestHandler: {
        ...(agent ? { httpAgent: agent, httpsAgent: agent } : {}),
        connectionTimeout: timeout,
        socketTimeout: timeout,
        requestTimeout: 20 * timeout,
        throwOnRequestTimeout: true,
      },
    });
    this.unsignedParts();
  }

  /**
   * Parts are sent with `x-amz-content-sha256: UNSIGNED-PAYLOAD`. The SDK would otherwise hash
   * every part a second time to sign it (Buffer bodies are signed), and the server would hash it
   * again to check that signature: on loopback that doubled the CPU of an upload. Integrity does
   * not depend on it: each part carries its own ChecksumSHA256 header, which is signed, and the
   * server rejects a part whose bytes do not match it.
   */
  private unsignedParts(): void {
    this.client.middlewareStack.add(
      (next, context) => async (args) => {
        const req = args.request as { headers?: Record<string, string> };
        if (req.headers && (context as { commandName?: string }).commandName === 'UploadPartCommand')
          req.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
        return next(args);
      },
      { step: 'build', name: 'pexpressUnsignedParts', priority: 'low' },
    );
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
      if (notFound(err)) throw new UsageError(`bucket ${this.bucket} does not exist${where} — create it or fix ${optionRef('store')}`);
      if (statusOf(err) === 403)
        throw new UsageError(
          `access to bucket ${this.bucket}${where} is denied — the credentials need s3:ListBucket, s3:GetObject and s3:PutObject on it`,
        );
      if (statusOf(err) === 301)
        throw new UsageError(
          `bucket ${this.bucket} is in another region — set ${optionRef('s3Region')} (or AWS_REGION) to the bucket's region`,
        );
      const status = statusOf(err);
      // A server that answers 5xx, or does not answer in time, failed while working: not the user's input.
      if ((status && status >= 500) || nameOf(err) === 'TimeoutError') {
        throw new BuildError(
          `S3 HEAD of bucket ${this.url}${where} failed after retries: ${status ? `HTTP ${status}` : 'no answer (timed out)'} — the server is failing or unreachable; retry later`,
        );
      }
      const code = (err as { code?: string }).code ?? nameOf(err);
      throw new UsageError(
        `cannot reach S3${where} for ${this.url} (${code}: ${String((err as Error).message).split('\n')[0]}) — check ${optionRef('s3Endpoint')} and the network`,
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

  private failure(what: 'read' | 'write' | 'delete', key: string, err: unknown): BuildError {
    const status = statusOf(err);
    const hint =
      status === 403
        ? `access denied — the credentials need s3:${{ read: 'GetObject', write: 'PutObject', delete: 'DeleteObject' }[what]} on ${this.url}`
        : nameOf(err) === 'TimeoutError'
          ? 'no answer (timed out)'
          : `${nameOf(err)}${status ? ` (HTTP ${status})` : ''}: ${String((err as Error).message).split('\n')[0]}`;
    return new BuildError(`S3 ${what} of ${this.urlFor(key)} failed after retries: ${hint}`);
  }

  async putFile(
    key: string,
    file: string,
    opts: { sha256: string; metadata?: Record<string, string>; overwrite?: boolean },
  ): Promise<PutResult> {
    if (!opts.overwrite) {
      // "Already there" is reported only for an object whose recorded checksum matches; a replaced
      // or damaged one is written again.
      const status = await this.verify(key, opts.sha256);
      if (status === 'ok') return { uploaded: false };
      if (status === 'corrupt') opts = { ...opts, overwrite: true };
    }
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
        const transfer = startTransfer(`uploading ${key.split('/').pop()}`, size);
        try {
          await this.multipart(base, file, size, IfNoneMatch, (n) => transfer.add(n));
        } finally {
          transfer.done();
        }
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

  /**
   * A multipart upload read straight from the file: PART_CONCURRENCY workers, each with one reused
   * part-sized buffer filled by a positional read, hashed once for its ChecksumSHA256, sent, then
   * reused. Memory is PART_CONCURRENCY × the part size whatever the archive's size, and nothing is
   * copied or left for the garbage collector (lib-storage's Upload re-chunked a stream: 64 KiB
   * reads, concatenation into parts, a second hash to sign each part; 1.5 s of GC per GiB).
   * The SDK retries each part with its buffer (replayable). On failure the upload is aborted, so
   * no parts are left behind (a bucket lifecycle rule covers a killed process).
   */
  private async multipart(
    base: { Bucket: string; Key: string; Metadata: Record<string, string>; ContentType: string },
    file: string,
    size: number,
    IfNoneMatch: string | undefined,
    progress: (bytes: number) => void,
  ): Promise<void> {
    const partSize = partSizeFor(size, readEnv('PEXPRESS_S3_PART_SIZE'));
    const count = Math.ceil(size / partSize);
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ ...base, ChecksumAlgorithm: 'SHA256' }));
    const { Bucket, Key } = base;
    const fh = await open(file, 'r');
    const parts: CompletedPart[] = new Array(count);
    let next = 0;
    let failed = false;
    const worker = async () => {
      const buf = Buffer.allocUnsafe(Math.min(partSize, size));
      while (!failed && next < count) {
        const i = next++;
        const body = buf.subarray(0, Math.min(partSize, size - i * partSize));
        await readFully(fh, body, i * partSize);
        const ChecksumSHA256 = createHash('sha256').update(body).digest('base64');
        const r = await this.client.send(
          new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body: body, ContentLength: body.length, ChecksumSHA256 }),
        );
        parts[i] = { PartNumber: i + 1, ETag: r.ETag, ChecksumSHA256 };
        progress(body.length);
      }
    };
    try {
      // allSettled, not all: a failed part must not abort the upload while other workers still send.
      const settled = await Promise.allSettled(
        Array.from({ length: Math.min(PART_CONCURRENCY, count) }, () =>
          worker().catch((err) => {
            failed = true;
            throw err;
          }),
        ),
      );
      const rejected = settled.find((r) => r.status === 'rejected');
      if (rejected) throw rejected.reason;
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts }, IfNoneMatch }));
    } catch (err) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
      throw err;
    } finally {
      await fh.close();
    }
  }

  /** A small object's text and ETag (the version a conditional write compares), or null when absent. */
  private async readText(key: string): Promise<{ text: string; etag: string } | null> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
      return { text: await r.Body!.transformToString('utf8'), etag: r.ETag ?? '' };
    } catch (err) {
      if (notFound(err)) return null;
      throw this.failure('read', key, err);
    }
  }

  async getText(key: string): Promise<string | null> {
    return (await this.readText(key))?.text ?? null;
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
    return (await this.scan(prefix)).map((o) => o.key);
  }

  async scan(prefix: string): Promise<ListedObject[]> {
    const out: ListedObject[] = [];
    let token: string | undefined;
    const strip = this.prefix ? this.prefix.length + 1 : 0;
    do {
      let r;
      try {
        r = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.key(prefix), ContinuationToken: token }));
      } catch (err) {
        throw this.failure('read', prefix, err);
      }
      for (const o of r.Contents ?? []) {
        if (o.Key) out.push({ key: o.Key.slice(strip), size: o.Size ?? 0, modified: o.LastModified ?? new Date(0) });
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async deleteMany(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      let r;
      try {
        r = await this.client.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((k) => ({ Key: this.key(k) })), Quiet: true } }),
        );
      } catch (err) {
        throw this.failure('delete', batch[0], err);
      }
      const failed = r.Errors ?? [];
      if (failed.length) {
        const e = failed[0];
        const hint = e.Code === 'AccessDenied' ? ' — gc needs s3:DeleteObject on the store' : '';
        throw new BuildError(
          `S3 delete of ${failed.length} object(s) failed, first s3://${this.bucket}/${e.Key}: ${e.Code} ${e.Message ?? ''}${hint}`,
        );
      }
    }
  }

  async getJsonVersioned<T>(key: string): Promise<VersionedJson<T> | null> {
    const got = await this.readText(key);
    if (!got) return null;
    try {
      return { value: JSON.parse(got.text) as T, version: got.etag };
    } catch {
      return null;
    }
  }

  async putJsonIf(key: string, value: unknown, version: string | null): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key(key),
          Body: JSON.stringify(value, null, 2) + '\n',
          ContentType: 'application/json',
          ...(version === null ? { IfNoneMatch: '*' } : { IfMatch: version }),
        }),
      );
      return true;
    } catch (err) {
      // 409: a concurrent conditional write to the same key was in progress; it won.
      if ([409, 412].includes(statusOf(err) ?? 0) || ['PreconditionFailed', 'ConditionalRequestConflict'].includes(nameOf(err)))
        return false;
      if (statusOf(err) === 501 || nameOf(err) === 'NotImplemented') {
        throw new BuildError(
          `the S3 server at ${this.endpoint ?? 'AWS'} does not support conditional writes (If-Match), which promotion needs to be safe against concurrent writers`,
        );
      }
      throw this.failure('write', key, err);
    }
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
