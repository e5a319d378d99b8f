import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GitHubClient, GitHubError, nextLink, upsertComment } from '../src/action/github.ts';
import { REPO, TOKEN } from './action-helpers.ts';
import { startGitHubServer, type GitHubServer } from './github-server.ts';

describe('GitHub client', () => {
  let gh: GitHubServer;
  before(async () => {
    gh = await startGitHubServer({ repository: REPO, token: TOKEN });
  });
  after(() => gh.close());

  test('lists every page through the Link header, 100 a page', async () => {
    gh.seed(1, 230);
    const client = new GitHubClient({ token: TOKEN, repository: REPO, apiUrl: gh.url });
    const all = await client.listIssueComments(1);
    assert.equal(all.length, 230);
    const gets = gh.calls.filter((c) => c.method === 'GET');
    assert.deepEqual(
      gets.map((c) => [c.query.per_page, c.query.page ?? '1']),
      [
        ['100', '1'],
        ['100', '2'],
        ['100', '3'],
      ],
    );
    assert.ok(gets.every((c) => c.authorization === `Bearer ${TOKEN}`));
  });

  test('upsert: creates once, then edits the comment carrying the marker (on the last page), ignores quotes of it', async () => {
    const client = new GitHubClient({ token: TOKEN, repository: REPO, apiUrl: gh.url });
    gh.seed(2, 150);
    const first = await upsertComment(client, 2, '<!-- pexpress:a -->', '<!-- pexpress:a -->\nv1');
    assert.equal(first.action, 'created');
    gh.seed(2, 60, () => '> quoting <!-- pexpress:a --> here');
    const second = await upsertComment(client, 2, '<!-- pexpress:a -->', '<!-- pexpress:a -->\nv2');
    assert.equal(second.action, 'updated');
    assert.equal(second.comment.id, first.comment.id);
    const other = await upsertComment(client, 2, '<!-- pexpress:ab -->', '<!-- pexpress:ab -->\nother');
    assert.equal(other.action, 'created');
    const ours = gh.commentsOf(2).filter((c) => c.body.startsWith('<!-- pexpress:'));
    assert.deepEqual(
      ours.map((c) => c.body),
      ['<!-- pexpress:a -->\nv2', '<!-- pexpress:ab -->\nother'],
    );
  });

  test('403 is a permission error; a Link to another host never gets the token', async () => {
    gh.mode = 'forbidden';
    try {
      const client = new GitHubClient({ token: TOKEN, repository: REPO, apiUrl: gh.url });
      await assert.rejects(
        client.createIssueComment(3, 'x'),
        (e: GitHubError) => e instanceof GitHubError && e.status === 403 && e.isPermission && /Resource not accessible/.test(e.message),
      );
    } finally {
      gh.mode = 'ok';
    }
    const seen: string[] = [];
    const fake: typeof fetch = async (url) => {
      seen.push(String(url));
      return new Response('[]', { status: 200, headers: { link: '<https://evil.example/steal?page=2>; rel="next"' } });
    };
    const client = new GitHubClient({ token: TOKEN, repository: REPO, apiUrl: 'https://api.github.com', fetch: fake });
    await assert.rejects(client.listIssueComments(1), /refusing to send the token to https:\/\/evil\.example/);
    assert.equal(seen.length, 1);
  });

  test('retries 5xx and network errors, not 4xx', async () => {
    let n = 0;
    const flaky: typeof fetch = async () => {
      n++;
      if (n === 1) throw new TypeError('fetch failed');
      if (n === 2) return new Response('{"message":"Server Error"}', { status: 502 });
      return new Response('{"id":5,"body":"ok"}', { status: 201 });
    };
    const client = new GitHubClient({ token: TOKEN, repository: REPO, fetch: flaky, retryDelayMs: 1 });
    assert.equal((await client.createIssueComment(1, 'ok')).id, 5);
    assert.equal(n, 3);
    let m = 0;
    const notFound: typeof fetch = async () => (m++, new Response('{"message":"Not Found"}', { status: 404 }));
    await assert.rejects(
      new GitHubClient({ token: TOKEN, repository: REPO, fetch: notFound, retryDelayMs: 1 }).listIssueComments(1),
      /404 Not Found/,
    );
    assert.equal(m, 1);
  });

  test('Link header parsing', () => {
    assert.equal(nextLink('<https://a/x?page=3>; rel="next", <https://a/x?page=9>; rel="last"'), 'https://a/x?page=3');
    assert.equal(nextLink('<https://a/x?page=1>; rel="prev", <https://a/x?page=1>; rel="first"'), null);
    assert.equal(nextLink(null), null);
  });
});
