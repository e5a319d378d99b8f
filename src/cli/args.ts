// argv → a typed Command: every CLI flag is parsed and validated here, and --help's text lives here.
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { BuildOptions } from '../build/build.ts';
import { UsageError } from '../platform/errors.ts';
import { readEnv } from '../platform/env.ts';
import { buildOptionsFrom } from '../options/build-options.ts';
import { OptionsError, parseOptions, type Given, type OptionProblem } from '../options/parse.ts';
import { OPTION_KEYS, OPTIONS, type OptionKey, type OptionSpec, type OptionValues } from '../options/table.ts';
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
      storeUrl: string;
      storeOptions: BuildOptions['storeOptions'];
      output: string;
      json: boolean;
      values: OptionValues;
    }
  | { name: 'run'; query: string; storeUrl: string; storeOptions: BuildOptions['storeOptions']; args: string[]; values: OptionValues }
  | { name: 'help'; text: string }
  | { name: 'version' };

const COMMANDS = `usage: pexpress <command> [options]

commands:
  build        fingerprint the project, build deps.pex (when dependencies changed) and source.pex, publish them
  fingerprint  print the dependency fingerprint and its components
  lookup       SHA256|PREFIX: show what the store knows about an archive
  fetch        SHA256 -o FILE: download an archive, verifying its sha256
  run          SHA256 [-- ARGS]: fetch a source archive and its deps into the cache and run it`;

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
    const msg = (err as Error).message
      .split('. ')[0]
      .replace(/^Unknown option/, 'unknown option')
      .replace(/^Option/, 'option');
    throw new UsageError(`${msg} for 'pexpress ${command}' — see pexpress ${command} --help`);
  }
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
    };
    const { values: v, positionals } = parse(name, own, flags, true);
    if (v.help) return { name: 'help', text: USAGE };
    if (positionals.length !== 1)
      throw new UsageError(`pexpress ${name} takes exactly one SHA256 (got ${positionals.length}) — see pexpress --help`);
    const o = readOptions(v, ['store'], env);
    const projectDir = resolve(o.projectDir);
    const common = {
      query: positionals[0],
      storeUrl: o.store ?? defaultStoreUrl(projectDir),
      storeOptions: { s3Endpoint: o.s3Endpoint, s3Region: o.s3Region },
      values: o,
    };
    const json = o.json;
    if (name === 'lookup') return { name, ...common, json };
    if (name === 'fetch') {
      const output = (v as { output?: string }).output;
      if (output === '') throw new UsageError('-o is empty — give the file to write the verified archive to');
      if (!output) throw new UsageError('pexpress fetch needs -o FILE — where to write the verified archive');
      return { name, ...common, output, json };
    }
    return { name, ...common, args: passthrough };
  }
  throw new UsageError(`unknown command '${name}' — run pexpress --help`);
}
