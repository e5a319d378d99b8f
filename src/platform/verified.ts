// Cached bytes checked against the sha256 that names them, the check remembered by file identity.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { hashFile } from './files.ts';

/**
 * Cached bytes named by their sha256 are checked before use, and the check is remembered with the
 * file's identity (size, inode, mtime and ctime in ns) in a small file beside it, as the local
 * store does: any write, rename over it or utimes changes ctime, and the next use hashes again.
 */
const memoOf = (path: string) => join(dirname(path), `.${basename(path)}.verified`);

async function identity(path: string, sha256: string): Promise<string | null> {
  const st = await stat(path, { bigint: true }).catch(() => null);
  return st && st.isFile() ? `${sha256} ${st.size} ${st.ino} ${st.mtimeNs} ${st.ctimeNs}` : null;
}

/** Does the file exist and hash to sha256? Costs one stat and one small read when remembered. */
export async function isVerified(path: string, sha256: string): Promise<boolean> {
  const id = await identity(path, sha256);
  if (!id) return false;
  if ((await readFile(memoOf(path), 'utf8').catch(() => '')) === id) return true;
  const got = await hashFile(path).catch(() => null);
  if (got !== sha256) return false;
  await writeFile(memoOf(path), id).catch(() => undefined);
  return true;
}

/** For a file this process just wrote from bytes it hashed on the way. */
export async function rememberVerified(path: string, sha256: string): Promise<void> {
  const id = await identity(path, sha256);
  if (id) await writeFile(memoOf(path), id).catch(() => undefined);
}
