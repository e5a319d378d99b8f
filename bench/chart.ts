// The scaling chart (docs/scaling.svg): draws bench/out/scale.json, written by bench/scale.ts, as
// small SVG line charts (fast build vs files, full build vs wheels, start-up, peak RSS). No
// dependency: plain SVG text, so the committed file diffs cleanly and renders on GitHub.
//
//   node --import tsx bench/chart.ts bench/out/scale.json docs/scaling.svg
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { ScaleResults } from './scale.ts';

interface Series {
  name: string;
  color: string;
  dash?: boolean;
  points: [number, number][];
}
interface Axis {
  label: string;
  log: boolean;
}
interface Panel {
  title: string;
  x: Axis;
  y: Axis;
  series: Series[];
}

const W = 330; // one panel
const H = 250;
const M = { left: 52, right: 12, top: 30, bottom: 64 };
const PEXPRESS = '#1f77b4';
const PEX = '#d62728';
const BARE = '#7f7f7f';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (v: number) => {
  if (v >= 1000) return `${+(v / 1000).toPrecision(3)}k`;
  return String(+v.toPrecision(3));
};

/** Tick values: 1-2-5 steps inside each decade for a log axis, a round step for a linear one. */
function ticks(lo: number, hi: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
      }
    // Sparse data inside one decade: keep at least the ends.
    return out.length >= 2 ? out : [lo, hi];
  }
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

/** The range an axis shows: padded so lines do not touch the frame; a log axis snaps to 1-2-5 values. */
function range(values: number[], log: boolean, zero: boolean): [number, number] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (log) {
    const snap = (v: number, up: boolean) => {
      const e = Math.floor(Math.log10(v));
      const ms = [1, 2, 5, 10];
      const m = v / 10 ** e;
      return (up ? ms.find((x) => x >= m - 1e-9)! : [...ms].reverse().find((x) => x <= m + 1e-9)!) * 10 ** e;
    };
    return [snap(lo, false), snap(hi, true)];
  }
  if (zero) lo = 0;
  if (hi === lo) hi = lo + 1;
  const pad = (hi - lo) * 0.08;
  return [zero ? 0 : lo - pad, hi + pad];
}

function panel(p: Panel, ox: number, oy: number): string {
  const pts = p.series.flatMap((s) => s.points);
  if (!pts.length) return '';
  const xs = pts.map((q) => q[0]);
  const ys = pts.map((q) => q[1]);
  const [x0, x1] = p.x.log ? [Math.min(...xs) / 1.3, Math.max(...xs) * 1.3] : range(xs, false, false);
  const [y0, y1] = range(ys, p.y.log, true);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const f = (v: number, lo: number, hi: number, log: boolean) =>
    log ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (v - lo) / (hi - lo);
  const X = (v: number) => ox + M.left + f(v, x0, x1, p.x.log) * pw;
  const Y = (v: number) => oy + M.top + ph - f(v, y0, y1, p.y.log) * ph;
  const out: string[] = [];
  out.push(`<text x="${ox + M.left}" y="${oy + 18}" class="title">${esc(p.title)}</text>`);
  // Grid and ticks: the x ticks are the measured sizes themselves.
  for (const v of ticks(y0, y1, p.y.log)) {
    out.push(`<line x1="${ox + M.left}" x2="${ox + M.left + pw}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}" class="grid"/>`);
    out.push(`<text x="${ox + M.left - 5}" y="${(Y(v) + 3.5).toFixed(1)}" class="tick" text-anchor="end">${num(v)}</text>`);
  }
  for (const v of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(`<line x1="${X(v).toFixed(1)}" x2="${X(v).toFixed(1)}" y1="${oy + M.top}" y2="${oy + M.top + ph}" class="grid"/>`);
    out.push(`<text x="${X(v).toFixed(1)}" y="${oy + M.top + ph + 14}" class="tick" text-anchor="middle">${num(v)}</text>`);
  }
  out.push(`<rect x="${ox + M.left}" y="${oy + M.top}" width="${pw}" height="${ph}" class="frame"/>`);
  out.push(`<text x="${ox + M.left + pw / 2}" y="${oy + M.top + ph + 30}" class="label" text-anchor="middle">${esc(p.x.label)}</text>`);
  const ly = oy + M.top + ph / 2;
  out.push(
    `<text x="${ox + 12}" y="${ly}" class="label" text-anchor="middle" transform="rotate(-90 ${ox + 12} ${ly})">${esc(p.y.label)}</text>`,
  );
  // Lines, points, then the legend under the axis label.
  for (const s of p.series) {
    if (!s.points.length) continue;
    const d = s.points.map(([x, y], i) => `${i ? 'L' : 'M'}${X(x).toFixed(1)} ${Y(y).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" stroke="${s.color}" class="line"${s.dash ? ' stroke-dasharray="5 3"' : ''}/>`);
    for (const [x, y] of s.points) out.push(`<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="2.8" fill="${s.color}"/>`);
  }
  p.series.forEach((s, i) => {
    const lx = ox + M.left + (i % 2) * (pw / 2);
    const lyy = oy + M.top + ph + 44 + Math.floor(i / 2) * 13;
    out.push(
      `<line x1="${lx}" x2="${lx + 16}" y1="${lyy - 3.5}" y2="${lyy - 3.5}" stroke="${s.color}" class="line"${s.dash ? ' stroke-dasharray="5 3"' : ''}/>`,
    );
    out.push(`<text x="${lx + 20}" y="${lyy}" class="legend">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

/** The whole chart: two rows of three panels, then one line saying where the numbers come from. */
export function renderChart(r: ScaleResults): string {
  const fast = r.fast.filter((p) => p.bytesScale === 1);
  const bytes = r.fast.filter((p) => p.bytesScale !== 1);
  const scaled = bytes[0]?.bytesScale;
  const panels: Panel[] = [
    {
      title: 'Fast build (one file changed)',
      x: { label: 'source files (log)', log: true },
      y: { label: 'seconds (log)', log: true },
      series: [
        { name: 'pexpress', color: PEXPRESS, points: fast.map((p) => [p.files, p.ours.median]) },
        { name: 'pex -D', color: PEX, points: fast.map((p) => [p.files, p.pex.median]) },
        ...(bytes.length
          ? [
              {
                name: `pexpress, ${scaled}× bytes`,
                color: PEXPRESS,
                dash: true,
                points: bytes.map((p) => [p.files, p.ours.median] as [number, number]),
              },
              {
                name: `pex -D, ${scaled}× bytes`,
                color: PEX,
                dash: true,
                points: bytes.map((p) => [p.files, p.pex.median] as [number, number]),
              },
            ]
          : []),
      ],
    },
    {
      title: 'Fast build, peak RSS',
      x: { label: 'source files (log)', log: true },
      y: { label: 'MiB', log: false },
      series: [
        { name: 'pexpress', color: PEXPRESS, points: fast.map((p) => [p.files, p.oursRss.median]) },
        { name: 'pex -D', color: PEX, points: fast.map((p) => [p.files, p.pexRss.median]) },
      ],
    },
    {
      title: 'Warm start-up, -c pass',
      x: { label: 'wheels', log: false },
      y: { label: 'ms', log: false },
      series: [
        { name: 'pexpress', color: PEXPRESS, points: r.startup.map((p) => [p.wheels, p.ours.median]) },
        { name: 'pex --venv --sh-boot', color: PEX, points: r.startup.map((p) => [p.wheels, p.pex.median]) },
        { name: 'bare python', color: BARE, dash: true, points: r.startup.map((p) => [p.wheels, p.bare.median]) },
      ],
    },
    {
      title: 'Full build',
      x: { label: 'wheels', log: false },
      y: { label: 'seconds (log)', log: true },
      series: [
        { name: 'pexpress, warm', color: PEXPRESS, points: r.full.map((p) => [p.wheels, p.warm.ours.median]) },
        { name: 'pex, warm', color: PEX, points: r.full.map((p) => [p.wheels, p.warm.pex.median]) },
        {
          name: 'pexpress, cold',
          color: PEXPRESS,
          dash: true,
          points: r.full.flatMap((p) => (p.cold ? [[p.wheels, p.cold.ours.median] as [number, number]] : [])),
        },
        {
          name: 'pex, cold',
          color: PEX,
          dash: true,
          points: r.full.flatMap((p) => (p.cold ? [[p.wheels, p.cold.pex.median] as [number, number]] : [])),
        },
      ],
    },
    {
      title: 'Full build, peak RSS',
      x: { label: 'wheels', log: false },
      y: { label: 'MiB', log: false },
      series: [
        { name: 'pexpress, warm', color: PEXPRESS, points: r.full.map((p) => [p.wheels, p.warm.oursRss.median]) },
        { name: 'pex, warm', color: PEX, points: r.full.map((p) => [p.wheels, p.warm.pexRss.median]) },
        {
          name: 'pexpress, cold',
          color: PEXPRESS,
          dash: true,
          points: r.full.flatMap((p) => (p.cold ? [[p.wheels, p.cold.oursRss.median] as [number, number]] : [])),
        },
        {
          name: 'pex, cold',
          color: PEX,
          dash: true,
          points: r.full.flatMap((p) => (p.cold ? [[p.wheels, p.cold.pexRss.median] as [number, number]] : [])),
        },
      ],
    },
    {
      title: 'deps.pex size',
      x: { label: 'wheels', log: false },
      y: { label: 'MiB', log: false },
      series: [{ name: 'pexpress deps.pex', color: PEXPRESS, points: r.full.map((p) => [p.wheels, p.depsMiB]) }],
    },
  ];
  const cols = 3;
  const width = W * cols;
  const height = H * Math.ceil(panels.length / cols) + 24;
  const body = panels.map((p, i) => panel(p, (i % cols) * W, Math.floor(i / cols) * H)).join('\n');
  const foot = `How the cost grows: pexpress vs pex, medians of ${r.runs.runs} run(s) (cold ${r.runs.cold}, start-up ${r.runs.startup} rounds), ${r.date}${r.smoke ? ', SMOKE (tiny inputs)' : ''}. Source: bench/scale.ts; numbers in docs/bench.md.`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif">
<style>
.title { font-size: 12.5px; font-weight: 600; fill: #222; }
.tick { font-size: 10px; fill: #555; }
.label { font-size: 10.5px; fill: #333; }
.legend { font-size: 10px; fill: #333; }
.grid { stroke: #e3e3e3; stroke-width: 1; }
.frame { fill: none; stroke: #999; stroke-width: 1; }
.line { fill: none; stroke-width: 1.8; }
.foot { font-size: 10px; fill: #666; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
${body}
<text x="10" y="${height - 8}" class="foot">${esc(foot)}</text>
</svg>
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [input = 'bench/out/scale.json', output = 'docs/scaling.svg'] = process.argv.slice(2);
  writeFileSync(output, renderChart(JSON.parse(readFileSync(input, 'utf8')) as ScaleResults));
  process.stderr.write(`chart: ${input} → ${output}\n`);
}
