import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { BuildOptions } from '../build/build.ts';
import type { ActionInputs } from './inputs.ts';
import type { RunContext } from './main.ts';

/**
 * Records per repository and project (the target is added by the build): a fork's PR reads the
 * base repository's records for its base branch but writes only under the fork's name, so a
 * fork's `main` never stands in for the real one.
 */
export function historyOf(gh: RunContext, inputs: Pick<ActionInputs, 'projectDirLabel'>): BuildOptions['history'] {
  const base = gh.repository || null;
  const fallbacks: Array<{ ref: string; repository: string | null }> = [];
  for (const ref of [gh.baseRef, gh.defaultBranch]) {
    if (ref && !fallbacks.some((f) => f.ref === ref)) fallbacks.push({ ref, repository: base });
  }
  return { repository: gh.headRepository || base, project: inputs.projectDirLabel, fallbacks };
}

/**
 * `requirements.txt:3: …` (a declaration file's line, relative to the project) as an annotation
 * on that line of the PR's diff: the file relative to the workspace, when it is there.
 */
export function failureLocation(
  message: string,
  inputs: Pick<ActionInputs, 'projectDir'>,
  workspace: string,
): { file: string; startLine: number } | null {
  const m = /^([^\s:'"]+):(\d+): /.exec(message);
  if (!m) return null;
  const abs = resolve(inputs.projectDir, m[1]);
  const file = relative(workspace, abs).split(sep).join('/');
  if (file.startsWith('..') || isAbsolute(file) || !existsSync(abs)) return null;
  return { file, startLine: Number(m[2]) };
}
