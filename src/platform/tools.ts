// Finding the external tools (uv, python) and the cache directory; installs uv on first use.
import { access, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { BuildError } from './errors.ts';
import type { ResolverKind } from '../build/fingerprint.ts';
import type { Logger } from './log.ts';
import { runProcess, type ProcessRunner } from './process.ts';

/** One directory for every cache pexpress keeps (wheels, uv's cache, the tool venv): easy to persist in CI. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PEXPRESS_CACHE_DIR) return env.PEXPRESS_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
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
  return env.PEXPRESS_PYTHON || 'python3';
}

export async function hostPythonVersion(run: ProcessRunner = runProcess): Promise<string | null> {
  try {
    const r = await run(hostPython(), ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']);
    return r.code === 0 ? r.stdout.trim() : null;
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
  if (requested === 'pip') return { resolver: 'pip', uv: null, python };
  const onPath = process.env.PEXPRESS_UV || (await which('uv'));
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
          `cannot install uv into ${venv}: ${r.stderr.trim().split('\n').pop()} — install uv on PATH or use --resolver pip`,
        );
      log.warn(`uv is not available (${r.stderr.trim().split('\n').pop()}); resolving with pip`);
      return { resolver: 'pip', uv: null, python };
    }
  }
  return { resolver: 'uv', uv: venvUv, python };
}
