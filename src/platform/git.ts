// The commit and branch a build belongs to (GitHub's variables, .git read directly, the git CLI).
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { runProcess } from './process.ts';

export interface Revision {
  commit: string | null;
  ref: string;
}

async function git(dir: string, args: string[]): Promise<string | null> {
  try {
    const r = await runProcess('git', ['-C', dir, ...args]);
    return r.code === 0 ? r.stdout.trim() || null : null;
  } catch {
    return null;
  }
}

/** The enclosing repository's .git directory, when it is a plain directory (not a worktree file). */
async function gitDir(start: string): Promise<string | null> {
  let dir = resolve(start);
  for (;;) {
    try {
      await readFile(join(dir, '.git', 'HEAD'));
      return join(dir, '.git');
    } catch {
      const up = dirname(dir);
      if (up === dir) return null;
      dir = up;
    }
  }
}

/**
 * HEAD read from .git directly: a fast build should not pay for two git processes. Anything
 * unusual (worktrees, packed or symbolic refs it cannot follow) falls back to the git CLI.
 */
async function readHead(projectDir: string): Promise<{ commit: string | null; ref: string | null } | null> {
  const dir = await gitDir(projectDir);
  if (!dir) return { commit: null, ref: null };
  const head = (await readFile(join(dir, 'HEAD'), 'utf8')).trim();
  if (/^[0-9a-f]{40,64}$/.test(head)) return { commit: head, ref: null };
  const m = /^ref: (refs\/heads\/(.+))$/.exec(head);
  if (!m) return null;
  try {
    return { commit: (await readFile(join(dir, m[1]), 'utf8')).trim(), ref: m[2] };
  } catch {
    try {
      const packed = await readFile(join(dir, 'packed-refs'), 'utf8');
      const line = packed.split('\n').find((l) => l.endsWith(` ${m[1]}`));
      return { commit: line ? line.split(' ')[0] : null, ref: m[2] };
    } catch {
      return { commit: null, ref: m[2] }; // a branch with no commit yet
    }
  }
}

/** The commit and branch a build belongs to: GitHub's variables first, then the checkout, then "local". */
export async function currentRevision(projectDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Revision> {
  const envRef = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME;
  let local = env.GITHUB_SHA && envRef ? null : await readHead(projectDir).catch(() => null);
  if (local === null && !(env.GITHUB_SHA && envRef)) {
    const [commit, ref] = await Promise.all([
      git(projectDir, ['rev-parse', 'HEAD']),
      git(projectDir, ['rev-parse', '--abbrev-ref', 'HEAD']),
    ]);
    local = { commit, ref: ref && ref !== 'HEAD' ? ref : null };
  }
  return { commit: env.GITHUB_SHA || local?.commit || null, ref: envRef || local?.ref || 'local' };
}
