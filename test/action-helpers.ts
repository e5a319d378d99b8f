import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { GitHubServer } from './github-server.ts';
import { ROOT, run, TEST_CACHE, tempDir } from './helpers.ts';
import { actionDefaults, BUNDLE, HEAD_SHA, MERGE_SHA, outputsOf, REPO, TOKEN, type ActionRun } from './action-runner.ts';

/**
 * The split Action tests' runner: one PR (#7, head feature/faster) or a push to main, with
 * `bare` to leave action.yml's defaults out. The constants, the output parser and action.yml's
 * defaults are action-runner.ts's (the issue-14 tests' runner, with the full event model).
 */
export { annotations, BUNDLE, HEAD_SHA, MERGE_SHA, REPO, TOKEN, type ActionRun } from './action-runner.ts';

export interface ActionYml {
  name: string;
  description: string;
  branding: { icon: string; color: string };
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

export async function actionYml(): Promise<ActionYml> {
  return parseYaml(await readFile(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
}

/** Runs dist/index.js as the runner would: INPUT_* (action.yml's defaults unless `bare`), GITHUB_*, file commands. */
export async function runAction(o: {
  workspace: string;
  gh: GitHubServer;
  inputs?: Record<string, string>;
  pr?: number | null;
  event?: string;
  bare?: boolean;
  env?: NodeJS.ProcessEnv;
}): Promise<ActionRun> {
  const dir = await tempDir('pexpress-runner-');
  try {
    const outputFile = join(dir, 'output');
    const summaryFile = join(dir, 'summary.md');
    const eventFile = join(dir, 'event.json');
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    const pr = o.pr === undefined ? 7 : o.pr;
    await writeFile(
      eventFile,
      JSON.stringify(
        pr ? { number: pr, pull_request: { number: pr, head: { sha: HEAD_SHA, ref: 'feature/faster' } } } : { ref: 'refs/heads/main' },
      ),
    );
    const env: NodeJS.ProcessEnv = {};
    // A clean environment: nothing from a real runner leaks in (the cache service stays off).
    for (const [k, v] of Object.entries(process.env)) if (!/^(INPUT_|GITHUB_|ACTIONS_|RUNNER_)/.test(k)) env[k] = v;
    if (!o.bare) {
      for (const [k, v] of Object.entries(await actionDefaults())) env[`INPUT_${k.toUpperCase()}`] = v;
      env['INPUT_GITHUB-TOKEN'] = TOKEN;
    }
    for (const [k, v] of Object.entries(o.inputs ?? {})) env[`INPUT_${k.toUpperCase()}`] = v;
    Object.assign(env, {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: o.event ?? (pr ? 'pull_request' : 'push'),
      GITHUB_EVENT_PATH: eventFile,
      GITHUB_REPOSITORY: REPO,
      GITHUB_SHA: MERGE_SHA,
      GITHUB_REF: pr ? `refs/pull/${pr}/merge` : 'refs/heads/main',
      GITHUB_REF_NAME: pr ? `${pr}/merge` : 'main',
      GITHUB_HEAD_REF: pr ? 'feature/faster' : '',
      GITHUB_WORKSPACE: o.workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_API_URL: o.gh.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '4242',
      RUNNER_TEMP: dir,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      PEXPRESS_CACHE_DIR: TEST_CACHE,
      ...o.env,
    });
    const t0 = performance.now();
    const r = await run(process.execPath, [BUNDLE], { cwd: o.workspace, env, cleanEnv: true });
    const ms = Math.round(performance.now() - t0);
    return { ...r, outputs: outputsOf(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8'), ms };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
