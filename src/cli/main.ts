// The CLI's run(): dispatches a Command to build, fingerprint, lookup, fetch or run, prints the
// result, and turns errors into one line and an exit code.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { lookup, fetchArchive, prepareRun, resolveSha } from '../deploy/artifacts.ts';
import { promote, promotedSource } from '../deploy/envs.ts';
import { gc, type GcReport } from '../deploy/gc.ts';
import { buildHistory, type BuildEntry } from '../deploy/history.ts';
import { build, fingerprintProject, type BuildResult } from '../build/build.ts';
import { describeError, renderError, renderOptionRefs } from '../platform/errors.ts';
import { readEnv, readEnvOr } from '../platform/env.ts';
import { cliName } from '../options/table.ts';
import { parseCommand, type Command } from './args.ts';
import { createLogger, formatBytes, formatMs, stderrSink, type Logger } from '../platform/log.ts';
import { setProgressEnabled } from '../platform/progress.ts';
import { defaultStoreUrl, openStore } from '../store/index.ts';
import '../store/s3-register.ts';
import { cacheDir, which } from '../platform/tools.ts';
import { PEXPRESS_VERSION } from '../platform/version.ts';

function printJson(value: unknown, log: Logger): void {
  process.stdout.write(log.redact(JSON.stringify(value, null, 2)) + '\n');
}

function renderHistory(builds: BuildEntry[]): string {
  if (!builds.length) return 'no builds recorded in this store\n';
  const size = (n: number | null) => (n === null ? 'missing' : formatBytes(n));
  return (
    builds
      .map((b) =>
        [
          `${b.builtAt.replace('T', ' ').slice(0, 19)}  ${b.buildType.padEnd(4)}  ${b.ref}${b.commit ? ` @ ${b.commit.slice(0, 12)}` : ''}`,
          `    source ${b.source.sha256.slice(0, 12)} ${size(b.source.size)}   deps ${b.deps.sha256.slice(0, 12)} ${size(b.deps.size)}   ${b.target.python} ${b.target.platform}`,
          `    ${b.reason}`,
        ].join('\n'),
      )
      .join('\n') + '\n'
  );
}

function renderGc(r: GcReport): string {
  const verb = r.dryRun ? 'would delete' : 'deleted';
  const lines = r.deleted.map((d) => `${verb}  ${d.kind.padEnd(10)} ${formatBytes(d.size).padStart(10)}  ${d.key}`);
  for (const p of r.pending)
    lines.push(`unreferenced ${formatBytes(p.size).padStart(10)}  ${p.key}  (deletable by a gc run after ${p.deletableAfter})`);
  lines.push(
    `${r.dryRun ? 'dry run: ' : ''}${r.deleted.length} object(s) ${verb}, ${formatBytes(r.bytesFreed)} freed; ${r.pending.length} archive(s) marked; kept ${r.kept.builds} build(s), ${r.kept.archives} archive(s), ${formatBytes(r.kept.bytes)}`,
  );
  return lines.join('\n') + '\n';
}

/** `./source.pex` starts fastest (docs/runtime.md) when deps.pex sits next to it, as in an out-dir. */
function runLocally(r: BuildResult): string {
  const source = r.source.path!;
  if (r.deps.path && r.deps.path === join(dirname(source), 'deps.pex')) return source;
  return `PEX_PATH=${r.deps.path ?? 'deps.pex'} python3 ${source}`;
}

function summary(r: BuildResult, storeUrl: string, projectDir: string): string {
  const store = storeUrl === defaultStoreUrl(projectDir) ? '' : ` --store ${storeUrl}`;
  const line = (label: string, a: BuildResult['deps']) =>
    `  ${label.padEnd(11)} ${a.sha256.slice(0, 12)}  ${formatBytes(a.size).padStart(9)}  ${a.uploaded ? 'uploaded' : 'reused  '}  ${a.key}`;
  return [
    `${r.buildType === 'fast' ? 'fast' : 'full'} build in ${formatMs(r.timings.total ?? 0)}: ${r.reason}`,
    line('deps.pex', r.deps),
    line('source.pex', r.source),
    `  run it:     pexpress run ${r.source.sha256.slice(0, 12)}${store}` + (r.source.path ? `   or   ${runLocally(r)}` : ''),
  ].join('\n');
}

async function pythonFor(version: string): Promise<string> {
  const python = readEnv('PEXPRESS_PYTHON');
  if (python) return python;
  return (await which(`python${version}`)) ?? 'python3';
}

async function main(cmd: Command, log: Logger): Promise<number> {
  switch (cmd.name) {
    case 'help':
      process.stdout.write(cmd.text + '\n');
      return 0;
    case 'version':
      process.stdout.write(PEXPRESS_VERSION + '\n');
      return 0;
    case 'build': {
      const result = await build(cmd.options, log);
      if (cmd.json) printJson(result, log);
      else log.info(summary(result, cmd.options.storeUrl, cmd.options.projectDir));
      return 0;
    }
    case 'fingerprint': {
      const ctx = await fingerprintProject(cmd.options, log);
      const out = {
        fingerprint: ctx.fp.fingerprint,
        source: ctx.fp.source,
        target: ctx.target,
        resolver: ctx.resolver,
        components: ctx.fp.components,
      };
      if (cmd.json) printJson(out, log);
      else {
        process.stdout.write(
          log.redact(`${ctx.fp.fingerprint}\n` + ctx.fp.components.map((c) => `  ${c.hash.slice(0, 12)}  ${c.name}`).join('\n') + '\n'),
        );
      }
      return 0;
    }
    case 'lookup': {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const info = await lookup(store, cmd.query, cacheDir(), (m) => log.warn(m));
      if (cmd.json) printJson(info, log);
      else {
        const rows: Array<[string, string | null | undefined]> = [
          ['sha256', info.sha256],
          ['kind', info.kind],
          ['size', `${formatBytes(info.size)} (${info.size} bytes)`],
          ['key', info.key],
          ['url', info.url],
          ['fingerprint', info.fingerprint],
          ['commit', info.commit],
          ['ref', info.ref],
          ['deps', info.deps ? `${info.deps.sha256} (${info.deps.key})` : null],
        ];
        process.stdout.write(
          rows
            .filter(([, v]) => v)
            .map(([k, v]) => `${k.padEnd(12)} ${v}`)
            .join('\n') + '\n',
        );
      }
      return 0;
    }
    case 'fetch': {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const sha256 = cmd.env ? await promotedSource(store, cmd.env) : await resolveSha(store, cmd.query);
      await fetchArchive(store, sha256, cmd.output);
      if (cmd.json) printJson({ sha256, path: cmd.output }, log);
      else log.info(`${cmd.output}: verified sha256 ${sha256}`);
      return 0;
    }
    case 'run': {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const query = cmd.env ? await promotedSource(store, cmd.env) : cmd.query;
      const { source, deps, python } = await prepareRun(store, query, cacheDir());
      const env = { ...process.env };
      if (deps && !env.PEX_PATH) env.PEX_PATH = deps;
      const child = spawn(await pythonFor(python), [source, ...cmd.args], { stdio: 'inherit', env });
      // The app lives and dies with us: a SIGTERM/SIGHUP/SIGINT sent to pexpress reaches it, and we
      // exit with its status once it has handled it.
      const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
      const forward = (sig: NodeJS.Signals) => child.kill(sig);
      for (const sig of signals) process.on(sig, forward);
      return await new Promise<number>((res) => {
        child.on('error', (e) => {
          log.warn(`cannot start python: ${e.message}`);
          res(1);
        });
        child.on('close', (code, signal) => {
          for (const sig of signals) process.off(sig, forward);
          res(code ?? (signal ? 128 : 1));
        });
      });
    }
    case 'log': {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const builds = await buildHistory(store, { ref: cmd.ref, limit: cmd.limit, warn: (m) => log.warn(m) });
      if (cmd.json) printJson({ builds }, log);
      else process.stdout.write(renderHistory(builds));
      return 0;
    }
    case 'promote': {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const r = await promote(store, cmd.query, cmd.env, (m) => log.warn(m));
      if (cmd.json) printJson(r, log);
      else {
        const was = r.previous ? ` (was ${r.previous.source.sha256.slice(0, 12)})` : '';
        log.info(
          `${r.env}: ${r.current.source.sha256.slice(0, 12)} from ${r.current.ref}${r.current.commit ? ` @ ${r.current.commit.slice(0, 12)}` : ''}${was}`,
        );
      }
      return 0;
    }
    case 'gc': {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const r = await gc(store, {
        keepDays: cmd.keepDays,
        keepBuilds: cmd.keepBuilds,
        graceMs: cmd.graceMs,
        dryRun: cmd.dryRun,
        warn: (m) => log.warn(m),
      });
      if (cmd.json) printJson(r, log);
      else process.stdout.write(renderGc(r));
      return 0;
    }
  }
}

/** Whether the user asked for JSON: then a failure is one JSON object on stdout too. */
function wantsJson(argv: string[]): boolean {
  const dashdash = argv.indexOf('--');
  return (dashdash >= 0 ? argv.slice(0, dashdash) : argv).includes('--json');
}

/**
 * The CLI's rendering of any failure: `pexpress: <message> — <hint>` as one line on stderr, and
 * with --json `{"error": {"message", "hint", "exitCode"}}` on stdout. Returns the exit code.
 */
function reportFailure(err: unknown, log: Logger, json: boolean): number {
  const r = describeError(err, cliName);
  const report = { message: log.redact(r.message), hint: r.hint === null ? null : log.redact(r.hint), exitCode: r.exitCode };
  process.stderr.write(`pexpress: ${renderError(report)}\n`);
  if (readEnvOr('PEXPRESS_DEBUG', false) && err instanceof Error) process.stderr.write(log.redact(err.stack ?? '') + '\n');
  if (json) process.stdout.write(JSON.stringify({ error: report }, null, 2) + '\n');
  return report.exitCode;
}

/** Runs one CLI invocation and returns its exit code; never throws, never exits the process. */
export async function run(argv: string[] = process.argv.slice(2)): Promise<number> {
  // Warnings from the core may name options (optionRef): as flags here.
  const log = createLogger({
    info: (line) => stderrSink.info(renderOptionRefs(line, cliName)),
    warn: (line) => stderrSink.warn(renderOptionRefs(line, cliName)),
  });
  try {
    // Read up front so a malformed value is reported as such rather than ignored on the error path.
    readEnv('PEXPRESS_DEBUG');
    const cmd = parseCommand(argv);
    // Progress lines are for people watching; a caller reading --json (or asking quiet) gets none.
    if ((cmd as { json?: boolean }).json || (cmd as { quiet?: boolean }).quiet) setProgressEnabled(false);
    return await main(cmd, log);
  } catch (err) {
    return reportFailure(err, log, wantsJson(argv));
  }
}
