// The local-directory store: the default next to the project, with create-only writes and a
// memo of verified archives.
import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable } from 'node:stream';
import { UsageError } from '../platform/errors.ts';
import type { ObjectInfo, PutResult, Store, VerifyResult } from './store.ts';

function tmpName(path: string): string {
  return join(dirname(path), `.${Math.random().toString(36).slice(2)}.${process.pid}.tmp`);
}

/** A store in a local directory: the embedded default, and a stand-in for S3 in air-gapped setups. */
export class FsStore implements Store {
  readonly prefix = '';
  constructor(
    readonly root: string,
    readonly url: string = pathToFileURL(root).href,
  ) {}

  private path(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async check(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.W_OK | constants.R_OK);
      if (!(await stat(this.root)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new UsageError(`cannot use store ${this.url} (${code}) — pass --store with a writable directory or an s3:// URL`);
    }
  }

  localPath(key: string): string {
    return this.path(key);
  }

  urlFor(key: string): string {
    return pathToFileURL(this.path(key)).href;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const st = await stat(this.path(key));
      return { key, size: st.size, metadata: {} };
    } catch {
      return null;
    }
  }

  async putFile(key: string, file: string, opts: { sha256: string; overwrite?: boolean }): Promise<PutResult> {
    const dest = this.path(key);
    await mkdir(dirname(dest), { recursive: true });
    const tmp = tmpName(dest);
    await copyFile(file, tmp);
    try {
      if (opts.overwrite) {
        await rename(tmp, dest);
        return { uploaded: true };
      }
      // link() is create-only: of two concurrent writers exactly one wins, the other sees EEXIST.
      await link(tmp, dest);
      return { uploaded: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { uploaded: false };
      throw err;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async getJson<T>(key: string): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path(key), 'utf8');
    } catch {
      return null;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      return null; // a damaged index entry is the same as none: the next build rewrites it
    }
  }

  async putJson(key: string, value: unknown): Promise<void> {
    const dest = this.path(key);
    await mkdir(dirname(dest), { recursive: true });
    const tmp = tmpName(dest);
    await writeFile(tmp, JSON.stringify(value, null, 2) + '\n');
    await rename(tmp, dest);
  }

  async openRead(key: string): Promise<Readable> {
    const p = this.path(key);
    await stat(p);
    return createReadStream(p);
  }

  async list(prefix: string): Promise<string[]> {
    const dir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    let names: string[];
    try {
      names = await readdir(this.path(dir));
    } catch {
      return [];
    }
    return names
      .filter((n) => !n.startsWith('.'))
      .map((n) => (dir ? `${dir}/${n}` : n))
      .filter((k) => k.startsWith(prefix))
      .sort();
  }

  /**
   * Hashing a large deps.pex on every fast build would cost more than the build, so a successful
   * check is remembered with the file's identity (size, inode, mtime and ctime in ns): any write,
   * rename over it or utimes changes ctime, and the next check hashes again.
   */
  async verify(key: string, sha256: string): Promise<VerifyResult> {
    const file = this.path(key);
    let st;
    try {
      st = await stat(file, { bigint: true });
    } catch {
      return 'missing';
    }
    const identity = `${sha256} ${st.size} ${st.ino} ${st.mtimeNs} ${st.ctimeNs}`;
    const memo = join(this.root, '.verified', key.replace(/\//g, '_'));
    if ((await readFile(memo, 'utf8').catch(() => '')) === identity) return 'ok';
    const h = createHash('sha256');
    try {
      for await (const c of createReadStream(file)) h.update(c as Buffer);
    } catch {
      return 'missing';
    }
    if (h.digest('hex') !== sha256) return 'corrupt';
    await mkdir(dirname(memo), { recursive: true })
      .then(() => writeFile(memo, identity))
      .catch(() => undefined);
    return 'ok';
  }

  toString(): string {
    return relative(process.cwd(), this.root);
  }
}
