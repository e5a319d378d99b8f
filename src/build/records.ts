/**
 * The JSON records a build writes next to the archives, and the result `build --json` prints.
 *
 * Each record has a schema version, its fields (as a TypeScript type and as a checker that must
 * agree with it), one writer and one reader. A reader never trusts the store: a record that is not
 * JSON, has a field of the wrong type, names the wrong thing, or comes from a newer schema is
 * treated as missing, with one warning naming its key, so the build falls back to the path it takes
 * when nothing is stored (a full build, which rewrites the record) instead of failing on it.
 */
import type { FingerprintComponent } from './fingerprint.ts';
import { BuildError } from '../platform/errors.ts';
import { archiveKey, depsIndexKey, isSha256, manifestKey, refKey, sanitizeRef, type RefScope, type Store } from '../store/index.ts';

/** Bumped when a field changes meaning; a reader treats any other version as missing. */
export const RECORD_SCHEMA = 1;

/** `deps/<fingerprint>.json`: which deps.pex a fingerprint built, so the next build can reuse it. */
export interface DepsIndexEntry {
  schema: typeof RECORD_SCHEMA;
  fingerprint: string;
  sha256: string;
  size: number;
  pexHash: string;
  python: string;
  platform: string;
  requirements: string[];
  /** Each wheel's name, version and file size: what the next build's deps diff compares with. */
  packages?: Array<{ name: string; version: string; size: number }>;
  commit: string | null;
  builtAt: string;
}

interface ArchiveRef {
  sha256: string;
  key: string;
  pexHash: string;
}

/** `manifests/<source sha256>.json`: how a source.pex was built and the deps.pex it runs with. */
export interface Manifest {
  schema: typeof RECORD_SCHEMA;
  commit: string | null;
  ref: string;
  buildType: 'full' | 'fast';
  reason: string;
  fingerprint: string;
  target: { python: string; platform: string };
  deps: ArchiveRef;
  source: ArchiveRef;
  entryPoint: string | null;
  pexpressVersion: string;
  builtAt: string;
}

/** `refs/<ref>.json`: the last build of a branch, so the next one can say what changed since. */
export interface RefRecord {
  schema: typeof RECORD_SCHEMA;
  ref: string;
  commit: string | null;
  buildType: 'full' | 'fast';
  fingerprint: string;
  components: FingerprintComponent[];
  deps: { sha256: string };
  source: { sha256: string };
  builtAt: string;
}

/** One archive in `build --json` (and the Action's outputs). */
export interface ArchiveReport {
  sha256: string;
  key: string;
  url: string;
  size: number;
  uploaded: boolean;
  path: string | null;
}

/** What `build --json` prints; the Action and the tests read this same type. */
export interface BuildResult {
  buildType: 'full' | 'fast';
  reason: string;
  fingerprint: string;
  deps: ArchiveReport;
  source: ArchiveReport;
  manifest: { key: string };
  timings: Record<string, number>;
  target: { python: string; platform: string };
  commit: string | null;
  ref: string;
  /** Full builds only: wheels in deps.pex and how many were downloaded (the rest came from the cache). */
  stats?: { wheels: number; downloaded: number } | null;
  /** What changed in deps.pex against the build this one was compared with (null: nothing to compare with). */
  depsChange?: DepsChange | null;
}

export interface PackageVersion {
  version: string;
  /** Wheel size in bytes; null when the earlier record did not keep sizes. */
  size: number | null;
}

export interface DepsChange {
  /** The build compared with: its branch, commit and deps.pex. */
  base: { ref: string; base: boolean; commit: string | null; sha256: string; size: number | null };
  /** Added (before null), removed (after null) and changed packages, by name. */
  packages: Array<{ name: string; before: PackageVersion | null; after: PackageVersion | null }>;
}

// ---------------------------------------------------------------------------------------------
// Checkers: each returns what is wrong (naming the field) or null. The Fields<T> type makes the
// compiler insist on one checker per field of the record type.

type Check = (value: unknown, path: string) => string | null;
type Fields<T> = { [K in keyof T]-?: Check };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

const string: Check = (v, p) => (typeof v === 'string' ? null : `${p} is ${describe(v)}, not a string`);
const hex64: Check = (v, p) => (isSha256(v) ? null : `${p} is not a sha256 (64 hex digits)`);
const size: Check = (v, p) => (Number.isSafeInteger(v) && (v as number) >= 0 ? null : `${p} is not a size in bytes`);
const optional =
  (c: Check): Check =>
  (v, p) =>
    v === undefined ? null : c(v, p);
const nullable =
  (c: Check): Check =>
  (v, p) =>
    v === null ? null : c(v, p);
const oneOf =
  (...values: unknown[]): Check =>
  (v, p) =>
    values.includes(v) ? null : `${p} is ${JSON.stringify(v) ?? 'missing'}, not ${values.map((x) => JSON.stringify(x)).join(' or ')}`;
const arrayOf =
  (c: Check): Check =>
  (v, p) => {
    if (!Array.isArray(v)) return `${p} is ${describe(v)}, not an array`;
    for (let i = 0; i < v.length; i++) {
      const problem = c(v[i], `${p}[${i}]`);
      if (problem) return problem;
    }
    return null;
  };
const object =
  <T>(fields: Fields<T>): Check =>
  (v, p) => {
    if (!isObject(v)) return `${p || 'the record'} is ${describe(v)}, not an object`;
    for (const [name, c] of Object.entries(fields) as Array<[string, Check]>) {
      const problem = c(v[name], p ? `${p}.${name}` : name);
      if (problem) return problem;
    }
    return null;
  };

const component = object<FingerprintComponent>({ name: string, hash: hex64, value: () => null, origins: () => null });
const archiveRef = object<ArchiveRef>({ sha256: hex64, key: string, pexHash: string });
const target = object<Manifest['target']>({ python: string, platform: string });
const schema = oneOf(RECORD_SCHEMA);

const depsIndexFields = object<DepsIndexEntry>({
  schema,
  fingerprint: hex64,
  sha256: hex64,
  size,
  pexHash: string,
  python: string,
  platform: string,
  requirements: arrayOf(string),
  packages: optional(arrayOf(object<NonNullable<DepsIndexEntry['packages']>[number]>({ name: string, version: string, size }))),
  commit: nullable(string),
  builtAt: string,
});

const manifestFields = object<Manifest>({
  schema,
  commit: nullable(string),
  ref: string,
  buildType: oneOf('full', 'fast'),
  reason: string,
  fingerprint: hex64,
  target,
  deps: archiveRef,
  source: archiveRef,
  entryPoint: nullable(string),
  pexpressVersion: string,
  builtAt: string,
});

const refFields = object<RefRecord>({
  schema,
  ref: string,
  commit: nullable(string),
  buildType: oneOf('full', 'fast'),
  fingerprint: hex64,
  components: arrayOf(component),
  deps: object<RefRecord['deps']>({ sha256: hex64 }),
  source: object<RefRecord['source']>({ sha256: hex64 }),
  builtAt: string,
});

export type Warn = (message: string) => void;

/** What is wrong with TEXT as a record (null when it is fine), given its checker and identity check. */
function recordProblem(text: string, check: Check, identity?: (record: Record<string, unknown>) => string | null): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'it is not valid JSON';
  }
  if (isObject(value) && value.schema !== RECORD_SCHEMA && Number.isInteger(value.schema))
    return `it has schema ${String(value.schema)}, this pexpress reads schema ${RECORD_SCHEMA}`;
  return check(value, '') ?? identity?.(value as Record<string, unknown>) ?? null;
}

async function readRecord<T>(
  store: Store,
  key: string,
  check: Check,
  warn: Warn,
  identity?: (record: Record<string, unknown>) => string | null,
): Promise<T | null> {
  const text = await store.getText(key);
  if (text === null) return null;
  const problem = recordProblem(text, check, identity);
  if (problem === null) return JSON.parse(text) as T;
  warn(`ignoring ${store.urlFor(key)}: ${problem}; treating it as missing (the next full build rewrites it)`);
  return null;
}

/**
 * The deps index entry for a fingerprint, or null. Beyond its fields, the archive it names must be
 * a deps archive: a source archive has a manifest, and S3 keeps the kind as object metadata. Both
 * are one HEAD (a stat locally), asked in parallel.
 */
export async function readDepsIndex(store: Store, fingerprint: string, warn: Warn): Promise<DepsIndexEntry | null> {
  const key = depsIndexKey(fingerprint);
  const entry = await readRecord<DepsIndexEntry>(store, key, depsIndexFields, warn, (r) =>
    r.fingerprint === fingerprint ? null : `its fingerprint is ${String(r.fingerprint)}, not ${fingerprint}`,
  );
  if (!entry) return null;
  const [manifest, head] = await Promise.all([store.head(manifestKey(entry.sha256)), store.head(archiveKey(entry.sha256))]);
  const kind = head?.metadata['pexpress-kind'];
  if (manifest || (kind && kind !== 'deps')) {
    warn(
      `ignoring ${store.urlFor(key)}: sha256 ${entry.sha256.slice(0, 12)} names a source archive, not a deps archive; treating it as missing (the next full build rewrites it)`,
    );
    return null;
  }
  return entry;
}

/** The manifest of a source archive, or null. */
export function readManifest(store: Store, sha256: string, warn: Warn): Promise<Manifest | null> {
  return readRecord<Manifest>(store, manifestKey(sha256), manifestFields, warn, (r) =>
    (r.source as ArchiveRef).sha256 === sha256 ? null : `it describes source archive ${(r.source as ArchiveRef).sha256}, not ${sha256}`,
  );
}

/** The last build of a ref (for one project, target and repository when scoped), or null. */
export function readRef(store: Store, ref: string, warn: Warn, scope?: RefScope): Promise<RefRecord | null> {
  return readRecord<RefRecord>(store, refKey(ref, scope), refFields, warn, (r) =>
    sanitizeRef(r.ref as string) === sanitizeRef(ref) ? null : `it records ref ${String(r.ref)}, not ${ref}`,
  );
}

/** Writes a record only if its reader would accept it: a writer that drifts from the schema fails the build that has the bug. */
async function writeRecord(store: Store, key: string, check: Check, record: object): Promise<void> {
  const problem = check(JSON.parse(JSON.stringify(record)), '');
  if (problem) throw new BuildError(`internal error: the record ${key} would not validate (${problem}) — please report this`);
  await store.putJson(key, record);
}

export function writeDepsIndex(store: Store, entry: Omit<DepsIndexEntry, 'schema'>): Promise<void> {
  return writeRecord(store, depsIndexKey(entry.fingerprint), depsIndexFields, { schema: RECORD_SCHEMA, ...entry } satisfies DepsIndexEntry);
}

export function writeManifest(store: Store, manifest: Omit<Manifest, 'schema'>): Promise<void> {
  return writeRecord(store, manifestKey(manifest.source.sha256), manifestFields, { schema: RECORD_SCHEMA, ...manifest } satisfies Manifest);
}

export function writeRef(store: Store, record: Omit<RefRecord, 'schema'>, scope?: RefScope): Promise<void> {
  return writeRecord(store, refKey(record.ref, scope), refFields, { schema: RECORD_SCHEMA, ...record } satisfies RefRecord);
}
