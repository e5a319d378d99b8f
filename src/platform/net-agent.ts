import * as http from 'node:http';
import * as https from 'node:https';
import { Agent as BaseAgent } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { extraCa, needsDispatcher, proxyFor } from './net.ts';

// Imported by the S3 store only (so it lands in the lazily loaded S3 chunk, not in every start-up).

/**
 * An http(s).Agent for the AWS SDK's request handler when a proxy or SSL_CERT_FILE is set (else
 * null: the SDK's default handler). Per request: NO_PROXY hosts directly, https targets through a
 * CONNECT tunnel (https-proxy-agent), http targets as absolute-URI requests (http-proxy-agent),
 * which is what proxies that only allow CONNECT to port 443 expect.
 */
export function proxyAgent(env: NodeJS.ProcessEnv = process.env): http.Agent | null {
  if (!needsDispatcher(env)) return null;
  const ca = extraCa(env);
  const common = { keepAlive: true, maxSockets: 50, ...(ca ? { ca } : {}) };
  const directHttp = new http.Agent(common);
  const directHttps = new https.Agent(common);
  const proxied = new Map<string, http.Agent>();
  class EnvProxyAgent extends BaseAgent {
    connect(_req: unknown, opts: { secureEndpoint: boolean; host?: string | null; port?: number | null }) {
      const url = new URL(`${opts.secureEndpoint ? 'https' : 'http'}://${opts.host}:${opts.port}`);
      const proxy = proxyFor(url, env);
      if (!proxy) return opts.secureEndpoint ? directHttps : directHttp;
      const key = `${url.protocol}${proxy.href}`;
      let agent = proxied.get(key);
      if (!agent) {
        agent = opts.secureEndpoint ? new HttpsProxyAgent(proxy, common) : new HttpProxyAgent(proxy, common);
        proxied.set(key, agent);
      }
      return agent;
    }
  }
  // The CA goes on the outer agent too: its options are merged into every request's options, which
  // is where https-proxy-agent takes the TLS settings for the tunnelled connection from.
  return new EnvProxyAgent(common);
}
