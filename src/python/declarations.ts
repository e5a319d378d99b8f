// Reads what the project declares about its dependencies (requirements, setup.py/cfg, pyproject,
// lockfiles): the input of the fingerprint and of the resolver.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { UsageError } from '../platform/errors.ts';
import { parseLockfile, type Lockfile, type LockfileKind } from './lockfile.ts';
import type { PythonDeclaration } from './requires-python.ts';
import { poetryContentHash, uvLockDrift } from './stale.ts';
import type { SetupPyDeps } from './setup-py.ts';
import {
  normalizeName,
  parseRequirementsFile,
  RequirementsError,
  stripCredentials,
  userinfoOf,
  type RequirementsSet,
} from './requirements.ts';

/** Everything in the project that decides what goes into deps.pex. */
export interface Declarations {
  requirementsFile: string | null;
  requirements: RequirementsSet | null;
  setupPy: Buffer | null;
  /** setup.py's dependency keywords when they are literals (filled in by the fingerprint stage). */
  setupPyDeps?: SetupPyDeps;
  setupCfg: Buffer | null;
  /** The file as it is (for the project's own metadata); never fingerprinted as bytes. */
  pyprojectBytes?: Buffer | null;
  /** Only the tables that declare dependencies; comments and tool config do not matter. Credentials stripped. */
  pyproject: Record<string, unknown> | null;
  /** When present it is the source of truth: installed exactly, nothing resolved. */
  lockfile: Lockfile | null;
  /** The file that declares the project's own package, whose dependencies (not itself) go to deps.pex. */
  packageFile: 'setup.py' | 'pyproject.toml' | 'setup.cfg' | null;
  /** The project's Python constraint, where one is declared. */
  requiresPython: PythonDeclaration | null;
  secrets: string[];
  /** origin → "user:password" for downloads from private indexes (requirements, uv and Poetry sources). */
  indexAuth: Record<string, string>;
  /** Declaration files (project-relative) that hold a literal credential, with the lines. */
  literalCredentials: Array<{ file: string; line: number }>;
}

/** What deps.pex is asked to contain besides the runtime dependencies. */
export interface DeclarationOptions {
  extras: string[];
  groups: string[];
  env?: NodeJS.ProcessEnv;
}

async function readOptional(path: string): Promise<Buffer | null> {
  try {
    // Reading a FIFO (or a device) would wait forever: only regular files are declarations.
    if (!(await stat(path)).isFile())
      throw new UsageError(
        `${basename(path)} is not a regular file — replace it with a regular file (a FIFO or device cannot be read safely)`,
      );
    return await readFile(path);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Every string in a TOML value with URL credentials stripped; the stripped secrets collected. */
function stripDeep(value: unknown, secrets: string[]): unknown {
  if (typeof value === 'string') {
    // Strings of a dependency table are URLs or PEP 508 lines (`name @ https://…`): strip each URL.
    return value.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s;,"']+/gi, (url) => {
      const s = stripCredentials(url);
      secrets.push(...s.secrets);
      return s.url;
    });
  }
  if (Array.isArray(value)) return value.map((v) => stripDeep(v, secrets));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, stripDeep(v, secrets)]));
  }
  return value;
}

function dependencyTables(doc: Record<string, unknown>): Record<string, unknown> {
  const project = (doc.project ?? {}) as Record<string, unknown>;
  const tool = (doc.tool ?? {}) as Record<string, unknown>;
  const poetry = (tool.poetry ?? {}) as Record<string, unknown>;
  const uv = (tool.uv ?? {}) as Record<string, unknown>;
  const pick = (o: Record<string, unknown>, keys: string[]) =>
    Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  return {
    'build-system': doc['build-system'] ?? null,
    project: pick(project, ['dependencies', 'optional-dependencies', 'requires-python', 'dynamic', 'name']),
    'dependency-groups': doc['dependency-groups'] ?? null,
    'tool.poetry': pick(poetry, ['dependencies', 'group', 'extras', 'source']),
    'tool.uv': pick(uv, ['sources', 'index', 'constraint-dependencies', 'override-dependencies']),
  };
}

/** Wrong types in the standard tables are the user's to fix: one line naming the field (exit 2). */
function checkPyprojectTypes(doc: Record<string, unknown>): void {
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const bad = (field: string, v: unknown, want: string) =>
    new UsageError(`pyproject.toml: ${field} must be ${want}, not ${JSON.stringify(v)?.slice(0, 40)} — fix the file`);
  const isTable = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (doc.project !== undefined && !isTable(doc.project)) throw bad('[project]', doc.project, 'a table');
  const project = (doc.project ?? {}) as Record<string, unknown>;
  if (project.dependencies !== undefined && !strings(project.dependencies))
    throw bad('[project] dependencies', project.dependencies, 'a list of requirement strings');
  const optional = project['optional-dependencies'];
  if (optional !== undefined) {
    if (!isTable(optional)) throw bad('[project.optional-dependencies]', optional, 'a table of lists');
    for (const [k, v] of Object.entries(optional))
      if (!strings(v)) throw bad(`[project.optional-dependencies] ${k}`, v, 'a list of requirement strings');
  }
  const buildSystem = doc['build-system'];
  if (buildSystem !== undefined) {
    if (!isTable(buildSystem)) throw bad('[build-system]', buildSystem, 'a table');
    if (buildSystem.requires !== undefined && !strings(buildSystem.requires))
      throw bad('[build-system] requires', buildSystem.requires, 'a list of requirement strings');
  }
}

/** uv's and Poetry's named indexes: credentials from the URL or from their tools' environment variables. */
function sourceAuth(doc: Record<string, unknown>, env: NodeJS.ProcessEnv, auth: Record<string, string>, secrets: string[]): void {
  const tool = (doc.tool ?? {}) as Record<string, unknown>;
  const envName = (n: string) => n.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const add = (list: unknown, userVar: (n: string) => string, passVar: (n: string) => string) => {
    for (const src of Array.isArray(list) ? (list as Array<Record<string, unknown>>) : []) {
      if (typeof src.url !== 'string') continue;
      const literal = userinfoOf(src.url);
      if (literal) auth[literal.origin] = literal.userinfo;
      const name = typeof src.name === 'string' ? envName(src.name) : null;
      const user = name ? env[userVar(name)] : undefined;
      const pass = name ? env[passVar(name)] : undefined;
      if (user || pass) {
        try {
          auth[new URL(stripCredentials(src.url).url).origin] = `${user ?? ''}:${pass ?? ''}`;
          if (pass) secrets.push(pass);
        } catch {
          /* not a URL */
        }
      }
    }
  };
  add(
    ((tool.uv ?? {}) as Record<string, unknown>).index,
    (n) => `UV_INDEX_${n}_USERNAME`,
    (n) => `UV_INDEX_${n}_PASSWORD`,
  );
  add(
    ((tool.poetry ?? {}) as Record<string, unknown>).source,
    (n) => `POETRY_HTTP_BASIC_${n}_USERNAME`,
    (n) => `POETRY_HTTP_BASIC_${n}_PASSWORD`,
  );
}

/** Line numbers (1-based) of a text that contain any of the secrets. */
function linesWith(text: string, secrets: string[]): number[] {
  return text
    .split('\n')
    .map((l, i) => (secrets.some((s) => l.includes(s)) ? i + 1 : 0))
    .filter(Boolean);
}

function globRegex(glob: string): RegExp {
  const body = glob
    .replace(/\/+$/, '')
    .split('/')
    .map((seg) =>
      seg === '**'
        ? '.*'
        : seg
            .replace(/[.+^$()|[\]{}\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
    )
    .join('/');
  return new RegExp(`^${body}$`);
}

/**
 * The uv workspace whose lock covers this project: the nearest ancestor with [tool.uv.workspace]
 * listing it as a member (and not excluding it), and a uv.lock next to it.
 */
async function findWorkspaceLock(projectDir: string): Promise<{ dir: string; member: string; text: string } | null> {
  let dir = dirname(projectDir);
  for (let depth = 0; depth < 8; depth++) {
    const py = await readOptional(join(dir, 'pyproject.toml'));
    if (py) {
      let doc: Record<string, unknown> | null = null;
      try {
        doc = parseToml(py.toString('utf8')) as Record<string, unknown>;
      } catch {
        doc = null;
      }
      const ws = ((doc?.tool as Record<string, unknown> | undefined)?.uv as Record<string, unknown> | undefined)?.workspace as
        Record<string, unknown> | undefined;
      if (ws) {
        const member = relative(dir, projectDir).split(sep).join('/');
        const members = ((ws.members as string[] | undefined) ?? []).map(globRegex);
        const exclude = ((ws.exclude as string[] | undefined) ?? []).map(globRegex);
        if (members.some((r) => r.test(member)) && !exclude.some((r) => r.test(member))) {
          const lock = await readOptional(join(dir, 'uv.lock'));
          return lock ? { dir, member, text: lock.toString('utf8') } : null;
        }
        return null;
      }
    }
    if (await readOptional(join(dir, '.git', 'HEAD'))) return null;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
  return null;
}

function requiresPythonOf(doc: Record<string, unknown> | null, setupCfg: Buffer | null, setupPy: Buffer | null): PythonDeclaration | null {
  const project = (doc?.project ?? {}) as Record<string, unknown>;
  if (typeof project['requires-python'] === 'string') {
    return { where: `pyproject.toml: requires-python = "${project['requires-python']}"`, spec: project['requires-python'] };
  }
  const poetryDeps = (((doc?.tool as Record<string, unknown> | undefined)?.poetry as Record<string, unknown> | undefined)?.dependencies ??
    {}) as Record<string, unknown>;
  if (typeof poetryDeps.python === 'string') {
    return { where: `pyproject.toml: [tool.poetry.dependencies] python = "${poetryDeps.python}"`, spec: poetryDeps.python };
  }
  const cfg = setupCfg ? /^\s*python_requires\s*=\s*(.+?)\s*$/m.exec(setupCfg.toString('utf8')) : null;
  if (cfg) return { where: `setup.cfg: python_requires = ${cfg[1]}`, spec: cfg[1] };
  // Only a literal string: anything computed is left to the build backend.
  const py = setupPy ? /\bpython_requires\s*=\s*(['"])([^'"]+)\1/.exec(setupPy.toString('utf8')) : null;
  if (py) return { where: `setup.py: python_requires=${py[1]}${py[2]}${py[1]}`, spec: py[2] };
  return null;
}

export async function readDeclarations(
  projectDir: string,
  requirementsFile: string | null,
  opts: DeclarationOptions = { extras: [], groups: [] },
): Promise<Declarations> {
  const env = opts.env ?? process.env;
  const reqName = requirementsFile ?? 'requirements.txt';
  const [reqBytes, setupPy, setupCfg, pyprojectBytes, uvLock, pylock, poetryLock] = await Promise.all([
    readOptional(join(projectDir, reqName)),
    readOptional(join(projectDir, 'setup.py')),
    readOptional(join(projectDir, 'setup.cfg')),
    readOptional(join(projectDir, 'pyproject.toml')),
    readOptional(join(projectDir, 'uv.lock')),
    readOptional(join(projectDir, 'pylock.toml')),
    readOptional(join(projectDir, 'poetry.lock')),
  ]);
  // The default may be absent; a file the user named must exist (a typo must not build without it).
  if (reqBytes === null && requirementsFile !== null) {
    throw new UsageError(
      `requirements file ${requirementsFile} does not exist in ${projectDir} — fix its name (--requirements, or the Action input requirements), relative to the project directory`,
    );
  }

  let requirements: RequirementsSet | null = null;
  if (reqBytes !== null) {
    try {
      requirements = await parseRequirementsFile(projectDir, reqName, env);
    } catch (err) {
      if (err instanceof RequirementsError) throw new UsageError(err.message);
      throw err;
    }
  }

  const secrets: string[] = [...(requirements?.secrets ?? [])];
  const indexAuth: Record<string, string> = { ...(requirements?.indexAuth ?? {}) };
  const literalCredentials = [...(requirements?.literalCredentials ?? [])];
  let doc: Record<string, unknown> | null = null;
  let pyproject: Record<string, unknown> | null = null;
  let pyprojectDeclaresPackage = false;
  if (pyprojectBytes !== null) {
    try {
      doc = parseToml(pyprojectBytes.toString('utf8')) as Record<string, unknown>;
    } catch (err) {
      const line = (err as { line?: number }).line;
      throw new UsageError(
        `pyproject.toml${line ? `:${line}` : ''}: invalid TOML (${(err as Error).message.split('\n')[0]}) — fix the file`,
      );
    }
    checkPyprojectTypes(doc);
    const found: string[] = [];
    pyproject = stripDeep(dependencyTables(doc), found) as Record<string, unknown>;
    const literal = [...new Set(found)];
    secrets.push(...literal);
    for (const line of linesWith(pyprojectBytes.toString('utf8'), literal)) literalCredentials.push({ file: 'pyproject.toml', line });
    sourceAuth(doc, env, indexAuth, secrets);
    const tool = (doc.tool ?? {}) as Record<string, unknown>;
    pyprojectDeclaresPackage = doc.project !== undefined || tool.poetry !== undefined;
  }

  const poetryGroups = Object.keys(
    ((((doc?.tool as Record<string, unknown> | undefined)?.poetry as Record<string, unknown> | undefined)?.group ?? {}) as Record<
      string,
      unknown
    >) ?? {},
  );
  const sel = { extras: opts.extras, groups: opts.groups, member: '.', declaredGroups: poetryGroups };
  const local: Array<[LockfileKind, Buffer | null]> = [
    ['uv.lock', uvLock],
    ['pylock.toml', pylock],
    ['poetry.lock', poetryLock],
  ];
  const hit = local.find(([, bytes]) => bytes !== null);
  let lockfile: Lockfile | null = hit ? parseLockfile(hit[0], hit[1]!.toString('utf8'), sel) : null;
  let uvLockText = hit?.[0] === 'uv.lock' ? hit[1]!.toString('utf8') : null;
  let member = '.';
  if (!lockfile) {
    const ws = await findWorkspaceLock(resolve(projectDir));
    if (ws) {
      const path = relative(projectDir, join(ws.dir, 'uv.lock')).split(sep).join('/');
      lockfile = parseLockfile('uv.lock', ws.text, { ...sel, member: ws.member }, path);
      uvLockText = ws.text;
      member = ws.member;
    }
  }
  if (lockfile && doc) {
    if (lockfile.kind === 'uv.lock' && uvLockText !== null) {
      const drift = uvLockDrift(doc, uvLockText, member);
      if (drift) throw new UsageError(`${lockfile.path} is out of date with pyproject.toml (${drift}) — run uv lock and commit it`);
    }
    if (lockfile.kind === 'poetry.lock') {
      const meta = ((parseToml(poetryLock!.toString('utf8')) as Record<string, unknown>).metadata ?? {}) as Record<string, unknown>;
      const recorded = meta['content-hash'];
      if (typeof recorded === 'string' && recorded !== poetryContentHash(doc, true) && recorded !== poetryContentHash(doc, false)) {
        throw new UsageError(
          'poetry.lock is out of date with pyproject.toml (its content-hash does not match the dependency declarations) — run poetry lock and commit it',
        );
      }
    }
  }
  if (!lockfile && opts.groups.length) {
    // Without a lock, groups are PEP 735 [dependency-groups], resolved with the rest.
    const known = Object.keys((doc?.['dependency-groups'] ?? {}) as Record<string, unknown>);
    const unknown = opts.groups.filter((g) => !known.map(normalizeName).includes(normalizeName(g)));
    if (unknown.length) {
      throw new UsageError(
        `--groups ${unknown.join(',')}: pyproject.toml has no [dependency-groups] ${unknown.map((u) => `'${u}'`).join(', ')} (it has: ${known.sort().join(', ') || 'none'}) — fix the name`,
      );
    }
  }

  const packageFile = setupPy
    ? 'setup.py'
    : pyprojectDeclaresPackage
      ? 'pyproject.toml'
      : setupCfg && /^\s*\[options\]/m.test(setupCfg.toString('utf8'))
        ? 'setup.cfg'
        : null;

  return {
    requirementsFile: reqBytes !== null ? reqName : null,
    requirements,
    setupPy,
    setupCfg,
    pyproject,
    pyprojectBytes,
    lockfile,
    packageFile,
    requiresPython: requiresPythonOf(doc, setupCfg, setupPy),
    secrets: [...new Set(secrets)],
    indexAuth,
    literalCredentials,
  };
}
