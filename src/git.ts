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

/** The commit and branch a build belongs to: GitHub's variables first, then the checkout, then "local". */
export async function currentRevision(projectDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Revision> {
  const envRef = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME;
  const [commit, ref] = await Promise.all([
    env.GITHUB_SHA ? Promise.resolve(env.GITHUB_SHA) : git(projectDir, ['rev-parse', 'HEAD']),
    envRef ? Promise.resolve(envRef) : git(projectDir, ['rev-parse', '--abbrev-ref', 'HEAD']),
  ]);
  return { commit, ref: ref && ref !== 'HEAD' ? ref : 'local' };
}
