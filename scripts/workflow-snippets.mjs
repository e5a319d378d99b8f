// Writes every ```yaml block of README.md and docs/*.md that looks like GitHub Actions workflow
// YAML into DIR as a complete workflow, so scripts/actionlint.sh can lint what the docs tell people
// to paste. Fragments (job-level keys, or a list of steps) are wrapped in a minimal workflow.
// Files are named after where the block starts (README.md-L305.yml), so findings point back there.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/workflow-snippets.mjs DIR');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const docs = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
let count = 0;
for (const doc of docs) {
  const lines = readFileSync(doc, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```yaml') continue;
    const start = i + 1;
    const body = [];
    for (i++; i < lines.length && lines[i].trim() !== '```'; i++) body.push(lines[i]);
    const text = body.join('\n');
    let workflow;
    if (/^jobs:/m.test(text)) workflow = text;
    else if (/^\s*- (uses|run|name|id):/m.test(text) && !/^\s*steps:/m.test(text))
      workflow = `on: push\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n    steps:\n${reindent(body, 6)}`;
    else if (/^\s*(steps|strategy|runs-on|with|env):/m.test(text))
      workflow = `on: push\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n${reindent(body, 4)}`;
    else continue; // not workflow YAML (action.yml excerpts, config files)
    // Point the docs' `uses: OWNER/pexpress@v1` at this checkout, so actionlint checks their inputs
    // against action.yml (a renamed or removed input in the docs fails).
    workflow = workflow.replace(/uses: OWNER\/pexpress@\S+/g, 'uses: ./');
    writeFileSync(join(dir, `${doc.replaceAll('/', '_')}-L${start}.yml`), workflow + '\n');
    count++;
  }
}
console.log(`${count} workflow snippets from ${docs.join(', ')}`);

/** Shifts a block so its least-indented line sits at `to` spaces. */
function reindent(body, to) {
  const indents = body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length);
  const min = Math.min(...indents);
  return body.map((l) => (l.trim() ? ' '.repeat(to) + l.slice(min) : '')).join('\n');
}
