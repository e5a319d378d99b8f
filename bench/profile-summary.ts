// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by file, and the
// total (inclusive) time of the functions that matter most. Used for docs/bench.md's findings.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/cli.js build …
//   node --import tsx bench/profile-summary.ts /tmp/prof/CPU.*.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 25;
const file = args.find((a) => a.endsWith('.cpuprofile'));
if (!file) {
  process.stderr.write('usage: profile-summary.ts FILE.cpuprofile [--top N]\n');
  process.exit(2);
}
const p: Profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const short = (url: string) => url.replace(/^file:\/\/.*\/(dist|src|node_modules)\//, '$1/').replace(/^node:/, 'node:') || '(native)';
const label = (n: Node) =>
  `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;

const self = new Map<string, number>();
const selfFile = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
for (let i = 0; i < p.samples.length; i++) {
  const dt = (p.timeDeltas[i] ?? 0) / 1000; // ms
  all += dt;
  let n = byId.get(p.samples[i])!;
  self.set(label(n), (self.get(label(n)) ?? 0) + dt);
  selfFile.set(short(n.callFrame.url), (selfFile.get(short(n.callFrame.url)) ?? 0) + dt);
  const seen = new Set<string>();
  for (;;) {
    const l = label(n);
    if (!seen.has(l)) {
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + dt);
    }
    const up = parent.get(n.id);
    if (up === undefined) break;
    n = byId.get(up)!;
  }
}
const print = (title: string, m: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    process.stdout.write(`${v.toFixed(1).padStart(8)} ms  ${((100 * v) / all).toFixed(1).padStart(5)}%  ${k}\n`);
};
process.stdout.write(
  `${file}: ${all.toFixed(1)} ms sampled (process ran ${((p.endTime - p.startTime) / 1000).toFixed(1)} ms after V8 started profiling)\n`,
);
print('self time by file', selfFile);
print('self time by function', self);
print('total (inclusive) time by function', total);
