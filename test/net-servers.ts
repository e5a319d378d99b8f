// Loopback network pieces for the proxy and CA tests: a forward proxy that says which connections
// it made, a PEP 503 index serving wheels from a directory, TCP "taps" that record who connected,
// TLS terminators with a certificate from a throwaway CA made by openssl.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { PYTHON, run } from './helpers.ts';

export interface Listening {
  port: number;
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

/**
 * An HTTP forward proxy: CONNECT tunnels and absolute-URI requests. `upstreamPorts` holds the local
 * port of every connection it opened, so a server can tell which of its clients came through it;
 * `seen` lists `METHOD host:port` per tunnel or forwarded request.
 */
export async function startProxy(): Promise<Listening & { seen: string[]; upstreamPorts: Set<number> }> {
  const seen: string[] = [];
  const upstreamPorts = new Set<number>();
  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? '');
    seen.push(`${req.method} ${target.host}`);
    const up = http.request(
      {
        host: target.hostname,
        port: target.port || 80,
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
        agent: false,
      },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('socket', (s) => s.on('connect', () => upstreamPorts.add(s.localPort!)));
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const up = net.connect(Number(port), host, () => {
      upstreamPorts.add(up.localPort!);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client).pipe(up);
    });
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  const sockets = track(server);
  return { port: await listen(server), seen, upstreamPorts, close: closer(server, sockets) };
}

/** Forwards TCP connections to `target` (optionally terminating TLS first); `clients` holds each
 * connecting client's port. */
export async function startTap(target: number, tlsOptions?: tls.TlsOptions): Promise<Listening & { clients: number[] }> {
  const clients: number[] = [];
  const onSocket = (s: net.Socket) => {
    clients.push(s.remotePort!);
    const up = net.connect(target, '127.0.0.1');
    s.pipe(up).pipe(s);
    up.on('error', () => s.destroy());
    s.on('error', () => up.destroy());
  };
  const server = tlsOptions ? tls.createServer(tlsOptions, onSocket) : net.createServer(onSocket);
  const sockets = track(server);
  return { port: await listen(server), clients, close: closer(server, sockets) };
}

/** A PEP 503 simple index of the wheels in `dir` (links carry #sha256=). */
export async function startIndex(dir: string): Promise<Listening> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const wheels = (await readdir(dir)).filter((f) => f.endsWith('.whl'));
      const norm = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');
      const project = /^\/simple\/([^/]+)\/?$/.exec(path)?.[1];
      if (project) {
        const mine = wheels.filter((w) => norm(w.split('-')[0]) === norm(project));
        if (!mine.length) return void res.writeHead(404).end();
        const links = await Promise.all(
          mine.map(
            async (w) =>
              `<a href="/files/${w}#sha256=${createHash('sha256')
                .update(await readFile(join(dir, w)))
                .digest('hex')}">${w}</a>`,
          ),
        );
        res.writeHead(200, { 'content-type': 'text/html' }).end(`<!DOCTYPE html><html><body>${links.join('\n')}</body></html>`);
      } else if (path.startsWith('/files/') && wheels.includes(path.slice(7))) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(await readFile(join(dir, path.slice(7))));
      } else res.writeHead(404).end();
    })();
  });
  const sockets = track(server);
  return { port: await listen(server), close: closer(server, sockets) };
}

/** A real pure-Python wheel `name==version` (module `name` with VALUE = 42) written into `dir`. */
export async function makeWheel(dir: string, name: string, version: string): Promise<string> {
  const script = `
import base64, hashlib, sys, zipfile
d, name, ver = sys.argv[1:4]
whl = "%s-%s-py3-none-any.whl" % (name, ver)
info = "%s-%s.dist-info" % (name, ver)
files = {name + "/__init__.py": b"VALUE = 42\\n",
         info + "/METADATA": ("Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\n" % (name, ver)).encode(),
         info + "/WHEEL": b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"}
rec = []
with zipfile.ZipFile(d + "/" + whl, "w") as z:
    for p, data in files.items():
        z.writestr(p, data)
        rec.append("%s,sha256=%s,%d" % (p, base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode(), len(data)))
    z.writestr(info + "/RECORD", "\\n".join(rec + [info + "/RECORD,,"]) + "\\n")
print(whl)
`;
  const r = await run(PYTHON, ['-c', script, dir, name, version]);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

/** A throwaway CA and a server certificate it signed for 127.0.0.1 and localhost (openssl). */
export async function makeCa(dir: string): Promise<{ caPem: string; key: string; cert: string }> {
  const ssl = async (args: string[]) => {
    const r = await run('openssl', args, { cwd: dir });
    if (r.code !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  };
  await ssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=pexpress test CA',
  ]);
  await ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  await writeFile(
    join(dir, 'san.cnf'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  await ssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.cnf',
  ]);
  return {
    caPem: await readFile(join(dir, 'ca.pem'), 'utf8'),
    key: await readFile(join(dir, 'server.key'), 'utf8'),
    cert: await readFile(join(dir, 'server.pem'), 'utf8'),
  };
}
