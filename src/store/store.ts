// The Store interface every backend implements and the key layout shared by all of them.
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  key: string;
  size: number;
  /** pexpress-kind, pexpress-fingerprint, pexpress-commit where the backend keeps metadata. */
  metadata: Record<string, string>;
}

export interface PutResult {
  /** false when the object was already there (content-addressed: same key, same bytes). */
  uploaded: boolean;
}

export interface StoreOptions {
  s3Endpoint?: string;
  s3Region?: string;
  /** Where a backend reports degraded behaviour (a server without conditional writes, say). */
  warn?: (msg: string) => void;
}

export type VerifyResult = 'ok' | 'missing' | 'corrupt';

/**
 * Where archives and their indexes live. Keys are relative to the store's prefix and follow
 * ARCHITECTURE.md § 5: sha256/<hex>.pex, deps/<fingerprint>.json, manifests/<hex>.json, refs/<ref>.json.
 */
export interface Store {
  /** The store as the user named it, for messages (never with credentials). */
  readonly url: string;
  /** The key prefix inside the backend ('' for a local directory); reports show prefix + key. */
  readonly prefix: string;
  /** Fails fast with a UsageError when the store cannot be used (before a long build). */
  check(): Promise<void>;
  /** A URL for one key, shown in reports (file:///… or s3://…). */
  urlFor(key: string): string;
  head(key: string): Promise<ObjectInfo | null>;
  /**
   * Create-only upload of a content-addressed file whose sha256 is known. `overwrite` replaces an
   * existing object (used to repair one that failed its checksum).
   */
  putFile(key: string, file: string, opts: { sha256: string; metadata?: Record<string, string>; overwrite?: boolean }): Promise<PutResult>;
  getJson<T>(key: string): Promise<T | null>;
  putJson(key: string, value: unknown): Promise<void>;
  openRead(key: string): Promise<Readable>;
  /** Keys under a prefix (relative to the store prefix), e.g. list('sha256/ab'). */
  list(prefix: string): Promise<string[]>;
  /** Does the object exist and hash to sha256? */
  verify(key: string, sha256: string): Promise<VerifyResult>;
  /** A path to read the object in place, for stores on the local disk. */
  localPath?(key: string): string;
}

export const archiveKey = (sha256: string) => `sha256/${sha256}.pex`;
export const depsIndexKey = (fingerprint: string) => `deps/${fingerprint}.json`;
export const manifestKey = (sha256: string) => `manifests/${sha256}.json`;
export const refKey = (ref: string) => `refs/${sanitizeRef(ref)}.json`;

/** Branch names become key paths: keep their slashes, drop anything that could escape or confuse. */
export function sanitizeRef(ref: string): string {
  const cleaned = ref
    .replace(/^refs\/(heads|tags)\//, '')
    .replace(/[^A-Za-z0-9._/-]/g, '_')
    .split('/')
    .filter((p) => p && p !== '.' && p !== '..')
    .join('/');
  return cleaned || 'unnamed';
}

export const fullKey = (store: Store, key: string) => (store.prefix ? `${store.prefix}/${key}` : key);
