/**
 * Typed errors and the one place they are turned into what a user reads. A message says what is
 * wrong; the hint says what to do. The CLI prints `pexpress: <message> — <hint>` (or one JSON
 * object with --json), the Action fails the step with the same line: both call describeError().
 */
export interface ErrorDetails {
  /**
   * What the user can do about it, e.g. "set {{option:python}} to X.Y" (see optionRef). Without
   * one, the part of the message after its first " — " is the hint; '' says there is none.
   */
  hint?: string;
}

/** Bad usage or bad input: the user must change something. Exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  readonly hint?: string;
  constructor(message: string, details: ErrorDetails = {}) {
    super(message);
    this.hint = details.hint;
  }
}

/** The build itself failed (resolver, network, store write). Exit code 1. */
export class BuildError extends Error {
  readonly exitCode = 1;
  readonly hint?: string;
  constructor(message: string, details: ErrorDetails = {}) {
    super(message);
    this.hint = details.hint;
  }
}

/**
 * A reference to an option of src/options/table.ts by its key, inside a message or hint. The
 * core does not know whether the CLI or the Action called it: the renderer names the option the
 * way the user gave it (`--python` on the CLI, `input 'python-version'` in the Action).
 */
export function optionRef(key: string): string {
  return `{{option:${key}}}`;
}

/** How a front end names an option key (see optionRef); the default is the CLI's `--key`. */
export type OptionNamer = (key: string) => string;

const cliDefault: OptionNamer = (key) => `--${key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`;

export function renderOptionRefs(text: string, name: OptionNamer = cliDefault): string {
  return text.replace(/\{\{option:([A-Za-z0-9-]+)\}\}/g, (_, key: string) => name(key));
}

export interface ErrorReport {
  message: string;
  hint: string | null;
  exitCode: number;
}

const oneLine = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' — ');

// Errors from Node itself (fs, spawn) carry a code; these are the ones a user can act on.
const SYSTEM_HINTS: Record<string, string> = {
  EACCES: 'check the permissions of that path',
  EPERM: 'check the permissions of that path',
  ENOSPC: 'free some disk space and run again',
  EROFS: 'that file system is read-only: choose a writable directory',
  ENOENT: 'check that the path exists',
  EMFILE: 'too many open files: raise the limit (ulimit -n) and run again',
};

/**
 * What a user reads for an error: one line of message, a hint or null, the exit code. A typed
 * error without an explicit hint keeps the house style "what — what to do": the part after the
 * first " — " is its hint. Anything untyped is a failure while working (exit 1).
 */
export function describeError(err: unknown, name: OptionNamer = cliDefault): ErrorReport {
  const typed = err instanceof UsageError || err instanceof BuildError;
  let message = oneLine(renderOptionRefs(err instanceof Error ? err.message : String(err), name)) || 'unknown error';
  let hint: string | null = typed && err.hint ? oneLine(renderOptionRefs(err.hint, name)) : null;
  if (typed && err.hint === undefined) {
    const at = message.indexOf(' — ');
    if (at > 0) {
      hint = message.slice(at + 3);
      message = message.slice(0, at);
    }
  }
  if (!typed) {
    const code = err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : '';
    hint = SYSTEM_HINTS[code] ?? 'an unexpected error: set PEXPRESS_DEBUG=1 for where it came from, and report it if it looks like a bug';
  }
  return { message, hint, exitCode: exitCodeOf(err) };
}

/** The one line a user reads: `<message> — <hint>`. */
export function renderError(report: ErrorReport): string {
  return report.hint ? `${report.message} — ${report.hint}` : report.message;
}

export function exitCodeOf(err: unknown): number {
  if (err && typeof err === 'object' && 'exitCode' in err && typeof err.exitCode === 'number') return err.exitCode;
  return 1;
}

/** One line for logs and warnings (message and hint, option names as on the CLI). */
export function messageOf(err: unknown, name: OptionNamer = cliDefault): string {
  const msg = renderOptionRefs(err instanceof Error ? err.message : String(err), name);
  const hint = (err instanceof UsageError || err instanceof BuildError) && err.hint ? ` — ${renderOptionRefs(err.hint, name)}` : '';
  // One line: callers print it after "pexpress: ".
  return oneLine(msg + hint);
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
