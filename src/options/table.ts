/**
 * Every build option, defined once: its CLI flag, its Action input, the environment variable the
 * CLI falls back to, its type, default, validation and help. The CLI parser (src/cli/args.ts), the
 * Action's input reader (src/action/inputs.ts), `pexpress --help`, the README's option and input
 * tables, action.yml's inputs and docs/environment.md are all produced from it (npm run docs;
 * test/docs.test.ts fails when a committed copy disagrees). Adding an option is one entry here.
 */
import { ENV_NAME, isBucketName } from '../store/store.ts';
import { parseGlibc, SUPPORTED_PLATFORMS, SUPPORTED_PYTHONS } from '../python/target.ts';
import type { EnvName } from '../platform/env.ts';

/** What is wrong with a value (it starts with the value, quoted) and what to do instead. */
export interface Problem {
  message: string;
  hint?: string;
}

export interface OptionSpec {
  /** string: one value; choice: one of `choices`; boolean: a CLI switch / true|false input; list: several values. */
  type: 'string' | 'choice' | 'boolean' | 'list';
  choices?: readonly string[];
  /** Older spellings a choice still accepts, e.g. comment-on-pr's true/false. */
  aliases?: Readonly<Record<string, string>>;
  /** What a choice is called in an error: "'x' is not a resolver". */
  noun?: string;
  /** list syntax: `comma` is a,b everywhere; `repeat` repeats the CLI flag and is one per line in the Action. */
  list?: 'comma' | 'repeat';
  /** The value when none is given, as action.yml passes it ('' means unset). */
  default: string;
  /** Which CLI commands take the flag: `store` every command that opens a store, `build` (the default) build and fingerprint. */
  scope?: 'store' | 'build';
  cli?: {
    flag: string;
    /** Placeholder in --help, e.g. X.Y. */
    arg?: string;
    short?: string;
    /** The help when it differs from the shared one. */
    help?: string;
    /** How the default reads in --help and the README when it is not the raw default. */
    default?: string;
  };
  action?: { input: string; help?: string; default?: string };
  /** Read by the CLI when the flag is absent (the Action's runner always passes its inputs). */
  env?: EnvName;
  /** Markdown allowed (backticks are dropped in --help). */
  help: string;
  /** The problem with one value (one item of a list); null when it is fine. */
  check?: (value: string) => Problem | null;
}

/** A value inside a one-line message: shortened, line breaks shown as \n. */
export function quote(v: string): string {
  const one = v.replace(/\r?\n/g, '\\n');
  return `'${one.length > 60 ? one.slice(0, 57) + '…' : one}'`;
}

const ENTRY_POINT = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*(:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*)?$/;
const EXTRA = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const REGION = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const firstPython = SUPPORTED_PYTHONS[0];
const lastPython = SUPPORTED_PYTHONS[SUPPORTED_PYTHONS.length - 1];

export const OPTIONS = {
  projectDir: {
    type: 'string',
    default: '.',
    scope: 'store',
    cli: { flag: 'project-dir', arg: 'DIR' },
    action: {
      input: 'project-dir',
      help: 'The Python project, relative to the workspace; names the PR comment (several steps with different project dirs each keep their own).',
    },
    help: 'The Python project.',
  },
  python: {
    type: 'string',
    default: '',
    scope: 'build',
    cli: {
      flag: 'python',
      arg: 'X.Y',
      default: "the project's `.python-version`, else a `requires-python` that allows one minor, else the host's `python3`",
    },
    action: {
      input: 'python-version',
      default: "the project's `.python-version`, else a `requires-python` that allows one minor, else the runner's `python3`",
    },
    help: `Target Python as X.Y, ${firstPython} … ${lastPython}.`,
    check: (v) =>
      SUPPORTED_PYTHONS.includes(v)
        ? null
        : { message: `${quote(v)} is not a supported target`, hint: `use X.Y, ${firstPython} or later up to ${lastPython} (e.g. 3.12)` },
  },
  platform: {
    type: 'string',
    default: '',
    scope: 'build',
    cli: { flag: 'platform', arg: 'P', default: "the host's" },
    action: { input: 'platform', default: "the runner's" },
    help: `Target platform: ${SUPPORTED_PLATFORMS.map((p) => '`' + p + '`').join(' or ')}.`,
    check: (v) =>
      (SUPPORTED_PLATFORMS as readonly string[]).includes(v)
        ? null
        : { message: `${quote(v)} is not supported`, hint: `use ${SUPPORTED_PLATFORMS.join(' or ')}` },
  },
  manylinux: {
    type: 'string',
    default: '',
    scope: 'build',
    cli: { flag: 'manylinux', arg: 'TAG', default: '`manylinux_2_28`' },
    action: { input: 'manylinux', default: "pexpress's (`manylinux_2_28`)" },
    help: 'glibc floor for wheels, e.g. `manylinux_2_28`, `2.28` or `manylinux2014`.',
    check: (v) => {
      try {
        parseGlibc(v);
        return null;
      } catch {
        return {
          message: `${quote(v)} is not a manylinux tag`,
          hint: 'use manylinux_2_NN (e.g. manylinux_2_28, the default) or manylinux2014',
        };
      }
    },
  },
  entryPoint: {
    type: 'string',
    default: '',
    scope: 'build',
    cli: { flag: 'entry-point', arg: 'MOD[:FN]' },
    action: { input: 'entry-point', default: 'none (acts as the interpreter)' },
    help: 'What `source.pex` runs: `MODULE` or `MODULE:FUNCTION` (e.g. `myapp.main:run`).',
    check: (v) => (ENTRY_POINT.test(v) ? null : { message: `${quote(v)} is not MODULE or MODULE:FUNCTION (e.g. myapp.main:run)` }),
  },
  requirements: {
    type: 'string',
    default: '',
    scope: 'build',
    cli: { flag: 'requirements', arg: 'FILE', default: '`requirements.txt` when present' },
    action: { input: 'requirements', default: '`requirements.txt` when present' },
    help: 'The requirements file, relative to the project. A file named here must exist; the default may be absent.',
    check: (v) =>
      v.startsWith('/') || v.split(/[\\/]/).includes('..')
        ? { message: `${quote(v)} must be a path inside project-dir (e.g. requirements/prod.txt)` }
        : null,
  },
  exclude: {
    type: 'list',
    list: 'repeat',
    default: '',
    scope: 'build',
    cli: { flag: 'exclude', arg: 'GLOB', help: 'Leave matching files out of `source.pex` (repeatable, .gitignore syntax).' },
    action: { input: 'exclude', default: 'none', help: 'Globs left out of `source.pex`, one per line (.gitignore syntax).' },
    help: 'Globs left out of `source.pex` (.gitignore syntax).',
  },
  include: {
    type: 'list',
    list: 'repeat',
    default: '',
    scope: 'build',
    cli: {
      flag: 'include',
      arg: 'GLOB',
      help: 'Put matching files in `source.pex` even when .gitignore ignores them (repeatable; `--exclude` still wins).',
    },
    action: {
      input: 'include',
      default: 'none',
      help: 'Globs put in `source.pex` even when .gitignore ignores them, one per line; `exclude` still wins.',
    },
    help: 'Globs put in `source.pex` even when .gitignore ignores them (files the build generates, e.g. `src/pkg/_version.py`).',
  },
  extras: {
    type: 'list',
    list: 'comma',
    default: '',
    scope: 'build',
    cli: { flag: 'extras', arg: 'A,B' },
    action: { input: 'extras', default: 'none' },
    help: 'Optional dependency groups of the project to put in `deps.pex` (`extras_require`, `[project.optional-dependencies]`), comma-separated, e.g. `web,cli`.',
    check: (v) =>
      EXTRA.test(v) ? null : { message: `${quote(v)} is not an extra name`, hint: 'give a comma-separated list like web,cli' },
  },
  groups: {
    type: 'list',
    list: 'comma',
    default: '',
    scope: 'build',
    cli: { flag: 'groups', arg: 'A,B' },
    action: { input: 'groups', default: 'none' },
    help: "Dependency groups to put in `deps.pex` besides the runtime dependencies (a lockfile's groups, or `[dependency-groups]` with the uv resolver), comma-separated. None by default, as `uv sync --no-dev` / `poetry install --only main`.",
    check: (v) =>
      EXTRA.test(v) ? null : { message: `${quote(v)} is not a group name`, hint: 'give a comma-separated list like docs,prod' },
  },
  s3Bucket: {
    type: 'string',
    default: '',
    action: {
      input: 's3-bucket',
      default: 'none (the local store `<project-dir>/.pexpress/store`, kept on the runner only, unless `store` is set)',
    },
    help: 'S3 bucket for the archives (name only, no `s3://`).',
    check: (v) =>
      v.startsWith('s3://')
        ? { message: `${quote(v)}: give the bucket name only (no s3://), and the key prefix in s3-prefix` }
        : isBucketName(v)
          ? null
          : { message: `${quote(v)} is not a valid bucket name`, hint: '3 to 63 lowercase letters, digits, dots and hyphens' },
  },
  s3Prefix: {
    type: 'string',
    default: '',
    action: { input: 's3-prefix', default: 'none (the bucket root)' },
    help: 'Key prefix inside the bucket, e.g. `pexpress/api`.',
    check: (v) => {
      const prefix = v.replace(/^\/+|\/+$/g, '');
      if (prefix.split('/').some((p) => p === '..' || p === '.' || p === ''))
        return {
          message: `${quote(v)} is not a key prefix`,
          hint: 'use segments separated by single slashes, without . or .. (e.g. pexpress/myapp)',
        };
      if (/[^A-Za-z0-9!_.*'()/-]/.test(prefix))
        return { message: `${quote(v)} has characters that are unsafe in S3 keys`, hint: 'use letters, digits and - _ . / only' };
      return null;
    },
  },
  s3Region: {
    type: 'string',
    default: '',
    scope: 'store',
    cli: { flag: 's3-region', arg: 'REGION', default: 'from the AWS environment' },
    action: { input: 's3-region', default: 'from the AWS environment (`AWS_REGION`, as aws-actions/configure-aws-credentials sets it)' },
    help: 'S3 region, e.g. `eu-west-1`.',
    check: (v) => (REGION.test(v) ? null : { message: `${quote(v)} is not a region name`, hint: 'e.g. eu-west-1' }),
  },
  s3Endpoint: {
    type: 'string',
    default: '',
    scope: 'store',
    cli: { flag: 's3-endpoint', arg: 'URL', default: 'AWS S3' },
    action: { input: 's3-endpoint', default: 'AWS S3' },
    help: 'An S3-compatible endpoint URL (path-style addressing), e.g. `http://localhost:9000`.',
    check: (v) => {
      try {
        const u = new URL(v);
        if ((u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password) return null;
      } catch {
        /* not a URL */
      }
      return {
        message: `${quote(v)} is not an endpoint URL`,
        hint: 'use http(s)://host[:port] without credentials (e.g. http://localhost:9000)',
      };
    },
  },
  store: {
    type: 'string',
    default: '',
    scope: 'store',
    env: 'PEXPRESS_STORE',
    cli: { flag: 'store', arg: 'URL', default: '`file://<project>/.pexpress/store`' },
    action: { input: 'store', default: 'from `s3-bucket`' },
    help: 'Where the archives go: `file:///dir`, a path, or `s3://bucket/prefix`.',
    check: (v) =>
      // The scheme is checked here; the bucket of an s3:// URL by the S3 store (with the same rule as s3-bucket).
      /^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !/^(file:\/\/\/|s3:\/\/)/.test(v)
        ? { message: `${quote(v)} is not a store URL`, hint: 'use file:///absolute/dir or s3://bucket/prefix (or a directory path)' }
        : null,
  },
  forceFull: {
    type: 'boolean',
    default: 'false',
    scope: 'build',
    cli: { flag: 'force-full' },
    action: { input: 'force-full-build' },
    help: 'Rebuild `deps.pex` even when the fingerprint is unchanged.',
  },
  epoch: {
    type: 'string',
    default: '',
    scope: 'build',
    cli: { flag: 'deps-cache-epoch', arg: 'S' },
    action: { input: 'deps-cache-epoch', default: 'none' },
    help: 'Any string, part of the fingerprint: change it to force one new `deps.pex`.',
    check: (v) => (/[\r\n]/.test(v) ? { message: 'must be a single line' } : null),
  },
  resolver: {
    type: 'choice',
    choices: ['auto', 'uv', 'pip'],
    noun: 'resolver',
    default: 'auto',
    scope: 'build',
    env: 'PEXPRESS_RESOLVER',
    cli: { flag: 'resolver', arg: 'R' },
    action: { input: 'resolver' },
    help: '`auto` (uv when available, else pip), `uv` or `pip`.',
  },
  commentOnPr: {
    type: 'choice',
    choices: ['always', 'on-full', 'never'],
    aliases: { true: 'always', false: 'never' },
    noun: 'choice',
    default: 'always',
    action: { input: 'comment-on-pr' },
    help: 'On `pull_request` / `pull_request_target` events, one comment per project-dir on the PR with the build type, the reason and the archives: `always`; `on-full`, only when dependencies changed or the build failed (a later fast build edits an earlier comment, never creates one); `never`. `true` and `false` mean `always` and `never`.',
  },
  githubToken: {
    type: 'string',
    default: '${{ github.token }}',
    action: { input: 'github-token' },
    help: 'Token for the PR comment (needs `pull-requests: write`; a read-only token only gives a warning).',
  },
  promoteTo: {
    type: 'string',
    default: '',
    action: { input: 'promote-to' },
    help: 'An environment name (e.g. `production`): on pushes to `promote-branch`, record the build as what that environment runs (`pexpress run --env ENV`). Empty: no promotion.',
    check: (v) =>
      ENV_NAME.test(v)
        ? null
        : { message: `${quote(v)} is not an environment name`, hint: "use letters, digits, '.', '_' and '-' (e.g. production)" },
  },
  promoteBranch: {
    type: 'string',
    default: '',
    action: { input: 'promote-branch', default: 'the repository default branch' },
    help: 'The branch whose pushes `promote-to` promotes.',
  },
  outDir: {
    type: 'string',
    default: '',
    scope: 'build',
    cli: { flag: 'out-dir', arg: 'DIR', default: '`<project>/.pexpress/out`' },
    help: 'Where the archives are written.',
  },
  json: {
    type: 'boolean',
    default: 'false',
    scope: 'store',
    cli: { flag: 'json' },
    help: 'Print one JSON object on stdout (on failure too: `{"error": {...}}`); logs stay on stderr.',
  },
} as const satisfies Record<string, OptionSpec>;

export type OptionKey = keyof typeof OPTIONS;

export const OPTION_KEYS = Object.keys(OPTIONS) as OptionKey[];

export function specOf(key: OptionKey): OptionSpec {
  return OPTIONS[key];
}

type ValueOfSpec<S> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'list' }
    ? string[]
    : S extends { type: 'choice'; choices: readonly (infer C)[] }
      ? C
      : S extends { default: '' }
        ? string | undefined
        : string;

/** Typed values of every option; an unset string option with no default is undefined. */
export type OptionValues = { -readonly [K in OptionKey]: ValueOfSpec<(typeof OPTIONS)[K]> };

/** How a front end names an option to its user. */
export type Surface = 'cli' | 'action';

export function cliName(key: string): string {
  const spec = (OPTIONS as Record<string, OptionSpec>)[key];
  if (spec?.cli) return `--${spec.cli.flag}`;
  if (spec?.action) return `input '${spec.action.input}'`;
  return `--${key}`;
}

export function actionName(key: string): string {
  const spec = (OPTIONS as Record<string, OptionSpec>)[key];
  if (spec?.action) return `input '${spec.action.input}'`;
  if (spec?.cli) return `--${spec.cli.flag}`;
  return key;
}

export const nameFor = (surface: Surface) => (surface === 'cli' ? cliName : actionName);
