import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
/**
 * requires-python against the target: the target is a minor (3.12), so a declaration allows it when
 * some 3.12.N release satisfies every clause (as pex and pip would find for that interpreter).
 */
export interface PythonDeclaration {
  /** Where it was declared, as shown to the user: 'pyproject.toml: requires-python = ">=3.10"'. */
  where: string;
  spec: string;
}

const release = (v: string) => v.split('.').map((x) => Number(x));

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** Poetry's ^ and ~ and bare versions, as PEP 440 clauses. */
function poetryClause(c: string): string[] {
  const caret = /^\^\s*(\d+(?:\.\d+)*)$/.exec(c);
  if (caret) {
    const r = release(caret[1]);
    const i = r.findIndex((x) => x !== 0);
    const upper = r.slice(0, (i < 0 ? r.length - 1 : i) + 1);
    upper[upper.length - 1]++;
    return [`>=${caret[1]}`, `<${upper.join('.')}`];
  }
  const tilde = /^~\s*(\d+(?:\.\d+)*)$/.exec(c);
  if (tilde) {
    const r = release(tilde[1]);
    const upper = r.length > 1 ? r.slice(0, 2) : r.slice(0, 1);
    upper[upper.length - 1]++;
    return [`>=${tilde[1]}`, `<${upper.join('.')}`];
  }
  if (/^\d+(\.\d+)*(\.\*)?$/.test(c)) return [`==${c}`];
  return [c];
}

function satisfies(v: number[], clause: string): boolean | null {
  const m = /^(===|==|!=|~=|<=|>=|<|>)\s*v?(\d+(?:\.\d+)*)(\.\*)?$/.exec(clause.trim());
  if (!m) return null;
  const [, op, ver, star] = m;
  const r = release(ver);
  if (star) {
    const prefix = cmp(v.slice(0, r.length), r) === 0;
    return op === '==' ? prefix : op === '!=' ? !prefix : null;
  }
  const c = cmp(v, r);
  switch (op) {
    case '==':
    case '===':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<=':
      return c <= 0;
    case '>=':
      return c >= 0;
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    default: {
      // ~=X.Y.Z: >=X.Y.Z, ==X.Y.*
      const upper = r.slice(0, Math.max(1, r.length - 1));
      return c >= 0 && cmp(v.slice(0, upper.length), upper) === 0;
    }
  }
}

/** null when the target is allowed (or the declaration cannot be read: then the resolver decides). */
export function pythonMismatch(decl: PythonDeclaration, targetMinor: string): string | null {
  // Poetry's `||` alternatives: allowed when any alternative allows it.
  if (decl.spec.includes('||')) {
    const alts = decl.spec.split('||').map((s) => pythonMismatch({ where: decl.where, spec: s }, targetMinor));
    return alts.some((a) => a === null) ? null : alts[0];
  }
  const clauses = decl.spec
    .split(/[,\s]*,[,\s]*|\s+(?=[<>=!~^])/)
    .map((c) => c.trim())
    .filter(Boolean)
    .flatMap(poetryClause);
  const [maj, min] = release(targetMinor);
  for (let patch = 0; patch <= 40; patch++) {
    const results = clauses.map((c) => satisfies([maj, min, patch], c));
    if (results.some((r) => r === null)) return null;
    if (results.every(Boolean)) return null;
  }
  return `${decl.where} excludes the target CPython ${targetMinor} — build for a Python it allows (--python X.Y) or change the declaration`;
}

/**
 * The Python the project asks for: .python-version (in the project or a parent, as uv looks for it),
 * else requires-python when it allows exactly one minor. null: the host decides.
 */
export async function projectPythonOf(
  projectDir: string,
  requiresPython: PythonDeclaration | null,
): Promise<{ version: string; from: string } | null> {
  let dir = projectDir;
  for (let depth = 0; depth < 8; depth++) {
    const text = await readFile(join(dir, '.python-version'), 'utf8').catch(() => null);
    if (text !== null) {
      const line =
        text
          .split('\n')
          .find((l) => l.trim() && !l.trim().startsWith('#'))
          ?.trim() ?? '';
      const m = /^(?:cpython-?|python)?(3\.\d+)/i.exec(line);
      const from = dir === projectDir ? '.python-version' : `${join(dir, '.python-version')}`;
      return { version: m ? m[1] : line, from };
    }
    if (await stat(join(dir, '.git')).catch(() => null)) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (requiresPython) {
    const allowed: string[] = [];
    for (let minor = 0; minor <= 40; minor++) if (pythonMismatch(requiresPython, `3.${minor}`) === null) allowed.push(`3.${minor}`);
    if (allowed.length === 1) return { version: allowed[0], from: requiresPython.where };
  }
  return null;
}
