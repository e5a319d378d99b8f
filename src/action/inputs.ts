import { statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { BuildOptions } from '../build/build.ts';
import { OptionsError, parseOptions, type Given, type OptionProblem } from '../options/parse.ts';
import { buildOptionsFrom } from '../options/build-options.ts';
import { actionName, OPTION_KEYS, OPTIONS, quote as show, type OptionKey, type OptionSpec, type OptionValues } from '../options/table.ts';
import { defaultStoreUrl } from '../store/index.ts';

/**
 * The Action's inputs, read, validated and typed in one place (as actions/checkout's input-helper).
 * Everything after readInputs() works with ActionInputs only. Names, defaults and validation come
 * from the option table (src/options/table.ts), the same one the CLI uses; the runner fills in
 * action.yml's defaults (generated from that table), so a step run outside the runner (tests,
 * `act`) behaves identically.
 */
type ActionKey = { [K in OptionKey]: (typeof OPTIONS)[K] extends { action: { input: string } } ? K : never }[OptionKey];
export type InputName = (typeof OPTIONS)[ActionKey]['action']['input'];

const ACTION_KEYS = OPTION_KEYS.filter((k): k is ActionKey => 'action' in OPTIONS[k]);

export const INPUT_DEFAULTS = Object.fromEntries(
  ACTION_KEYS.map((k) => [(OPTIONS[k] as OptionSpec).action!.input, OPTIONS[k].default]),
) as Record<InputName, string>;

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
  'promoted-to',
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
  /** null: requirements.txt when present. */
  requirementsFile: string | null;
  excludes: string[];
  extras: string[];
  storeUrl: string;
  /** True when neither s3-bucket nor store was given: archives stay on the runner. */
  localStore: boolean;
  s3Region?: string;
  s3Endpoint?: string;
  forceFull: boolean;
  epoch: string;
  resolver: BuildOptions['resolver'];
  /** always; on-full: only full or failed builds (and a fast one edits an earlier comment); never. */
  commentOnPr: CommentMode;
  githubToken: string;
  /** Every option's typed value, as the table defines them (what buildOptionsOf hands the core). */
  values: OptionValues;
}

export type CommentMode = OptionValues['commentOnPr'];

/** One or more bad inputs; the message names each input and what it accepts. */
export class InputError extends OptionsError {
  constructor(problems: OptionProblem[]) {
    super(problems, 'action');
  }
}

/** How an input is read: @actions/core's getInput semantics (INPUT_<NAME>, trimmed). */
export type InputReader = (name: InputName) => string;

export function envInputReader(env: NodeJS.ProcessEnv = process.env): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

export function readInputs(read: InputReader = envInputReader(), env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const given: Partial<Record<OptionKey, Given>> = {};
  for (const key of ACTION_KEYS) {
    const input = (OPTIONS[key] as OptionSpec).action!.input as InputName;
    const value = read(input);
    if (value !== '') given[key] = { value, from: `input '${input}'` };
  }
  const { values: o, problems } = parseOptions(given, ACTION_KEYS);
  const bad = (key: OptionKey, message: string, hint?: string) => problems.push({ key, from: actionName(key), message, hint });

  // project-dir: relative to the workspace (the checkout), like every path in a workflow.
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const rawDir = o.projectDir;
  const projectDir = resolve(workspace, rawDir);
  let projectDirLabel = relative(workspace, projectDir).split(sep).join('/') || '.';
  if (projectDirLabel.startsWith('..') || isAbsolute(projectDirLabel)) projectDirLabel = projectDir.split(sep).join('/');
  try {
    if (!statSync(projectDir).isDirectory())
      bad('projectDir', `${show(rawDir)} is not a directory`, "give the Python project's directory, relative to the workspace");
  } catch {
    bad(
      'projectDir',
      `${show(rawDir)} does not exist in the workspace (${workspace})`,
      "did a checkout step run first? Give the Python project's directory, relative to the workspace",
    );
  }

  // Where the archives go: store, else s3-bucket (+ s3-prefix), else the project's local store.
  const store = o.store;
  const bucket = o.s3Bucket;
  const prefix = (o.s3Prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (store !== undefined && bucket !== undefined) bad('store', 'set either store or s3-bucket, not both');
  if (store === undefined && bucket === undefined && prefix) bad('s3Prefix', 'is set but s3-bucket is empty', 'set s3-bucket too');
  let storeUrl: string;
  if (store !== undefined) storeUrl = URL_LIKE.test(store) ? store : 'file://' + resolve(workspace, store);
  else if (bucket !== undefined) storeUrl = `s3://${bucket}${prefix ? '/' + prefix : ''}`;
  else storeUrl = defaultStoreUrl(projectDir);

  // The runner substitutes ${{ github.token }}; outside it the literal default means "no token".
  const tokenRaw = read('github-token');
  const githubToken = tokenRaw.includes('${{') ? '' : tokenRaw;

  if (problems.length) {
    // In the order of action.yml, project-dir first: the first thing to fix is the first named.
    const order = (p: OptionProblem) => ACTION_KEYS.indexOf(p.key as ActionKey);
    throw new InputError(problems.sort((a, b) => order(a) - order(b)));
  }
  return {
    projectDirLabel,
    projectDir,
    python: o.python,
    platform: o.platform,
    manylinux: o.manylinux,
    entryPoint: o.entryPoint ?? null,
    requirementsFile: o.requirements ?? null,
    excludes: o.exclude,
    extras: o.extras,
    storeUrl,
    localStore: store === undefined && bucket === undefined,
    s3Region: o.s3Region,
    s3Endpoint: o.s3Endpoint,
    forceFull: o.forceFull,
    epoch: o.epoch ?? '',
    resolver: o.resolver,
    commentOnPr: o.commentOnPr,
    githubToken,
    values: o,
  };
}

/** The core's options for these inputs: the Action builds exactly as `pexpress build` would. */
export function buildOptionsOf(inputs: ActionInputs, extra: Pick<BuildOptions, 'ref' | 'commit'> = {}): BuildOptions {
  const at = { projectDir: inputs.projectDir, storeUrl: inputs.storeUrl, outDir: join(inputs.projectDir, '.pexpress', 'out') };
  return { ...buildOptionsFrom(inputs.values, at), ...extra };
}
