import { join } from 'node:path';
import { BUILT_WHEELS_DIR } from '../python/wheels.ts';
import { messageOf } from '../platform/errors.ts';

/**
 * The resolver's cache directory (wheels, uv's cache: PEXPRESS_CACHE_DIR or tools.ts cacheDir())
 * kept across jobs with @actions/cache. Restored only when a full build is about to resolve (a
 * fast build does not need it), saved after a full build under a key it was not restored from.
 * Nothing here can fail the build: every error becomes a warning.
 */

export interface CacheBackend {
  isFeatureAvailable(): boolean;
  restoreCache(paths: string[], primaryKey: string, restoreKeys?: string[]): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<number>;
}

/**
 * @actions/cache (with its Azure and HTTP clients, most of the bundle) is loaded only when a full
 * build is about to resolve: a fast build never evaluates it.
 */
const loadActionsCache = async (): Promise<CacheBackend> => import('@actions/cache');

export interface CacheLog {
  info(msg: string): void;
  warn(msg: string): void;
}

export interface CacheTarget {
  fingerprint: string;
  python: string;
  platform: string;
}

/** Bump to orphan every existing cache entry (the directory's layout changed). */
const CACHE_VERSION = 'v2';

/**
 * What the entry holds: what resolving and downloading for this fingerprint produced (verified
 * wheels, wheels built from sdists, uv's and pip's HTTP caches). Not the tool venv (uv installed
 * on first use, ~60 MB that `astral-sh/setup-uv` provides faster, and that does not change with
 * the fingerprint), nor the per-project fast-build caches or fetched archives.
 */
export const CACHED_SUBDIRS = ['wheels', BUILT_WHEELS_DIR, 'uv', 'pip'] as const;

/**
 * Exact key: the fingerprint (same dependencies → same wheels). Restore keys: the same target
 * (python + platform) on the same runner OS/arch, most of whose wheels a changed requirements file
 * still needs.
 */
export function cacheKeys(t: CacheTarget, env: NodeJS.ProcessEnv = process.env): { primary: string; restoreKeys: string[] } {
  const host = `${env.RUNNER_OS ?? process.platform}-${env.RUNNER_ARCH ?? process.arch}`;
  const targetPrefix = `pexpress-${CACHE_VERSION}-${host}-cp${t.python}-${t.platform}-`;
  return { primary: targetPrefix + t.fingerprint, restoreKeys: [targetPrefix] };
}

export class ResolverCache {
  private restoredKey: string | undefined;
  private restoreTried = false;
  private backend: CacheBackend | null = null;
  private readonly paths: string[];

  constructor(
    private readonly dir: string,
    private readonly log: CacheLog,
    backend: CacheBackend | (() => Promise<CacheBackend>) = loadActionsCache,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    if (typeof backend === 'function') this.load = backend;
    else this.backend = backend;
    this.paths = CACHED_SUBDIRS.map((d) => join(dir, d));
  }

  private load: () => Promise<CacheBackend> = loadActionsCache;

  /** The backend when the cache service is there, else null. */
  private async available(): Promise<CacheBackend | null> {
    try {
      this.backend ??= await this.load();
      return this.backend.isFeatureAvailable() ? this.backend : null;
    } catch (err) {
      this.log.warn(`resolver cache: unavailable (${messageOf(err)})`);
      return null;
    }
  }

  /** Before resolving: bring back the closest cache for this fingerprint/target. Once per run. */
  async restore(t: CacheTarget): Promise<string | undefined> {
    if (this.restoreTried) return this.restoredKey;
    this.restoreTried = true;
    const backend = await this.available();
    if (!backend) {
      this.log.info('resolver cache: the Actions cache service is not available here; resolving without it');
      return undefined;
    }
    const { primary, restoreKeys } = cacheKeys(t, this.env);
    try {
      this.restoredKey = await backend.restoreCache(this.paths, primary, restoreKeys);
      // A miss and a failed restore (which @actions/cache turns into its own warning) both end here.
      this.log.info(
        this.restoredKey
          ? `resolver cache: restored ${this.restoredKey}${this.restoredKey === primary ? ' (exact)' : ''} into ${this.dir}`
          : `resolver cache: nothing restored for ${primary}`,
      );
    } catch (err) {
      this.log.warn(`resolver cache: restore failed, resolving without it: ${messageOf(err)}`);
    }
    return this.restoredKey;
  }

  /** After a successful full build: save under the fingerprint's key unless that is what was restored. */
  async save(t: CacheTarget): Promise<boolean> {
    const backend = await this.available();
    if (!backend) return false;
    const { primary } = cacheKeys(t, this.env);
    if (this.restoredKey === primary) {
      this.log.info(`resolver cache: ${primary} is already saved`);
      return false;
    }
    try {
      // @actions/cache reports most failures itself (a warning) and returns -1.
      const id = await backend.saveCache(this.paths, primary);
      if (id === -1) return false;
      this.log.info(`resolver cache: saved ${primary}`);
      return true;
    } catch (err) {
      // Another job saving the same key at the same time ends up here too: harmless.
      this.log.warn(`resolver cache: not saved (${messageOf(err)}); the next full build resolves without it`);
      return false;
    }
  }
}
