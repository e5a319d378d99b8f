import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runProcess, type ProcessRunner } from '../platform/process.ts';

/**
 * setup.py's dependency declarations, read without running it: Python's own parser (ast) and
 * literal_eval on the setup() keywords that decide deps.pex. When one of them is computed (read from
 * a file, built in a loop) the bytes of setup.py have to count instead, and the reason says why.
 */
export type SetupPyDeps = { deps: Record<string, unknown> } | { computed: string };

const READER = `
import ast, json, sys
KEYS = ("install_requires", "extras_require", "python_requires", "setup_requires", "dependency_links")
def main(path):
    tree = ast.parse(open(path, "rb").read(), path)
    names = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                names[node.targets[0].id] = ast.literal_eval(node.value)
            except Exception:
                names.pop(node.targets[0].id, None)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", None)) == "setup"]
    if len(calls) != 1:
        return {"computed": "it has %d setup() calls" % len(calls)}
    out = {}
    for kw in calls[0].keywords:
        if kw.arg is None:
            return {"computed": "setup() takes **kwargs (line %d)" % kw.value.lineno}
        if kw.arg not in KEYS:
            continue
        try:
            out[kw.arg] = ast.literal_eval(kw.value)
        except Exception:
            if isinstance(kw.value, ast.Name) and kw.value.id in names:
                out[kw.arg] = names[kw.value.id]
            else:
                return {"computed": "%s is computed (line %d)" % (kw.arg, kw.value.lineno)}
    return {"deps": out}
try:
    print(json.dumps(main(sys.argv[1]), sort_keys=True, default=list))
except SyntaxError as e:
    print(json.dumps({"computed": "it does not parse (line %s)" % e.lineno}))
`;

/** Cached by setup.py's sha256: a fast build pays one small file read, not a Python start. */
export async function readSetupPyDeps(
  projectDir: string,
  sha256: string,
  python: string,
  cacheDir: string,
  run: ProcessRunner = runProcess,
): Promise<SetupPyDeps> {
  const cached = join(cacheDir, 'setup-py', `${sha256}.json`);
  try {
    return JSON.parse(await readFile(cached, 'utf8')) as SetupPyDeps;
  } catch {
    /* not cached yet */
  }
  let result: SetupPyDeps;
  try {
    const r = await run(python, ['-I', '-c', READER, join(projectDir, 'setup.py')]);
    result = r.code === 0 ? (JSON.parse(r.stdout) as SetupPyDeps) : { computed: `${python} could not read it` };
  } catch {
    return { computed: `${python} could not be started to read it` };
  }
  await mkdir(join(cacheDir, 'setup-py'), { recursive: true });
  const tmp = `${cached}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(result));
  await rename(tmp, cached);
  return result;
}
