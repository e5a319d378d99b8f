// PEX-INFO, pex_hash, the zip comment and __main__.py: the metadata the runtime reads, and the one
// canonical JSON used for every hash.
import { createHash } from 'node:crypto';
import bootstrapSource from './runtime/bootstrap.py';
import coldSource from './runtime/cold.py';
import { PEXPRESS_VERSION } from '../platform/version.ts';
import { sourcePreamble } from './preamble.ts';
import type { Target } from '../python/target.ts';

export type ArchiveKind = 'deps' | 'source';

export interface PexInfo {
  build_properties: { pexpress_version: string; platform: string; python: string };
  code_hash: string;
  distributions: Record<string, string>;
  entry_point: string | null;
  inherit_path: 'false' | 'prefer' | 'fallback';
  interpreter_constraints: string[];
  pex_hash: string;
  pex_path: string[];
  requirements: string[];
  pexpress: {
    kind: ArchiveKind;
    layout: number;
    fingerprint: string;
    python: string;
    platform: string;
    /** archive_hash: the deps archive's own (see archiveComment), checked against the deps.pex next to it. */
    deps: { sha256: string; archive_hash: string } | null;
  };
}

/** Names the target minor: a host whose python3 is another minor still runs the right interpreter. */
export function shebang(target: Target): string {
  return `#!/usr/bin/env python${target.python}\n`;
}

/** source.pex starts with a shell preamble instead (archive/preamble.ts): `./source.pex` starts without site. */
export function sourcePrefix(target: Target): string {
  return sourcePreamble(target.python, bootstrapSource);
}

/** JSON with recursively sorted keys: the one serialization used for hashes and PEX-INFO. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * pex_hash identifies what the runtime sees of an archive: the PEX-INFO (which carries code_hash)
 * and the runtime code. Extraction directories are named by hashes the runtime verifies instead
 * (the archive hash in the zip comment, the content hash of each extracted tree).
 */
export function makePexInfo(
  fields: Omit<PexInfo, 'pex_hash' | 'build_properties' | 'interpreter_constraints' | 'pex_path' | 'inherit_path'> & {
    target: Target;
    inheritPath?: PexInfo['inherit_path'];
  },
): PexInfo {
  const { target, inheritPath, ...rest } = fields;
  const info: Omit<PexInfo, 'pex_hash'> = {
    ...rest,
    build_properties: { pexpress_version: PEXPRESS_VERSION, platform: target.platform, python: target.python },
    interpreter_constraints: [`CPython==${target.python}.*`],
    pex_path: [],
    inherit_path: inheritPath ?? 'false',
  };
  const pex_hash = sha256Hex(canonicalJson(info) + '\0' + bootstrapSource + '\0' + coldSource);
  return { ...info, pex_hash };
}

export function pexInfoBytes(info: PexInfo): Buffer {
  return Buffer.from(canonicalJson(info) + '\n', 'utf8');
}

/**
 * The zip comment lets the runtime identify an archive from its last bytes, without its directory:
 * `pexpress:<layout>:<kind>:<archive hash>`, the archive hash being the sha256 of every byte before
 * the comment. The runtime names its extraction after that hash only once it has hashed the bytes
 * it extracted, so an archive can never claim another one's extraction (docs/runtime.md).
 */
export function archiveComment(info: PexInfo): (bodySha256: string) => string {
  return (bodySha256) => `pexpress:${info.pexpress.layout}:${info.pexpress.kind}:${bodySha256}`;
}

/**
 * __main__.py = the PEX-INFO as a Python literal (no json import on the warm path), the cold-path
 * code (runtime/cold.py) as a string (a constant costs nothing to compile; it is compiled only on the cold path), and
 * the bootstrap.
 */
export function mainPy(info: PexInfo): Buffer {
  return Buffer.from(`PEX_INFO = ${pyLiteral(sortKeys(info))}\n_COLD_SOURCE = ${pyLiteral(coldSource)}\n${bootstrapSource}`, 'utf8');
}

function pyLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  // JSON string escapes are valid Python string escapes; ASCII-only output avoids coding issues.
  if (typeof v === 'string')
    return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  if (Array.isArray(v)) return '[' + v.map(pyLiteral).join(', ') + ']';
  return (
    '{' +
    Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pyLiteral(k)}: ${pyLiteral(x)}`)
      .join(', ') +
    '}'
  );
}
