import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { GitHubServer } from './github-server.ts';
import { ROOT, run, TEST_CACHE, tempDir } from './helpers.ts';

/** What the Action tests share: the bundle, a repository and its token, action.yml, and a runner. */
export const BUNDLE = join(ROOT, 'dist', 'index.js');
export const REPO = 'acme/shop';
export const TOKEN = 'ghs_test_token_0123456789';
export const HEAD_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
/** GITHUB_SHA of a pull_request event: the merge commit GitHub made. */
export const MERGE_SHA = '5e9d0c3b7a1f2e4d6c8b0a9f8e7d6c5b4a3f2e1d';

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

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  ms: number;
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(ghadelimiter_[\w-]+)$/.exec(lines[i]);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]);
    out[m[1]] = value.join('\n');
  }
  return out;
}

let yamlDefaults: Record<string, string> | undefined;

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
      yamlDefaults ??= Object.fromEntries(Object.entries((await actionYml()).inputs).map(([k, v]) => [k, v.default ?? '']));
      for (const [k, v] of Object.entries(yamlDefaults)) env[`INPUT_${k.toUpperCase()}`] = v;
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
    return { ...r, outputs: parseOutputs(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8'), ms };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const annotations = (out: string, kind: 'error' | 'warning') => out.split('\n').filter((l) => l.startsWith(`::${kind}`));
