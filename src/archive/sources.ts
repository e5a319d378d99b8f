// The collect phase: which project files go into source.pex (.gitignore, excludes, src layout,
// symlink checks) and their content hashes.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { BuildError, UsageError } from '../platform/errors.ts';
import { hashFileSync } from '../platform/files.ts';

export interface SourceFile {
  /** Path inside source.pex (posix, relative to the source root). */
  name: string;
  absPath: string;
  size: number;
  executable: boolean;
  sha256: string;
  /** Bytes to pack instead of the file's (a declaration file with its credentials replaced). */
  data?: Buffer;
}

export interface CollectedSources {
  /** The directory whose contents land at the archive root (the project, or its src/). */
  root: string;
  layout: 'flat' | 'src';
  files: SourceFile[];
  /** sha256 over names, modes and content hashes: what source.pex holds besides the bootstrap. */
  codeHash: string;
}

// Never part of a deploy, whatever .gitignore says.
const ALWAYS_EXCLUDED_DIRS = new Set([
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.pexpress',
  '.venv',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.eggs',
]);
const ALWAYS_EXCLUDED_FILE = /\.py[co]$/;

async function isPythonRoot(dir: string): Promise<boolean> {
  try {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isFile() && e.name.endsWith('.py')) return true;
      if (e.isDirectory() && !e.name.startsWith('.')) {
        try {
          await stat(join(dir, e.name, '__init__.py'));
          return true;
        } catch {
          /* not a regular package; keep looking */
        }
      }
    }
  } catch {
    return false;
  }
  return false;
}

/**
 * The src-layout convention: when <project>/src holds Python packages, those are the deployable code
 * and land at the archive root (as an installed package would); everything else stays behind.
 */
export async function sourceRoot(projectDir: string): Promise<{ root: string; layout: 'flat' | 'src' }> {
  const src = join(projectDir, 'src');
  try {
    if ((await stat(src)).isDirectory() && (await isPythonRoot(src))) return { root: src, layout: 'src' };
  } catch {
    /* no src/ */
  }
  return { root: projectDir, layout: 'flat' };
}

/**
 * Content hashes remembered by file identity, as git's index does: an entry is reused only while
 * size, inode, mtime and ctime (ns) are all unchanged, and files changed in the last SETTLE_MS
 * are never remembered (coarse timestamps could hide a second write in the same tick).
 */
export interface HashMemo {
  get(path: string, identity: string): string | undefined;
  set(path: string, identity: string, sha256: string): void;
  /** The clock the settle rule reads (ms since the epoch); tests move it instead of sleeping. */
  now?(): number;
}

export const SETTLE_MS = 2000;

/** Above this a file would need zip64 sizes and more memory than a deploy archive should take. */
export const MAX_SOURCE_FILE = 0xffffffff;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * What the runtime (bootstrap.py `_unsafe`) refuses to extract, refused here first so a build never
 * succeeds with an archive that cannot run: a backslash (a separator to Windows-minded readers), a
 * drive-letter look-alike at the root, and names that are not UTF-8 (zip names are UTF-8).
 */
function invalidName(name: string, raw: Buffer): string | null {
  if (raw.some((b) => b >= 0x80)) {
    try {
      strictUtf8.decode(raw);
    } catch {
      return 'is not valid UTF-8';
    }
  }
  if (name.includes('\\')) return 'contains a backslash';
  if (name.length > 1 && name[1] === ':') return 'looks like a drive letter (x:)';
  return null;
}

type Rules = Array<{ base: string; ig: Pick<Ignore, 'test'> }>;

/**
 * git's precedence: the deepest .gitignore with a pattern matching the path decides (ignored or
 * negated with `!`), and within one file the last matching pattern does; a directory that is
 * ignored is never entered, so nothing below it can be re-included, as in git.
 */
function gitIgnored(rules: Rules, probe: string): boolean {
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i];
    const t = r.ig.test(r.base ? probe.slice(r.base.length + 1) : probe);
    if (t.ignored) return true;
    if (t.unignored) return false;
  }
  return false;
}

export interface CollectOptions {
  /** Directories and files never packed wherever they are (the out-dir, the store, the cache). */
  skip?: string[];
  /**
   * Globs (.gitignore syntax) that win over .gitignore: files a build generates and git ignores,
   * like setuptools-scm's _version.py. `excludes` win over both.
   */
  includes?: string[];
}

/** Whether a directory may hold a path an include glob names (so an ignored directory is still walked). */
function mayContain(includes: string[], dir: string): boolean {
  const segs = dir.split('/');
  return includes.some((raw) => {
    const pattern = raw.replace(/^\//, '').replace(/\/$/, '');
    // Without an inner slash a gitignore pattern matches at any depth.
    if (!raw.replace(/\/$/, '').includes('/')) return true;
    const ps = pattern.split('/');
    for (let i = 0; i < segs.length; i++) {
      if (ps[i] === undefined) return true; // the pattern names this directory or a parent of it
      if (ps[i] === '**') return true;
      const re = new RegExp(
        '^' +
          ps[i]
            .replace(/[.+^$()|[\]{}\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]') +
          '$',
      );
      if (!re.test(segs[i])) return false;
    }
    return true;
  });
}

export async function collectSources(
  projectDir: string,
  excludes: string[] = [],
  memo?: HashMemo,
  opts: CollectOptions = {},
): Promise<CollectedSources> {
  const projectReal = realpathSync(projectDir);
  const { root, layout } = await sourceRoot(projectReal);
  const found: Array<{ name: string; absPath: string }> = [];
  // No excludes, no matcher: asking `ignore` about every path costs milliseconds even with no rules.
  const userExcludes = excludes.length ? ignore().add(excludes) : null;
  const skip = new Set<string>();
  for (const p of opts.skip ?? []) {
    skip.add(resolve(p));
    try {
      skip.add(realpathSync(p));
    } catch {
      /* not created yet: it cannot hold anything to skip */
    }
  }
  const shown = (abs: string) => relative(projectReal, abs);
  const includes = opts.includes ?? [];
  const userIncludes = includes.length ? ignore().add(includes) : null;

  // `ancestors` is the chain of real directories being walked: a symlink back into one of them is
  // a loop. A symlink to any other directory of the project is packed as its own copy, so the
  // real directory is always packed under its own name too.
  // `parentIgnored`: this directory is ignored by git but walked because an include may match inside.
  function walk(dir: string, real: string, rel: string, rules: Rules, ancestors: Set<string>, parentIgnored = false): void {
    let gitignore: string | null = null;
    try {
      gitignore = readFileSync(join(dir, '.gitignore'), 'utf8');
    } catch {
      /* none here */
    }
    const scoped = gitignore === null ? rules : [...rules, { base: rel, ig: ignore().add(gitignore) }];
    let entries: Dirent<Buffer>[];
    try {
      entries = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      throw unreadable(shown(dir) || '.', err);
    }
    for (const e of entries) {
      const base = e.name.toString('utf8');
      const name = rel ? `${rel}/${base}` : base;
      const abs = join(dir, base);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      const link = e.isSymbolicLink();
      if (link) {
        try {
          const st = statSync(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          isDir = isFile = false;
        }
      }
      // Build metadata that setuptools leaves next to the code (uv/pip write it while resolving).
      if (isDir && (ALWAYS_EXCLUDED_DIRS.has(base) || base.endsWith('.egg-info'))) continue;
      if (isFile && (ALWAYS_EXCLUDED_FILE.test(base) || base === '.gitignore')) continue;
      // Excludes are applied before anything about the entry is checked, so excluding a bad entry
      // (an escaping symlink, an odd name) is always a way out.
      const probe = isDir ? name + '/' : name;
      if (userExcludes?.ignores(probe)) continue;
      const ignored = parentIgnored || gitIgnored(scoped, probe);
      if (ignored) {
        if (!userIncludes) continue;
        if (isFile && !userIncludes.ignores(name)) continue;
        if (isDir && !userIncludes.ignores(probe) && !mayContain(includes, name)) continue;
      }
      if (skip.has(abs)) continue;
      const bad = invalidName(name, e.name);
      if (bad) {
        throw new UsageError(
          `${shown(abs)}: the file name ${bad}, which deploy archives cannot hold — rename it, or leave it out with --exclude or .gitignore`,
        );
      }
      if (link) {
        let target: string;
        try {
          target = realpathSync(abs);
        } catch {
          throw new UsageError(`${shown(abs)} is a broken symlink — remove it, or leave it out with --exclude or .gitignore`);
        }
        if (target !== projectReal && !target.startsWith(projectReal + sep)) {
          throw new UsageError(
            `${shown(abs)} is a symlink to ${target}, outside the project — replace it with a copy, or leave it out with --exclude '${name}' or .gitignore`,
          );
        }
      }
      if (isDir) {
        const sub = link ? realpathSync(abs) : join(real, base);
        if (ancestors.has(sub) || skip.has(sub)) continue;
        // A virtualenv is recognizable by its pyvenv.cfg whatever it is called.
        if (existsSync(join(abs, 'pyvenv.cfg'))) continue;
        ancestors.add(sub);
        // Inside a directory an include names, everything is included; otherwise only what matches.
        walk(abs, sub, name, scoped, ancestors, ignored && !userIncludes?.ignores(probe));
        ancestors.delete(sub);
      } else if (isFile) {
        found.push({ name, absPath: abs });
      }
    }
  }

  // With a src/ layout the project's own .gitignore still applies to src/ (e.g. *.egg-info/).
  const rootRules: Rules = [];
  if (layout === 'src') {
    try {
      const projectIgnore = ignore().add(await readFile(join(projectReal, '.gitignore'), 'utf8'));
      rootRules.push({ base: '', ig: { test: (p: string) => projectIgnore.test(`src/${p}`) } });
    } catch {
      /* no project .gitignore */
    }
  }
  const rootReal = realpathSync(root);
  walk(root, rootReal, '', rootRules, new Set([rootReal]));
  const settled = BigInt((memo?.now?.() ?? Date.now()) - SETTLE_MS) * 1_000_000n;
  const files = found.map((f) => {
    const st = statSync(f.absPath, { bigint: true });
    if (st.size > BigInt(MAX_SOURCE_FILE)) {
      throw new UsageError(
        `${shown(f.absPath)} is ${(Number(st.size) / 2 ** 30).toFixed(1)} GiB; source.pex holds files under 4 GiB — leave it out with --exclude or .gitignore`,
      );
    }
    const identity = `${st.size} ${st.ino} ${st.mtimeNs} ${st.ctimeNs}`;
    let sha256 = memo?.get(f.name, identity);
    if (!sha256) {
      try {
        sha256 = hashFileSync(f.absPath);
      } catch (err) {
        throw unreadable(shown(f.absPath), err);
      }
      if (st.ctimeNs < settled && st.mtimeNs < settled) memo?.set(f.name, identity, sha256);
    }
    return { ...f, size: Number(st.size), executable: (st.mode & 0o100n) !== 0n, sha256 };
  });
  sortByNameBytes(files);
  return { root, layout, files, codeHash: codeHashOf(files) };
}

/** In place, by UTF-8 bytes (zip order), each name encoded once rather than per comparison. */
export function sortByNameBytes<T extends { name: string }>(files: T[]): T[] {
  const key = new Map(files.map((f) => [f, Buffer.from(f.name, 'utf8')]));
  return files.sort((a, b) => Buffer.compare(key.get(a)!, key.get(b)!));
}

export function codeHashOf(files: SourceFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.name}\0${f.executable ? 'x' : '-'}\0${f.sha256}\n`);
  return h.digest('hex');
}

/**
 * Declaration files that hold a literal credential go into source.pex with each credential replaced
 * by the placeholder: source.pex is readable by every deploy host, the credential is not theirs.
 */
export function withCredentialsReplaced(
  sources: CollectedSources,
  projectDir: string,
  files: string[],
  secrets: string[],
  placeholder: string,
): { sources: CollectedSources; replaced: string[] } {
  if (!files.length || !secrets.length) return { sources, replaced: [] };
  const projectReal = realpathSync(projectDir);
  const wanted = new Set(files.map((f) => join(projectReal, f)));
  // Shortest first: a password is replaced inside user:password, so the user name stays readable.
  const ordered = [...new Set(secrets)].sort((a, b) => a.length - b.length);
  const replaced: string[] = [];
  const out = sources.files.map((f) => {
    if (!wanted.has(f.absPath)) return f;
    let text = readFileSync(f.absPath, 'latin1');
    for (const s of ordered) text = text.split(Buffer.from(s, 'utf8').toString('latin1')).join(placeholder);
    const data = Buffer.from(text, 'latin1');
    replaced.push(f.name);
    return { ...f, data, size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  });
  return { sources: { ...sources, files: out, codeHash: codeHashOf(out) }, replaced };
}

function unreadable(path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM')
    return new UsageError(`cannot read ${path} (permission denied) — make it readable, or leave it out with --exclude or .gitignore`);
  return new BuildError(`cannot read ${path}: ${code ?? (err as Error).message}`);
}
