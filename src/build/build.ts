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
import { collectSources } from '../archive/sources.ts';
import { archiveKey, depsIndexKey, fullKey, manifestKey, openStore, refKey, type Store, type StoreOptions } from '../store/index.ts';
import { hostTarget, parseTarget, TargetError, type Target } from '../python/target.ts';
import { cacheDir, findTools, hostPythonVersion, type Tools } from '../platform/tools.ts';
import { PEXPRESS_VERSION } from '../platform/version.ts';
import { fetchWheels } from '../python/wheels.ts';

/** Everything a build needs, already validated (see inputs.ts for the CLI, action-inputs.ts for the Action). */
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
  excludes: string[];
  requirementsFile: string;
  ref?: string;
  commit?: string;
  /** Called once before a full build resolves (the Action restores the resolver cache here). */
  beforeResolve?: (info: { fingerprint: string; target: Target; cacheDir: string }) => Promise<void>;
}

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
  tools: Tools;
  decl: Declarations;
  fp: Fingerprint;
  host: { python: string | null; platform: ReturnType<typeof hostTarget>['platform'] };
}

/** fingerprint stage: shared by `build` and `fingerprint`. */
export async function fingerprintProject(
  opts: Pick<BuildOptions, 'projectDir' | 'python' | 'platform' | 'manylinux' | 'resolver' | 'epoch' | 'extras' | 'requirementsFile'>,
  log: Logger,
): Promise<Context> {
  const projectDir = await assertProjectDir(opts.projectDir);
  const hostPlatform = hostTarget().platform;
  // Asking python for its version costs a process start; only when no --python says it.
  const hostPython = opts.python ? null : await hostPythonVersion();
  let target: Target;
  try {
    target = parseTarget(
      { python: opts.python, platform: opts.platform, manylinux: opts.manylinux },
      { python: hostPython ?? '3.11', platform: hostPlatform },
    );
  } catch (err) {
    if (err instanceof TargetError) throw new UsageError(err.message);
    throw err;
  }
  const decl = await readDeclarations(projectDir, opts.requirementsFile);
  for (const s of decl.secrets) log.addSecret(s);
  const tools = await findTools(opts.resolver, log);
  const fp = computeFingerprint(decl, { target, resolver: tools.resolver, epoch: opts.epoch, extras: opts.extras });
  return { projectDir, target, tools, decl, fp, host: { python: hostPython, platform: hostPlatform } };
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
  log.info(`fingerprint ${fp.fingerprint.slice(0, 12)} · CPython ${target.python} ${target.platform} · resolver ${ctx.tools.resolver}`);

  const decision = await log.phase('decide', () => decide(store, fp, { forceFull: opts.forceFull, ref }));
  log.info(`${decision.buildType} build: ${decision.reason}`);

  // Before the slow part: a bad source tree (an escaping symlink, say) should fail in milliseconds.
  const sources = await log.phase('collect', async () => {
    const memo = projectHashMemo(cacheDir(), projectDir);
    const collected = await collectSources(projectDir, opts.excludes, memo);
    memo.save();
    return collected;
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
        target,
        host,
        tools: ctx.tools,
        cacheDir: cache,
        log,
      }),
    );
    const fetched = await log.phase('download', () =>
      fetchWheels({ packages: locked, target, host, tools: ctx.tools, cacheDir: cache, log, auth: ctx.decl.requirements?.indexAuth ?? {} }),
    );
    const wheels = fetched.wheels;
    stats = { wheels: wheels.length, downloaded: fetched.downloaded };
    log.info(
      `${wheels.length} wheels (${fetched.downloaded} downloaded): ${wheels.map((w) => w.filename.split('-').slice(0, 2).join(' ')).join(', ') || '(none)'}`,
    );
    deps = await log.phase('pack deps', () =>
      packDeps({ wheels, requirements: requirementsOf(wheels), fingerprint: fp.fingerprint, target, outDir: opts.outDir }),
    );
    depsRef = { sha256: deps.sha256, pexHash: deps.archiveHash, size: deps.size };
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
        pexHash: deps.archiveHash,
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
      source: { sha256: source.sha256, key: archiveKey(source.sha256), pexHash: source.archiveHash },
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
