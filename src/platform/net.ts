import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { UsageError } from './errors.ts';

/**
 * The network as a corporate machine sees it: HTTPS_PROXY/HTTP_PROXY/NO_PROXY (either case) and
 * internal CAs (NODE_EXTRA_CA_CERTS, which Node reads itself, and SSL_CERT_FILE, which it does not).
 * Every request pexpress makes itself goes through `netFetch` (wheel downloads, the GitHub API) or
 * `s3Agent` (the AWS SDK); uv and pip read the same variables from the environment they inherit,
 * and `toolTrustEnv` gives them the CA files Node was told about.
 */

type Env = NodeJS.ProcessEnv;

function envVar(env: Env, name: string): string | undefined {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;
}

/** Which spelling of a variable is set (for messages). */
function envName(env: Env, name: string): string {
  return env[name.toLowerCase()] ? name.toLowerCase() : name.toUpperCase();
}

/** True when NO_PROXY exempts host[:port]: `*`, exact names, domain suffixes (`example.com`,
 * `.example.com`, `*.example.com` all match `api.example.com`), optionally with a port. */
export function bypassesProxy(url: URL, env: Env = process.env): boolean {
  const list = envVar(env, 'no_proxy');
  if (!list) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of list.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    let entryPort = '';
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (m) [, entry, entryPort] = m;
    entry = entry.replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (entryPort && entryPort !== port) continue;
    if (host === entry || host.endsWith('.' + entry)) return true;
  }
  return false;
}

/** The proxy URL for a request to `url`, or null to connect directly. */
export function proxyFor(url: URL, env: Env = process.env): URL | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const name = url.protocol === 'https:' ? 'https_proxy' : 'http_proxy';
  const raw = envVar(env, name);
  if (!raw || bypassesProxy(url, env)) return null;
  let proxy: URL | null = null;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {}
  if (!proxy || !/^https?:$/.test(proxy.protocol) || !proxy.hostname)
    throw new UsageError(`${envName(env, name)}=${redactProxy(raw)} is not a proxy URL — set it to http://host:port (or unset it)`);
  return proxy;
}

/** A proxy URL fit for messages: no credentials. */
export function redactProxy(proxy: string | URL): string {
  return String(proxy).replace(/\/\/[^@/]*@/, '//');
}

/**
 * The CA list for TLS when Node's own defaults are not enough (SSL_CERT_FILE names a bundle Node
 * does not read), else null. Node's roots and NODE_EXTRA_CA_CERTS stay in: an explicit `ca`
 * replaces Node's default list, and SSL_CERT_FILE is meant to add trust here, not take it away.
 */
export function extraCa(env: Env = process.env): string[] | null {
  const file = env.SSL_CERT_FILE;
  if (!file) return null;
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new UsageError(
        `${what}=${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}) — point it at a PEM bundle or unset it`,
      );
    }
  };
  const ca = [...rootCertificates, read(file, 'SSL_CERT_FILE')];
  if (env.NODE_EXTRA_CA_CERTS) ca.push(read(env.NODE_EXTRA_CA_CERTS, 'NODE_EXTRA_CA_CERTS'));
  return ca;
}

/**
 * Whether requests need more than Node's built-in fetch: a proxy variable or SSL_CERT_FILE. A
 * malformed proxy URL is a UsageError here, before any request (and its retries) is made.
 */
export function needsDispatcher(env: Env): boolean {
  const proxied = !!(envVar(env, 'https_proxy') || envVar(env, 'http_proxy'));
  if (proxied)
    for (const scheme of ['https', 'http']) proxyFor(new URL(`${scheme}://pexpress.invalid/`), { ...env, no_proxy: '', NO_PROXY: '' });
  return proxied || !!env.SSL_CERT_FILE;
}

type UndiciFetch = (url: string | URL, init?: RequestInit & { dispatcher?: unknown }) => Promise<Response>;
type Dispatchers = { fetch: UndiciFetch; direct: unknown; proxied: Map<string, unknown>; make: (proxy: URL) => unknown };
/** Per CA setting (tests change the environment between calls; a CLI run never does). */
const loaded = new Map<string, Promise<Dispatchers>>();

async function loadUndici(env: Env): Promise<Dispatchers> {
  // undici is loaded only when needed (it is a shared chunk, already parsed when the Action
  // restores its cache): a plain machine keeps Node's built-in fetch and its start-up time.
  const mod = await import('undici');
  // undici is CommonJS: bundled, its exports arrive as the default export.
  const { fetch, Agent, ProxyAgent } = ((mod as unknown as { default?: typeof mod }).default ?? mod) as typeof mod;
  const ca = extraCa(env);
  const tls = ca ? { ca } : {};
  return {
    fetch: fetch as unknown as UndiciFetch,
    direct: new Agent({ connect: tls }),
    proxied: new Map(),
    make: (proxy) => new ProxyAgent({ uri: proxy.href, requestTls: tls, proxyTls: tls }),
  };
}

/** fetch() for everything pexpress requests itself, honouring the proxy and CA settings. */
export async function netFetch(input: string | URL, init: RequestInit = {}, env: Env = process.env): Promise<Response> {
  if (!needsDispatcher(env)) return fetch(input, init);
  const key = `${env.SSL_CERT_FILE ?? ''}\n${env.NODE_EXTRA_CA_CERTS ?? ''}`;
  if (!loaded.has(key)) loaded.set(key, loadUndici(env));
  const d = await loaded.get(key)!;
  const url = new URL(input);
  const proxy = proxyFor(url, env);
  let dispatcher = d.direct;
  if (proxy) {
    if (!d.proxied.has(proxy.href)) d.proxied.set(proxy.href, d.make(proxy));
    dispatcher = d.proxied.get(proxy.href);
  }
  try {
    return await d.fetch(url, { ...init, dispatcher });
  } catch (err) {
    // fetch's own message is a bare "fetch failed": say which connection failed.
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if ((err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError' || !cause) throw err;
    const via = proxy ? ` via the proxy ${redactProxy(proxy.origin)}` : '';
    throw new Error(`${cause.code ?? cause.message ?? 'network error'} connecting to ${url.host}${via}`, { cause: err });
  }
}

/**
 * Environment additions for uv and pip so they trust what Node was told to trust. Both read
 * SSL_CERT_FILE (pip also PIP_CERT), and for both it replaces their roots: a CA given only as
 * NODE_EXTRA_CA_CERTS goes into a bundle with Node's roots, written once under `dir`.
 */
export function toolTrustEnv(env: Env, dir: string): Env {
  if (env.SSL_CERT_FILE) return env.PIP_CERT ? {} : { PIP_CERT: env.SSL_CERT_FILE };
  if (!env.NODE_EXTRA_CA_CERTS) return {};
  let extra: string;
  try {
    extra = readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8');
  } catch {
    return {}; // Node itself warned at start-up that it cannot read the file
  }
  const pem = [...rootCertificates, extra].join('\n') + '\n';
  const bundle = join(dir, `${createHash('sha256').update(pem).digest('hex').slice(0, 16)}.pem`);
  if (!existsSync(bundle)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${bundle}.${process.pid}.tmp`;
    writeFileSync(tmp, pem);
    renameSync(tmp, bundle);
  }
  return { SSL_CERT_FILE: bundle, ...(env.PIP_CERT ? {} : { PIP_CERT: bundle }) };
}
