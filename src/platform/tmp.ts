import { readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * Temp files and directories are named `.<label>.<host>.<pid>.<random>.tmp` next to where they
 * end up (same filesystem, so the final rename is atomic). A build killed with -9, or stopped by a
 * full disk, leaves them behind; the next run that writes into the same directory removes the ones
 * whose owner is gone: a pid no longer alive on this host, or anything older than a day (a host
 * sharing the directory cannot see other hosts' pids).
 */
const HOST = hostname().replace(/[^A-Za-z0-9-]/g, '-') || 'host';
const PATTERN = /^\.(.+)\.([A-Za-z0-9-]+)\.(\d+)\.[a-z0-9]+\.tmp$/;
const STALE_MS = 24 * 3600 * 1000;

export function tmpPath(dir: string, label: string): string {
  return join(dir, `.${label}.${HOST}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temps left in `dir` by owners that are gone (only names made by tmpPath). */
export function sweepTemps(dir: string, label?: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const n of names) {
    const m = PATTERN.exec(n);
    if (!m || (label !== undefined && m[1] !== label)) continue;
    const path = join(dir, n);
    let stale: boolean;
    if (m[2] === HOST) stale = !alive(Number(m[3]));
    else {
      try {
        stale = now - statSync(path).mtimeMs > STALE_MS;
      } catch {
        continue;
      }
    }
    if (stale) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * A private work directory under `<cache>/tmp` instead of the system temp directory, where a run
 * killed with -9 would leave it forever: every new one sweeps those of owners that are gone.
 */
export async function workDir(cacheDir: string, label: string): Promise<string> {
  const parent = join(cacheDir, 'tmp');
  sweepTemps(parent);
  const dir = tmpPath(parent, label);
  await mkdir(dir, { recursive: true });
  return dir;
}
