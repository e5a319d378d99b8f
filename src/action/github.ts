import { UsageError } from '../platform/errors.ts';
import { netFetch } from '../platform/net.ts';
import { PEXPRESS_VERSION } from '../platform/version.ts';

/** The few GitHub REST calls the Action makes (issue comments), over fetch. */

export interface IssueComment {
  id: number;
  body: string;
  html_url?: string;
  user?: { login: string } | null;
}

export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
  /** 401/403/404 on comment endpoints: a read-only token (fork PRs, Dependabot) or missing permission. */
  get isPermission(): boolean {
    return this.status === 401 || this.status === 403 || this.status === 404;
  }
}

export interface GitHubClientOptions {
  token: string;
  /** owner/name */
  repository: string;
  /** GITHUB_API_URL; https://api.github.com by default. */
  apiUrl?: string;
  fetch?: typeof fetch;
  /** Attempts for 5xx, 429 and network errors. */
  attempts?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
}

/** rel="next" of a Link header: `<https://…?page=2>; rel="next", <…>; rel="last"`. */
export function nextLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /^\s*<([^>]+)>\s*;(.*)$/.exec(part);
    if (m && /\brel="?([^";]*\s)?next(\s[^";]*)?"?/.test(m[2])) return m[1];
  }
  return null;
}

const DEFAULT_ATTEMPTS = 3;
/** The wait before retry n is n times this. */
const DEFAULT_RETRY_DELAY_MS = 1000;
const DEFAULT_TIMEOUT_MS = 30_000;
/** The API's largest page. */
const PER_PAGE = 100;
/** A runaway Link chain stops here (100,000 comments). */
const MAX_PAGES = 1000;

export class GitHubClient {
  private readonly base: URL;
  private readonly doFetch: typeof fetch;
  private readonly attempts: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: GitHubClientOptions) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(opts.repository))
      throw new UsageError(`GITHUB_REPOSITORY ${JSON.stringify(opts.repository)} is not owner/name`, {
        hint: 'run the Action on GitHub Actions, or set GITHUB_REPOSITORY to owner/name',
      });
    this.base = new URL((opts.apiUrl || 'https://api.github.com').replace(/\/+$/, '') + '/');
    this.doFetch = opts.fetch ?? ((url, init) => netFetch(url as string | URL, init));
    this.attempts = opts.attempts ?? DEFAULT_ATTEMPTS;
    this.retryDelayMs = opts.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private url(path: string): URL {
    return new URL(path.replace(/^\//, ''), this.base);
  }

  private async request(method: string, url: URL, body?: unknown): Promise<Response> {
    // The token goes only to the API's own origin (a Link header could name another host).
    if (url.origin !== this.base.origin)
      throw new GitHubError(`refusing to send the token to ${url.origin} (API is ${this.base.origin})`, 0);
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      let res: Response;
      try {
        res = await this.doFetch(url, {
          method,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${this.opts.token}`,
            'user-agent': `pexpress-action/${PEXPRESS_VERSION}`,
            'x-github-api-version': '2022-11-28',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (err) {
        lastError = new GitHubError(`${method} ${url.pathname}: ${(err as Error).message}`, 0);
        if (attempt < this.attempts) await sleep(this.retryDelayMs * attempt);
        continue;
      }
      if (res.ok) return res;
      const text = await res.text().catch(() => '');
      let detail = text.slice(0, 200);
      try {
        detail = (JSON.parse(text) as { message?: string }).message ?? detail;
      } catch {
        /* not JSON */
      }
      lastError = new GitHubError(`${method} ${url.pathname}: ${res.status} ${detail}`.trim(), res.status);
      const retryable = res.status >= 500 || res.status === 429;
      if (!retryable || attempt === this.attempts) break;
      await sleep(this.retryDelayMs * attempt);
    }
    throw lastError;
  }

  private issuePath(issue: number): string {
    return `repos/${this.opts.repository}/issues/${issue}/comments`;
  }

  /** Every comment of an issue or PR, following the Link header page by page (100 a page). */
  async *iterateIssueComments(issue: number): AsyncGenerator<IssueComment> {
    let url: URL | null = this.url(`${this.issuePath(issue)}?per_page=${PER_PAGE}`);
    for (let pages = 0; url && pages < MAX_PAGES; pages++) {
      const res: Response = await this.request('GET', url);
      const page = (await res.json()) as IssueComment[];
      if (!Array.isArray(page)) throw new GitHubError(`GET ${url.pathname}: expected a list of comments`, res.status);
      yield* page;
      const next = nextLink(res.headers.get('link'));
      url = next ? new URL(next, this.base) : null;
    }
  }

  async listIssueComments(issue: number): Promise<IssueComment[]> {
    const all: IssueComment[] = [];
    for await (const c of this.iterateIssueComments(issue)) all.push(c);
    return all;
  }

  /**
   * The login the token acts as, from GraphQL's `viewer` (REST `GET /user` refuses installation
   * tokens such as GITHUB_TOKEN; `viewer` answers them with the app's bot, `github-actions[bot]`).
   */
  async viewerLogin(graphqlUrl?: string): Promise<string> {
    const url = graphqlUrl ? new URL(graphqlUrl) : this.url('graphql');
    const res = await this.request('POST', url, { query: 'query { viewer { login } }' });
    const body = (await res.json()) as { data?: { viewer?: { login?: unknown } }; errors?: Array<{ message?: string }> };
    const login = body.data?.viewer?.login;
    if (typeof login !== 'string' || !login)
      throw new GitHubError(
        `POST ${url.pathname}: no viewer login${body.errors?.[0]?.message ? ` (${body.errors[0].message})` : ''}`,
        res.status,
      );
    return login;
  }

  async createIssueComment(issue: number, body: string): Promise<IssueComment> {
    return (await this.request('POST', this.url(this.issuePath(issue)), { body })).json() as Promise<IssueComment>;
  }

  async updateIssueComment(id: number, body: string): Promise<IssueComment> {
    return (
      await this.request('PATCH', this.url(`repos/${this.opts.repository}/issues/comments/${id}`), { body })
    ).json() as Promise<IssueComment>;
  }
}

/** The first comment that starts with the marker and was written by `author` (any author when null). */
export async function findComment(
  client: GitHubClient,
  issue: number,
  marker: string,
  author: string | null,
): Promise<IssueComment | null> {
  for await (const c of client.iterateIssueComments(issue)) {
    if (typeof c.body !== 'string' || !c.body.trimStart().startsWith(marker)) continue;
    // Anyone can type the marker: only the token's own comment is ours to edit.
    if (author !== null && c.user?.login !== author) continue;
    return c;
  }
  return null;
}

/**
 * One comment per marker and author: the first comment whose body starts with the marker (as
 * ours do; a quote of it does not) and that `author` (the token's identity) wrote is edited in
 * place, otherwise a new one is created. Scans every page (the marker may sit on any of them)
 * and stops at the first match.
 */
export async function upsertComment(
  client: GitHubClient,
  issue: number,
  marker: string,
  body: string,
  author: string | null = null,
): Promise<{ action: 'created' | 'updated'; comment: IssueComment }> {
  const found = await findComment(client, issue, marker, author);
  if (found) return { action: 'updated', comment: await client.updateIssueComment(found.id, body) };
  return { action: 'created', comment: await client.createIssueComment(issue, body) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
