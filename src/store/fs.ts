// The local-directory store: the default next to the project, with create-only writes and a
// memo of verified archives.
import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable } from 'node:stream';
import { mapLimit } from '../platform/concurrency.ts';
import { optionRef, UsageError, writeError } from '../platform/errors.ts';
import { hashFile } from '../platform/files.ts';
import { sweepTemps, tmpPath } from '../platform/tmp.ts';
import type { ListedObject, ObjectInfo, PutResult, Store, VerifyResult, VersionedJson } from './store.ts';

const LOCK_POLL_MS = 20;
const DELETE_CONCURRENCY = 32;
const STALE_LOCK_MS = 10_000;

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
      sweepTemps(join(this.root, '.tmp'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new UsageError(`cannot use store ${this.url} (${code}) — set ${optionRef('store')} to a writable directory or an s3:// URL`);
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

  /** Temps live in one directory of the store, swept of dead owners' files by check(). */
  private tmp(label: string): string {
    return tmpPath(join(this.root, '.tmp'), label);
  }

  async putFile(key: string, file: string, opts: { sha256: string; overwrite?: boolean }): Promise<PutResult> {
    const dest = this.path(key);
    // "Already there" is only reported once the bytes there are the right ones (remembered by file
    // identity, so this costs a stat when nothing changed); a damaged object is replaced.
    if (!opts.overwrite && (await this.verify(key, opts.sha256)) === 'ok') return { uploaded: false };
    const tmp = this.tmp('object');
    try {
      await mkdir(dirname(dest), { recursive: true });
      await mkdir(dirname(tmp), { recursive: true });
      await copyFile(file, tmp);
      if (!opts.overwrite) {
        try {
          // link() is create-only: of two concurrent writers exactly one wins, the other sees EEXIST.
          await link(tmp, dest);
          // Unlinking the temp moves the object's ctime: remember its identity after that.
          await rm(tmp, { force: true });
          await this.remember(key, opts.sha256);
          return { uploaded: true };
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        if ((await this.verify(key, opts.sha256)) === 'ok') return { uploaded: false };
      }
      await rename(tmp, dest);
      await this.remember(key, opts.sha256);
      return { uploaded: true };
    } catch (err) {
      throw writeError(dest, err);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async getText(key: string): Promise<string | null> {
    try {
      return await readFile(this.path(key), 'utf8');
    } catch {
      return null;
    }
  }

  async putJson(key: string, value: unknown): Promise<void> {
    const dest = this.path(key);
    const tmp = this.tmp('record');
    try {
      await mkdir(dirname(dest), { recursive: true });
      await mkdir(dirname(tmp), { recursive: true });
      await writeFile(tmp, JSON.stringify(value, null, 2) + '\n');
      await rename(tmp, dest);
    } catch (err) {
      await rm(tmp, { force: true });
      throw writeError(dest, err);
    }
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

  async scan(prefix: string): Promise<ListedObject[]> {
    const out: ListedObject[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(this.path(dir), { withFileTypes: true });
      } catch {
        return;
      }
      await Promise.all(
        entries
          .filter((e) => !e.name.startsWith('.'))
          .map(async (e) => {
            const key = `${dir}/${e.name}`;
            if (e.isDirectory()) return walk(key);
            const st = await stat(this.path(key)).catch(() => null);
            if (st?.isFile()) out.push({ key, size: st.size, modified: st.mtime });
          }),
      );
    };
    await walk(prefix.replace(/\/+$/, ''));
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async deleteMany(keys: string[]): Promise<void> {
    await mapLimit(keys, DELETE_CONCURRENCY, async (key) => {
      await rm(this.path(key), { force: true });
      await rm(join(this.root, '.verified', key.replace(/\//g, '_')), { force: true });
    });
  }

  async getJsonVersioned<T>(key: string): Promise<VersionedJson<T> | null> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path(key));
    } catch {
      return null;
    }
    const version = createHash('sha256').update(bytes).digest('hex');
    try {
      return { value: JSON.parse(bytes.toString('utf8')) as T, version };
    } catch {
      return null;
    }
  }

  /**
   * A directory created with mkdir() is the lock (atomic on every local filesystem); inside it the
   * version is compared and the record replaced by rename, so readers never see half a record.
   */
  async putJsonIf(key: string, value: unknown, version: string | null): Promise<boolean> {
    const dest = this.path(key);
    await mkdir(dirname(dest), { recursive: true });
    const lock = `${dest}.lock`;
    for (let waited = 0; ; waited += LOCK_POLL_MS) {
      try {
        await mkdir(lock);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        // A lock left by a killed writer: nothing holds one for more than a moment.
        const st = await stat(lock).catch(() => null);
        if (st && Date.now() - st.mtimeMs > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
        if (waited > STALE_LOCK_MS * 2) return false;
        await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
      }
    }
    try {
      const current = await this.getJsonVersioned(key);
      if ((current?.version ?? null) !== version) return false;
      await this.putJson(key, value);
      return true;
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
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
    if ((await readFile(this.memoPath(key), 'utf8').catch(() => '')) === identity) return 'ok';
    let actual: string;
    try {
      actual = await hashFile(file);
    } catch {
      return 'missing';
    }
    if (actual !== sha256) return 'corrupt';
    await this.writeMemo(key, identity);
    return 'ok';
  }

  private memoPath(key: string): string {
    return join(this.root, '.verified', key.replace(/\//g, '_'));
  }

  private async writeMemo(key: string, identity: string): Promise<void> {
    const memo = this.memoPath(key);
    await mkdir(dirname(memo), { recursive: true })
      .then(() => writeFile(memo, identity))
      .catch(() => undefined);
  }

  /** An object this process just wrote from bytes whose sha256 it computed counts as verified. */
  private async remember(key: string, sha256: string): Promise<void> {
    const st = await stat(this.path(key), { bigint: true }).catch(() => null);
    if (st) await this.writeMemo(key, `${sha256} ${st.size} ${st.ino} ${st.mtimeNs} ${st.ctimeNs}`);
  }

  toString(): string {
    return relative(process.cwd(), this.root);
  }
}
