// A deterministic Python source tree for the benchmarks: the same seed always writes the same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: a small seeded PRNG, so the tree does not depend on Math.random or the Node build. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'value',
  'items',
  'data',
  'result',
  'config',
  'path',
  'name',
  'count',
  'index',
  'buffer',
  'record',
  'table',
  'client',
  'request',
  'response',
  'session',
  'cache',
  'state',
  'event',
  'handler',
  'queue',
  'limit',
  'offset',
  'token',
  'user',
  'order',
  'price',
  'amount',
  'total',
  'batch',
  'window',
  'schema',
  'field',
  'column',
  'row',
  'key',
];

/**
 * Plans `files` .py files in total under `app/`: packages of 40 modules
 * with their `__init__.py`; modules of 2–14 KB of plausible code (~8 KB on average, so 1,000
 * files are ~8 MB), times `bytesScale` (the scale benchmark's same-count, more-bytes tree; 1 keeps
 * the bytes every other benchmark has always had). Returns the files in creation order.
 */
export function sourceTree(files: number, seed = 20261124, bytesScale = 1): { path: string; text: string }[] {
  const rand = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const ident = () => `${pick(WORDS)}_${pick(WORDS)}`;
  const packages = Math.max(1, Math.ceil(files / 41));
  const out: { path: string; text: string }[] = [{ path: 'app/__init__.py', text: '"""Generated benchmark application."""\n' }];
  const modules = files - packages - 1;
  for (let p = 0; p < packages; p++) out.push({ path: `app/pkg${String(p).padStart(2, '0')}/__init__.py`, text: `"""Package ${p}."""\n` });
  for (let i = 0; i < modules; i++) {
    const pkg = `pkg${String(i % packages).padStart(2, '0')}`;
    const size = (2000 + Math.floor(rand() * 12000)) * bytesScale;
    let text = `"""Generated module ${i}: ${pick(WORDS)} ${pick(WORDS)} handling."""\nfrom __future__ import annotations\n\nimport dataclasses\nimport json\nimport os\n\nLIMIT_${i} = ${Math.floor(rand() * 1e6)}\n`;
    let n = 0;
    while (text.length < size) {
      const a = ident();
      const b = ident();
      const item = `${pick(WORDS)}_item`;
      if (n % 3 === 0) {
        text += `\n\n@dataclasses.dataclass\nclass Model${i}_${n}:\n    """A ${pick(WORDS)} ${pick(WORDS)} with ${pick(WORDS)}."""\n\n    ${a}: int = ${Math.floor(rand() * 1000)}\n    ${b}: str = "${pick(WORDS)}-${Math.floor(rand() * 1e5).toString(36)}"\n\n    def to_json(self) -> str:\n        return json.dumps(dataclasses.asdict(self), sort_keys=True)\n`;
      } else {
        text += `\n\ndef ${a}_${n}(${b}, ${pick(WORDS)}=None, *, limit=LIMIT_${i}):\n    """Return the ${pick(WORDS)} of ${b} (${Math.floor(rand() * 1e9).toString(16)})."""\n    ${a} = []\n    for ${item} in ${b} or ():\n        if len(${a}) >= limit:\n            break\n        ${a}.append(str(${item}) + os.sep + "${pick(WORDS)}")\n    return {"${pick(WORDS)}": ${a}, "n": ${Math.floor(rand() * 100)}}\n`;
      }
      n++;
    }
    out.push({ path: `app/${pkg}/m${String(i).padStart(4, '0')}.py`, text });
  }
  return out;
}

/** Writes the tree under `dir`, in the given order (the reproducibility benchmark reverses it). */
export function writeTree(dir: string, tree: { path: string; text: string }[]): number {
  let bytes = 0;
  for (const f of tree) {
    const p = join(dir, ...f.path.split('/'));
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, f.text);
    bytes += Buffer.byteLength(f.text);
  }
  return bytes;
}
