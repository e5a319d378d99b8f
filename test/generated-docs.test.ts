import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { bootstrapEnvVars, renderDocs } from '../scripts/docs.ts';
import { USAGE } from '../src/cli/args.ts';
import { ENV_VARS } from '../src/platform/env.ts';
import { OPTION_KEYS, OPTIONS, type OptionSpec } from '../src/options/table.ts';
import { ROOT } from './helpers.ts';

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...(await sources(rel)));
    else if (/\.(ts|py)$/.test(e.name)) out.push(rel);
  }
  return out;
}

describe('generated docs', () => {
  test('README tables, action.yml inputs and docs/environment.md are what npm run docs writes', async () => {
    for (const [file, want] of await renderDocs()) {
      assert.equal(readFileSync(join(ROOT, file), 'utf8'), want, `${file} is out of date: run npm run docs`);
    }
  });

  test("action.yml's inputs are the table's, with its defaults", () => {
    const y = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
    const fromTable = OPTION_KEYS.map((k) => OPTIONS[k] as OptionSpec).filter((s) => s.action);
    assert.deepEqual(
      Object.keys(y.inputs),
      fromTable.map((s) => s.action!.input),
    );
    for (const s of fromTable) assert.equal(y.inputs[s.action!.input].default, s.default, s.action!.input);
  });

  test('--help lists every CLI flag of the table', () => {
    for (const k of OPTION_KEYS) {
      const s = OPTIONS[k] as OptionSpec;
      if (s.cli) assert.match(USAGE, new RegExp(`^  --${s.cli.flag}\\b`, 'm'), s.cli.flag);
    }
  });
});

describe('environment variables are declared once', () => {
  test('every PEXPRESS_* name in src/ is in src/platform/env.ts, and only env.ts reads process.env for them', async () => {
    // Code constants that share the prefix but are not environment variables.
    // PEXPRESS_REDACTED_CREDENTIAL is a placeholder written into copied declaration files, not read.
    const notVariables = new Set(['PEXPRESS_VERSION', 'PEXPRESS_REDACTED_CREDENTIAL']);
    const files = (await sources('src')).filter((f) => f.endsWith('.ts'));
    const seen = new Set<string>();
    for (const f of files) {
      const text = await readFile(join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/\bPEXPRESS_[A-Z0-9_]+\b/g)) if (!notVariables.has(m[0])) seen.add(m[0]);
      if (f !== 'src/platform/env.ts') {
        assert.doesNotMatch(text, /env(\.|\[['"])PEXPRESS_/, `${f} reads a PEXPRESS_ variable directly: use readEnv()`);
        assert.doesNotMatch(text, /process\.env\.(AWS_REGION|AWS_DEFAULT_REGION|AWS_ENDPOINT_URL_S3|XDG_CACHE_HOME)\b/, f);
      }
    }
    assert.ok(seen.size >= 8, [...seen].join(' '));
    for (const name of seen) assert.ok(name in ENV_VARS, `${name} is read in src/ but not declared in src/platform/env.ts`);
  });

  test('every PEX_* variable the runtime names is in its ENV_VARS, and the runtime reads them only through it', async () => {
    const text = await readFile(join(ROOT, 'src/archive/runtime/bootstrap.py'), 'utf8');
    const cold = await readFile(join(ROOT, 'src/archive/runtime/cold.py'), 'utf8');
    const table = /^ENV_VARS = \($[\s\S]*?^\)$/m.exec(text);
    assert.ok(table, 'bootstrap.py has an ENV_VARS = (...) table');
    // The runtime consumes every PEX_* variable at start-up and parses it by this table: a direct
    // os.environ read of one would bypass the strict parsing (and the removal from os.environ).
    const code = text.replace(table[0], '') + cold;
    assert.deepEqual(
      [...code.matchAll(/environ(?:\.get\(|\[)\s*["'](PEX_[A-Z0-9_]+)["']/g)].map((m) => m[1]),
      [],
    );
    const declared = bootstrapEnvVars().map((v) => v.name);
    assert.ok(declared.length >= 5 && declared.includes('PEX_PATH'), declared.join(' '));
    // Outside the table a quoted PEX_* name is a setting looked up, or a message about one.
    for (const m of code.matchAll(/["'](PEX_[A-Z0-9_]+)["']/g))
      assert.ok(declared.includes(m[1]), `the runtime names ${m[1]} but its ENV_VARS does not declare it`);
    for (const v of bootstrapEnvVars()) assert.ok(v.type && typeof v.default === 'string' && v.help, v.name);
  });
});
