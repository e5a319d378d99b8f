/**
 * Every environment variable pexpress's TypeScript reads, declared once with its type, default and
 * meaning (as pex's variables.py and uv's env_vars.rs do). Code reads them only through readEnv(),
 * which parses strictly: a value that is not of the declared type is a UsageError naming the
 * variable, never a silent fallback. docs/environment.md is generated from this table (npm run docs)
 * together with the runtime's ENV_VARS at the top of src/archive/runtime/bootstrap.py.
 *
 * The runner's GITHUB_* and INPUT_* variables are the Action's contract with GitHub (read in
 * src/action/) and are not repeated here.
 */
import { UsageError } from './errors.ts';

export type EnvType = 'string' | 'path' | 'url' | 'boolean' | 'integer' | 'choice';

export interface EnvSpec {
  type: EnvType;
  /** The default as docs show it; for boolean and integer variables readEnv() returns it parsed. */
  default: string;
  help: string;
  choices?: readonly string[];
  /** Smallest accepted integer. */
  min?: number;
  /** Owned by another tool (AWS SDK conventions, XDG): documented because pexpress reads it. */
  external?: boolean;
}

const MiB = 1024 * 1024;

export const ENV_VARS = {
  PEXPRESS_STORE: {
    type: 'string',
    default: '',
    help: 'The store URL (`file:///dir`, a path, or `s3://bucket/prefix`) when the CLI gets no `--store`. Empty: `file://<project>/.pexpress/store`.',
  },
  PEXPRESS_RESOLVER: {
    type: 'choice',
    choices: ['auto', 'uv', 'pip'],
    default: 'auto',
    help: 'The resolver when the CLI gets no `--resolver`.',
  },
  PEXPRESS_CACHE_DIR: {
    type: 'path',
    default: '$XDG_CACHE_HOME/pexpress, else ~/.cache/pexpress',
    help: "Every cache pexpress keeps: verified wheels by sha256, uv's cache, the tool venv uv is installed into, the per-project caches.",
  },
  PEXPRESS_PYTHON: {
    type: 'path',
    default: 'python3',
    help: 'The host interpreter: runs pip, builds sdists for a host-matching target, and runs `pexpress run` when no `python<X.Y>` is on PATH.',
  },
  PEXPRESS_UV: {
    type: 'path',
    default: "uv on PATH, else pexpress's tool venv (installed there on first use)",
    help: 'The uv executable to resolve with.',
  },
  PEXPRESS_PROGRESS: {
    type: 'boolean',
    default: 'true',
    help: 'false or 0: no progress lines for long transfers (they are off anyway with `--json`).',
  },
  PEXPRESS_PROGRESS_INTERVAL_MS: {
    type: 'integer',
    default: '5000',
    min: 0,
    help: 'When stderr is not a terminal (CI logs), at most one progress line this often.',
  },
  PEXPRESS_RESOLVE_TIMEOUT_MS: {
    type: 'integer',
    default: String(15 * 60_000),
    min: 1,
    help: 'How long uv or pip may run (resolving, evaluating `setup.py`, building an sdist) before the build stops and names what hung.',
  },
  PEXPRESS_DOWNLOAD_TIMEOUT_MS: {
    type: 'integer',
    default: '60000',
    min: 1,
    help: 'A wheel download that receives nothing for this long is abandoned and retried.',
  },
  PEXPRESS_S3_TIMEOUT_MS: {
    type: 'integer',
    default: '30000',
    min: 1,
    help: 'Connection and socket timeout of every S3 request; a request that times out is retried like other transient failures.',
  },
  PEXPRESS_DEBUG: {
    type: 'boolean',
    default: 'false',
    help: 'true or 1: print the stack trace of an error after its one-line message.',
  },
  PEXPRESS_S3_ENDPOINT: {
    type: 'url',
    default: '',
    help: 'An S3-compatible endpoint URL (path-style addressing) when no `--s3-endpoint` / `s3-endpoint` is given.',
  },
  PEXPRESS_S3_MULTIPART_THRESHOLD: {
    type: 'integer',
    default: String(16 * MiB),
    min: 1,
    help: 'Bytes from which an archive is uploaded in parts.',
  },
  PEXPRESS_S3_PART_SIZE: {
    type: 'integer',
    default: String(8 * MiB),
    min: 5 * MiB,
    help: "Bytes per part of a multipart upload (S3's minimum is 5 MiB; raised when an archive would need more than 9000 parts).",
  },
  PEXPRESS_S3_MAX_ATTEMPTS: {
    type: 'integer',
    default: '8',
    min: 1,
    help: 'Attempts per S3 request (throttling, 5xx, timeouts and resets are retried with backoff).',
  },
  AWS_ENDPOINT_URL_S3: {
    type: 'url',
    default: '',
    external: true,
    help: "The AWS SDK's S3 endpoint variable, used after `PEXPRESS_S3_ENDPOINT`.",
  },
  AWS_REGION: {
    type: 'string',
    default: '',
    external: true,
    help: 'The S3 region when none is given (as set by aws-actions/configure-aws-credentials).',
  },
  AWS_DEFAULT_REGION: {
    type: 'string',
    default: 'us-east-1',
    external: true,
    help: 'The S3 region when neither a region option nor `AWS_REGION` is set.',
  },
  XDG_CACHE_HOME: {
    type: 'path',
    default: '~/.cache',
    external: true,
    help: 'The base of the default `PEXPRESS_CACHE_DIR`.',
  },
} as const satisfies Record<string, EnvSpec>;

export type EnvName = keyof typeof ENV_VARS;

type ValueOf<T extends EnvType> = T extends 'boolean' ? boolean : T extends 'integer' ? number : string | undefined;

const TRUE = ['1', 'true', 'True', 'TRUE'];
const FALSE = ['0', 'false', 'False', 'FALSE'];

/** Whether `text` is a valid value of `spec`; the problem in words otherwise. */
function problemOf(spec: EnvSpec, text: string): string | null {
  switch (spec.type) {
    case 'boolean':
      return TRUE.includes(text) || FALSE.includes(text) ? null : 'is not a boolean';
    case 'integer':
      if (!/^\d+$/.test(text)) return 'is not a whole number';
      if (spec.min !== undefined && Number(text) < spec.min) return `is below the minimum ${spec.min}`;
      return null;
    case 'choice':
      return spec.choices!.includes(text) ? null : 'is not one of the accepted values';
    case 'url':
      try {
        const u = new URL(text);
        return u.protocol === 'http:' || u.protocol === 'https:' ? null : 'is not an http(s) URL';
      } catch {
        return 'is not a URL';
      }
    default:
      return /[\r\n\0]/.test(text) ? 'must be a single line' : null;
  }
}

/**
 * The typed value of one variable: booleans and integers fall back to the table's default, the
 * others are undefined when unset. An empty value counts as unset (as a workflow's `VAR: ''`).
 */
export function readEnv<N extends EnvName>(name: N, env: NodeJS.ProcessEnv = process.env): ValueOf<(typeof ENV_VARS)[N]['type']> {
  const spec: EnvSpec = ENV_VARS[name];
  const raw = env[name];
  const text = raw === undefined || raw === '' ? null : raw;
  if (text !== null) {
    const problem = problemOf(spec, text);
    if (problem) {
      const shown = text.length > 60 ? text.slice(0, 57) + '…' : text;
      throw new UsageError(`environment variable ${name}=${JSON.stringify(shown)} ${problem}`, {
        hint: `unset it or set it to ${describeType(spec)}`,
      });
    }
  }
  const value = text ?? (spec.type === 'boolean' || spec.type === 'integer' ? spec.default : null);
  if (spec.type === 'boolean') return TRUE.includes(value!) as ValueOf<(typeof ENV_VARS)[N]['type']>;
  if (spec.type === 'integer') return Number(value) as ValueOf<(typeof ENV_VARS)[N]['type']>;
  return (value ?? undefined) as ValueOf<(typeof ENV_VARS)[N]['type']>;
}

/** readEnv() for paths where an error is already being reported: a bad value reads as the default. */
export function readEnvOr<N extends EnvName>(
  name: N,
  fallback: ValueOf<(typeof ENV_VARS)[N]['type']>,
  env: NodeJS.ProcessEnv = process.env,
): ValueOf<(typeof ENV_VARS)[N]['type']> {
  try {
    return readEnv(name, env);
  } catch {
    return fallback;
  }
}

export function describeType(spec: EnvSpec): string {
  switch (spec.type) {
    case 'boolean':
      return '1, 0, true or false';
    case 'integer':
      return spec.min !== undefined && spec.min > 1 ? `a whole number ≥ ${spec.min}` : 'a whole number';
    case 'choice':
      return spec.choices!.slice(0, -1).join(', ') + ' or ' + spec.choices!.at(-1);
    case 'url':
      return 'an http(s) URL';
    case 'path':
      return 'a path';
    default:
      return 'a string';
  }
}
