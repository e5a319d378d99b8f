// Finding the external tools (uv, python) and the cache directory; installs uv on first use.
import { access, constants, type Stats } from 'node:fs';
import { mkdir, open, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { BuildError, optionRef } from './errors.ts';
import { readEnv } from './env.ts';
import type { ResolverKind } from '../build/fingerprint.ts';
import type { Logger } from './log.ts';
import { toolTrustEnv } from './net.ts';
import { runProcess, type ProcessRunner } from './process.ts';

/** One directory for every cache pexpress keeps (wheels, uv's cache, the tool venv): easy to persist in CI. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = readEnv('PEXPRESS_CACHE_DIR', env);
  if (dir) return dir;
  const base = readEnv('XDG_CACHE_HOME', env) || join(homedir(), '.cache');
  return join(base, 'pexpress');
}

function isExecutable(path: string): Promise<boolean> {
  return new Promise((res) => access(path, constants.X_OK, (err) => res(!err)));
}

export async function which(cmd: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && (await isExecutable(join(dir, cmd)))) return join(dir, cmd);
  }
  return null;
}

export function hostPython(env: NodeJS.ProcessEnv = process.env): string {
  return readEnv('PEXPRESS_PYTHON', env) || 'python3';
}

/** What the last probe said about an interpreter binary, valid while its file identity is unchanged. */
interface ProbeMemo {
  path: string;
  identity: string;
  version: string;
}

const identityOf = (st: Stats) => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;

/**
 * The interpreter a pyenv shim would run, read the way pyenv reads it (PYENV_VERSION, the nearest
 * .python-version, then $PYENV_ROOT/version): starting the shim costs ~0.1 s of bash. null for
 * anything else, or when pyenv would pick `system` or a version name it resolves itself.
 */
async function pyenvTarget(shim: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const text = await readFile(shim, 'utf8').catch(() => '');
  const root = /^export PYENV_ROOT="([^"]+)"$/m.exec(text)?.[1];
  if (!text.startsWith('#!') || !root || !/\/libexec\/pyenv" exec /.test(text)) return null;
  const firstWord = (t: string) => t.split(/\s+/).find((w) => w && !w.startsWith('#')) ?? null;
  let version = env.PYENV_VERSION ? firstWord(env.PYENV_VERSION.replace(/:/g, ' ')) : null;
  for (let dir = env.PYENV_DIR || process.cwd(); !version;) {
    version = firstWord(await readFile(join(dir, '.python-version'), 'utf8').catch(() => ''));
    if (dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  version ??= firstWord(await readFile(join(root, 'version'), 'utf8').catch(() => ''));
  if (!version || version === 'system' || version.includes('/')) return null;
  const bin = join(root, 'versions', version, 'bin', basename(shim));
  return (await isExecutable(bin)) ? bin : null;
}

/**
 * The host interpreter's X.Y, without starting it where the file says it: `python3` on a runner
 * resolves (through symlinks) to a binary named `python3.11`. Otherwise (a `python3` binary, a
 * version-manager shim) python is asked once and the answer kept by the binary's resolved path
 * and file identity; a script (a shim, whose answer depends on the directory and environment) is
 * asked every time.
 */
export async function hostPythonVersion(run: ProcessRunner = runProcess, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const cmd = hostPython(env);
  const found = cmd.includes('/') ? cmd : await which(cmd, env);
  let real: string | null = null;
  let identity: string | null = null;
  const memoFile = join(cacheDir(env), 'python-probe.json');
  if (found) {
    try {
      real = await realpath((await pyenvTarget(found, env)) ?? found);
      const named = /^python(3)\.(\d{1,2})$/.exec(basename(real));
      if (named) return `${named[1]}.${Number(named[2])}`;
      const st = await stat(real);
      const head = Buffer.alloc(2);
      const fh = await open(real, 'r');
      try {
        await fh.read(head, 0, 2, 0);
      } finally {
        await fh.close();
      }
      if (head.toString('latin1') !== '#!') identity = identityOf(st);
      if (identity) {
        const memo = JSON.parse(await readFile(memoFile, 'utf8').catch(() => 'null')) as ProbeMemo | null;
        if (memo && memo.path === real && memo.identity === identity && /^3\.\d+$/.test(memo.version)) return memo.version;
      }
    } catch {
      /* asked below */
    }
  }
  try {
    const r = await run(cmd, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']);
    if (r.code !== 0) return null;
    const version = r.stdout.trim();
    if (real && identity && /^3\.\d+$/.test(version)) {
      const memo: ProbeMemo = { path: real, identity, version };
      await mkdir(dirname(memoFile), { recursive: true })
        .then(() => writeFile(memoFile, JSON.stringify(memo)))
        .catch(() => undefined);
    }
    return version;
  } catch {
    return null;
  }
}

export interface Tools {
  resolver: ResolverKind;
  /** uv's path when resolver is uv. */
  uv: string | null;
  /** The interpreter that runs pip (and builds sdists for a host-matching target). */
  python: string;
}

/**
 * uv when it is on PATH or in pexpress's tool venv (installed there on first use), pip otherwise.
 * The choice is made before fingerprinting because the resolver kind is part of the fingerprint.
 */
export async function findTools(requested: 'auto' | ResolverKind, log: Logger, run: ProcessRunner = runProcess): Promise<Tools> {
  const python = hostPython();
  // Before any uv/pip runs: they inherit process.env, so give them the CAs Node was given.
  Object.assign(process.env, toolTrustEnv(process.env, join(cacheDir(), 'ca')));
  if (requested === 'pip') return { resolver: 'pip', uv: null, python };
  const onPath = readEnv('PEXPRESS_UV') || (await which('uv'));
  if (onPath) return { resolver: 'uv', uv: onPath, python };
  const venv = join(cacheDir(), 'tools', 'venv');
  const venvUv = join(venv, 'bin', 'uv');
  if (await isExecutable(venvUv)) return { resolver: 'uv', uv: venvUv, python };
  log.info(`installing uv into ${venv} (once)`);
  const steps: Array<[string, string[]]> = [
    [python, ['-m', 'venv', venv]],
    [join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', 'uv']],
  ];
  for (const [cmd, args] of steps) {
    const r = await run(cmd, args).catch((e: Error) => ({ code: 1, stdout: '', stderr: e.message }));
    if (r.code !== 0) {
      if (requested === 'uv')
        throw new BuildError(
          `cannot install uv into ${venv}: ${r.stderr.trim().split('\n').pop()} — install uv on PATH or set ${optionRef('resolver')} to pip`,
        );
      log.warn(`uv is not available (${r.stderr.trim().split('\n').pop()}); resolving with pip`);
      return { resolver: 'pip', uv: null, python };
    }
  }
  return { resolver: 'uv', uv: venvUv, python };
}
