// The Store interface every backend implements and the key layout shared by all of them.
import type { Readable } from 'node:stream';

/** AWS's rules for new buckets: 3–63 characters, lowercase letters, digits, dots and hyphens. */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isBucketName(name: string): boolean {
  return BUCKET_NAME.test(name) && !name.includes('..');
}

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

/** One object as a listing returns it: what `log` sorts by and `gc` weighs and ages. */
export interface ListedObject {
  key: string;
  size: number;
  modified: Date;
}

/** A record and an opaque version of it, for a compare-and-swap write (putJsonIf). */
export interface VersionedJson<T> {
  value: T;
  version: string;
}

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
  /** A small object's text, or null when there is none (records are parsed and validated in build/records.ts). */
  getText(key: string): Promise<string | null>;
  putJson(key: string, value: unknown): Promise<void>;
  openRead(key: string): Promise<Readable>;
  /** Keys under a prefix (relative to the store prefix), e.g. list('sha256/ab'). */
  list(prefix: string): Promise<string[]>;
  /** Does the object exist and hash to sha256? */
  verify(key: string, sha256: string): Promise<VerifyResult>;
  /** Every object under a key prefix ending in '/', at any depth, with its size and age. */
  scan(prefix: string): Promise<ListedObject[]>;
  /** Deletes objects (a missing one is not an error); only `gc` calls it. */
  deleteMany(keys: string[]): Promise<void>;
  getJsonVersioned<T>(key: string): Promise<VersionedJson<T> | null>;
  /**
   * Writes a record only if it is still at `version` (null: only if there is none). false when
   * another writer got there first, so two concurrent promotions cannot both win silently.
   */
  putJsonIf(key: string, value: unknown, version: string | null): Promise<boolean>;
  /** A path to read the object in place, for stores on the local disk. */
  localPath?(key: string): string;
}

export const archiveKey = (sha256: string) => `sha256/${sha256}.pex`;
export const depsIndexKey = (fingerprint: string) => `deps/${fingerprint}.json`;
export const manifestKey = (sha256: string) => `manifests/${sha256}.json`;
/**
 * Whose "last build" a ref record is. Records of different projects (a monorepo), targets (a
 * platform matrix) and repositories (a fork's PR from its own `main`) never share a key.
 */
export interface RefScope {
  /** owner/name the built commit lives in (a fork's, for a fork's PR); null outside GitHub. */
  repository: string | null;
  /** The project directory relative to the repository root, '.' for the root. */
  project: string;
  python: string;
  platform: string;
}

/**
 * refs/<owner>/<name>/<project>/<python>-<platform>/<branch>.json (refs/_local/… without a
 * repository: GitHub names never start with '_'). The project is one encoded segment and the
 * branch comes last, so every part is recovered unambiguously whatever slashes it holds.
 */
export function refKey(ref: string, scope?: RefScope): string {
  if (!scope) return `refs/${sanitizeRef(ref)}.json`;
  const parts = scope.repository?.split('/') ?? [];
  const repo = parts.length === 2 && parts.every((p) => /^[\w.-]+$/.test(p) && !/^\.+$/.test(p)) ? parts.join('/') : '_local';
  const project = scope.project === '.' || scope.project === '' ? '%2E' : encodeURIComponent(scope.project).replace(/^\.\.?$/, '_');
  return `refs/${repo}/${project}/${sanitizeRef(`${scope.python}-${scope.platform}`)}/${sanitizeRef(ref)}.json`;
}
/** What names an archive (and most records): a lowercase hex sha256. */
export const isSha256 = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
/** An environment name is one key segment of envs/<env>.json. */
export const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const envKey = (env: string) => `envs/${env}.json`;
/** The project's own *.dist-info, by the sha256 of its declarations: computed once, shared by every runner. */
export const projectMetadataKey = (declarations: string) => `meta/${declarations}.json`;

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
