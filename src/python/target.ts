/**
 * The deploy target (python version + platform) and the wheel tag ladder for it, as pip's
 * packaging.tags computes for a CPython on a glibc Linux with the given floor.
 */
import { optionRef } from '../platform/errors.ts';

export type PlatformName = 'linux_x86_64' | 'linux_aarch64';
export const SUPPORTED_PYTHONS: readonly string[] = ['3.9', '3.10', '3.11', '3.12', '3.13', '3.14'];
export const SUPPORTED_PLATFORMS: readonly PlatformName[] = ['linux_x86_64', 'linux_aarch64'];

export interface Target {
  python: string;
  platform: PlatformName;
  /** glibc floor, e.g. '2.28' (manylinux_2_28). */
  glibc: string;
  implementation: 'cp';
}

export class TargetError extends Error {}

const LEGACY_MANYLINUX: Record<string, string> = { manylinux1: '2.5', manylinux2010: '2.12', manylinux2014: '2.17' };
const UV_GLIBC = ['2.17', '2.28', '2.31', '2.32', '2.33', '2.34', '2.35', '2.36', '2.37', '2.38', '2.39', '2.40'];

export function parseGlibc(input: string | undefined): string {
  if (!input) return '2.28';
  const s = input.trim().toLowerCase();
  if (LEGACY_MANYLINUX[s]) return LEGACY_MANYLINUX[s];
  const m = /^(?:manylinux_)?(2)[_.](\d+)$/.exec(s);
  if (m && Number(m[2]) >= 5 && Number(m[2]) <= 45) return `${m[1]}.${Number(m[2])}`;
  throw new TargetError(
    `unknown manylinux floor '${input}' — use manylinux_2_28 (default), manylinux_2_17/manylinux2014 or another manylinux_2_NN`,
  );
}

export function parseTarget(
  input: { python?: string; platform?: string; manylinux?: string },
  host: { python: string; platform: PlatformName | null },
): Target {
  let python = (input.python ?? host.python).trim();
  const cp = /^cp3(\d+)$/.exec(python);
  if (cp) python = `3.${cp[1]}`;
  const m = /^(3)\.(\d+)(?:\.\d+)?$/.exec(python);
  const minor = m ? `${m[1]}.${Number(m[2])}` : python;
  if (!SUPPORTED_PYTHONS.includes(minor)) {
    throw new TargetError(
      `unknown python version '${input.python ?? host.python}': pexpress supports ${SUPPORTED_PYTHONS.join(', ')} — set ${optionRef('python')} to X.Y`,
    );
  }
  const platform = (input.platform ?? host.platform ?? 'linux_x86_64').trim() as PlatformName;
  if (!SUPPORTED_PLATFORMS.includes(platform)) {
    throw new TargetError(
      `unknown platform '${input.platform}': pexpress supports ${SUPPORTED_PLATFORMS.join(', ')} — set ${optionRef('platform')} to linux_x86_64 or linux_aarch64`,
    );
  }
  return { python: minor, platform, glibc: parseGlibc(input.manylinux), implementation: 'cp' };
}

const arch = (t: Target) => (t.platform === 'linux_x86_64' ? 'x86_64' : 'aarch64');
const minorOf = (t: Target) => Number(t.python.split('.')[1]);
const glibcMinor = (t: Target) => Number(t.glibc.split('.')[1]);

export function uvPythonPlatform(t: Target): string {
  // uv knows a fixed list of floors; take the highest it knows that does not exceed ours.
  const floor = [...UV_GLIBC].reverse().find((g) => Number(g.split('.')[1]) <= glibcMinor(t)) ?? '2.17';
  return `${arch(t)}-manylinux_${floor.replace('.', '_')}`;
}

/** Linux platform tags from best to worst: manylinux_2_N … with legacy aliases, then linux_<arch>. */
function platformTags(t: Target): string[] {
  const a = arch(t);
  const tags: string[] = [];
  // Like packaging: aarch64 wheels start at glibc 2.17; x86_64 reach back to manylinux1 (2.5).
  const lowest = a === 'x86_64' ? 5 : 17;
  for (let minor = glibcMinor(t); minor >= lowest; minor--) {
    tags.push(`manylinux_2_${minor}_${a}`);
    const legacy = Object.entries(LEGACY_MANYLINUX).find(([, g]) => g === `2.${minor}`);
    if (legacy) tags.push(`${legacy[0]}_${a}`);
  }
  tags.push(`linux_${a}`);
  return tags;
}

export function pipPlatformArgs(t: Target): string[] {
  const args: string[] = [];
  for (const p of platformTags(t)) args.push('--platform', p);
  args.push(
    '--python-version',
    t.python,
    '--implementation',
    'cp',
    '--abi',
    `cp3${minorOf(t)}`,
    '--abi',
    'abi3',
    '--abi',
    'none',
    '--only-binary=:all:',
  );
  return args;
}

const ladders = new Map<string, string[]>();

/** packaging.tags.sys_tags() for that interpreter: cpython_tags then compatible_tags. */
export function tagLadder(t: Target): string[] {
  const key = `${t.python}/${t.platform}/${t.glibc}`;
  const hit = ladders.get(key);
  if (hit) return hit;
  const minor = minorOf(t);
  const plats = platformTags(t);
  const interp = `cp3${minor}`;
  const tags: string[] = [];
  for (const p of plats) tags.push(`${interp}-${interp}-${p}`);
  for (const p of plats) tags.push(`${interp}-abi3-${p}`);
  for (const p of plats) tags.push(`${interp}-none-${p}`);
  for (let m = minor - 1; m >= 2; m--) for (const p of plats) tags.push(`cp3${m}-abi3-${p}`);
  // compatible_tags: py3X-none-<plat> for this and older minors, then py3-none-<plat>, then -any.
  const pyVersions = [`py3${minor}`, 'py3', ...Array.from({ length: minor }, (_, i) => `py3${minor - 1 - i}`)];
  for (const v of pyVersions) for (const p of plats) tags.push(`${v}-none-${p}`);
  tags.push(`${interp}-none-any`);
  for (const v of pyVersions) tags.push(`${v}-none-any`);
  ladders.set(key, tags);
  return tags;
}

const rankMaps = new Map<string, Map<string, number>>();

export interface WheelName {
  distribution: string;
  version: string;
  build: string | null;
  tags: string[];
  filename: string;
}

export function parseWheelFilename(filename: string): WheelName {
  const base = filename.replace(/\.whl$/, '');
  const parts = base.split('-');
  if (!filename.endsWith('.whl') || (parts.length !== 5 && parts.length !== 6)) {
    throw new TargetError(`'${filename}' is not a wheel file name (name-version[-build]-python-abi-platform.whl)`);
  }
  const [distribution, version] = parts;
  const build = parts.length === 6 ? parts[2] : null;
  const [pys, abis, plats] = parts.slice(-3);
  const tags: string[] = [];
  for (const py of pys.split('.'))
    for (const abi of abis.split('.')) for (const plat of plats.split('.')) tags.push(`${py}-${abi}-${plat}`);
  return { distribution, version, build, tags, filename };
}

export function wheelRank(t: Target, filename: string): number | null {
  const key = `${t.python}/${t.platform}/${t.glibc}`;
  let ranks = rankMaps.get(key);
  if (!ranks) {
    ranks = new Map(tagLadder(t).map((tag, i) => [tag, i]));
    rankMaps.set(key, ranks);
  }
  let best: number | null = null;
  for (const tag of parseWheelFilename(filename).tags) {
    const r = ranks.get(tag);
    if (r !== undefined && (best === null || r < best)) best = r;
  }
  return best;
}

export function bestWheel<T extends { filename: string }>(t: Target, wheels: T[]): T | null {
  let best: T | null = null;
  let bestRank = Infinity;
  for (const w of wheels) {
    let r: number | null;
    try {
      r = wheelRank(t, w.filename);
    } catch {
      r = null;
    }
    if (r !== null && r < bestRank) {
      best = w;
      bestRank = r;
    }
  }
  return best;
}

export function hostTarget(): { python: string; platform: PlatformName | null } {
  const platform =
    process.platform === 'linux' ? (process.arch === 'x64' ? 'linux_x86_64' : process.arch === 'arm64' ? 'linux_aarch64' : null) : null;
  return { python: '', platform };
}

export function isHostCompatible(t: Target, host: { python: string; platform: PlatformName | null }): boolean {
  return host.platform === t.platform && host.python === t.python;
}
