// The pipeline: build() runs the phases the log shows (fingerprint → decide → collect → resolve →
// download → pack deps → pack source → publish) and writes the records (ARCHITECTURE.md § 1, § 5).
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { projectDeflateCache, projectHashMemo } from '../archive/project-cache.ts';
import { decide, diffDeps, type DepsIndexEntry, type PreviousBuild } from './decide.ts';
import {
  readDepsIndex,
  writeDepsIndex,
  writeManifest,
  writeRef,
  type ArchiveReport,
  type BuildResult,
  type DepsChange,
} from './records.ts';
import { readDeclarations, type Declarations } from '../python/declarations.ts';
import { optionRef, UsageError } from '../platform/errors.ts';
import { computeFingerprint, type Fingerprint, type ResolverKind } from './fingerprint.ts';
import { currentRevision } from '../platform/git.ts';
import type { Logger } from '../platform/log.ts';
import { packDeps, packSource, type PackedArchive } from '../archive/pack.ts';
import { resolverFor } from '../python/resolve.ts';
import { codeHashOf, collectSources, sortByNameBytes, withCredentialsReplaced, type SourceFile } from '../archive/sources.ts';
import { projectMetadata, type ProjectMetadata } from '../python/project-metadata.ts';
import { projectPythonOf, pythonMismatch } from '../python/requires-python.ts';
import { readSetupPyDeps } from '../python/setup-py.ts';
import { sha256Hex } from '../archive/pexinfo.ts';
import {
  archiveKey,
  fullKey,
  manifestKey,
  openStore,
  projectMetadataKey,
  type RefScope,
  type Store,
  type StoreOptions,
} from '../store/index.ts';
import { hostTarget, parseTarget, parseWheelFilename, TargetError, type Target } from '../python/target.ts';
import { cacheDir, findTools, hostPython as hostInterpreter, hostPythonVersion, type Tools } from '../platform/tools.ts';
import { PEXPRESS_VERSION } from '../platform/version.ts';
import { fetchWheels } from '../python/wheels.ts';

/** Everything a build needs, already validated (see cli/args.ts for the CLI, action/inputs.ts for the Action). */
export interface BuildOptions {
  projectDir: string;
  storeUrl: string;
  storeOptions: StoreOptions;
  python?: string;
  platform?: string;
  manylinux?: string;
  entryPoint: string | null;
  forceFull: boolean;
  outDir: string;
  resolver: 'auto' | 'uv' | 'pip';
  epoch: string;
  /** Optional dependency groups of the project (setup.py extras_require, [project.optional-dependencies]). */
  extras: string[];
  /** Dependency groups to install as well (a lock's groups, PEP 735 [dependency-groups]); none by default. */
  groups: string[];
  excludes: string[];
  /** Globs that win over .gitignore (generated files such as _version.py); --exclude still wins over them. */
  includes: string[];
  /** null: requirements.txt when the project has one. A named file must exist. */
  requirementsFile: string | null;
  ref?: string;
  commit?: string;
  /**
   * Whose "last build" records this build reads and writes (store.ts RefScope): the repository
   * the commit lives in and the project's path in it; `fallbacks` are read, never written, when
   * the branch has no record yet (a PR's base branch, then the default branch). Without it: no
   * repository, the project's path below its git checkout.
   */
  history?: { repository: string | null; project: string; fallbacks?: Array<{ ref: string; repository: string | null }> };
  /** Called once before a full build resolves (the Action restores the resolver cache here). */
  beforeResolve?: (info: { fingerprint: string; target: Target; cacheDir: string }) => Promise<void>;
}

export type { ArchiveReport, BuildResult, DepsChange, PackageVersion } from './records.ts';

/** Literal credentials in a file copied into source.pex become the placeholder. */
function redactBytes(data: Buffer, secrets: string[]): Buffer {
  if (!secrets.length) return data;
  let text = data.toString('latin1');
  for (const s of [...secrets].sort((a, b) => a.length - b.length))
    text = text.split(Buffer.from(s).toString('latin1')).join(CREDENTIAL_PLACEHOLDER);
  return Buffer.from(text, 'latin1');
}

/** The project's *.dist-info, keyed by everything that declares the project (not by its code). */
async function projectMetadataFor(
  projectDir: string,
  ctx: Context,
  lazyTools: () => Promise<Tools>,
  store: Store,
  log: Logger,
): Promise<ProjectMetadata | null> {
  const d = ctx.decl;
  const h = createHash('sha256').update(`pexpress ${PEXPRESS_VERSION}\0`);
  for (const [name, bytes] of [
    ['setup.py', d.setupPy],
    ['setup.cfg', d.setupCfg],
    ['pyproject.toml', d.pyprojectBytes ?? null],
  ] as const) {
    h.update(`${name}\0${bytes ? sha256Hex(bytes) : '-'}\0`);
  }
  const key = h.digest('hex');
  return projectMetadata({
    projectDir,
    key,
    shared: {
      read: () => store.getText(projectMetadataKey(key)),
      write: (text) => store.putJson(projectMetadataKey(key), JSON.parse(text)),
    },
    pyproject: d.pyprojectBytes ?? null,
    tools: lazyTools,
    cacheDir: cacheDir(),
    log,
  });
}

/** What a literal credential in a declaration file becomes in source.pex (pip leaves it as written when unset). */
export const CREDENTIAL_PLACEHOLDER = '${PEXPRESS_REDACTED_CREDENTIAL}';

export async function assertProjectDir(dir: string): Promise<string> {
  const abs = resolve(dir);
  try {
    if ((await stat(abs)).isDirectory()) return abs;
  } catch {
    /* fall through */
  }
  throw new UsageError(`project directory ${dir} does not exist — set ${optionRef('projectDir')} to your Python project's directory`);
}

export interface Context {
  projectDir: string;
  target: Target;
  /** Where the target Python came from, for the log: '--python', '.python-version', … */
  targetFrom: string;
  /** The resolver asked for ('auto' means uv): what the fingerprint covers. Tools are found only for a full build. */
  resolver: ResolverKind;
  decl: Declarations;
  fp: Fingerprint;
  host: { python: string | null; platform: ReturnType<typeof hostTarget>['platform'] };
}

/** fingerprint stage: shared by `build` and `fingerprint`. */
export async function fingerprintProject(
  opts: Pick<BuildOptions, 'projectDir' | 'python' | 'platform' | 'manylinux' | 'resolver' | 'epoch' | 'extras' | 'requirementsFile'> & {
    groups?: string[];
  },
  log: Logger,
): Promise<Context> {
  const projectDir = await assertProjectDir(opts.projectDir);
  const hostPlatform = hostTarget().platform;
  const groups = opts.groups ?? [];
  const decl = await readDeclarations(projectDir, opts.requirementsFile, { extras: opts.extras, groups });
  for (const s of decl.secrets) log.addSecret(s);
  // The project's own choice comes before the host's: .python-version, or a requires-python that allows one minor.
  const projectPython = opts.python ? null : await projectPythonOf(projectDir, decl.requiresPython);
  // Asking python for its version costs a process start; only when nothing else says it.
  const hostPython = opts.python || projectPython ? null : await hostPythonVersion();
  const targetFrom = opts.python ? '--python' : projectPython ? projectPython.from : "the host's python3";
  let target: Target;
  try {
    target = parseTarget(
      { python: opts.python ?? projectPython?.version, platform: opts.platform, manylinux: opts.manylinux },
      { python: hostPython ?? '3.11', platform: hostPlatform },
    );
  } catch (err) {
    if (err instanceof TargetError) throw new UsageError(projectPython ? `${projectPython.from}: ${err.message}` : err.message);
    throw err;
  }
  const mismatch = decl.requiresPython && pythonMismatch(decl.requiresPython, target.python);
  if (mismatch) throw new UsageError(mismatch);
  const warned = new Set<string>();
  for (const m of decl.requirements?.missingEnv ?? []) {
    if (warned.has(m.name)) continue;
    warned.add(m.name);
    log.warn(`${m.file}:${m.line}: \${${m.name}} is not set (or empty), so it is used as written — set ${m.name} in the environment`);
  }
  // setup.py's literal dependency keywords, read by the host python (cached by setup.py's sha256).
  if (decl.setupPy) decl.setupPyDeps = await readSetupPyDeps(projectDir, sha256Hex(decl.setupPy), hostInterpreter(), cacheDir());
  // The resolver requested, not the one found: whether uv happens to be installed on this runner
  // must neither change the fingerprint nor cost a fast build a tool lookup (or a uv install).
  const resolver: ResolverKind = opts.resolver === 'pip' ? 'pip' : 'uv';
  const fp = computeFingerprint(decl, { target, resolver, epoch: opts.epoch, extras: opts.extras, groups });
  return { projectDir, target, targetFrom, resolver, decl, fp, host: { python: hostPython, platform: hostPlatform } };
}

function requirementsOf(wheels: { filename: string }[]): string[] {
  return wheels.map((w) => {
    const { distribution, version } = parseWheelFilename(w.filename);
    return `${distribution}==${version}`;
  });
}

export async function build(opts: BuildOptions, log: Logger): Promise<BuildResult> {
  const t0 = performance.now();
  const projectDir = await assertProjectDir(opts.projectDir);
  // A phase of its own: opening S3 loads the SDK, a large share of a fast build on a fresh runner.
  const store: Store = await log.phase('store', async () => {
    const s = await openStore(opts.storeUrl, { ...opts.storeOptions, warn: opts.storeOptions.warn ?? ((m) => log.warn(m)) });
    await s.check();
    return s;
  });
  const rev = await currentRevision(projectDir);
  const commit = opts.commit ?? rev.commit;
  const ref = opts.ref ?? rev.ref;

  const ctx = await log.phase('fingerprint', () => fingerprintProject({ ...opts, projectDir }, log));
  // Tools (uv, installed on first use) are found only when something needs them: a full build's
  // resolve, or the project's own metadata when its declarations changed. A fast build never waits.
  let toolsFound: Promise<Tools> | undefined;
  const lazyTools = () => (toolsFound ??= findTools(opts.resolver, log));
  const { target, fp } = ctx;
  log.info(
    `fingerprint ${fp.fingerprint.slice(0, 12)} · CPython ${target.python} (from ${ctx.targetFrom}) ${target.platform} · resolver ${opts.resolver}`,
  );

  const scope: RefScope = {
    repository: opts.history?.repository ?? null,
    project: opts.history?.project ?? (await checkoutPath(projectDir)),
    python: target.python,
    platform: target.platform,
  };
  const decision = await log.phase('decide', () =>
    decide(store, fp, { forceFull: opts.forceFull, ref, scope, fallbacks: opts.history?.fallbacks, warn: (m) => log.warn(m) }),
  );
  log.info(`${decision.buildType} build: ${decision.reason}`);

  // Before the slow part: a bad source tree (an escaping symlink, say) should fail in milliseconds.
  const sources = await log.phase('collect', async () => {
    const memo = projectHashMemo(cacheDir(), projectDir);
    // The out-dir, store and cache may sit inside the project; what pexpress writes is never input.
    const skip = [opts.outDir, join(opts.outDir, 'source.pex'), join(opts.outDir, 'deps.pex'), cacheDir()];
    if (store.localPath) skip.push(store.localPath(''));
    const collected = await collectSources(projectDir, opts.excludes, memo, { skip, includes: opts.includes });
    memo.save();
    const literal = ctx.decl.literalCredentials;
    const { sources: safe, replaced } = withCredentialsReplaced(
      collected,
      projectDir,
      [...new Set(literal.map((l) => l.file))],
      ctx.decl.secrets,
      CREDENTIAL_PLACEHOLDER,
    );
    const meta = ctx.decl.packageFile ? await projectMetadataFor(projectDir, ctx, lazyTools, store, log) : null;
    if (meta) {
      const files: SourceFile[] = Object.entries(meta.files).map(([f, data]) => ({
        name: `${meta.dir}/${f}`,
        absPath: '',
        size: data.length,
        executable: false,
        sha256: sha256Hex(data),
        data: redactBytes(data, ctx.decl.secrets),
      }));
      const taken = new Set(safe.files.map((f) => f.name));
      const added = files.filter((f) => !taken.has(f.name));
      const all = sortByNameBytes([...safe.files, ...added]);
      safe.files = all;
      safe.codeHash = codeHashOf(all);
    }
    if (literal.length) {
      const where = literal.map((l) => `${l.file}:${l.line}`).join(', ');
      log.warn(
        `a literal credential is written in ${where}: ${replaced.length ? `source.pex gets ${replaced.join(', ')} with it replaced by ${CREDENTIAL_PLACEHOLDER}` : 'that file is not packed'} — write \${NAME} and set NAME from a secret instead`,
      );
    }
    return safe;
  });
  if (sources.files.length === 0) {
    throw new UsageError(
      `nothing to pack: ${sources.layout === 'src' ? 'src/ in ' : ''}${projectDir} has no files left after .gitignore and --exclude — point --project-dir at your Python project`,
    );
  }
  if (sources.files.some((f) => f.name === '__main__.py' || f.name === 'PEX-INFO')) {
    throw new UsageError(
      `${sources.layout === 'src' ? 'src/' : ''}__main__.py or PEX-INFO at the source root would shadow the pexpress runtime — move it into a package and set ${optionRef('entryPoint')}`,
    );
  }

  let deps: PackedArchive | null = null;
  let packages: DepsIndexEntry['packages'] = [];
  let stats: BuildResult['stats'] = null;
  let depsRef: { sha256: string; pexHash: string; size: number };
  if (decision.buildType === 'full') {
    const cache = cacheDir();
    // Whether the host can build sdists for the target: asked only now, a fast build never needs it.
    const host = { ...ctx.host, python: ctx.host.python ?? (await hostPythonVersion()) };
    await opts.beforeResolve?.({ fingerprint: fp.fingerprint, target, cacheDir: cache });
    const tools = await log.phase('tools', lazyTools);
    const locked = await log.phase('resolve', () =>
      resolverFor(tools.resolver).resolve({
        projectDir,
        decl: ctx.decl,
        extras: opts.extras,
        groups: opts.groups,
        target,
        host,
        tools,
        cacheDir: cache,
        log,
      }),
    );
    const fetched = await log.phase('download', () =>
      fetchWheels({ packages: locked, target, host, tools, cacheDir: cache, log, auth: ctx.decl.indexAuth, store }),
    );
    const wheels = fetched.wheels;
    stats = { wheels: wheels.length, downloaded: fetched.downloaded };
    const pins = requirementsOf(wheels);
    log.info(`${wheels.length} wheels (${fetched.downloaded} downloaded): ${pins.map((p) => p.replace('==', ' ')).join(', ') || '(none)'}`);
    deps = await log.phase('pack deps', () =>
      packDeps({ wheels, requirements: pins, fingerprint: fp.fingerprint, target, outDir: opts.outDir }),
    );
    depsRef = { sha256: deps.sha256, pexHash: deps.archiveHash, size: deps.size };
    packages = await Promise.all(
      wheels.map(async (w) => {
        const [name, version] = w.filename.split('-');
        return { name, version, size: (await stat(w.path)).size };
      }),
    );
  } else {
    depsRef = { sha256: decision.entry.sha256, pexHash: decision.entry.pexHash, size: decision.entry.size };
  }

  const source = await log.phase('pack source', async () => {
    const cache = projectDeflateCache(cacheDir(), projectDir);
    const packed = await packSource({
      sources,
      deps: { sha256: depsRef.sha256, pexHash: depsRef.pexHash },
      entryPoint: opts.entryPoint,
      fingerprint: fp.fingerprint,
      target,
      outDir: opts.outDir,
      cache,
    });
    cache.save();
    return packed;
  });

  const builtAt = new Date().toISOString();
  const meta = (kind: string) => ({ 'pexpress-kind': kind, 'pexpress-fingerprint': fp.fingerprint, 'pexpress-commit': commit ?? '' });
  let newEntry: DepsIndexEntry | null = decision.buildType === 'fast' ? decision.entry : null;
  const published = await log.phase('publish', async () => {
    // Archives first, indexes after: a reader never finds an index entry pointing at nothing.
    const [depsPut, sourcePut] = await Promise.all([
      deps
        ? store.putFile(archiveKey(deps.sha256), deps.path, {
            sha256: deps.sha256,
            metadata: meta('deps'),
            overwrite: decision.buildType === 'full' && decision.repair,
          })
        : Promise.resolve({ uploaded: false }),
      store.putFile(archiveKey(source.sha256), source.path, { sha256: source.sha256, metadata: meta('source') }),
    ]);
    if (deps) {
      const entry: Omit<DepsIndexEntry, 'schema'> = {
        fingerprint: fp.fingerprint,
        sha256: deps.sha256,
        size: deps.size,
        pexHash: deps.archiveHash,
        python: target.python,
        platform: target.platform,
        requirements: deps.pexInfo.requirements,
        packages,
        commit,
        builtAt,
      };
      await writeDepsIndex(store, entry);
      newEntry = { schema: 1, ...entry };
    }
    await writeManifest(store, {
      commit,
      ref,
      buildType: decision.buildType,
      reason: decision.reason,
      fingerprint: fp.fingerprint,
      target: { python: target.python, platform: target.platform },
      deps: { sha256: depsRef.sha256, key: archiveKey(depsRef.sha256), pexHash: depsRef.pexHash },
      source: { sha256: source.sha256, key: archiveKey(source.sha256), pexHash: source.archiveHash },
      entryPoint: opts.entryPoint,
      pexpressVersion: PEXPRESS_VERSION,
      builtAt,
    });
    await writeRef(
      store,
      {
        ref,
        commit,
        buildType: decision.buildType,
        fingerprint: fp.fingerprint,
        components: fp.components,
        deps: { sha256: depsRef.sha256 },
        source: { sha256: source.sha256 },
        builtAt,
      },
      scope,
    );
    return { depsPut, sourcePut };
  });
  const depsChange = await depsChangeOf(store, decision.previous, newEntry, log);

  log.timings.total = Math.round(performance.now() - t0);
  const report = (sha256: string, size: number, uploaded: boolean, path: string | null): ArchiveReport => ({
    sha256,
    key: fullKey(store, archiveKey(sha256)),
    url: store.urlFor(archiveKey(sha256)),
    size,
    uploaded,
    path,
  });
  return {
    buildType: decision.buildType,
    reason: decision.reason,
    fingerprint: fp.fingerprint,
    deps: report(depsRef.sha256, depsRef.size, published.depsPut.uploaded, deps?.path ?? null),
    source: report(source.sha256, source.size, published.sourcePut.uploaded, source.path),
    manifest: { key: fullKey(store, manifestKey(source.sha256)) },
    timings: { ...log.timings },
    target: { python: target.python, platform: target.platform },
    commit,
    ref,
    stats,
    depsChange,
  };
}

/** The project's path below its git checkout ('.' at the top or outside git): names its records. */
async function checkoutPath(projectDir: string): Promise<string> {
  for (let dir = projectDir; ; dir = dirname(dir)) {
    if (
      await stat(join(dir, '.git')).then(
        () => true,
        () => false,
      )
    )
      return relative(dir, projectDir).split(sep).join('/') || '.';
    if (dirname(dir) === dir) return '.';
  }
}

/** deps.pex against the compared build's: only when deps.pex differs (a full build, or a fast one reusing another). */
async function depsChangeOf(
  store: Store,
  previous: PreviousBuild | null,
  entry: DepsIndexEntry | null,
  log: Logger,
): Promise<DepsChange | null> {
  if (!previous || !entry || previous.record.deps.sha256 === entry.sha256) return null;
  try {
    const before = await readDepsIndex(store, previous.record.fingerprint, (m) => log.warn(m));
    if (!before) return null;
    return {
      base: { ref: previous.ref, base: previous.base, commit: previous.record.commit, sha256: before.sha256, size: before.size ?? null },
      packages: diffDeps(before, entry),
    };
  } catch (err) {
    // The diff only explains; a store hiccup reading it must not fail a finished build.
    log.warn(`cannot compare deps.pex with ${previous.ref}'s: ${(err as Error).message}`);
    return null;
  }
}
