import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { Logger } from '../platform/log.ts';
import { runProcess, type ProcessRunner } from '../platform/process.ts';
import type { Tools } from '../platform/tools.ts';
import { UsageError } from '../platform/errors.ts';
import { workDir } from '../platform/tmp.ts';
import { resolveTimeoutMs } from './resolve.ts';

/**
 * The project's own *.dist-info (METADATA with its version, entry_points.txt, RECORD), as its build
 * backend computes it (PEP 517 prepare_metadata_for_build_wheel in an isolated environment), so
 * importlib.metadata.version("myproject") and PEX_SCRIPT=<its own console script> work from
 * source.pex. Computed only when the declarations change: cached by their sha256.
 */
export interface ProjectMetadata {
  /** '<name>-<version>.dist-info' */
  dir: string;
  /** file name inside the dist-info → bytes */
  files: Record<string, Buffer>;
}

const HOOKS = `
import importlib, json, os, sys
# Backends print progress on stdout; only the answer goes there.
answer, sys.stdout = sys.stdout, sys.stderr
sys.path[:0] = json.loads(sys.argv[3])
mod, _, obj = sys.argv[2].partition(":")
backend = importlib.import_module(mod)
for part in filter(None, obj.split(".")):
    backend = getattr(backend, part)
if sys.argv[1] == "requires":
    hook = getattr(backend, "get_requires_for_build_wheel", None)
    result = list(hook()) if hook else []
else:
    out = sys.argv[4]
    hook = getattr(backend, "prepare_metadata_for_build_wheel", None)
    if hook:
        result = hook(out)
    else:
        import zipfile
        whl = backend.build_wheel(out)
        with zipfile.ZipFile(os.path.join(out, whl)) as z:
            names = [n for n in z.namelist() if n.split("/")[0].endswith(".dist-info")]
            z.extractall(out, names)
        result = names[0].split("/")[0]
answer.write(json.dumps(result) + "\\n")
`;

const KEEP = new Set(['METADATA', 'entry_points.txt', 'top_level.txt', 'WHEEL']);

function recordOf(dir: string, files: Record<string, Buffer>): Buffer {
  const lines = Object.keys(files)
    .sort()
    .map((f) => {
      const digest = createHash('sha256').update(files[f]).digest('base64url');
      return `${dir}/${f},sha256=${digest},${files[f].length}`;
    });
  return Buffer.from([...lines, `${dir}/RECORD,,`].join('\n') + '\n');
}

export async function projectMetadata(opts: {
  projectDir: string;
  /** sha256 over the declaration files: the cache key. */
  key: string;
  pyproject: Buffer | null;
  /** Found only on a cache miss: a fast build with unchanged declarations never looks for uv. */
  tools: () => Promise<Tools>;
  cacheDir: string;
  log: Logger;
  run?: ProcessRunner;
  /**
   * A second cache shared by every runner (the store): a fresh runner's fast build finds what an
   * earlier build computed instead of installing uv and running the backend. Only results are
   * shared, never a failure to compute one.
   */
  shared?: { read(): Promise<string | null>; write(text: string): Promise<void> };
}): Promise<ProjectMetadata | null> {
  const cacheFile = join(opts.cacheDir, 'project-metadata', `${opts.key}.json`);
  const decode = (text: string) => JSON.parse(text) as { dir: string | null; files: Record<string, string>; why?: string };
  try {
    let cached;
    try {
      cached = decode(await readFile(cacheFile, 'utf8'));
    } catch {
      const text = (await opts.shared?.read().catch(() => null)) ?? null;
      cached = text === null ? null : decode(text);
      if (!cached || typeof cached.dir !== 'string' || !cached.files || typeof cached.files !== 'object') throw new Error('not shared');
      await mkdir(join(opts.cacheDir, 'project-metadata'), { recursive: true });
      await writeFile(cacheFile, text!);
    }
    if (!cached.dir) {
      opts.log.warn(`the project's own metadata (*.dist-info) is not in source.pex: ${cached.why ?? 'it could not be computed'}`);
      return null;
    }
    return { dir: cached.dir, files: Object.fromEntries(Object.entries(cached.files).map(([k, v]) => [k, Buffer.from(v, 'base64')])) };
  } catch {
    /* not cached */
  }
  const run = opts.run ?? runProcess;
  const save = async (value: { dir: string | null; files: Record<string, string>; why?: string }) => {
    await mkdir(join(opts.cacheDir, 'project-metadata'), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(value));
    await rename(tmp, cacheFile);
  };
  const skip = async (why: string) => {
    opts.log.warn(`the project's own metadata (*.dist-info) is not in source.pex: ${why}`);
    await save({ dir: null, files: {}, why });
    return null;
  };
  const tools = await opts.tools();
  if (!tools.uv) return skip('computing it needs uv');
  let requires = ['setuptools>=40.8.0'];
  let backend = 'setuptools.build_meta:__legacy__';
  let backendPath: string[] = [];
  if (opts.pyproject) {
    const bs = ((parseToml(opts.pyproject.toString('utf8')) as Record<string, unknown>)['build-system'] ?? null) as Record<
      string,
      unknown
    > | null;
    if (bs) {
      requires = Array.isArray(bs.requires) ? (bs.requires as string[]) : requires;
      if (typeof bs['build-backend'] === 'string') backend = bs['build-backend'];
      else backend = 'setuptools.build_meta:__legacy__';
      backendPath = Array.isArray(bs['backend-path']) ? (bs['backend-path'] as string[]).map((p) => join(opts.projectDir, p)) : [];
    }
  }
  const work = await workDir(opts.cacheDir, 'pexpress-meta');
  try {
    const env = { ...process.env, UV_PYTHON_DOWNLOADS: 'never', UV_NO_PROGRESS: '1' };
    const uvCache = ['--cache-dir', join(opts.cacheDir, 'uv')];
    const venv = join(work, 'venv');
    const py = join(venv, 'bin', 'python');
    const step = async (cmd: string, args: string[]) => {
      const r = await run(cmd, args, { cwd: opts.projectDir, env, timeoutMs: resolveTimeoutMs() });
      if (r.timedOut) {
        throw new UsageError(
          `computing the project's metadata did not finish in ${Math.round(resolveTimeoutMs() / 1000)} s: its build backend hangs (a sleep, a prompt, a network call in setup.py?) — make it declare its metadata without side effects, or raise PEXPRESS_RESOLVE_TIMEOUT_MS`,
        );
      }
      if (r.code !== 0) throw new Error(opts.log.redact(r.stderr.trim().split('\n').slice(-2).join(' | ') || `exit ${r.code}`));
      return r.stdout;
    };
    try {
      await step(tools.uv, ['venv', '--quiet', '--python', tools.python, ...uvCache, venv]);
      if (requires.length) await step(tools.uv, ['pip', 'install', '--quiet', '--python', py, ...uvCache, ...requires]);
      const extra = JSON.parse(
        (await step(py, ['-c', HOOKS, 'requires', backend, JSON.stringify(backendPath)])).trim() || '[]',
      ) as string[];
      if (extra.length) await step(tools.uv, ['pip', 'install', '--quiet', '--python', py, ...uvCache, ...extra]);
      const out = join(work, 'meta');
      await mkdir(out);
      const dir = JSON.parse((await step(py, ['-c', HOOKS, 'metadata', backend, JSON.stringify(backendPath), out])).trim()) as string;
      const files: Record<string, Buffer> = {};
      for (const f of await readdir(join(out, dir))) if (KEEP.has(f)) files[f] = await readFile(join(out, dir, f));
      if (!files.METADATA) return skip(`the build backend wrote no METADATA`);
      files.RECORD = recordOf(dir, files);
      const value = { dir, files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.toString('base64')])) };
      await save(value);
      await opts.shared
        ?.write(JSON.stringify(value))
        .catch((err) => opts.log.warn(`cannot share the project's metadata: ${(err as Error).message}`));
      return { dir, files };
    } catch (err) {
      // A backend that hangs is the user's to fix, as when the resolver evaluates it.
      if (err instanceof UsageError) throw err;
      return skip(`its build backend failed (${(err as Error).message})`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
