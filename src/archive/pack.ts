// Assembles deps.pex and source.pex from their entries, PEX-INFO and the runtime: the only place
// that decides what goes into each archive (ARCHITECTURE.md § 4).
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { installWheels } from '../python/install.ts';
import {
  archiveComment,
  mainPy,
  makePexInfo,
  pexInfoBytes,
  shebang,
  sourcePrefix,
  type PexInfo,
  canonicalJson,
  sha256Hex,
} from './pexinfo.ts';
import type { CollectedSources } from './sources.ts';
import type { Target } from '../python/target.ts';
import { DEPS_LAYOUT_VERSION } from '../platform/version.ts';
import type { LocalWheel } from '../python/wheels.ts';
import { writeArchive, type ArchiveEntry, type DeflateCache } from './zip.ts';

export interface PackedArchive {
  path: string;
  sha256: string;
  size: number;
  /** The hash in the zip comment: sha256 of the bytes before it, verified by the runtime on extraction. */
  archiveHash: string;
  pexInfo: PexInfo;
}

function runtimeEntries(info: PexInfo): ArchiveEntry[] {
  const main = mainPy(info);
  return [
    // Only the first line (PEX_INFO) changes between builds; the ~50 KB after it is deflated once.
    { name: '__main__.py', executable: false, data: main, sharedFrom: main.indexOf(0x0a) + 1 },
    { name: 'PEX-INFO', executable: false, data: pexInfoBytes(info) },
  ];
}

export async function packDeps(opts: {
  wheels: LocalWheel[];
  requirements: string[];
  fingerprint: string;
  target: Target;
  outDir: string;
}): Promise<PackedArchive> {
  const distributions = Object.fromEntries(opts.wheels.map((w) => [w.filename, w.sha256]));
  const info = makePexInfo({
    target: opts.target,
    code_hash: sha256Hex(canonicalJson({ layout: DEPS_LAYOUT_VERSION, distributions })),
    distributions,
    entry_point: null,
    requirements: opts.requirements,
    pexpress: {
      kind: 'deps',
      layout: DEPS_LAYOUT_VERSION,
      fingerprint: opts.fingerprint,
      python: opts.target.python,
      platform: opts.target.platform,
      deps: null,
    },
  });
  const installed = await installWheels(opts.wheels);
  try {
    const path = join(opts.outDir, 'deps.pex');
    const written = await writeArchive(path, [...runtimeEntries(info), ...installed.entries], {
      prefix: shebang(opts.target),
      comment: archiveComment(info),
    });
    return { path, sha256: written.sha256, size: written.size, archiveHash: written.bodySha256, pexInfo: info };
  } finally {
    installed.close();
  }
}

export async function packSource(opts: {
  sources: CollectedSources;
  /** pexHash: the deps archive's archiveHash (the name the build records keep for it). */
  deps: { sha256: string; pexHash: string };
  entryPoint: string | null;
  fingerprint: string;
  target: Target;
  outDir: string;
  cache?: DeflateCache;
}): Promise<PackedArchive> {
  const info = makePexInfo({
    target: opts.target,
    code_hash: opts.sources.codeHash,
    distributions: {},
    entry_point: opts.entryPoint,
    requirements: [],
    pexpress: {
      kind: 'source',
      layout: DEPS_LAYOUT_VERSION,
      fingerprint: opts.fingerprint,
      python: opts.target.python,
      platform: opts.target.platform,
      deps: { sha256: opts.deps.sha256, archive_hash: opts.deps.pexHash },
    },
  });
  const reserved = new Set(['__main__.py', 'PEX-INFO']);
  const files: ArchiveEntry[] = opts.sources.files
    .filter((f) => !reserved.has(f.name))
    .map((f): ArchiveEntry =>
      f.data
        ? { name: f.name, executable: f.executable, data: f.data }
        : {
            name: f.name,
            executable: f.executable,
            size: f.size,
            sha256: f.sha256,
            path: f.absPath,
            open: async () => createReadStream(f.absPath),
          },
    );
  const path = join(opts.outDir, 'source.pex');
  const written = await writeArchive(path, [...runtimeEntries(info), ...files], {
    prefix: sourcePrefix(opts.target),
    comment: archiveComment(info),
    cache: opts.cache,
  });
  return { path, sha256: written.sha256, size: written.size, archiveHash: written.bodySha256, pexInfo: info };
}
