import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { Declarations } from './declarations.ts';
import { BuildError, UsageError } from './errors.ts';
import type { Logger } from './log.ts';
import { runProcess, type ProcessRunner } from './process.ts';
import { normalizeName } from './requirements.ts';
import { isHostCompatible, pipPlatformArgs, uvPythonPlatform, type Target, type PlatformName } from './target.ts';
import type { Tools } from './tools.ts';

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

/** What the resolver is asked to resolve: the requirements file and the project's own declared deps. */
function inputs(decl: Declarations): string[] {
  const files: string[] = [];
  if (decl.requirementsFile) files.push(decl.requirementsFile);
  if (decl.packageFile) files.push(decl.packageFile);
  return files;
}

/** The last meaningful lines of a tool's stderr: enough to act on, short enough for one message. */
function toolError(stderr: string, log: Logger): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return log.redact(lines.slice(-3).join(' | ') || 'no output');
}

export const uvResolver: Resolver = {
  async resolve(req) {
    const { decl, target, tools, log } = req;
    const run = req.run ?? runProcess;
    const files = inputs(decl);
    if (files.length === 0) return [];
    const work = await mkdtemp(join(tmpdir(), 'pexpress-uv-'));
    try {
      const out = join(work, 'pylock.toml');
      const args = ['pip', 'compile', ...files, '--format', 'pylock.toml', '-o', out, '--quiet', '--no-header',
        '--python-version', target.python, '--python-platform', uvPythonPlatform(target), '--cache-dir', join(req.cacheDir, 'uv')];
      const r = await run(tools.uv!, args, { cwd: req.projectDir, env: { ...process.env, UV_PYTHON_DOWNLOADS: 'never', UV_NO_PROGRESS: '1' } });
      if (r.code !== 0) throw new BuildError(`uv could not resolve ${files.join(' + ')} for CPython ${target.python} ${target.platform}: ${toolError(r.stderr, log)}`);
      const doc = parseToml(await readFile(out, 'utf8')) as { packages?: Array<Record<string, unknown>> };
      const packages: LockedPackage[] = [];
      for (const p of doc.packages ?? []) {
        // The project itself (a local directory or editable) is source.pex's job, not deps.pex's.
        if (p.directory || p.editable) continue;
        const art = (a: Record<string, unknown>): Artifact => {
          const url = String(a.url ?? a.path ?? '');
          return { url, filename: String(a.name ?? fileNameOf(url)), sha256: ((a.hashes ?? {}) as Record<string, string>).sha256 ?? null };
        };
        packages.push({
          name: normalizeName(String(p.name)),
          version: String(p.version ?? ''),
          wheels: ((p.wheels ?? []) as Array<Record<string, unknown>>).map(art),
          sdist: p.sdist ? art(p.sdist as Record<string, unknown>) : null,
        });
        if (!p.wheels && !p.sdist) {
          throw new UsageError(`${p.name}: only available as ${p.vcs ? 'a VCS checkout' : 'a direct reference'}, which pexpress cannot pin reproducibly yet — publish a wheel or pin a released version`);
        }
      }
      return packages;
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
    const files = inputs(decl);
    if (files.length === 0) return [];
    const work = await mkdtemp(join(tmpdir(), 'pexpress-pip-'));
    try {
      const report = join(work, 'report.json');
      const args = ['-m', 'pip', 'install', '--dry-run', '--ignore-installed', '--quiet', '--disable-pip-version-check',
        '--report', report, '--target', join(work, 'target'), '--cache-dir', join(req.cacheDir, 'pip')];
      // The host's own tags are right only when the host is the target; otherwise name the target's.
      if (!isHostCompatible(target, { python: req.host.python ?? '', platform: req.host.platform })) args.push(...pipPlatformArgs(target));
      if (decl.requirementsFile) args.push('-r', decl.requirementsFile);
      if (decl.packageFile) args.push('.');
      const r = await run(tools.python, args, { cwd: req.projectDir });
      if (r.code !== 0) throw new BuildError(`pip could not resolve ${files.join(' + ')} for CPython ${target.python} ${target.platform}: ${toolError(r.stderr, log)}`);
      const items = (JSON.parse(await readFile(report, 'utf8')) as { install: PipReportItem[] }).install;
      return items
        .filter((i) => !i.download_info.dir_info)
        .map((i) => {
          const url = i.download_info.url;
          const hashes = i.download_info.archive_info?.hashes ?? {};
          const sha256 = hashes.sha256 ?? (i.download_info.archive_info?.hash?.startsWith('sha256=') ? i.download_info.archive_info.hash.slice(7) : null);
          const art: Artifact = { url, filename: fileNameOf(url), sha256 };
          const isWheel = art.filename.endsWith('.whl');
          return { name: normalizeName(i.metadata.name), version: i.metadata.version, wheels: isWheel ? [art] : [], sdist: isWheel ? null : art };
        });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};

export function resolverFor(kind: Tools['resolver']): Resolver {
  return kind === 'uv' ? uvResolver : pipResolver;
}
