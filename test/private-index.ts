import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PYTHON, ROOT, run, tempDir, cleanup } from './helpers.ts';

/** A real pypiserver on loopback behind basic auth, serving small wheels made for the test. */
export interface PrivateIndex {
  port: number;
  /** http://127.0.0.1:PORT/simple/ without credentials. */
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const MAKE_WHEEL = `
import base64, hashlib, sys, zipfile
dist, version, module = sys.argv[2], sys.argv[3], sys.argv[4]
name = "%s-%s-py3-none-any.whl" % (dist, version)
info = "%s-%s.dist-info" % (dist, version)
files = {module + "/__init__.py": ("VERSION = %r\\n" % version).encode(),
         info + "/METADATA": ("Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\n" % (dist.replace("_", "-"), version)).encode(),
         info + "/WHEEL": b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"}
rec = []
with zipfile.ZipFile(sys.argv[1] + "/" + name, "w") as z:
    for p, d in files.items():
        z.writestr(p, d)
        rec.append("%s,sha256=%s,%d" % (p, base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b"=").decode(), len(d)))
    z.writestr(info + "/RECORD", "\\n".join(rec + [info + "/RECORD,,"]) + "\\n")
`;

export async function startPrivateIndex(
  users: Record<string, string>,
  wheels: Array<{ dist: string; version: string; module: string }>,
): Promise<PrivateIndex> {
  const work = await tempDir('pexpress-index-');
  const pkgs = join(work, 'packages');
  await mkdir(pkgs);
  for (const w of wheels) {
    const r = await run(PYTHON, ['-c', MAKE_WHEEL, pkgs, w.dist, w.version, w.module]);
    assert.equal(r.code, 0, r.stderr);
  }
  const htpasswd = join(work, 'htpasswd');
  const h = await run(join(ROOT, '.venv', 'bin', 'python'), [
    '-c',
    `import json,sys\nfrom passlib.apache import HtpasswdFile\nh = HtpasswdFile(sys.argv[1], new=True)\nfor u, p in json.loads(sys.argv[2]).items(): h.set_password(u, p)\nh.save()`,
    htpasswd,
    JSON.stringify(users),
  ]);
  assert.equal(h.code, 0, h.stderr);
  const port = await freePort();
  const bin = process.env.PEXPRESS_TEST_PYPISERVER ?? join(ROOT, '.venv', 'bin', 'pypi-server');
  const server: ChildProcess = spawn(
    bin,
    ['run', '-i', '127.0.0.1', '-p', String(port), '-P', htpasswd, '-a', 'download,list,update', pkgs],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100; i++) {
    if (await fetch(`http://127.0.0.1:${port}/simple/`).catch(() => null)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const denied = await fetch(`http://127.0.0.1:${port}/simple/`);
  assert.equal(denied.status, 401, 'the index really needs credentials');
  return {
    port,
    url: `http://127.0.0.1:${port}/simple/`,
    async stop() {
      server.kill();
      await cleanup(work);
    },
  };
}
