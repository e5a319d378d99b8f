// The Action's run(): inputs, the shared build(), outputs, job summary and sticky PR comment.
// Decides nothing about the build itself; rendering lives in report.ts.
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { buildOptionsOf, envInputReader, readInputs, type ActionInputs, type OutputName } from './inputs.ts';
import { build, type BuildResult } from '../build/build.ts';
import { ResolverCache } from './cache.ts';
import { messageOf } from '../platform/errors.ts';
import { GitHubClient, GitHubError, upsertComment } from './github.ts';
import { createLogger, formatBytes, formatMs, type Logger } from '../platform/log.ts';
import { renderComment, renderFailureComment, renderFailureSummary, renderSummary, commentMarker, type ReportContext } from './report.ts';
import '../store/s3-register.ts';
import { cacheDir } from '../platform/tools.ts';

/** What the workflow run tells us: the event, the PR (if any), where the API and the run are. */
export interface RunContext {
  eventName: string;
  prNumber: number | null;
  /** The PR's head commit (GITHUB_SHA is the merge commit on pull_request events). */
  headSha: string | null;
  repository: string;
  sha: string | null;
  ref: string | null;
  serverUrl: string;
  apiUrl: string;
  runUrl: string | undefined;
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let payload: { pull_request?: { number?: unknown; head?: { sha?: unknown } }; number?: unknown } = {};
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
  return {
    eventName,
    prNumber,
    headSha: typeof head === 'string' ? head : null,
    repository,
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
    info: (line) => core.info(line),
    warn: (line) => core.warning(line),
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
  };
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}

async function comment(gh: RunContext, inputs: ActionInputs, body: string): Promise<void> {
  if (gh.prNumber === null || !inputs.commentOnPr) return;
  const where = `PR #${gh.prNumber}`;
  if (!inputs.githubToken) {
    core.warning(`no github-token: no comment on ${where} — the job summary has the report`);
    return;
  }
  try {
    const client = new GitHubClient({ token: inputs.githubToken, repository: gh.repository, apiUrl: gh.apiUrl });
    const { action, comment } = await upsertComment(client, gh.prNumber, commentMarker(inputs.projectDirLabel), body);
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

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const t0 = performance.now();
  let inputs: ActionInputs;
  try {
    inputs = readInputs(envInputReader(env), env);
  } catch (err) {
    core.setFailed(messageOf(err));
    return;
  }
  if (inputs.githubToken) core.setSecret(inputs.githubToken);
  const gh = readRunContext(env);
  const log = actionLogger();
  const cache = new ResolverCache(cacheDir(env), { info: (m) => core.info(m), warn: (m) => core.warning(m) }, undefined, env);
  if (inputs.localStore) core.info(`no s3-bucket: archives go to the runner's local store ${inputs.storeUrl} (gone when the job ends)`);

  let result: BuildResult | undefined;
  let failure: unknown;
  try {
    result = await build(
      {
        ...buildOptionsOf(inputs),
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
  };
  let commentBody: string;
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
    if (r.buildType === 'full') {
      await core.group('save resolver cache', () =>
        cache.save({ fingerprint: r.fingerprint, python: r.target.python, platform: r.target.platform }),
      );
    }
    await writeSummary(log.redact(renderSummary(r, ctx)), env);
    commentBody = log.redact(renderComment(r, ctx));
  } else {
    const failureInfo = { message: log.redact(messageOf(failure)), durationMs: Math.round(performance.now() - t0), ref: gh.ref };
    await writeSummary(log.redact(renderFailureSummary(failureInfo, ctx)), env);
    commentBody = log.redact(renderFailureComment(failureInfo, ctx));
  }
  await comment(gh, inputs, commentBody);
  core.info(`pexpress: done in ${formatMs(Math.round(performance.now() - t0))}`);
  if (!result) {
    if (env.PEXPRESS_DEBUG && failure instanceof Error) core.info(log.redact(failure.stack ?? ''));
    core.setFailed(log.redact(messageOf(failure)));
  }
}
