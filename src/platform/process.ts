// The one way pexpress starts other programs (uv, pip, python, git): argv arrays, captured output.
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Set when the tool was killed for running longer than `timeoutMs`. */
  timedOut?: boolean;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Kill the tool and everything it started after this long (0 or unset: no limit). */
  timeoutMs?: number;
}

/** The one way pexpress starts tools (uv, pip, python, git): argv arrays only, never a shell. */
export type ProcessRunner = (cmd: string, args: string[], opts?: RunOptions) => Promise<RunResult>;

/**
 * Tools run in their own process group under a tiny sh guard that holds the read end of a pipe
 * from us (fd 3). When pexpress exits for any reason, SIGKILL included, the pipe closes and the
 * guard kills the whole group: no uv, pip or setup.py outlives the build. The tool itself gets our
 * stdin (fd 4 copy; sh gives background jobs /dev/null otherwise) and never sees fd 3. The argv is
 * passed as "$@", never interpreted by the shell.
 */
const GUARD =
  'exec 4<&0; "$@" <&4 4<&- 3<&- & c=$!; ' +
  '{ read -r x <&3; kill -KILL 0; } 4<&- & w=$!; ' +
  'wait $c; s=$?; kill $w 2>/dev/null; exit $s';

export const runProcess: ProcessRunner = (cmd, args, opts = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', GUARD, 'pexpress-guard', cmd, ...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          killGroup();
        }, opts.timeoutMs)
      : null;
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      // Anything the tool left running in the background goes with it.
      killGroup();
      // The guard's own pipe end; closing it lets nothing linger.
      (child.stdio[3] as NodeJS.WritableStream | null)?.end?.();
      const stderr = Buffer.concat(err).toString('utf8');
      // sh reports a missing command as 127; callers expect spawn's ENOENT, as without the guard.
      if (code === 127 && /not found|No such file/.test(stderr) && !out.length) {
        reject(Object.assign(new Error(`spawn ${cmd} ENOENT`), { code: 'ENOENT', path: cmd }));
        return;
      }
      resolve({
        code: timedOut ? 124 : (code ?? 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr,
        ...(timedOut ? { timedOut } : {}),
      });
    });
    // The guard pipe must not keep our event loop alive, nor crash us if the guard is gone.
    const guardPipe = child.stdio[3] as (NodeJS.WritableStream & { unref?: () => void; on: NodeJS.WritableStream['on'] }) | null;
    guardPipe?.on('error', () => undefined);
    if (child.stdin) {
      // A child that exits without reading its input must not crash us with EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input);
    }
  });
