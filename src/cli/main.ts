// The CLI's run(): dispatches a Command to build, fingerprint, lookup, fetch or run, prints the
// result, and turns errors into one line and an exit code.
import { spawn } from 'node:child_process';
import { lookup, fetchArchive, prepareRun, resolveSha } from '../deploy/artifacts.ts';
import { build, fingerprintProject, type BuildResult } from '../build/build.ts';
import { exitCodeOf, messageOf } from '../platform/errors.ts';
import { parseCommand, type Command } from './args.ts';
import { createLogger, formatBytes, formatMs, type Logger } from '../platform/log.ts';
import { defaultStoreUrl, openStore } from '../store/index.ts';
import '../store/s3-register.ts';
import { cacheDir, which } from '../platform/tools.ts';
import { PEXPRESS_VERSION } from '../platform/version.ts';

function printJson(value: unknown, log: Logger): void {
  process.stdout.write(log.redact(JSON.stringify(value, null, 2)) + '\n');
}

function summary(r: BuildResult, storeUrl: string, projectDir: string): string {
  const store = storeUrl === defaultStoreUrl(projectDir) ? '' : ` --store ${storeUrl}`;
  const line = (label: string, a: BuildResult['deps']) =>
    `  ${label.padEnd(11)} ${a.sha256.slice(0, 12)}  ${formatBytes(a.size).padStart(9)}  ${a.uploaded ? 'uploaded' : 'reused  '}  ${a.key}`;
  return [
    `${r.buildType === 'fast' ? 'fast' : 'full'} build in ${formatMs(r.timings.total ?? 0)}: ${r.reason}`,
    line('deps.pex', r.deps),
    line('source.pex', r.source),
    `  run it:     pexpress run ${r.source.sha256.slice(0, 12)}${store}` +
      (r.source.path ? `   or   PEX_PATH=${r.deps.path ?? 'deps.pex'} python3 ${r.source.path}` : ''),
  ].join('\n');
}

async function pythonFor(version: string): Promise<string> {
  if (process.env.PEXPRESS_PYTHON) return process.env.PEXPRESS_PYTHON;
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
        resolver: ctx.tools.resolver,
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
      const info = await lookup(store, cmd.query, cacheDir());
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
      const sha256 = await resolveSha(store, cmd.query);
      await fetchArchive(store, sha256, cmd.output);
      if (cmd.json) printJson({ sha256, path: cmd.output }, log);
      else log.info(`${cmd.output}: verified sha256 ${sha256}`);
      return 0;
    }
    case 'run': {
      const store = await openStore(cmd.storeUrl, cmd.storeOptions);
      const { source, deps, python } = await prepareRun(store, cmd.query, cacheDir());
      const env = { ...process.env };
      if (deps && !env.PEX_PATH) env.PEX_PATH = deps;
      const child = spawn(await pythonFor(python), [source, ...cmd.args], { stdio: 'inherit', env });
      return await new Promise<number>((res) => {
        child.on('error', (e) => {
          log.warn(`cannot start python: ${e.message}`);
          res(1);
        });
        child.on('close', (code, signal) => res(code ?? (signal ? 128 : 1)));
      });
    }
  }
}

/** Runs one CLI invocation and returns its exit code; never throws, never exits the process. */
export async function run(argv: string[] = process.argv.slice(2)): Promise<number> {
  const log = createLogger();
  try {
    return await main(parseCommand(argv), log);
  } catch (err) {
    process.stderr.write(`pexpress: ${log.redact(messageOf(err))}\n`);
    if (process.env.PEXPRESS_DEBUG && err instanceof Error) process.stderr.write(log.redact(err.stack ?? '') + '\n');
    return exitCodeOf(err);
  }
}
