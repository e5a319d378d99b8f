// argv → a typed Command: every CLI flag is parsed and validated here, and --help's text lives here.
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { BuildOptions } from '../build/build.ts';
import { UsageError } from '../platform/errors.ts';
import { readEnv } from '../platform/env.ts';
import { buildOptionsFrom } from '../options/build-options.ts';
import { OptionsError, parseOptions, type Given, type OptionProblem } from '../options/parse.ts';
import { OPTION_KEYS, OPTIONS, type OptionKey, type OptionSpec, type OptionValues } from '../options/table.ts';
import { checkEnvName } from '../deploy/envs.ts';
import { parseDuration } from '../deploy/gc.ts';
import { defaultStoreUrl } from '../store/index.ts';

/**
 * CLI arguments, parsed and validated in one place; everything after this is typed. `values` has
 * every option of the table the command takes (a new CLI-only option is read from there).
 */
export type Command =
  | { name: 'build'; options: BuildOptions; json: boolean; values: OptionValues }
  | { name: 'fingerprint'; options: BuildOptions; json: boolean; values: OptionValues }
  | { name: 'lookup'; query: string; storeUrl: string; storeOptions: BuildOptions['storeOptions']; json: boolean; values: OptionValues }
  | {
      name: 'fetch';
      query: string;
      env?: string;
      storeUrl: string;
      storeOptions: BuildOptions['storeOptions'];
      output: string;
      json: boolean;
      values: OptionValues;
    }
  | {
      name: 'run';
      query: string;
      env?: string;
      storeUrl: string;
      storeOptions: BuildOptions['storeOptions'];
      args: string[];
      values: OptionValues;
    }
  | {
      name: 'log';
      storeUrl: string;
      storeOptions: BuildOptions['storeOptions'];
      ref?: string;
      limit: number;
      json: boolean;
      values: OptionValues;
    }
  | {
      name: 'promote';
      query: string;
      env: string;
      storeUrl: string;
      storeOptions: BuildOptions['storeOptions'];
      json: boolean;
      values: OptionValues;
    }
  | {
      name: 'gc';
      storeUrl: string;
      storeOptions: BuildOptions['storeOptions'];
      keepDays: number;
      keepBuilds: number;
      graceMs: number;
      dryRun: boolean;
      json: boolean;
      values: OptionValues;
    }
  | { name: 'help'; text: string }
  | { name: 'version' };

const COMMANDS = `usage: pexpress <command> [options]

commands:
  build        fingerprint the project, build deps.pex (when dependencies changed) and source.pex, publish them
  fingerprint  print the dependency fingerprint and its components
  lookup       SHA256|PREFIX: show what the store knows about an archive
  fetch        SHA256 -o FILE: download an archive, verifying its sha256
  run          SHA256 [-- ARGS]: fetch a source archive and its deps into the cache and run it
  log          the builds recorded in the store, newest first
  promote      SHA256 --to ENV: record that a build is deployed to an environment
  gc           delete archives and records nothing kept refers to (try --dry-run first)`;

/** One --help line per CLI option of the table (backticks are Markdown, dropped here). */
export function optionHelpLines(): string[] {
  const rows = OPTION_KEYS.flatMap((key) => {
    const spec: OptionSpec = OPTIONS[key];
    if (!spec.cli) return [];
    const left = `--${spec.cli.flag}${spec.cli.arg ? ' ' + spec.cli.arg : ''}`;
    const def = cliDefaultText(spec);
    const env = spec.env ? `; env ${spec.env}` : '';
    const help = (spec.cli.help ?? spec.help).replace(/\.$/, '');
    return [[left, `${help}${def || env ? ` (${def ? 'default: ' + def : ''}${def ? env : env.slice(2)})` : ''}`.replace(/`/g, '')]];
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`);
}

/** How the CLI's default reads: the table's text, else the raw default; '' for none. */
export function cliDefaultText(spec: OptionSpec): string {
  if (spec.cli?.default) return spec.cli.default;
  if (spec.type === 'boolean' || spec.type === 'list' || spec.default === '') return '';
  return '`' + spec.default + '`';
}

const keysOf = (scopes: ReadonlyArray<'store' | 'build'>) =>
  OPTION_KEYS.filter((k) => {
    const spec: OptionSpec = OPTIONS[k];
    return spec.cli && scopes.includes(spec.scope ?? 'build');
  });

export const USAGE = `${COMMANDS}

options (build and fingerprint take all; lookup, fetch and run take ${keysOf(['store'])
  .map((k) => '--' + (OPTIONS[k] as OptionSpec).cli!.flag)
  .join(', ')}):
${optionHelpLines().join('\n')}
  -o FILE                 fetch: where to write the verified archive
  --env ENV               fetch, run: the build promoted to ENV instead of a SHA256
  --ref BRANCH            log: only this branch's builds
  --limit N               log: at most N builds (default: 20)
  --to ENV                promote: the environment (letters, digits, . _ -)
  --keep-days N           gc: keep every build younger than N days (default: 30)
  --keep-builds N         gc: keep the newest N builds of every ref (default: 10)
  --grace DURATION        gc: delete nothing younger than this, nor marked unreferenced less than this ago (default: 1h)
  --dry-run               gc: print what would be deleted and the bytes freed; delete nothing

environment variables: see docs/environment.md
exit codes: 0 ok, 1 build failed, 2 bad usage or bad input`;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** parseArgs' flags for the options of these scopes, from the table. */
function flagsOf(scopes: ReadonlyArray<'store' | 'build'>): NonNullable<ParseArgsConfig['options']> {
  const flags: NonNullable<ParseArgsConfig['options']> = { ...HELP };
  for (const key of OPTION_KEYS) {
    const spec: OptionSpec = OPTIONS[key];
    if (!spec.cli || !scopes.includes(spec.scope ?? 'build')) continue;
    flags[spec.cli.flag] = {
      type: spec.type === 'boolean' ? 'boolean' : 'string',
      ...(spec.list === 'repeat' ? { multiple: true } : {}),
      ...(spec.cli.short ? { short: spec.cli.short } : {}),
    };
  }
  return flags;
}

/** Flags as given, then the environment for options the CLI lets it default, through the one validator. */
function readOptions(values: Record<string, unknown>, scopes: ReadonlyArray<'store' | 'build'>, env: NodeJS.ProcessEnv): OptionValues {
  const given: Partial<Record<OptionKey, Given>> = {};
  const empty: OptionProblem[] = [];
  const keys = keysOf(scopes);
  for (const key of keys) {
    const spec: OptionSpec = OPTIONS[key];
    const v = values[spec.cli!.flag] as Given['value'] | undefined;
    if (v !== undefined) given[key] = { value: v, from: `--${spec.cli!.flag}` };
    else if (spec.env) {
      const e = readEnv(spec.env, env);
      if (e !== undefined && e !== '') given[key] = { value: String(e), from: spec.env };
      else if (env[spec.env] === '')
        empty.push({ key, from: spec.env, message: 'is empty', hint: 'give a value, or unset it for the default' });
    }
    // An empty value would silently mean the working directory or the default: a mistake, such as
    // an unset CI variable expanded into the command line.
    if (v === '')
      empty.push({ key, from: `--${spec.cli!.flag}`, message: 'is empty', hint: 'give a value, or leave it out for the default' });
  }
  const { values: typed, problems } = parseOptions(given, keys);
  problems.unshift(...empty);
  if (problems.length) throw new OptionsError(problems, 'cli');
  return typed;
}

function parse<O extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: O, allowPositionals: boolean) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    // node's wording for `--keep-days -1` suggests a typo; say what was given and how to pass it.
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec((err as Error).message);
    if (ambiguous) {
      const value = args[args.indexOf(ambiguous[1]) + 1];
      throw new UsageError(
        `${ambiguous[1]} '${value}' looks like an option — give a value, or write ${ambiguous[1]}=${value} if you mean it`,
      );
    }
    const msg = (err as Error).message
      .split('. ')[0]
      .replace(/^Unknown option/, 'unknown option')
      .replace(/^Option/, 'option');
    throw new UsageError(`${msg} for 'pexpress ${command}' — see pexpress ${command} --help`);
  }
}

/** The store a lookup/fetch/run/log/promote/gc command opens, from the table's store options. */
function storeCommand(v: Record<string, unknown>, env: NodeJS.ProcessEnv) {
  const o = readOptions(v, ['store'], env);
  const projectDir = resolve(o.projectDir);
  const common = {
    storeUrl: o.store ?? defaultStoreUrl(projectDir),
    storeOptions: { s3Endpoint: o.s3Endpoint, s3Region: o.s3Region },
    values: o,
  };
  return { common, json: o.json };
}

function wholeNumber(text: string, flag: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${flag} '${text}' must be a whole number, ${min} or more`);
  return Number(text);
}

export function parseCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Command {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') return { name: 'help', text: USAGE };
  if (name === '--version' || name === 'version') return { name: 'version' };

  if (name === 'build' || name === 'fingerprint') {
    const { values: v } = parse(name, rest, flagsOf(['store', 'build']), false);
    if (v.help) return { name: 'help', text: USAGE };
    const o = readOptions(v, ['store', 'build'], env);
    const projectDir = resolve(o.projectDir);
    const options = buildOptionsFrom(o, {
      projectDir,
      storeUrl: o.store ?? defaultStoreUrl(projectDir),
      outDir: resolve(o.outDir ?? join(projectDir, '.pexpress', 'out')),
    });
    return { name, options, json: o.json, values: o };
  }

  if (name === 'lookup' || name === 'fetch' || name === 'run') {
    const dashdash = rest.indexOf('--');
    const own = dashdash >= 0 ? rest.slice(0, dashdash) : rest;
    const passthrough = dashdash >= 0 ? rest.slice(dashdash + 1) : [];
    const flags: NonNullable<ParseArgsConfig['options']> = {
      ...flagsOf(['store']),
      ...(name === 'fetch' ? { output: { type: 'string', short: 'o' } } : {}),
      ...(name === 'lookup' ? {} : { env: { type: 'string' } }),
    };
    const { values: v, positionals } = parse(name, own, flags, true);
    if (v.help) return { name: 'help', text: USAGE };
    const envName = v.env as string | undefined;
    if (envName !== undefined) {
      checkEnvName(envName);
      if (positionals.length) throw new UsageError(`pexpress ${name} takes either a SHA256 or --env ENV, not both`);
    } else if (positionals.length !== 1) {
      throw new UsageError(`pexpress ${name} takes exactly one SHA256 (got ${positionals.length}) — see pexpress --help`);
    }
    const { common, json } = storeCommand(v, env);
    const target = { ...common, query: positionals[0] ?? '', env: envName };
    if (name === 'lookup') return { name, ...target, json };
    if (name === 'fetch') {
      const output = (v as { output?: string }).output;
      if (output === '') throw new UsageError('-o is empty — give the file to write the verified archive to');
      if (!output) throw new UsageError('pexpress fetch needs -o FILE — where to write the verified archive');
      return { name, ...target, output, json };
    }
    return { name, ...target, args: passthrough };
  }

  if (name === 'log') {
    const { values: v } = parse(
      name,
      rest,
      { ...flagsOf(['store']), ref: { type: 'string' }, limit: { type: 'string' } } as NonNullable<ParseArgsConfig['options']>,
      false,
    );
    if (v.help) return { name: 'help', text: USAGE };
    const { common, json } = storeCommand(v, env);
    return {
      name,
      ...common,
      ref: v.ref as string | undefined,
      limit: wholeNumber((v.limit as string | undefined) ?? '20', '--limit', 1),
      json,
    };
  }

  if (name === 'promote') {
    const { values: v, positionals } = parse(
      name,
      rest,
      { ...flagsOf(['store']), to: { type: 'string' } } as NonNullable<ParseArgsConfig['options']>,
      true,
    );
    if (v.help) return { name: 'help', text: USAGE };
    if (positionals.length !== 1)
      throw new UsageError(`pexpress promote takes exactly one SHA256 (got ${positionals.length}) — see pexpress --help`);
    if (!v.to) throw new UsageError('pexpress promote needs --to ENV — the environment the build is deployed to (e.g. production)');
    const { common, json } = storeCommand(v, env);
    return { name, ...common, query: positionals[0], env: checkEnvName(v.to as string), json };
  }

  if (name === 'gc') {
    const gcFlags: NonNullable<ParseArgsConfig['options']> = {
      ...flagsOf(['store']),
      'keep-days': { type: 'string' },
      'keep-builds': { type: 'string' },
      grace: { type: 'string' },
      'dry-run': { type: 'boolean' },
    };
    const { values: v } = parse(name, rest, gcFlags, false);
    if (v.help) return { name: 'help', text: USAGE };
    const { common, json } = storeCommand(v, env);
    return {
      name,
      ...common,
      keepDays: wholeNumber((v['keep-days'] as string | undefined) ?? '30', '--keep-days', 0),
      keepBuilds: wholeNumber((v['keep-builds'] as string | undefined) ?? '10', '--keep-builds', 1),
      graceMs: parseDuration((v.grace as string | undefined) ?? '1h', '--grace'),
      dryRun: (v['dry-run'] as boolean | undefined) ?? false,
      json,
    };
  }

  throw new UsageError(`unknown command '${name}' — run pexpress --help`);
}
