// The pipeline: build() runs the phases the log shows (fingerprint → decide → collect → resolve →
// download → pack deps → pack source → publish) and writes the records (ARCHITECTURE.md § 1, § 5).
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { projectDeflateCache, projectHashMemo } from '../archive/project-cache.ts';
import { decide, type DepsIndexEntry, type RefRecord } from './decide.ts';
import { readDeclarations, type Declarations } from '../python/declarations.ts';
import { UsageError } from '../platform/errors.ts';
import { computeFingerprint, type Fingerprint } from './fingerprint.ts';
import { currentRevision } from '../platform/git.ts';
import type { Logger } from '../platform/log.ts';
import { packDeps, packSource, type PackedArchive } from '../archive/pack.ts';
import { resolverFor } from '../python/resolve.ts';
import { codeHashOf, collectSources, withCredentialsReplaced, type SourceFile } from '../archive/sources.ts';
import { projectMetadata, type ProjectMetadata } from '../python/project-metadata.ts';
import { projectPythonOf, pythonMismatch } from '../python/requires-python.ts';
import { readSetupPyDeps } from '../python/setup-py.ts';
import { sha256Hex } from '../archive/pexinfo.ts';
import { archiveKey, depsIndexKey, fullKey, manifestKey, openStore, refKey, type Store, type StoreOptions } from '../store/index.ts';
import { hostTarget, parseTarget, TargetError, type Target } from '../python/target.ts';
import { cacheDir, findTools, hostPythonVersion, type Tools } from '../platform/tools.ts';
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
  /** Called once before a full build resolves (the Action restores the resolver cache here). */
  beforeResolve?: (info: { fingerprint: string; target: Target; cacheDir: string }) => Promise<void>;
}

function redactSecrets(data: Buffer, secrets: string[]): Buffer {
  if (!secrets.length) return data;
  let text = data.toString('latin1');
  for (const s of [...secrets].sort((a, b) => a.length - b.length))
    text = text.split(Buffer.from(s).toString('latin1')).join(CREDENTIAL_PLACEHOLDER);
  return Buffer.from(text, 'latin1');
}

/** The project's *.dist-info, keyed by everything that declares the project (not by its code). */
async function projectMetadataFor(projectDir: string, ctx: Context, log: Logger): Promise<ProjectMetadata | null> {
  const d = ctx.decl;
  const h = createHash('sha256').update(`pexpress ${PEXPRESS_VERSION}\0`);
  for (const [name, bytes] of [
    ['setup.py', d.setupPy],
    ['setup.cfg', d.setupCfg],
    ['pyproject.toml', d.pyprojectBytes ?? null],
  ] as const) {
    h.update(`${name}\0${bytes ? sha256Hex(bytes) : '-'}\0`);
  }
  return projectMetadata({
    projectDir,
    key: h.digest('hex'),
    pyproject: d.pyprojectBytes ?? null,
    tools: ctx.tools,
    cacheDir: cacheDir(),
    log,
  });
}

/** What a literal credential in a declaration file becomes in source.pex (pip leaves it as written when unset). */
export const CREDENTIAL_PLACEHOLDER = '${PEXPRESS_REDACTED_CREDENTIAL}';

export interface ArchiveReport {
  sha256: string;
  key: string;
  url: string;
  size: number;
  uploaded: boolean;
  path: string | null;
}

export interface BuildResult {
  buildType: 'full' | 'fast';
  reason: string;
  fingerprint: string;
  deps: ArchiveReport;
  source: ArchiveReport;
  manifest: { key: string };
  timings: Record<string, number>;
  target: { python: string; platform: string };
  commit: string | null;
  ref: string;
  /** Full builds only: wheels in deps.pex and how many were downloaded (the rest came from the cache). */
  stats?: { wheels: number; downloaded: number } | null;
}

export async function assertProjectDir(dir: string): Promise<string> {
  const abs = resolve(dir);
  try {
    if ((await stat(abs)).isDirectory()) return abs;
  } catch {
    /* fall through */
  }
  throw new UsageError(`project directory ${dir} does not exist — pass --project-dir pointing at your Python project`);
}

export interface Context {
  projectDir: string;
  target: Target;
  /** Where the target Python came from, for the log: '--python', '.python-version', … */
  targetFrom: string;
  tools: Tools;
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
  const tools = await findTools(opts.resolver, log);
  if (decl.setupPy) decl.setupPyDeps = await readSetupPyDeps(projectDir, sha256Hex(decl.setupPy), tools.python, cacheDir());
  const fp = computeFingerprint(decl, { target, resolver: tools.resolver, epoch: opts.epoch, extras: opts.extras, groups });
  return { projectDir, target, targetFrom, tools, decl, fp, host: { python: hostPython, platform: hostPlatform } };
}

function requirementsOf(wheels: { filename: string }[]): string[] {
  return wheels.map((w) => {
    const [name, version] = w.filename.split('-');
    return `${name}==${version}`;
  });
}

export async function build(opts: BuildOptions, log: Logger): Promise<BuildResult> {
  const t0 = performance.now();
  const projectDir = await assertProjectDir(opts.projectDir);
  const store: Store = await openStore(opts.storeUrl, { ...opts.storeOptions, warn: opts.storeOptions.warn ?? ((m) => log.warn(m)) });
  await store.check();
  const rev = await currentRevision(projectDir);
  const commit = opts.commit ?? rev.commit;
  const ref = opts.ref ?? rev.ref;

  const ctx = await log.phase('fingerprint', () => fingerprintProject({ ...opts, projectDir }, log));
  const { target, fp } = ctx;
  log.info(
    `fingerprint ${fp.fingerprint.slice(0, 12)} · CPython ${target.python} (from ${ctx.targetFrom}) ${target.platform} · resolver ${ctx.tools.resolver}`,
  );

  const decision = await log.phase('decide', () => decide(store, fp, { forceFull: opts.forceFull, ref }));
  log.info(`${decision.buildType} build: ${decision.reason}`);

  // Before the slow part: a bad source tree (an escaping symlink, say) should fail in milliseconds.
  const sources = await log.phase('collect', async () => {
    const memo = projectHashMemo(cacheDir(), projectDir);
    const collected = await collectSources(projectDir, opts.excludes, memo, opts.includes);
    memo.save();
    const literal = ctx.decl.literalCredentials;
    const { sources: safe, replaced } = withCredentialsReplaced(
      collected,
      projectDir,
      [...new Set(literal.map((l) => l.file))],
      ctx.decl.secrets,
      CREDENTIAL_PLACEHOLDER,
    );
    const meta = ctx.decl.packageFile ? await projectMetadataFor(projectDir, ctx, log) : null;
    if (meta) {
      const files: SourceFile[] = Object.entries(meta.files).map(([f, data]) => ({
        name: `${meta.dir}/${f}`,
        absPath: '',
        size: data.length,
        executable: false,
        sha256: sha256Hex(data),
        data: redactSecrets(data, ctx.decl.secrets),
      }));
      const taken = new Set(safe.files.map((f) => f.name));
      const added = files.filter((f) => !taken.has(f.name));
      const all = [...safe.files, ...added].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
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
  if (sources.files.some((f) => f.name === '__main__.py' || f.name === 'PEX-INFO')) {
    throw new UsageError(
      `${sources.layout === 'src' ? 'src/' : ''}__main__.py or PEX-INFO at the source root would shadow the pexpress runtime — move it into a package and use --entry-point`,
    );
  }

  let deps: PackedArchive | null = null;
  let stats: BuildResult['stats'] = null;
  let depsRef: { sha256: string; pexHash: string; size: number };
  if (decision.buildType === 'full') {
    const cache = cacheDir();
    // Whether the host can build sdists for the target: asked only now, a fast build never needs it.
    const host = { ...ctx.host, python: ctx.host.python ?? (await hostPythonVersion()) };
    await opts.beforeResolve?.({ fingerprint: fp.fingerprint, target, cacheDir: cache });
    const locked = await log.phase('resolve', () =>
      resolverFor(ctx.tools.resolver).resolve({
        projectDir,
        decl: ctx.decl,
        extras: opts.extras,
        groups: opts.groups,
        target,
        host,
        tools: ctx.tools,
        cacheDir: cache,
        log,
      }),
    );
    const fetched = await log.phase('download', () =>
      fetchWheels({ packages: locked, target, host, tools: ctx.tools, cacheDir: cache, log, auth: ctx.decl.indexAuth, store }),
    );
    const wheels = fetched.wheels;
    stats = { wheels: wheels.length, downloaded: fetched.downloaded };
    log.info(
      `${wheels.length} wheels (${fetched.downloaded} downloaded): ${wheels.map((w) => w.filename.split('-').slice(0, 2).join(' ')).join(', ') || '(none)'}`,
    );
    deps = await log.phase('pack deps', () =>
      packDeps({ wheels, requirements: requirementsOf(wheels), fingerprint: fp.fingerprint, target, outDir: opts.outDir }),
    );
    depsRef = { sha256: deps.sha256, pexHash: deps.pexInfo.pex_hash, size: deps.size };
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
      const entry: DepsIndexEntry = {
        schema: 1,
        fingerprint: fp.fingerprint,
        sha256: deps.sha256,
        size: deps.size,
        pexHash: deps.pexInfo.pex_hash,
        python: target.python,
        platform: target.platform,
        requirements: deps.pexInfo.requirements,
        commit,
        builtAt,
      };
      await store.putJson(depsIndexKey(fp.fingerprint), entry);
    }
    await store.putJson(manifestKey(source.sha256), {
      schema: 1,
      commit,
      ref,
      buildType: decision.buildType,
      reason: decision.reason,
      fingerprint: fp.fingerprint,
      target: { python: target.python, platform: target.platform },
      deps: { sha256: depsRef.sha256, key: archiveKey(depsRef.sha256), pexHash: depsRef.pexHash },
      source: { sha256: source.sha256, key: archiveKey(source.sha256), pexHash: source.pexInfo.pex_hash },
      entryPoint: opts.entryPoint,
      pexpressVersion: PEXPRESS_VERSION,
      builtAt,
    });
    const record: RefRecord = {
      schema: 1,
      ref,
      commit,
      buildType: decision.buildType,
      fingerprint: fp.fingerprint,
      components: fp.components,
      deps: { sha256: depsRef.sha256 },
      source: { sha256: source.sha256 },
      builtAt,
    };
    await store.putJson(refKey(ref), record);
    return { depsPut, sourcePut };
  });

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
  };
}
