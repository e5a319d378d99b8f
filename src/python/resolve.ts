// The resolve phase: the exact package set for the target, with uv or pip.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { Declarations } from './declarations.ts';
import { BuildError, optionRef, UsageError } from '../platform/errors.ts';
import { lockAsRequirements } from './lockfile.ts';
import type { Logger } from '../platform/log.ts';
import { runProcess, type ProcessRunner } from '../platform/process.ts';
import { readEnv } from '../platform/env.ts';
import { workDir } from '../platform/tmp.ts';
import { normalizeName } from './requirements.ts';
import { isHostCompatible, pipPlatformArgs, uvPythonPlatform, type Target, type PlatformName } from './target.ts';
import type { Tools } from '../platform/tools.ts';

export interface Artifact {
  filename: string;
  url: string;
  /** null when the index gave none (a plain find-links directory); computed on download then. */
  sha256: string | null;
}

export interface LockedPackage {
  name: string;
  version: string;
  /** Candidate wheels for the target; the installer picks the best by tag. */
  wheels: Artifact[];
  sdist: Artifact | null;
}

export interface ResolveRequest {
  projectDir: string;
  decl: Declarations;
  extras: string[];
  /** Dependency groups to install besides the runtime dependencies. */
  groups: string[];
  target: Target;
  host: { python: string | null; platform: PlatformName | null };
  tools: Tools;
  cacheDir: string;
  log: Logger;
  run?: ProcessRunner;
}

/** Turns declarations into an exact set of packages for the target. Implementations: uv, pip. */
export interface Resolver {
  resolve(req: ResolveRequest): Promise<LockedPackage[]>;
}

function fileNameOf(url: string): string {
  const path = new URL(url).pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

/**
 * What the resolver is asked for. With a lockfile: the locked pins as a hash-checked requirements
 * file, resolved with --no-deps so only the target's markers are evaluated; otherwise the
 * requirements file plus the project's own declared dependencies (never the project itself).
 */
interface ResolveInputs {
  files: string[];
  noDeps: boolean;
  /** name → sha256s allowed (a lock, or pip's hash-checking mode); null when nothing is pinned by hash. */
  locked: Map<string, Set<string>> | null;
  /** What `locked` came from, for messages: 'uv.lock', 'requirements.txt --hash'. */
  lockedBy: string;
  /** Indexes the lock's packages come from, with their credentials: the resolver must see them too. */
  indexes: string[];
}

function withAuth(url: string, auth: Record<string, string>): string {
  try {
    const u = new URL(url);
    const userinfo = auth[u.origin];
    if (!userinfo) return url;
    const colon = userinfo.indexOf(':');
    u.username = encodeURIComponent(userinfo.slice(0, colon));
    u.password = encodeURIComponent(userinfo.slice(colon + 1));
    return u.toString();
  } catch {
    return url;
  }
}

/** pip's hash-checking mode: on as soon as one requirement has --hash (or --require-hashes is given). */
function hashPins(decl: Declarations): Map<string, Set<string>> | null {
  const r = decl.requirements;
  if (!r) return null;
  const all = [...r.requirements, ...r.constraints];
  if (!all.some((x) => x.hashes.length) && !r.options.includes('--require-hashes')) return null;
  const pins = new Map<string, Set<string>>();
  for (const x of all) {
    if (!x.hashes.length) continue;
    const set = pins.get(x.name) ?? new Set<string>();
    for (const h of x.hashes) if (h.startsWith('sha256:')) set.add(h.slice(7));
    pins.set(x.name, set);
  }
  return pins;
}

async function resolveInputs(req: ResolveRequest, work: string): Promise<ResolveInputs> {
  const { decl } = req;
  const lock = decl.lockfile;
  if (lock) {
    let text: string;
    if (lock.kind === 'uv.lock') {
      if (!req.tools.uv) throw new UsageError(`uv.lock needs uv to export it — install uv or set ${optionRef('resolver')} to auto`);
      const args = [
        'export',
        '--frozen',
        '--format',
        'requirements.txt',
        '--no-emit-project',
        '--no-header',
        '--no-annotate',
        '--cache-dir',
        join(req.cacheDir, 'uv'),
      ];
      // Like `uv sync --no-dev`: the project's runtime dependencies, then only what was asked for.
      args.push('--no-default-groups');
      for (const g of req.groups) args.push('--group', g);
      for (const e of req.extras) args.push('--extra', e);
      const r = await (req.run ?? runProcess)(req.tools.uv, args, {
        cwd: req.projectDir,
        env: { ...process.env, UV_PYTHON_DOWNLOADS: 'never' },
        timeoutMs: resolveTimeoutMs(),
      });
      if (r.timedOut) throw timedOut(req, 'uv', lock.path);
      if (r.code !== 0) {
        const msg = `${lock.path} could not be exported: ${toolError(r.stderr, req.log)}`;
        throw WORK_ERROR.test(r.stderr) ? new BuildError(msg) : new UsageError(`${msg} — run uv lock`);
      }
      text = r.stdout;
    } else {
      text = lockAsRequirements(lock);
    }
    const file = join(work, 'locked.txt');
    await writeFile(file, text);
    const locked = new Map<string, Set<string>>();
    for (const p of lock.packages) locked.set(p.name, new Set([...(locked.get(p.name) ?? []), ...p.hashes]));
    const indexes = lock.indexes.map((u) => withAuth(u, decl.indexAuth));
    return { files: [file], noDeps: true, locked, lockedBy: lock.path, indexes };
  }
  const files: string[] = [];
  if (decl.requirementsFile) files.push(decl.requirementsFile);
  if (decl.packageFile) files.push(decl.packageFile);
  return { files, noDeps: false, locked: hashPins(decl), lockedBy: `${decl.requirementsFile} --hash`, indexes: [] };
}

/** Keeps only the artifacts the lock (or the --hash pins) name: the install is exactly that, or it fails. */
function enforceLock(packages: LockedPackage[], inputs: ResolveInputs): LockedPackage[] {
  const { locked, lockedBy } = inputs;
  if (!locked) return packages;
  const hashMode = lockedBy.endsWith(' --hash');
  if (hashMode) {
    const unpinned = packages.filter((p) => !locked.has(p.name)).map((p) => `${p.name} ${p.version}`);
    if (unpinned.length) {
      throw new UsageError(
        `${lockedBy.replace(/ --hash$/, '')} is in hash-checking mode (a requirement has --hash) but ${unpinned.join(', ')} ${unpinned.length > 1 ? 'have' : 'has'} no --hash — pin every dependency with its hashes (pip-compile --generate-hashes, uv pip compile --generate-hashes)`,
      );
    }
  }
  return packages.map((p) => {
    const allowed = locked.get(p.name);
    if (!allowed) throw new BuildError(`${p.name} ${p.version} was resolved but is not in ${lockedBy} — regenerate the lockfile`);
    const ok = (a: Artifact) => a.sha256 !== null && allowed.has(a.sha256);
    const wheels = p.wheels.filter(ok);
    const sdist = p.sdist && ok(p.sdist) ? p.sdist : null;
    if (!wheels.length && !sdist) {
      if (hashMode) {
        throw new UsageError(
          `${p.name} ${p.version}: none of its files has a sha256 listed by its --hash in ${lockedBy.replace(/ --hash$/, '')} — the pin changed without its hashes; regenerate them`,
        );
      }
      throw new BuildError(
        `none of the files the index serves for ${p.name} ${p.version} has a sha256 listed in ${lockedBy} — the index changed or the lock is stale; regenerate it`,
      );
    }
    return { ...p, wheels, sdist };
  });
}

/** No resolver runs forever: a setup.py that waits on something would hold the build for good. */
export const resolveTimeoutMs = () => readEnv('PEXPRESS_RESOLVE_TIMEOUT_MS');

/**
 * A resolver that ran out of time. When the project's own setup.py / pyproject.toml / setup.cfg is
 * evaluated for its dependencies, that is the usual culprit, and the user's to fix.
 */
function timedOut(req: ResolveRequest, tool: string, what: string): Error {
  const secs = Math.round(resolveTimeoutMs() / 1000);
  const file = req.decl.packageFile;
  if (file && !req.decl.lockfile) {
    return new UsageError(
      `${tool} did not finish resolving ${what} in ${secs} s: evaluating ${file} for its dependencies hangs (a sleep, a prompt, a network call?) — make ${file} declare its dependencies without side effects, or raise PEXPRESS_RESOLVE_TIMEOUT_MS`,
    );
  }
  return new BuildError(
    `${tool} did not finish resolving ${what} in ${secs} s — check that the index is reachable, or raise PEXPRESS_RESOLVE_TIMEOUT_MS`,
  );
}

// What the resolver says about the user's declarations (exit 2) rather than about its work (exit 1).
const INPUT_ERROR =
  /Couldn't parse|Requested extra not found|invalid type: |TOML parse error|Invalid requirement|InvalidMarker|Expected .*marker|has no wheels with a matching platform tag|has no wheels with a matching Python/;
const WORK_ERROR = /Failed to fetch|Request failed|error sending request|tcp connect|dns error|timed out|Connection refused/i;

function resolveFailure(stderr: string, message: string): Error {
  return INPUT_ERROR.test(stderr) && !WORK_ERROR.test(stderr) ? new UsageError(message) : new BuildError(message);
}

const describeInputs = (req: ResolveRequest, inputs: ResolveInputs) =>
  req.decl.lockfile ? req.decl.lockfile.path : inputs.files.join(' + ');

/** The last meaningful lines of a tool's stderr: enough to act on, short enough for one message. */
function toolError(stderr: string, log: Logger): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return log.redact(lines.slice(-3).join(' | ') || 'no output');
}

/** A resolver's output that is not what this version of pexpress understands: a clear failure, not a TypeError. */
function toolOutputError(tool: string, file: string, why: string): BuildError {
  return new BuildError(`cannot read what ${tool} wrote (${file}): ${why}`, {
    hint: `check the resolver's version (uv --version, pip --version), or set ${optionRef('resolver')} to the other one`,
  });
}

async function readToolOutput<T>(tool: string, file: string, parse: (text: string) => T): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw toolOutputError(tool, file, (err as Error).message);
  }
  try {
    return parse(text);
  } catch (err) {
    throw toolOutputError(tool, file, (err as Error).message.split('\n')[0]);
  }
}

export const uvResolver: Resolver = {
  async resolve(req) {
    const { target, tools, log } = req;
    const run = req.run ?? runProcess;
    const work = await workDir(req.cacheDir, 'pexpress-uv');
    try {
      const inputs = await resolveInputs(req, work);
      if (inputs.files.length === 0) return [];
      const out = join(work, 'pylock.toml');
      const args = [
        'pip',
        'compile',
        ...inputs.files,
        '--format',
        'pylock.toml',
        '-o',
        out,
        '--quiet',
        '--no-header',
        '--python-version',
        target.python,
        '--python-platform',
        uvPythonPlatform(target),
        '--cache-dir',
        join(req.cacheDir, 'uv'),
      ];
      if (inputs.noDeps) args.push('--no-deps');
      else {
        for (const e of req.extras) args.push('--extra', e);
        for (const g of req.groups) args.push('--group', `pyproject.toml:${g}`);
      }
      const env: NodeJS.ProcessEnv = { ...process.env, UV_PYTHON_DOWNLOADS: 'never', UV_NO_PROGRESS: '1' };
      // In the environment, not on the command line: index URLs may carry credentials.
      if (inputs.indexes.length) env.UV_EXTRA_INDEX_URL = [env.UV_EXTRA_INDEX_URL, ...inputs.indexes].filter(Boolean).join(' ');
      const r = await run(tools.uv!, args, { cwd: req.projectDir, env, timeoutMs: resolveTimeoutMs() });
      if (r.timedOut) throw timedOut(req, 'uv', describeInputs(req, inputs));
      if (r.code !== 0)
        throw resolveFailure(
          r.stderr,
          `uv could not resolve ${describeInputs(req, inputs)} for CPython ${target.python} ${target.platform}: ${toolError(r.stderr, log)}`,
        );
      const doc = await readToolOutput('uv pip compile', out, (text) => parseToml(text) as { packages?: Array<Record<string, unknown>> });
      if (doc.packages !== undefined && !Array.isArray(doc.packages))
        throw toolOutputError('uv pip compile', out, 'packages is not a list');
      const packages: LockedPackage[] = [];
      for (const p of doc.packages ?? []) {
        // The project itself (a local directory or editable) is source.pex's job, not deps.pex's.
        if (p.directory || p.editable) continue;
        if (!p.wheels && !p.sdist && !p.archive) {
          throw new UsageError(
            `${p.name}: only available as a VCS checkout, which pexpress cannot pin reproducibly yet — publish a wheel or pin a released version or archive URL`,
          );
        }
        const art = (a: Record<string, unknown>): Artifact => {
          const url = String(a.url ?? a.path ?? '');
          return { url, filename: String(a.name ?? fileNameOf(url)), sha256: ((a.hashes ?? {}) as Record<string, string>).sha256 ?? null };
        };
        // A direct URL (`name @ https://…`) is an archive: a wheel or an sdist by its file name.
        const archive = p.archive ? art(p.archive as Record<string, unknown>) : null;
        packages.push({
          name: normalizeName(String(p.name)),
          version: String(p.version ?? ''),
          wheels: [
            ...((p.wheels ?? []) as Array<Record<string, unknown>>).map(art),
            ...(archive?.filename.endsWith('.whl') ? [archive] : []),
          ],
          sdist: p.sdist ? art(p.sdist as Record<string, unknown>) : archive && !archive.filename.endsWith('.whl') ? archive : null,
        });
      }
      return enforceLock(packages, inputs);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};

interface PipReportItem {
  metadata: { name: string; version: string };
  download_info: { url: string; dir_info?: unknown; archive_info?: { hashes?: Record<string, string>; hash?: string } };
}

export const pipResolver: Resolver = {
  async resolve(req) {
    const { decl, target, tools, log } = req;
    const run = req.run ?? runProcess;
    const work = await workDir(req.cacheDir, 'pexpress-pip');
    try {
      const inputs = await resolveInputs(req, work);
      if (inputs.files.length === 0) return [];
      const report = join(work, 'report.json');
      const args = [
        '-m',
        'pip',
        'install',
        '--dry-run',
        '--ignore-installed',
        '--quiet',
        '--disable-pip-version-check',
        '--report',
        report,
        '--target',
        join(work, 'target'),
        '--cache-dir',
        join(req.cacheDir, 'pip'),
      ];
      // The host's own tags are right only when the host is the target; otherwise name the target's.
      if (!isHostCompatible(target, { python: req.host.python ?? '', platform: req.host.platform })) {
        args.push(...pipPlatformArgs(target));
        // pip picks wheels for --platform/--python-version but evaluates markers for the interpreter
        // running it; say so rather than let a python_version/platform marker surprise anyone.
        log.warn(
          `pip evaluates environment markers for this host (CPython ${req.host.python ?? '?'}, ${req.host.platform ?? process.platform}), not for the target (CPython ${target.python}, ${target.platform}); use the uv resolver (${optionRef('resolver')} uv) for exact cross-target resolution`,
        );
      }
      if (req.groups.length && !inputs.noDeps) {
        throw new UsageError(
          `--groups without a lockfile needs the uv resolver (pip cannot install [dependency-groups]) — use --resolver uv`,
        );
      }
      if (inputs.noDeps) {
        args.push('--no-deps', '-r', inputs.files[0]);
      } else {
        if (decl.requirementsFile) args.push('-r', decl.requirementsFile);
        if (decl.packageFile) args.push(req.extras.length ? `.[${req.extras.join(',')}]` : '.');
      }
      const env: NodeJS.ProcessEnv = { ...process.env };
      if (inputs.indexes.length) env.PIP_EXTRA_INDEX_URL = [env.PIP_EXTRA_INDEX_URL, ...inputs.indexes].filter(Boolean).join(' ');
      const r = await run(tools.python, args, { cwd: req.projectDir, env, timeoutMs: resolveTimeoutMs() });
      if (r.timedOut) throw timedOut(req, 'pip', describeInputs(req, inputs));
      if (r.code !== 0)
        throw resolveFailure(
          r.stderr,
          `pip could not resolve ${describeInputs(req, inputs)} for CPython ${target.python} ${target.platform}: ${toolError(r.stderr, log)}`,
        );
      const items = await readToolOutput('pip install --report', report, (text) => {
        const install = (JSON.parse(text) as { install?: unknown }).install;
        if (!Array.isArray(install) || !install.every((i) => i?.metadata?.name && typeof i?.download_info?.url === 'string'))
          throw new Error('its install list is not a list of packages with metadata and download_info');
        return install as PipReportItem[];
      });
      const packages = items
        .filter((i) => !i.download_info.dir_info)
        .map((i) => {
          const url = i.download_info.url;
          const hashes = i.download_info.archive_info?.hashes ?? {};
          const sha256 =
            hashes.sha256 ??
            (i.download_info.archive_info?.hash?.startsWith('sha256=') ? i.download_info.archive_info.hash.slice(7) : null);
          const art: Artifact = { url, filename: fileNameOf(url), sha256 };
          const isWheel = art.filename.endsWith('.whl');
          return {
            name: normalizeName(i.metadata.name),
            version: i.metadata.version,
            wheels: isWheel ? [art] : [],
            sdist: isWheel ? null : art,
          };
        });
      return enforceLock(packages, inputs);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};

export function resolverFor(kind: Tools['resolver']): Resolver {
  return kind === 'uv' ? uvResolver : pipResolver;
}
