// The collect phase: which project files go into source.pex (.gitignore, excludes, src layout,
// symlink checks) and their content hashes.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { UsageError } from '../platform/errors.ts';

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

// One read buffer for every file: allocating one per file made the collector the bottleneck.
const readBuffer = Buffer.allocUnsafe(1 << 20);

/** Small files dominate source trees; synchronous reads avoid a thread-pool round trip per file. */
function hashFileSync(path: string): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = readBuffer;
    let n: number;
    while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) h.update(n === buf.length ? buf : buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/**
 * Content hashes remembered by file identity, as git's index does: an entry is reused only while
 * size, inode, mtime and ctime (ns) are all unchanged, and files changed in the last two seconds
 * are never remembered (coarse timestamps could hide a second write in the same tick).
 */
export interface HashMemo {
  get(path: string, identity: string): string | undefined;
  set(path: string, identity: string, sha256: string): void;
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

/**
 * `includes` win over .gitignore (files a build generates and git ignores, like setuptools-scm's
 * _version.py); `excludes` win over both. The always-excluded directories stay excluded.
 */
export async function collectSources(
  projectDir: string,
  excludes: string[] = [],
  memo?: HashMemo,
  includes: string[] = [],
): Promise<CollectedSources> {
  const projectReal = realpathSync(projectDir);
  const { root, layout } = await sourceRoot(projectReal);
  const found: Array<{ name: string; absPath: string }> = [];
  const userExcludes = ignore().add(excludes);
  const userIncludes = includes.length ? ignore().add(includes) : null;
  const visited = new Set<string>();

  // Each directory's .gitignore applies to paths below it, as git does.
  function walk(dir: string, rel: string, rules: Array<{ base: string; ig: Ignore }>, gitIgnored = false): void {
    const real = realpathSync(dir);
    if (visited.has(real)) return; // a symlink loop
    visited.add(real);
    let gitignore: string | null = null;
    try {
      gitignore = readFileSync(join(dir, '.gitignore'), 'utf8');
    } catch {
      /* none here */
    }
    const scoped = gitignore === null ? rules : [...rules, { base: rel, ig: ignore().add(gitignore) }];
    const entries = readdirSync(dir, { withFileTypes: true });
    for (const e of entries) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      const abs = join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(abs);
        } catch {
          throw new UsageError(`${relative(projectReal, abs)} is a broken symlink — remove it or add it to .gitignore`);
        }
        if (target !== projectReal && !target.startsWith(projectReal + sep)) {
          throw new UsageError(
            `${relative(projectReal, abs)} is a symlink to ${target}, outside the project — replace it with a copy or exclude it`,
          );
        }
        const st = statSync(target);
        isDir = st.isDirectory();
        isFile = st.isFile();
      }
      // Build metadata that setuptools leaves next to the code (uv/pip write it while resolving).
      if (isDir && (ALWAYS_EXCLUDED_DIRS.has(e.name) || e.name.endsWith('.egg-info'))) continue;
      if (isFile && (ALWAYS_EXCLUDED_FILE.test(e.name) || e.name === '.gitignore')) continue;
      const probe = isDir ? name + '/' : name;
      if (userExcludes.ignores(probe)) continue;
      const ignored = gitIgnored || scoped.some((r) => r.ig.ignores(r.base ? probe.slice(r.base.length + 1) : probe));
      if (ignored) {
        if (!userIncludes) continue;
        if (isFile && !userIncludes.ignores(name)) continue;
        if (isDir && !userIncludes.ignores(probe) && !mayContain(includes, name)) continue;
      }
      if (isDir) {
        // A virtualenv is recognizable by its pyvenv.cfg whatever it is called.
        if (existsSync(join(abs, 'pyvenv.cfg'))) continue;
        // Inside an included directory everything is included; otherwise only what matches.
        walk(abs, name, scoped, ignored && !userIncludes?.ignores(probe));
      } else if (isFile) {
        found.push({ name, absPath: abs });
      }
    }
  }

  // With a src/ layout the project's own .gitignore still applies to src/ (e.g. *.egg-info/).
  const rootRules: Array<{ base: string; ig: Ignore }> = [];
  if (layout === 'src') {
    try {
      const projectIgnore = ignore().add(await readFile(join(projectReal, '.gitignore'), 'utf8'));
      rootRules.push({ base: '', ig: { ignores: (p: string) => projectIgnore.ignores(`src/${p}`) } as Ignore });
    } catch {
      /* no project .gitignore */
    }
  }
  walk(root, '', rootRules);
  const settled = BigInt(Date.now() - 2000) * 1_000_000n;
  const files = found.map((f) => {
    const st = statSync(f.absPath, { bigint: true });
    const identity = `${st.size} ${st.ino} ${st.mtimeNs} ${st.ctimeNs}`;
    let sha256 = memo?.get(f.name, identity);
    if (!sha256) {
      sha256 = hashFileSync(f.absPath);
      if (st.ctimeNs < settled && st.mtimeNs < settled) memo?.set(f.name, identity, sha256);
    }
    return { ...f, size: Number(st.size), executable: (st.mode & 0o100n) !== 0n, sha256 };
  });
  files.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  return { root, layout, files, codeHash: codeHashOf(files) };
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
