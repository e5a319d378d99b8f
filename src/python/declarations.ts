// Reads what the project declares about its dependencies (requirements, setup.py/cfg, pyproject,
// lockfiles): the input of the fingerprint and of the resolver.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { UsageError } from '../platform/errors.ts';
import { parseLockfile, type Lockfile } from './lockfile.ts';
import { parseRequirementsFile, RequirementsError, type RequirementsSet } from './requirements.ts';

/** Everything in the project that decides what goes into deps.pex. */
export interface Declarations {
  requirementsFile: string | null;
  requirements: RequirementsSet | null;
  setupPy: Buffer | null;
  setupCfg: Buffer | null;
  /** Only the tables that declare dependencies; comments and tool config do not matter. */
  pyproject: Record<string, unknown> | null;
  /** When present it is the source of truth: installed exactly, nothing resolved. */
  lockfile: Lockfile | null;
  /** The file that declares the project's own package, whose dependencies (not itself) go to deps.pex. */
  packageFile: 'setup.py' | 'pyproject.toml' | 'setup.cfg' | null;
  secrets: string[];
}

async function readOptional(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
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

export async function readDeclarations(projectDir: string, requirementsFile = 'requirements.txt'): Promise<Declarations> {
  const [reqBytes, setupPy, setupCfg, pyprojectBytes, uvLock, pylock, poetryLock] = await Promise.all([
    readOptional(join(projectDir, requirementsFile)),
    readOptional(join(projectDir, 'setup.py')),
    readOptional(join(projectDir, 'setup.cfg')),
    readOptional(join(projectDir, 'pyproject.toml')),
    readOptional(join(projectDir, 'uv.lock')),
    readOptional(join(projectDir, 'pylock.toml')),
    readOptional(join(projectDir, 'poetry.lock')),
  ]);

  let requirements: RequirementsSet | null = null;
  if (reqBytes !== null) {
    try {
      requirements = await parseRequirementsFile(projectDir, requirementsFile);
    } catch (err) {
      if (err instanceof RequirementsError) throw new UsageError(err.message);
      throw err;
    }
  }

  let pyproject: Record<string, unknown> | null = null;
  let pyprojectDeclaresPackage = false;
  if (pyprojectBytes !== null) {
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(pyprojectBytes.toString('utf8')) as Record<string, unknown>;
    } catch (err) {
      const line = (err as { line?: number }).line;
      throw new UsageError(
        `pyproject.toml${line ? `:${line}` : ''}: invalid TOML (${(err as Error).message.split('\n')[0]}) — fix the file`,
      );
    }
    pyproject = dependencyTables(doc);
    const tool = (doc.tool ?? {}) as Record<string, unknown>;
    pyprojectDeclaresPackage = doc.project !== undefined || tool.poetry !== undefined;
  }

  const lockfile = uvLock
    ? parseLockfile('uv.lock', uvLock.toString('utf8'))
    : pylock
      ? parseLockfile('pylock.toml', pylock.toString('utf8'))
      : poetryLock
        ? parseLockfile('poetry.lock', poetryLock.toString('utf8'))
        : null;

  const packageFile = setupPy
    ? 'setup.py'
    : pyprojectDeclaresPackage
      ? 'pyproject.toml'
      : setupCfg && /^\s*\[options\]/m.test(setupCfg.toString('utf8'))
        ? 'setup.cfg'
        : null;

  return {
    requirementsFile: reqBytes !== null ? requirementsFile : null,
    requirements,
    setupPy,
    setupCfg,
    pyproject,
    lockfile,
    packageFile,
    secrets: requirements?.secrets ?? [],
  };
}
