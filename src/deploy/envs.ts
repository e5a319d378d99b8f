// `pexpress promote` and `run/fetch --env`: which build an environment runs, recorded in the store.
import { BuildError, UsageError } from '../platform/errors.ts';
import { readManifest, type Warn } from '../build/records.ts';
import { archiveKey, ENV_NAME, envKey, isSha256, type Store } from '../store/index.ts';
import { resolveSha } from './artifacts.ts';

/** Earlier promotions kept in an environment's record: what `gc` keeps and a rollback picks from. */
export const ENV_HISTORY = 10;

export interface Promotion {
  source: { sha256: string };
  deps: { sha256: string };
  commit: string | null;
  ref: string;
  promotedAt: string;
}

export interface EnvRecord {
  schema: 1;
  env: string;
  current: Promotion;
  /** Newest first, at most ENV_HISTORY. */
  history: Promotion[];
}

export function checkEnvName(env: string): string {
  if (!ENV_NAME.test(env)) {
    throw new UsageError(`'${env}' is not an environment name — use letters, digits, '.', '_' and '-' (e.g. production, staging-eu)`);
  }
  return env;
}

const isPromotion = (p: unknown): p is Promotion => {
  const x = p as Promotion | null;
  return !!x && isSha256(x.source?.sha256) && isSha256(x.deps?.sha256) && typeof x.promotedAt === 'string';
};

/** A record that is not what promote writes is treated as missing (and reported), never trusted. */
export function asEnvRecord(value: unknown): EnvRecord | null {
  const r = value as EnvRecord | null;
  if (!r || typeof r !== 'object' || r.schema !== 1 || !isPromotion(r.current)) return null;
  return { ...r, history: Array.isArray(r.history) ? r.history.filter(isPromotion) : [] };
}

/** The JSON a store holds at KEY, or null when it has none or it does not parse. */
export async function readJson(store: Store, key: string): Promise<unknown> {
  const text = await store.getText(key);
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export async function readEnvRecord(store: Store, env: string): Promise<EnvRecord | null> {
  return asEnvRecord(await readJson(store, envKey(checkEnvName(env))));
}

/** The source sha256 promoted to ENV, for `run --env` and `fetch --env`. */
export async function promotedSource(store: Store, env: string): Promise<string> {
  const record = await readEnvRecord(store, env);
  if (!record) throw new UsageError(`nothing is promoted to '${env}' in ${store.url} — run pexpress promote <sha256> --to ${env} first`);
  return record.current.source.sha256;
}

export interface PromoteResult {
  env: string;
  key: string;
  current: Promotion;
  previous: Promotion | null;
}

/**
 * Records that the build whose source archive is QUERY is deployed to ENV. Both archives must be in
 * the store and intact; the write is a compare-and-swap, so of two concurrent promotions one wins
 * and the other fails saying so instead of being silently overwritten.
 */
export async function promote(store: Store, query: string, env: string, warn: Warn, now: Date = new Date()): Promise<PromoteResult> {
  checkEnvName(env);
  const sha256 = await resolveSha(store, query);
  const manifest = await readManifest(store, sha256, warn);
  if (!manifest) {
    throw new UsageError(
      `${sha256.slice(0, 12)} is not a source archive built into ${store.url} — promote the source.pex sha256 a build printed`,
    );
  }
  for (const sha of [manifest.source.sha256, manifest.deps.sha256]) {
    const state = await store.verify(archiveKey(sha), sha);
    if (state !== 'ok')
      throw new BuildError(`archive ${sha} is ${state} in ${store.url} — rebuild it before promoting (pexpress build --force-full)`);
  }
  const current: Promotion = {
    source: { sha256 },
    deps: { sha256: manifest.deps.sha256 },
    commit: manifest.commit,
    ref: manifest.ref,
    promotedAt: now.toISOString(),
  };
  const key = envKey(env);
  const before = await store.getJsonVersioned(key);
  const prev = before ? asEnvRecord(before.value) : null;
  const record: EnvRecord = {
    schema: 1,
    env,
    current,
    history: prev ? [prev.current, ...prev.history].slice(0, ENV_HISTORY) : [],
  };
  if (!(await store.putJsonIf(key, record, before?.version ?? null))) {
    const winner = await readEnvRecord(store, env);
    throw new BuildError(
      `another promotion to '${env}' was written at the same time (now ${winner?.current.source.sha256.slice(0, 12) ?? 'unknown'}) — check pexpress log and promote again if yours should win`,
    );
  }
  return { env, key, current, previous: prev?.current ?? null };
}
