// argv → a typed Command: every CLI flag is parsed and validated here, and --help's text lives here.
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { BuildOptions } from '../build/build.ts';
import { UsageError } from '../platform/errors.ts';
import { defaultStoreUrl } from '../store/index.ts';

/** CLI arguments, parsed and validated in one place; everything after this is typed. */
export type Command =
  | { name: 'build'; options: BuildOptions; json: boolean }
  | { name: 'fingerprint'; options: BuildOptions; json: boolean }
  | { name: 'lookup'; query: string; storeUrl: string; storeOptions: BuildOptions['storeOptions']; json: boolean }
  | { name: 'fetch'; query: string; storeUrl: string; storeOptions: BuildOptions['storeOptions']; output: string; json: boolean }
  | { name: 'run'; query: string; storeUrl: string; storeOptions: BuildOptions['storeOptions']; args: string[] }
  | { name: 'help'; text: string }
  | { name: 'version' };

export const USAGE = `usage: pexpress <command> [options]

commands:
  build        fingerprint the project, build deps.pex (when dependencies changed) and source.pex, publish them
  fingerprint  print the dependency fingerprint and its components
  lookup       SHA256|PREFIX: show what the store knows about an archive
  fetch        SHA256 -o FILE: download an archive, verifying its sha256
  run          SHA256 [-- ARGS]: fetch a source archive and its deps into the cache and run it

build / fingerprint options:
  --project-dir DIR       the Python project (default: .)
  --store URL             file:///dir or s3://bucket/prefix (default: file://<project>/.pexpress/store)
  --python X.Y            target Python (default: the host's python3)
  --platform P            linux_x86_64 | linux_aarch64 (default: the host's)
  --manylinux TAG         glibc floor for wheels, e.g. manylinux_2_28 (default) or manylinux2014
  --entry-point MOD[:FN]  what source.pex runs by default
  --resolver R            auto | uv | pip (default: auto, uv when available)
  --requirements FILE     requirements file; must exist (default: requirements.txt when present)
  --exclude GLOB          leave matching files out of source.pex (repeatable, .gitignore syntax)
  --include GLOB          put matching files in source.pex even when .gitignore ignores them (repeatable)
  --extras A,B            optional dependency groups of the project to include
  --groups A,B            dependency groups to include as well (lock groups, [dependency-groups]); default none
  --deps-cache-epoch S    any string; changing it forces a new deps.pex
  --force-full            rebuild deps.pex even when the fingerprint is unchanged
  --out-dir DIR           where the archives are written (default: <project>/.pexpress/out)
  --s3-endpoint URL       S3-compatible endpoint (path-style addressing)
  --s3-region REGION      S3 region (default: from the AWS environment)
  --json                  print one JSON object on stdout

exit codes: 0 ok, 1 build failed, 2 bad usage or bad input`;

const storeFlags = {
  store: { type: 'string' },
  'project-dir': { type: 'string' },
  's3-endpoint': { type: 'string' },
  's3-region': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const buildFlags = {
  ...storeFlags,
  python: { type: 'string' },
  platform: { type: 'string' },
  manylinux: { type: 'string' },
  'entry-point': { type: 'string' },
  resolver: { type: 'string' },
  requirements: { type: 'string' },
  exclude: { type: 'string', multiple: true },
  include: { type: 'string', multiple: true },
  'deps-cache-epoch': { type: 'string' },
  extras: { type: 'string' },
  groups: { type: 'string' },
  'force-full': { type: 'boolean' },
  'out-dir': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

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

const ENTRY_POINT = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*(:[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*)?$/;

function parseExtras(v: string | undefined, flag = '--extras', what = 'an extra', example = 'web,cli'): string[] {
  const extras = (v ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of extras) {
    if (!/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(e))
      throw new UsageError(`${flag} '${e}' is not ${what} name — pass a comma-separated list like ${example}`);
  }
  return [...new Set(extras)].sort();
}

function resolverOf(v: string | undefined): BuildOptions['resolver'] {
  const r = v ?? 'auto';
  if (r !== 'auto' && r !== 'uv' && r !== 'pip') throw new UsageError(`unknown resolver '${r}' — use auto, uv or pip`);
  return r;
}

export function parseCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Command {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') return { name: 'help', text: USAGE };
  if (name === '--version' || name === 'version') return { name: 'version' };

  if (name === 'build' || name === 'fingerprint') {
    const { values: v, positionals } = parse(name, rest, buildFlags, false);
    void positionals;
    if (v.help) return { name: 'help', text: USAGE };
    const projectDir = resolve(v['project-dir'] ?? '.');
    const entryPoint = v['entry-point'] ?? null;
    if (entryPoint !== null && !ENTRY_POINT.test(entryPoint)) {
      throw new UsageError(`--entry-point '${entryPoint}' is not MODULE or MODULE:FUNCTION (e.g. myapp.main:run)`);
    }
    const options: BuildOptions = {
      projectDir,
      storeUrl: v.store ?? env.PEXPRESS_STORE ?? defaultStoreUrl(projectDir),
      storeOptions: { s3Endpoint: v['s3-endpoint'], s3Region: v['s3-region'] },
      python: v.python,
      platform: v.platform,
      manylinux: v.manylinux,
      entryPoint,
      forceFull: v['force-full'] ?? false,
      outDir: resolve(v['out-dir'] ?? join(projectDir, '.pexpress', 'out')),
      resolver: resolverOf(v.resolver ?? env.PEXPRESS_RESOLVER),
      epoch: v['deps-cache-epoch'] ?? '',
      extras: parseExtras(v.extras),
      groups: parseExtras(v.groups, '--groups', 'a group', 'docs,prod'),
      excludes: v.exclude ?? [],
      includes: v.include ?? [],
      requirementsFile: v.requirements ?? null,
    };
    return { name, options, json: v.json ?? false };
  }

  if (name === 'lookup' || name === 'fetch' || name === 'run') {
    const dashdash = rest.indexOf('--');
    const own = dashdash >= 0 ? rest.slice(0, dashdash) : rest;
    const passthrough = dashdash >= 0 ? rest.slice(dashdash + 1) : [];
    const flags = name === 'fetch' ? ({ ...storeFlags, output: { type: 'string', short: 'o' } } as const) : storeFlags;
    const { values: v, positionals } = parse(name, own, flags, true);
    if (v.help) return { name: 'help', text: USAGE };
    if (positionals.length !== 1)
      throw new UsageError(`pexpress ${name} takes exactly one SHA256 (got ${positionals.length}) — see pexpress --help`);
    const projectDir = resolve(v['project-dir'] ?? '.');
    const common = {
      query: positionals[0],
      storeUrl: v.store ?? env.PEXPRESS_STORE ?? defaultStoreUrl(projectDir),
      storeOptions: { s3Endpoint: v['s3-endpoint'], s3Region: v['s3-region'] },
    };
    if (name === 'lookup') return { name, ...common, json: v.json ?? false };
    if (name === 'fetch') {
      const output = (v as { output?: string }).output;
      if (!output) throw new UsageError('pexpress fetch needs -o FILE — where to write the verified archive');
      return { name, ...common, output, json: v.json ?? false };
    }
    return { name, ...common, args: passthrough };
  }
  throw new UsageError(`unknown command '${name}' — run pexpress --help`);
}
