import { statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { BuildOptions } from '../build/build.ts';
import { UsageError } from '../platform/errors.ts';
import { defaultStoreUrl } from '../store/index.ts';

/**
 * The Action's inputs, read, validated and typed in one place (as actions/checkout's input-helper).
 * Everything after readInputs() works with ActionInputs only. The runner fills in action.yml's
 * defaults; the code's defaults below are the same (a test compares them), so a step run
 * outside the runner (tests, `act`) behaves identically.
 */
export const INPUT_DEFAULTS = {
  'project-dir': '.',
  'python-version': '',
  platform: '',
  manylinux: '',
  'entry-point': '',
  requirements: '',
  exclude: '',
  include: '',
  extras: '',
  groups: '',
  's3-bucket': '',
  's3-prefix': '',
  's3-region': '',
  's3-endpoint': '',
  store: '',
  'force-full-build': 'false',
  'deps-cache-epoch': '',
  resolver: 'auto',
  'comment-on-pr': 'true',
  'github-token': '${{ github.token }}',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;

export const OUTPUT_NAMES = [
  'build-type',
  'reason',
  'fingerprint',
  'deps-sha256',
  'deps-key',
  'source-sha256',
  'source-key',
  'manifest-key',
  'deps-path',
  'source-path',
  'store-url',
] as const;

export type OutputName = (typeof OUTPUT_NAMES)[number];

export interface ActionInputs {
  /** As the user wrote it, normalized ('.' for the workspace root, forward slashes): names the PR comment. */
  projectDirLabel: string;
  /** Absolute. */
  projectDir: string;
  python?: string;
  platform?: string;
  manylinux?: string;
  entryPoint: string | null;
  /** null: requirements.txt when present; a named file must exist. */
  requirementsFile: string | null;
  excludes: string[];
  includes: string[];
  extras: string[];
  groups: string[];
  storeUrl: string;
  /** True when neither s3-bucket nor store was given: archives stay on the runner. */
  localStore: boolean;
  s3Region?: string;
  s3Endpoint?: string;
  forceFull: boolean;
  epoch: string;
  resolver: BuildOptions['resolver'];
  commentOnPr: boolean;
  githubToken: string;
}

/** One or more bad inputs; the message names each input and what it accepts. */
export class InputError extends UsageError {
  constructor(readonly problems: Array<{ input: InputName; message: string }>) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/** How an input is read: @actions/core's getInput semantics (INPUT_<NAME>, trimmed). */
export type InputReader = (name: InputName) => string;

export function envInputReader(env: NodeJS.ProcessEnv = process.env): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];
const RESOLVERS = ['auto', 'uv', 'pip'] as const;
const PLATFORMS = ['linux_x86_64', 'linux_aarch64'];
const ENTRY_POINT = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*(:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*)?$/;
// AWS's rules for new buckets: 3–63 characters, lowercase letters, digits, dots and hyphens.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const show = (v: string) => `'${v.length > 60 ? v.slice(0, 57) + '…' : v}'`;

export function readInputs(read: InputReader = envInputReader(), env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const problems: Array<{ input: InputName; message: string }> = [];
  const bad = (input: InputName, message: string): undefined => {
    problems.push({ input, message: `input '${input}': ${message}` });
    return undefined;
  };
  const get = (name: InputName): string => {
    const v = read(name);
    return v === '' ? (INPUT_DEFAULTS[name] as string) : v;
  };
  const bool = (name: InputName): boolean => {
    const v = get(name);
    if (TRUE.includes(v)) return true;
    if (FALSE.includes(v)) return false;
    bad(name, `${show(v)} is not a boolean — use true or false`);
    return INPUT_DEFAULTS[name] === 'true';
  };
  const optional = (name: InputName): string | undefined => get(name) || undefined;

  // project-dir: relative to the workspace (the checkout), like every path in a workflow.
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const rawDir = get('project-dir');
  const projectDir = resolve(workspace, rawDir);
  let projectDirLabel = relative(workspace, projectDir).split(sep).join('/') || '.';
  if (projectDirLabel.startsWith('..') || isAbsolute(projectDirLabel)) projectDirLabel = projectDir.split(sep).join('/');
  try {
    if (!statSync(projectDir).isDirectory())
      bad('project-dir', `${show(rawDir)} is not a directory — give the Python project's directory, relative to the workspace`);
  } catch {
    bad(
      'project-dir',
      `${show(rawDir)} does not exist in the workspace (${workspace}) — did a checkout step run first? Give the Python project's directory, relative to the workspace`,
    );
  }

  const python = optional('python-version');
  if (python !== undefined) {
    const m = /^3\.(\d{1,2})$/.exec(python);
    if (!m || Number(m[1]) < 9)
      bad(
        'python-version',
        `${show(python)} is not a supported target — use X.Y, 3.9 or later (e.g. 3.12), or leave it empty for the runner's python3`,
      );
  }
  const platform = optional('platform');
  if (platform !== undefined && !PLATFORMS.includes(platform))
    bad('platform', `${show(platform)} is not supported — use ${PLATFORMS.join(' or ')}, or leave it empty for the runner's`);
  const manylinux = optional('manylinux');
  if (manylinux !== undefined && !/^manylinux(_2_\d{1,2}|2014|2010|1)$/.test(manylinux)) {
    bad('manylinux', `${show(manylinux)} is not a manylinux tag — use manylinux_2_NN (e.g. manylinux_2_28) or manylinux2014`);
  }
  const entryPoint = optional('entry-point') ?? null;
  if (entryPoint !== null && !ENTRY_POINT.test(entryPoint))
    bad('entry-point', `${show(entryPoint)} is not MODULE or MODULE:FUNCTION (e.g. myapp.main:run)`);

  const requirementsFile = optional('requirements') ?? null;
  if (requirementsFile !== null && (isAbsolute(requirementsFile) || requirementsFile.split(/[\\/]/).includes('..'))) {
    bad('requirements', `${show(requirementsFile)} must be a path inside project-dir (e.g. requirements/prod.txt)`);
  }
  const excludes = get('exclude')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const includes = get('include')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const extras = [
    ...new Set(
      get('extras')
        .split(/[\s,]+/)
        .filter(Boolean),
    ),
  ].sort();
  for (const e of extras)
    if (!/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(e))
      bad('extras', `${show(e)} is not an extra name — a comma-separated list like web,cli`);
  const groups = [
    ...new Set(
      get('groups')
        .split(/[\s,]+/)
        .filter(Boolean),
    ),
  ].sort();
  for (const g of groups)
    if (!/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(g))
      bad('groups', `${show(g)} is not a group name — a comma-separated list like docs,prod`);

  const resolverRaw = get('resolver');
  const resolver = (RESOLVERS as readonly string[]).includes(resolverRaw)
    ? (resolverRaw as ActionInputs['resolver'])
    : (bad('resolver', `${show(resolverRaw)} is not a resolver — use ${RESOLVERS.join(', ')}`), 'auto' as const);

  // Where the archives go: store, else s3-bucket (+ s3-prefix), else the project's local store.
  const store = optional('store');
  const bucket = optional('s3-bucket');
  const prefixRaw = get('s3-prefix');
  const prefix = prefixRaw.replace(/^\/+|\/+$/g, '');
  if (prefix && prefix.split('/').some((p) => p === '..' || p === '.' || p === ''))
    bad(
      's3-prefix',
      `${show(prefixRaw)} is not a key prefix — use segments separated by single slashes, without . or .. (e.g. pexpress/myapp)`,
    );
  else if (/[^A-Za-z0-9!_.*'()/-]/.test(prefix))
    bad('s3-prefix', `${show(prefixRaw)} has characters that are unsafe in S3 keys — use letters, digits and - _ . / only`);
  if (bucket !== undefined) {
    if (bucket.startsWith('s3://'))
      bad('s3-bucket', `${show(bucket)}: give the bucket name only (no s3://), and the key prefix in s3-prefix`);
    else if (!BUCKET.test(bucket) || bucket.includes('..'))
      bad('s3-bucket', `${show(bucket)} is not a valid bucket name — 3 to 63 lowercase letters, digits, dots and hyphens`);
  }
  if (store !== undefined) {
    if (bucket !== undefined) bad('store', `set either store or s3-bucket, not both`);
    else if (!/^(file:\/\/\/|s3:\/\/[^/])/.test(store))
      bad('store', `${show(store)} is not a store URL — use file:///absolute/dir or s3://bucket/prefix`);
  }
  let storeUrl: string;
  if (store !== undefined) storeUrl = store;
  else if (bucket !== undefined) storeUrl = `s3://${bucket}${prefix ? '/' + prefix : ''}`;
  else storeUrl = defaultStoreUrl(projectDir);
  if (store === undefined && bucket === undefined && prefix) bad('s3-prefix', `is set but s3-bucket is empty — set s3-bucket too`);

  const s3Region = optional('s3-region');
  if (s3Region !== undefined && !REGION.test(s3Region)) bad('s3-region', `${show(s3Region)} is not a region name — e.g. eu-west-1`);
  const s3Endpoint = optional('s3-endpoint');
  if (s3Endpoint !== undefined) {
    let ok = false;
    try {
      const u = new URL(s3Endpoint);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
    } catch {
      /* not a URL */
    }
    if (!ok)
      bad(
        's3-endpoint',
        `${show(s3Endpoint)} is not an endpoint URL — use http(s)://host[:port] without credentials (e.g. http://localhost:9000)`,
      );
  }

  const epoch = get('deps-cache-epoch');
  if (/[\r\n]/.test(epoch)) bad('deps-cache-epoch', 'must be a single line');

  const forceFull = bool('force-full-build');
  const commentOnPr = bool('comment-on-pr');
  // The runner substitutes ${{ github.token }}; outside it the literal default means "no token".
  const tokenRaw = read('github-token');
  const githubToken = tokenRaw.includes('${{') ? '' : tokenRaw;

  if (problems.length) throw new InputError(problems);
  return {
    projectDirLabel,
    projectDir,
    python,
    platform,
    manylinux,
    entryPoint,
    requirementsFile,
    excludes,
    includes,
    extras,
    groups,
    storeUrl,
    localStore: store === undefined && bucket === undefined,
    s3Region,
    s3Endpoint,
    forceFull,
    epoch,
    resolver,
    commentOnPr,
    githubToken,
  };
}

/** The core's options for these inputs: the Action builds exactly as `pexpress build` would. */
export function buildOptionsOf(inputs: ActionInputs, extra: Pick<BuildOptions, 'ref' | 'commit'> = {}): BuildOptions {
  return {
    projectDir: inputs.projectDir,
    storeUrl: inputs.storeUrl,
    storeOptions: { s3Endpoint: inputs.s3Endpoint, s3Region: inputs.s3Region },
    python: inputs.python,
    platform: inputs.platform,
    manylinux: inputs.manylinux,
    entryPoint: inputs.entryPoint,
    forceFull: inputs.forceFull,
    outDir: join(inputs.projectDir, '.pexpress', 'out'),
    resolver: inputs.resolver,
    epoch: inputs.epoch,
    excludes: inputs.excludes,
    includes: inputs.includes,
    extras: inputs.extras,
    groups: inputs.groups,
    requirementsFile: inputs.requirementsFile,
    ...extra,
  };
}
