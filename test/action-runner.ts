import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { GitHubServer } from './github-server.ts';
import { ROOT, run, TEST_CACHE, tempDir } from './helpers.ts';

/**
 * dist/index.js run as a GitHub runner runs it: action.yml's defaults as INPUT_*, the GITHUB_*
 * variables and event payload of push, pull_request (same-repo or fork) and pull_request_target
 * events, file commands for outputs and the job summary. Shared by the end-to-end tests and
 * bench/action.ts.
 */

export const BUNDLE = join(ROOT, 'dist', 'index.js');
export const REPO = 'acme/shop';
export const TOKEN = 'ghs_test_token_0123456789';
export const HEAD_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
/** GITHUB_SHA of a pull_request event: the merge commit GitHub made. */
export const MERGE_SHA = '5e9d0c3b7a1f2e4d6c8b0a9f8e7d6c5b4a3f2e1d';

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  ms: number;
}

export interface RunnerEvent {
  /** 'push' (default without pr), 'pull_request' (default with pr), 'pull_request_target', 'workflow_dispatch'. */
  name?: string;
  pr?: number | null;
  /** The pushed branch, or the PR's head branch. */
  branch?: string;
  /** The PR's base branch (GITHUB_BASE_REF). */
  base?: string;
  /** The repository the PR's head lives in (a fork's owner/name); the base repository by default. */
  headRepo?: string;
  defaultBranch?: string;
  headSha?: string;
}

export function outputsOf(text: string): Record<string, string> {
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

export async function actionDefaults(): Promise<Record<string, string>> {
  if (!yamlDefaults) {
    const y = parseYaml(await readFile(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
    yamlDefaults = Object.fromEntries(Object.entries(y.inputs).map(([k, v]) => [k, v.default ?? '']));
  }
  return yamlDefaults;
}

export interface StepOptions {
  workspace: string;
  gh: GitHubServer;
  inputs?: Record<string, string>;
  event?: RunnerEvent;
  token?: string;
  /** Applied last (PEXPRESS_CACHE_DIR, AWS_*, PATH …); undefined removes a variable. */
  env?: NodeJS.ProcessEnv;
}

/** The environment of one step, its event payload and file commands written into `dir`. */
export async function runnerEnv(o: StepOptions & { dir: string }): Promise<NodeJS.ProcessEnv> {
  const ev = o.event ?? {};
  const pr = ev.pr === undefined ? null : ev.pr;
  const name = ev.name ?? (pr ? 'pull_request' : 'push');
  const branch = ev.branch ?? (pr ? 'feature/x' : 'main');
  const base = ev.base ?? 'main';
  const headRepo = ev.headRepo ?? REPO;
  const repository = { full_name: REPO, default_branch: ev.defaultBranch ?? 'main' };
  const payload = pr
    ? {
        number: pr,
        repository,
        pull_request: {
          number: pr,
          head: { sha: ev.headSha ?? HEAD_SHA, ref: branch, repo: { full_name: headRepo } },
          base: { ref: base, repo: { full_name: REPO } },
        },
      }
    : { ref: `refs/heads/${branch}`, repository };
  const eventFile = join(o.dir, 'event.json');
  const outputFile = join(o.dir, 'output');
  const summaryFile = join(o.dir, 'summary.md');
  await writeFile(eventFile, JSON.stringify(payload));
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: NodeJS.ProcessEnv = {};
  // A clean environment: nothing from a real runner leaks in (the cache service stays off).
  for (const [k, v] of Object.entries(process.env)) if (!/^(INPUT_|GITHUB_|ACTIONS_|RUNNER_|PEXPRESS_)/.test(k)) env[k] = v;
  for (const [k, v] of Object.entries(await actionDefaults())) env[`INPUT_${k.toUpperCase()}`] = v;
  env['INPUT_GITHUB-TOKEN'] = o.token ?? TOKEN;
  for (const [k, v] of Object.entries(o.inputs ?? {})) env[`INPUT_${k.toUpperCase()}`] = v;
  const onPr = name === 'pull_request' || name === 'pull_request_target';
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REPOSITORY: REPO,
    // pull_request: the merge commit; pull_request_target: the base branch's head.
    GITHUB_SHA: MERGE_SHA,
    GITHUB_REF: onPr ? (name === 'pull_request' ? `refs/pull/${pr}/merge` : `refs/heads/${base}`) : `refs/heads/${branch}`,
    GITHUB_REF_NAME: onPr ? (name === 'pull_request' ? `${pr}/merge` : base) : branch,
    GITHUB_HEAD_REF: onPr ? branch : '',
    GITHUB_BASE_REF: onPr ? base : '',
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_API_URL: o.gh.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    RUNNER_TEMP: o.dir,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    PEXPRESS_CACHE_DIR: TEST_CACHE,
    ...(process.env.PEXPRESS_UV ? { PEXPRESS_UV: process.env.PEXPRESS_UV } : {}),
    ...o.env,
  });
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

export async function runAction(o: StepOptions): Promise<ActionRun> {
  const dir = await tempDir('pexpress-runner-');
  try {
    const env = await runnerEnv({ ...o, dir });
    const t0 = performance.now();
    const r = await run(process.execPath, [BUNDLE], { cwd: o.workspace, env, cleanEnv: true });
    const ms = Math.round(performance.now() - t0);
    return {
      ...r,
      outputs: outputsOf(await readFile(join(dir, 'output'), 'utf8')),
      summary: await readFile(join(dir, 'summary.md'), 'utf8'),
      ms,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const annotations = (out: string, kind: 'error' | 'warning' | 'notice') => out.split('\n').filter((l) => l.startsWith(`::${kind}`));
