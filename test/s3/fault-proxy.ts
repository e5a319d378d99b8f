import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type Fault = { kind: 'status'; status: number; code: string } | { kind: 'reset' } | { kind: 'delay'; ms: number };

export interface Rule {
  /** Which requests: method and a test on the URL (path + query). */
  match: (method: string, url: string) => boolean;
  fault: Fault;
  /** How many matching requests get the fault (Infinity: all). */
  times: number;
}

/**
 * A loopback HTTP proxy in front of an S3 server that a test steers: 503 SlowDown bursts, 500s,
 * connections reset halfway through a request body, slow answers, a permanent 403.
 */
export class FaultProxy {
  readonly rules: Rule[] = [];
  readonly log: Array<{ method: string; url: string; headers: IncomingMessage['headers']; fault: string | null }> = [];
  private server: Server | null = null;
  endpoint = '';

  constructor(private readonly upstream: string) {}

  add(rule: Rule): void {
    this.rules.push(rule);
  }

  clear(): void {
    this.rules.length = 0;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const rule = this.rules.find((r) => r.times > 0 && r.match(method, url));
    if (rule) rule.times--;
    this.log.push({
      method,
      url,
      headers: req.headers,
      fault: rule ? rule.fault.kind + ('status' in rule.fault ? rule.fault.status : '') : null,
    });
    const fault = rule?.fault;
    if (fault?.kind === 'status') {
      req.resume();
      req.on('end', () => {
        const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.code}</Code><Message>injected by the test</Message></Error>`;
        res.writeHead(fault.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
      return;
    }
    if (fault?.kind === 'reset') {
      // Take part of the body, then drop the connection: the client sees ECONNRESET mid-upload.
      let seen = 0;
      req.on('data', (c: Buffer) => {
        seen += c.length;
        if (seen > 64 * 1024) req.socket.destroy();
      });
      req.on('end', () => req.socket.destroy());
      return;
    }
    const forward = () => {
      const up = new URL(this.upstream);
      const out = request({ host: up.hostname, port: up.port, method, path: url, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      out.on('error', () => res.destroy());
      req.pipe(out);
    };
    if (fault?.kind === 'delay') setTimeout(forward, fault.ms);
    else forward();
  }
}
