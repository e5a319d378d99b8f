// The docs a maintainer relies on stay true to the tree: links resolve, ARCHITECTURE.md citations
// name real sections, every contract name the code defines is documented, every source file says
// what it owns. Pure file reads: no build, no network.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './helpers.ts';

const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');

function walk(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(rel, keep));
    else if (keep(rel)) out.push(rel);
  }
  return out.sort();
}

const MARKDOWN = [
  'README.md',
  'ARCHITECTURE.md',
  'CONTRIBUTING.md',
  'CHANGELOG.md',
  ...walk('docs', (p) => p.endsWith('.md')),
  ...walk('src', (p) => p.endsWith('README.md')),
];

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (!m) continue;
    const text = m[1].replace(/`/g, '').trim().toLowerCase();
    out.add(text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return out;
}

/** The text of ARCHITECTURE.md's section `## N. …`, up to the next `## `. */
function architectureSection(n: number): string {
  const text = read('ARCHITECTURE.md');
  const start = text.search(new RegExp(`^## ${n}\\. `, 'm'));
  assert.ok(start >= 0, `ARCHITECTURE.md has a section ${n}`);
  const rest = text.slice(start + 3);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

describe('docs', () => {
  test('every relative link in the Markdown files points at a file (and heading) that exists', () => {
    const broken: string[] = [];
    for (const file of MARKDOWN) {
      const text = read(file).replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split('#');
        const abs = path ? resolve(ROOT, dirname(file), path) : join(ROOT, file);
        if (!existsSync(abs)) {
          broken.push(`${file}: ${target} (no such file)`);
          continue;
        }
        if (anchor && statSync(abs).isFile() && abs.endsWith('.md') && !anchors(readFileSync(abs, 'utf8')).has(anchor))
          broken.push(`${file}: ${target} (no such heading in ${relative(ROOT, abs)})`);
      }
    }
    assert.deepEqual(broken, []);
  });

  test('citations of ARCHITECTURE.md name sections it has, and nothing cites a design document outside the repository', () => {
    const sections = new Set([...read('ARCHITECTURE.md').matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1])));
    const files = [...walk('src', (p) => /\.(ts|py)$/.test(p)), ...walk('test', (p) => p.endsWith('.ts')), ...MARKDOWN];
    const bad: string[] = [];
    for (const file of files) {
      const text = read(file);
      for (const m of text.matchAll(/ARCHITECTURE\.md § (\d+)/g)) if (!sections.has(Number(m[1]))) bad.push(`${file}: ${m[0]}`);
      if (/DESIGN(\.md| §)/.test(text)) bad.push(`${file}: cites DESIGN`);
    }
    assert.deepEqual(bad, []);
  });

  test('every source file starts with a comment saying what it owns', () => {
    const missing: string[] = [];
    for (const file of walk('src', (p) => /\.(ts|py)$/.test(p))) {
      // Before the first statement that is not an import, there is a comment.
      const comment = file.endsWith('.py') ? /^#/ : /^(\/\/|\/\*)/;
      let found = false;
      for (const line of read(file).split('\n')) {
        if (line.startsWith('#!')) continue;
        if (comment.test(line)) {
          found = true;
          break;
        }
        if (line === '' || /^(\s|\}|import\b)/.test(line)) continue;
        break;
      }
      if (!found) missing.push(file);
    }
    assert.deepEqual(missing, []);
  });

  test('ARCHITECTURE.md names every Action input and output of action.yml', () => {
    const y = parseYaml(read('action.yml')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    const section = architectureSection(9);
    const undocumented = [...Object.keys(y.inputs), ...Object.keys(y.outputs)].filter((n) => !section.includes(`\`${n}\``));
    assert.deepEqual(undocumented, []);
  });

  test('ARCHITECTURE.md documents every PEX-INFO field and points to the runtime variables and contract', () => {
    const pexinfo = read('src/archive/pexinfo.ts');
    const block = /export interface PexInfo \{([\s\S]*?)\n\}/.exec(pexinfo)?.[1] ?? '';
    const fields = [...block.matchAll(/^\s+(\w+)\??:/gm)].map((m) => m[1]);
    assert.ok(fields.includes('pex_hash') && fields.includes('kind'), 'the PexInfo interface was found');
    const layout = architectureSection(4);
    assert.deepEqual(
      fields.filter((f) => !layout.includes(`\`${f}\``) && !layout.includes(`.${f}\``)),
      [],
    );

    // The runtime's variables are a generated table (docs/environment.md, checked by
    // generated-docs.test.ts); § 6 must point there and to the runtime's own contract.
    const runtime = architectureSection(6);
    assert.match(runtime, /docs\/environment\.md/);
    assert.match(runtime, /docs\/runtime\.md/);
  });

  test('the LICENSE file matches package.json', () => {
    const pkg = JSON.parse(read('package.json')) as { license: string };
    assert.equal(pkg.license, 'MIT');
    const license = read('LICENSE');
    assert.match(license, /^MIT License\n/);
    assert.match(license, /Copyright \(c\) \d{4} the pexpress authors/);
  });
});
