import { readEnvOr } from './env.ts';
import { formatBytes, formatMs } from './log.ts';

/**
 * Progress of long transfers (wheel downloads, S3 uploads, fetch/run), on stderr. On a terminal one
 * line is redrawn in place (all running transfers on it) and cleared at the end; in CI logs (not a
 * TTY) a line is printed at most every PEXPRESS_PROGRESS_INTERVAL_MS (5 s), plus a summary for a
 * transfer that took longer than that. Transfers shorter than that print nothing. Off with
 * `--json`/`--quiet` (the CLI calls setProgressEnabled(false)) or PEXPRESS_PROGRESS=0.
 */

export interface Transfer {
  /** Bytes moved since the last call. */
  add(bytes: number): void;
  /** Total bytes moved so far (for sources that report a running total). */
  set(loaded: number): void;
  /** The expected total, when known (gives a percentage and an ETA). */
  total(bytes: number): void;
  done(): void;
}

export interface ProgressOptions {
  write?: (text: string) => void;
  isTTY?: boolean;
  now?: () => number;
  intervalMs?: number;
  /** Drive rendering by hand (tests): no timer is started. */
  manual?: boolean;
}

interface Active {
  label: string;
  loaded: number;
  total: number | null;
  started: number;
}

let wanted = true;
/** Off with --json (setProgressEnabled(false)) or PEXPRESS_PROGRESS=0. */
const isEnabled = () => wanted && readEnvOr('PEXPRESS_PROGRESS', true);

export function setProgressEnabled(on: boolean): void {
  wanted = on;
}

function rate(bytes: number, ms: number): string {
  return ms > 0 ? `${formatBytes(Math.round((bytes * 1000) / ms))}/s` : '';
}

export function describe(t: Active, now: number): string {
  const ms = now - t.started;
  const parts = [
    t.total ? `${formatBytes(t.loaded)} / ${formatBytes(t.total)} (${Math.floor((t.loaded * 100) / t.total)}%)` : formatBytes(t.loaded),
  ];
  const r = rate(t.loaded, ms);
  if (r) parts.push(r);
  if (t.total && t.loaded > 0 && t.loaded < t.total) parts.push(`ETA ${formatMs(Math.round(((t.total - t.loaded) * ms) / t.loaded))}`);
  return `${t.label}: ${parts.join(', ')}`;
}

/** A progress display; `defaultProgress` is the process's (stderr). */
export function createProgress(opts: ProgressOptions = {}) {
  const write = opts.write ?? ((s: string) => process.stderr.write(s));
  const tty = opts.isTTY ?? !!process.stderr.isTTY;
  const now = opts.now ?? (() => performance.now());
  const interval = opts.intervalMs ?? readEnvOr('PEXPRESS_PROGRESS_INTERVAL_MS', 5000);
  // A terminal shows progress once a transfer has run this long, so quick ones never flicker.
  const ttyDelay = Math.min(interval, 500);
  const active = new Set<Active>();
  let timer: ReturnType<typeof setInterval> | null = null;
  let drawn = false;
  let lastLine = -Infinity;

  function render(): void {
    const t = now();
    const due = [...active].filter((a) => t - a.started >= (tty ? ttyDelay : interval));
    if (!due.length) return;
    const line = due.map((a) => describe(a, t)).join(' · ');
    if (tty) {
      write(`\r\x1b[K${line}`);
      drawn = true;
    } else if (t - lastLine >= interval) {
      write(line + '\n');
      lastLine = t;
    }
  }

  function start(label: string, total: number | null = null): Transfer {
    if (!isEnabled() && !opts.write) return { add() {}, set() {}, total() {}, done() {} };
    const a: Active = { label, loaded: 0, total, started: now() };
    active.add(a);
    if (!timer && !opts.manual) {
      timer = setInterval(render, tty ? 200 : Math.max(50, Math.min(interval, 1000)));
      timer.unref();
    }
    let finished = false;
    return {
      add: (n) => void (a.loaded += n),
      set: (n) => void (a.loaded = n),
      total: (n) => void (a.total = n),
      done() {
        if (finished) return;
        finished = true;
        active.delete(a);
        const ms = now() - a.started;
        if (tty && drawn) {
          write('\r\x1b[K');
          drawn = false;
          if (active.size) render();
        } else if (!tty && ms >= interval) {
          write(`${a.label}: ${formatBytes(a.loaded)} in ${formatMs(Math.round(ms))}${ms > 0 ? ` (${rate(a.loaded, ms)})` : ''}\n`);
        }
        if (!active.size && timer) {
          clearInterval(timer);
          timer = null;
        }
      },
    };
  }

  return { start, render };
}

let shared: ReturnType<typeof createProgress> | null = null;

/** Starts showing one transfer on stderr (nothing when progress is off). */
export function startTransfer(label: string, total: number | null = null): Transfer {
  if (!isEnabled()) return { add() {}, set() {}, total() {}, done() {} };
  shared ??= createProgress();
  return shared.start(label, total);
}
