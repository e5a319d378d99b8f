/** Bad usage or bad input: the user must change something. Exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** The build itself failed (resolver, network, store write). Exit code 1. */
export class BuildError extends Error {
  readonly exitCode = 1;
}

export function exitCodeOf(err: unknown): number {
  if (err && typeof err === 'object' && 'exitCode' in err && typeof err.exitCode === 'number') return err.exitCode;
  return 1;
}

export function messageOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // One line: callers print it after "pexpress: ".
  return msg
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' — ');
}

/**
 * A failed write as one line that names the path: Node's own messages ("ENOSPC: no space left on
 * device, write") say neither where nor what to do. A full disk is a failure while working (1).
 */
export function writeError(path: string, err: unknown): Error {
  if (err instanceof UsageError || err instanceof BuildError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new BuildError(`no space left on the device writing ${path} — free some space there (or point it elsewhere) and build again`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new BuildError(`cannot write ${path} (${code}) — make it writable or point it elsewhere`);
  return new BuildError(`writing ${path} failed: ${code ?? (err as Error)?.message ?? String(err)}`);
}
