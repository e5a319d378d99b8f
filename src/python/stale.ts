import { createHash } from 'node:crypto';
import { parse as parseToml } from 'smol-toml';
import { normalizeName } from './requirements.ts';

/**
 * Whether a lock still matches the pyproject.toml next to it, decided the way its tool decides:
 * Poetry's content-hash, uv's recorded requirements of the project (`uv lock --check` compares
 * those too). A stale lock would install yesterday's dependencies while the declarations say
 * otherwise; the build stops and says to re-lock.
 */

type Table = Record<string, unknown>;

/** json.dumps(value, sort_keys=True) as Python writes it: ', ' and ': ', non-ASCII escaped. */
function pyJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') {
    return JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  }
  if (Array.isArray(v)) return '[' + v.map(pyJson).join(', ') + ']';
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  const o = v as Table;
  return (
    '{' +
    Object.keys(o)
      .sort()
      .map((k) => `${pyJson(k)}: ${pyJson(o[k])}`)
      .join(', ') +
    '}'
  );
}

/** Poetry's Locker._get_content_hash (poetry 2.x; withGroups=false is what Poetry < 2.3 wrote). */
export function poetryContentHash(doc: Table, withGroups: boolean): string {
  const project = (doc.project ?? {}) as Table;
  const groups = withGroups ? ((doc['dependency-groups'] ?? {}) as Table) : {};
  const poetry = (((doc.tool ?? {}) as Table).poetry ?? {}) as Table;
  const legacy = ['dependencies', 'source', 'extras', 'dev-dependencies'];
  const relevantProject: Table = {};
  for (const k of ['requires-python', 'dependencies', 'optional-dependencies'])
    if (project[k] !== undefined) relevantProject[k] = project[k];
  const hasProject = Object.keys(relevantProject).length > 0;
  const hasGroups = Object.keys(groups).length > 0;
  const relevantPoetry: Table = {};
  for (const k of [...legacy, 'group']) {
    const data = poetry[k];
    if (data === undefined && (!legacy.includes(k) || hasProject || hasGroups)) continue;
    relevantPoetry[k] = data ?? null;
  }
  let content: Table = {};
  if (hasProject) content.project = relevantProject;
  if (hasGroups) content['dependency-groups'] = groups;
  if (Object.keys(content).length) content.tool = { poetry: relevantPoetry };
  else content = relevantPoetry;
  return createHash('sha256').update(pyJson(content)).digest('hex');
}

function spec(s: string): string {
  return s
    .split(',')
    .map((c) => c.replace(/\s+/g, ''))
    .filter(Boolean)
    .sort()
    .join(',');
}

/** name[extras]specifier from a PEP 508 string; markers and URLs are left out of the comparison. */
function requirementKey(text: string): string | null {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*([^;@]*)/.exec(text);
  if (!m) return null;
  const extras = (m[2] ?? '')
    .split(',')
    .map((e) => normalizeName(e.trim()))
    .filter(Boolean)
    .sort();
  const s = m[3].trim().replace(/^\((.*)\)$/, '$1');
  return `${normalizeName(m[1])}${extras.length ? `[${extras.join(',')}]` : ''}${spec(s)}`;
}

function lockKey(e: Table): string {
  const extras = ((e.extras as string[] | undefined) ?? []).map(normalizeName).sort();
  return `${normalizeName(String(e.name))}${extras.length ? `[${extras.join(',')}]` : ''}${spec(String(e.specifier ?? ''))}`;
}

function diff(declared: string[], locked: string[]): string {
  const d = new Set(declared);
  const l = new Set(locked);
  return [...[...d].filter((x) => !l.has(x)).map((x) => `+${x}`), ...[...l].filter((x) => !d.has(x)).map((x) => `−${x}`)].join(', ');
}

/** uv: the project's requirements as uv.lock recorded them against pyproject.toml's. null when in sync. */
export function uvLockDrift(pyproject: Table, lockText: string, member: string): string | null {
  const project = pyproject.project as Table | undefined;
  if (!project) return null;
  let lock: Table;
  try {
    lock = parseToml(lockText) as Table;
  } catch {
    return null;
  }
  const posix = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '').replace(/^\.\//, '') || '.';
  const root = ((lock.package as Table[] | undefined) ?? []).find((p) => {
    const s = (p.source ?? {}) as Table;
    const v = s.virtual ?? s.editable ?? s.directory;
    return typeof v === 'string' && posix(v) === posix(member);
  });
  const meta = (root?.metadata ?? null) as Table | null;
  if (!meta) return null;
  const declared = [
    ...((project.dependencies as string[] | undefined) ?? []),
    ...Object.values((project['optional-dependencies'] ?? {}) as Record<string, string[]>).flat(),
  ]
    .filter((x) => typeof x === 'string')
    .map(requirementKey)
    .filter((x): x is string => !!x);
  const locked = ((meta['requires-dist'] as Table[] | undefined) ?? []).map(lockKey);
  const legacyDev = ((((pyproject.tool ?? {}) as Table).uv ?? {}) as Table)['dev-dependencies'] as string[] | undefined;
  const groups = { ...(pyproject['dependency-groups'] ?? {}) } as Record<string, unknown[]>;
  if (legacyDev) groups.dev = [...(groups.dev ?? []), ...legacyDev];
  const lockedDev = (meta['requires-dev'] ?? {}) as Record<string, Table[]>;
  const declaredDev = Object.entries(groups).flatMap(([g, xs]) =>
    xs
      .filter((x): x is string => typeof x === 'string')
      .map(requirementKey)
      .filter((x): x is string => !!x)
      .map((x) => `${normalizeName(g)}:${x}`),
  );
  const lockedDevKeys = Object.entries(lockedDev).flatMap(([g, xs]) => xs.map((x) => `${normalizeName(g)}:${lockKey(x)}`));
  const changes = [diff(declared, locked), diff(declaredDev, lockedDevKeys)].filter(Boolean).join(', ');
  return changes || null;
}
