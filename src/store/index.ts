// Opening a store from its URL (file://, a path, or a registered scheme such as s3://) and the
// default store location.
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../platform/errors.ts';
import { FsStore } from './fs.ts';
import type { Store, StoreOptions } from './store.ts';

export * from './store.ts';

/** The embedded default keeps everything next to the project, so a first build needs no account. */
export function defaultStoreUrl(projectDir: string): string {
  return 'file://' + join(resolve(projectDir), '.pexpress', 'store');
}

export type StoreFactory = (url: string, opts: StoreOptions) => Promise<Store>;

const factories: Record<string, StoreFactory> = {};

/** Other backends (S3) register here so the CLI core does not import their SDKs eagerly. */
export function registerStore(scheme: string, factory: StoreFactory): void {
  factories[scheme] = factory;
}

export async function openStore(url: string, opts: StoreOptions = {}): Promise<Store> {
  if (url.startsWith('file://')) {
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch {
      throw new UsageError(`invalid store URL ${url} — use file:///absolute/path or s3://bucket/prefix`);
    }
    return new FsStore(path, url);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme) {
    const factory = factories[scheme];
    if (!factory) throw new UsageError(`unsupported store URL ${url} — use file:///path or s3://bucket/prefix`);
    return factory(url, opts);
  }
  // A bare path is a local directory.
  const abs = isAbsolute(url) ? url : resolve(url);
  return new FsStore(abs);
}
