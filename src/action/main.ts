// The Action's run(): inputs, the shared build(), outputs, job summary and sticky PR comment.
// Decides nothing about the build itself; rendering lives in report.ts.
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { buildOptionsOf, envInputReader, readInputs, type ActionInputs, type OutputName } from './inputs.ts';
import { build, type BuildResult } from '../build/build.ts';
import { failureLocation, historyOf } from './context.ts';
import { ResolverCache } from './cache.ts';
import { describeError, messageOf, renderError, renderOptionRefs } from '../platform/errors.ts';
import { readEnv, readEnvOr } from '../platform/env.ts';
import { actionName } from '../options/table.ts';
import { findComment, GitHubClient, GitHubError, upsertComment } from './github.ts';
import { createLogger, formatBytes, formatMs, type Logger } from '../platform/log.ts';
import { renderComment, renderFailureComment, renderFailureSummary, renderSummary, commentMarker, type ReportContext } from './report.ts';
import '../store/s3-register.ts';
import { cacheDir } from '../platform/tools.ts';
import { promote } from '../deploy/envs.ts';
import { openStore } from '../store/index.ts';

/** What the workflow run tells us: the event, the PR (if any), where the API and the run are. */
export interface RunContext {
  eventName: string;
  prNumber: number | null;
  /** The PR's head commit (GITHUB_SHA is the merge commit on pull_request events). */
  headSha: string | null;
  repository: string;
  /** The repository the built commit lives in: a fork's for a fork's PR, else `repository`. */
  headRepository: string;
  /** The PR's base branch (GITHUB_BASE_REF), on PR events. */
  baseRef: string | null;
  defaultBranch: string | null;
  sha: string | null;
  ref: string | null;
  serverUrl: string;
  apiUrl: string;
  runUrl: string | undefined;
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let payload: {
    pull_request?: { number?: unknown; head?: { sha?: unknown; repo?: { full_name?: unknown } | null } };
    number?: unknown;
    repository?: { default_branch?: unknown };
  } = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
    } catch (err) {
      core.warning(`cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${messageOf(err)}`);
    }
  }
  const n = payload.pull_request?.number ?? payload.number;
  const prNumber = PR_EVENTS.has(eventName) && typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
  const head = payload.pull_request?.head?.sha;
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY ?? '';
  const headRepo = payload.pull_request?.head?.repo?.full_name;
  const defaultBranch = payload.repository?.default_branch;
  return {
    eventName,
    prNumber,
    headSha: typeof head === 'string' ? head : null,
    repository,
    headRepository: PR_EVENTS.has(eventName) && typeof headRepo === 'string' && headRepo ? headRepo : repository,
    baseRef: (PR_EVENTS.has(eventName) && env.GITHUB_BASE_REF) || null,
    defaultBranch: typeof defaultBranch === 'string' && defaultBranch ? defaultBranch : null,
    sha: env.GITHUB_SHA || null,
    ref: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || null,
    serverUrl,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    runUrl: repository && env.GITHUB_RUN_ID ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
  };
}

/** The core's Logger, routed to the runner: phases become groups, secrets are masked in the log. */
export function actionLogger(): Logger {
  const base = createLogger({
    // Warnings from the core may name options (optionRef): as inputs here.
    info: (line) => core.info(renderOptionRefs(line, actionName)),
    warn: (line) => core.warning(renderOptionRefs(line, actionName)),
    startGroup: (name) => core.startGroup(name),
    endGroup: () => core.endGroup(),
  });
  return {
    ...base,
    addSecret(secret: string) {
      base.addSecret(secret);
      if (secret && secret.length >= 3) core.setSecret(secret);
      try {
        const dec = decodeURIComponent(secret);
        if (dec !== secret && dec.length >= 3) core.setSecret(dec);
      } catch {
        /* not URI-encoded */
      }
    },
  };
}

function setOutputs(r: BuildResult, inputs: ActionInputs): void {
  const outputs: Record<OutputName, string> = {
    'build-type': r.buildType,
    reason: r.reason,
    fingerprint: r.fingerprint,
    'deps-sha256': r.deps.sha256,
    'deps-key': r.deps.key,
    'source-sha256': r.source.sha256,
    'source-key': r.source.key,
    'manifest-key': r.manifest.key,
    'deps-path': r.deps.path ?? '',
    'source-path': r.source.path ?? '',
    'store-url': inputs.storeUrl,
    'promoted-to': '',
  };
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}

/** The login the token writes comments as; started early, so it costs the step no time. */
function tokenIdentity(gh: RunContext, inputs: ActionInputs, env: NodeJS.ProcessEnv): Promise<string> | null {
  if (gh.prNumber === null || inputs.commentOnPr === 'never' || !inputs.githubToken) return null;
  const fallback = 'github-actions[bot]';
  return (async () => {
    try {
      const client = new GitHubClient({ token: inputs.githubToken, repository: gh.repository, apiUrl: gh.apiUrl, attempts: 2 });
      return await client.viewerLogin(env.GITHUB_GRAPHQL_URL || undefined);
    } catch (err) {
      core.info(`cannot tell who the token is (${messageOf(err)}): looking for comments by ${fallback}`);
      return fallback;
    }
  })();
}

async function comment(
  gh: RunContext,
  inputs: ActionInputs,
  body: string,
  kind: 'full' | 'fast' | 'failed',
  identity: Promise<string> | null,
): Promise<void> {
  if (gh.prNumber === null || inputs.commentOnPr === 'never') return;
  const where = `PR #${gh.prNumber}`;
  if (!inputs.githubToken || !identity) {
    core.warning(`no github-token: no comment on ${where} — the job summary has the report`);
    return;
  }
  try {
    const client = new GitHubClient({ token: inputs.githubToken, repository: gh.repository, apiUrl: gh.apiUrl });
    const author = await identity;
    const marker = commentMarker(inputs.projectDirLabel);
    if (inputs.commentOnPr === 'on-full' && kind === 'fast') {
      // on-full: a fast build says nothing new, but it must take back an earlier full build's claim.
      const earlier = await findComment(client, gh.prNumber, marker, author);
      if (!earlier) {
        core.info(`comment-on-pr is on-full: a fast build, no comment on ${where}`);
        return;
      }
      const c = await client.updateIssueComment(earlier.id, body);
      core.info(`updated the comment on ${where} (dependencies unchanged now)${c.html_url ? ': ' + c.html_url : ''}`);
      return;
    }
    const { action, comment } = await upsertComment(client, gh.prNumber, marker, body, author);
    core.info(`${action} the comment on ${where}${comment.html_url ? ': ' + comment.html_url : ''}`);
  } catch (err) {
    // The build's outcome does not depend on the comment: never fail the step for it.
    if (err instanceof GitHubError && err.isPermission) {
      core.warning(
        `cannot comment on ${where} (${err.message}): the token is read-only or lacks permission — fork PRs and Dependabot get a read-only token; ` +
          `otherwise give the job 'permissions: pull-requests: write'. The job summary has the report.`,
      );
    } else {
      core.warning(`cannot comment on ${where}: ${messageOf(err)} — the job summary has the report`);
    }
  }
}

/**
 * `promote-to`: a push to the chosen branch records its build as what ENV runs. Only pushes: a PR's
 * build is not reviewed yet, and a fork must never move an environment.
 */
async function promoteIfAsked(gh: RunContext, inputs: ActionInputs, r: BuildResult): Promise<void> {
  if (!inputs.values.promoteTo) return;
  const env = inputs.values.promoteTo;
  const branch = inputs.values.promoteBranch || gh.defaultBranch || 'main';
  if (gh.eventName !== 'push' || gh.ref !== branch) {
    core.info(
      `promote-to ${env}: not promoted (only pushes to ${branch} are; this is a ${gh.eventName || 'local'} build of ${gh.ref ?? 'no ref'})`,
    );
    return;
  }
  const store = await openStore(inputs.storeUrl, {
    s3Endpoint: inputs.s3Endpoint,
    s3Region: inputs.s3Region,
    warn: (m) => core.warning(m),
  });
  const p = await promote(store, r.source.sha256, env, (m) => core.warning(m));
  core.setOutput('promoted-to', env);
  core.info(
    `promoted ${p.current.source.sha256.slice(0, 12)} to ${p.env}${p.previous ? ` (was ${p.previous.source.sha256.slice(0, 12)})` : ''}`,
  );
}

async function writeSummary(markdown: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) {
    core.info('no GITHUB_STEP_SUMMARY: no job summary (not on a GitHub runner?)');
    return;
  }
  try {
    await core.summary.addRaw(markdown, true).write();
  } catch (err) {
    core.warning(`cannot write the job summary: ${messageOf(err)}`);
  }
}

/** The Action's rendering of a failure: the CLI's one line, with options named as inputs. */
export function actionError(err: unknown): string {
  return renderError(describeError(err, actionName));
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const t0 = performance.now();
  let inputs: ActionInputs;
  try {
    readEnv('PEXPRESS_DEBUG', env);
    inputs = readInputs(envInputReader(env), env);
  } catch (err) {
    core.setFailed(actionError(err));
    return;
  }
  if (inputs.githubToken) core.setSecret(inputs.githubToken);
  const gh = readRunContext(env);
  const identity = tokenIdentity(gh, inputs, env);
  const log = actionLogger();
  const cache = new ResolverCache(cacheDir(env), { info: (m) => core.info(m), warn: (m) => core.warning(m) }, undefined, env);
  if (inputs.localStore) core.info(`no s3-bucket: archives go to the runner's local store ${inputs.storeUrl} (gone when the job ends)`);

  let result: BuildResult | undefined;
  let failure: unknown;
  let promoteFailure: unknown;
  try {
    result = await build(
      {
        ...buildOptionsOf(inputs),
        history: historyOf(gh, inputs),
        beforeResolve: async ({ fingerprint, target }) => {
          await core.group('restore resolver cache', () =>
            cache.restore({ fingerprint, python: target.python, platform: target.platform }),
          );
        },
      },
      log,
    );
  } catch (err) {
    failure = err;
  }

  const ctx: ReportContext = {
    projectDir: inputs.projectDirLabel,
    storeUrl: inputs.storeUrl,
    localStore: inputs.localStore,
    commit: gh.headSha ?? gh.sha,
    repository: gh.repository || undefined,
    serverUrl: gh.serverUrl,
    runUrl: gh.runUrl,
    s3Endpoint: inputs.s3Endpoint,
  };
  let commentBody: string;
  let failedMessage = '';
  if (result) {
    setOutputs(result, inputs);
    const r = result;
    core.info(`${r.buildType} build in ${formatMs(r.timings.total ?? 0)}: ${r.reason}`);
    core.info(
      `  deps.pex   ${r.deps.sha256.slice(0, 12)}  ${formatBytes(r.deps.size)}  ${r.deps.uploaded ? 'uploaded' : 'reused'}  ${r.deps.key}`,
    );
    core.info(
      `  source.pex ${r.source.sha256.slice(0, 12)}  ${formatBytes(r.source.size)}  ${r.source.uploaded ? 'uploaded' : 'reused'}  ${r.source.key}`,
    );
    await promoteIfAsked(gh, inputs, r).catch((err) => (promoteFailure = err));
    if (r.buildType === 'full') {
      await core.group('save resolver cache', () =>
        cache.save({ fingerprint: r.fingerprint, python: r.target.python, platform: r.target.platform }),
      );
    }
    await writeSummary(log.redact(renderSummary(r, ctx)), env);
    commentBody = log.redact(renderComment(r, ctx));
  } else {
    failedMessage = log.redact(actionError(failure));
    const failureInfo = { message: failedMessage, durationMs: Math.round(performance.now() - t0), ref: gh.ref };
    await writeSummary(log.redact(renderFailureSummary(failureInfo, ctx)), env);
    commentBody = log.redact(renderFailureComment(failureInfo, ctx));
  }
  await comment(gh, inputs, commentBody, result?.buildType ?? 'failed', identity);
  core.info(`pexpress: done in ${formatMs(Math.round(performance.now() - t0))}`);
  if (!result) {
    if (readEnvOr('PEXPRESS_DEBUG', false, env) && failure instanceof Error) core.info(log.redact(failure.stack ?? ''));
    const at = failureLocation(failedMessage, inputs, env.GITHUB_WORKSPACE || process.cwd());
    process.exitCode = 1;
    core.error(failedMessage, at ? { title: 'pexpress', ...at } : {});
  } else if (promoteFailure) {
    core.setFailed(log.redact(`the build succeeded but promotion failed: ${actionError(promoteFailure)}`));
  }
}
