import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the GitHub REST endpoints the Action uses (issue comments), close
 * enough to the real thing: per_page (default 30, max 100) and page, a Link header with
 * next/last/prev/first as absolute URLs, 201 on create, 200 on update, 401 without the token,
 * 404 for unknown repos, issues and comment ids, 403 when switched to read-only.
 */

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
  status: number;
}

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: string };
  created_at: string;
  updated_at: string;
}

export interface GitHubServer {
  url: string;
  calls: RecordedCall[];
  comments: StoredComment[];
  /** 'ok', or 'forbidden' to answer 403 as GitHub does for a read-only token. */
  mode: 'ok' | 'forbidden';
  /** Adds n comments by other users to an issue (to push ours onto a later page); `login` names their author. */
  seed(issue: number, n: number, body?: (i: number) => string, login?: string): void;
  commentsOf(issue: number): StoredComment[];
  close(): Promise<void>;
}

export async function startGitHubServer(opts: { repository: string; token: string; botLogin?: string }): Promise<GitHubServer> {
  let nextId = 1000;
  const bot = opts.botLogin ?? 'github-actions[bot]';
  const now = () => new Date().toISOString();
  const state: Omit<GitHubServer, 'url' | 'close' | 'seed' | 'commentsOf'> = { calls: [], comments: [], mode: 'ok' };

  const send = (res: ServerResponse, call: RecordedCall, status: number, body: unknown, headers: Record<string, string> = {}) => {
    call.status = status;
    state.calls.push(call);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const view = (c: StoredComment, base: string) => ({
    id: c.id,
    body: c.body,
    user: c.user,
    created_at: c.created_at,
    updated_at: c.updated_at,
    html_url: `https://github.com/${opts.repository}/pull/${c.issue}#issuecomment-${c.id}`,
    url: `${base}/repos/${opts.repository}/issues/comments/${c.id}`,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse, base: string) => {
    const u = new URL(req.url ?? '/', base);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      body,
      authorization: req.headers.authorization,
      status: 0,
    };
    if (req.headers.authorization !== `Bearer ${opts.token}`) return send(res, call, 401, { message: 'Bad credentials' });
    // Who the token is, as GitHub answers an installation token (GITHUB_TOKEN): GraphQL's viewer
    // is its bot, REST's /user is refused.
    if (u.pathname === '/graphql' && req.method === 'POST') {
      const q = String((body as { query?: unknown })?.query ?? '');
      if (!/\bviewer\s*\{\s*login\s*\}/.test(q)) return send(res, call, 200, { errors: [{ message: 'unsupported query' }] });
      return send(res, call, 200, { data: { viewer: { login: bot } } });
    }
    if (u.pathname === '/user') return send(res, call, 403, { message: 'Resource not accessible by integration' });
    const repo = `/repos/${opts.repository}/`;
    if (!u.pathname.startsWith(repo)) return send(res, call, 404, { message: 'Not Found' });
    const rest = u.pathname.slice(repo.length);
    const list = /^issues\/(\d+)\/comments$/.exec(rest);
    const one = /^issues\/comments\/(\d+)$/.exec(rest);
    const writing = req.method !== 'GET';

    if (state.mode === 'forbidden' && (writing || list || one)) {
      return send(res, call, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' });
    }
    if (list && req.method === 'GET') {
      const issue = Number(list[1]);
      const perPage = Math.min(100, Math.max(1, Number(u.searchParams.get('per_page') ?? 30) || 30));
      const page = Math.max(1, Number(u.searchParams.get('page') ?? 1) || 1);
      const all = state.comments.filter((c) => c.issue === issue);
      const pages = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number, rel: string) => {
        const q = new URLSearchParams(u.searchParams);
        q.set('per_page', String(perPage));
        q.set('page', String(p));
        return `<${base}${u.pathname}?${q}>; rel="${rel}"`;
      };
      const links: string[] = [];
      if (page > 1) links.push(link(page - 1, 'prev'));
      if (page < pages) links.push(link(page + 1, 'next'), link(pages, 'last'));
      if (page > 1) links.push(link(1, 'first'));
      const slice = all.slice((page - 1) * perPage, page * perPage).map((c) => view(c, base));
      return send(res, call, 200, slice, links.length ? { link: links.join(', ') } : {});
    }
    if (list && req.method === 'POST') {
      const text = (body as { body?: unknown })?.body;
      if (typeof text !== 'string') return send(res, call, 422, { message: 'Invalid request: body is required' });
      const c: StoredComment = {
        id: nextId++,
        issue: Number(list[1]),
        body: text,
        user: { login: bot, type: 'Bot' },
        created_at: now(),
        updated_at: now(),
      };
      state.comments.push(c);
      return send(res, call, 201, view(c, base));
    }
    if (one && req.method === 'PATCH') {
      const c = state.comments.find((x) => x.id === Number(one[1]));
      if (!c) return send(res, call, 404, { message: 'Not Found' });
      const text = (body as { body?: unknown })?.body;
      if (typeof text !== 'string') return send(res, call, 422, { message: 'Invalid request: body is required' });
      c.body = text;
      c.updated_at = now();
      return send(res, call, 200, view(c, base));
    }
    return send(res, call, 404, { message: 'Not Found' });
  };

  let base = '';
  const server: Server = createServer((req, res) => {
    handle(req, res, base).catch((err) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return Object.assign(state, {
    url: base,
    seed(issue: number, n: number, body: (i: number) => string = (i) => `comment ${i} from a reviewer`, login?: string) {
      for (let i = 0; i < n; i++) {
        state.comments.push({
          id: nextId++,
          issue,
          body: body(i),
          user: { login: login ?? `reviewer${i % 3}`, type: login?.endsWith('[bot]') ? 'Bot' : 'User' },
          created_at: now(),
          updated_at: now(),
        });
      }
    },
    commentsOf(issue: number) {
      return state.comments.filter((c) => c.issue === issue);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}
