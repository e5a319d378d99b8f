// The two error kinds a user sees (exit 2: fix your input; exit 1: the build failed) and how an
// error becomes one line.
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
