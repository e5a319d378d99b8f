import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GitHubClient } from '../src/action/github.ts';
import { bypassesProxy, proxyFor } from '../src/platform/net.ts';
import { startGitHubServer } from './github-server.ts';
import { makeCa, makeWheel, startIndex, startProxy, startTap, type Listening } from './net-servers.ts';
import { startMoto, type S3Server } from './s3/moto.ts';
import { CLI, cleanup, run, tempDir, type Ran } from './helpers.ts';

describe('proxy settings', () => {
  test('HTTPS_PROXY/HTTP_PROXY by scheme, either case, NO_PROXY by host, domain suffix or host:port', () => {
    const env = {
      https_proxy: 'http://user:pw@proxy.corp:3128',
      HTTP_PROXY: 'proxy.corp:8080',
      NO_PROXY: 'localhost, .internal.corp,s3.local:9000',
    };
    assert.equal(proxyFor(new URL('https://pypi.org/simple/'), env)?.href, 'http://user:pw@proxy.corp:3128/');
    assert.equal(proxyFor(new URL('http://files.example/x.whl'), env)?.href, 'http://proxy.corp:8080/');
    assert.equal(proxyFor(new URL('http://localhost:9000/'), env), null);
    assert.equal(proxyFor(new URL('https://pypi.internal.corp/'), env), null);
    assert.equal(proxyFor(new URL('https://internal.corp/'), env), null);
    assert.equal(proxyFor(new URL('http://s3.local:9000/b'), env), null);
    assert.ok(proxyFor(new URL('http://s3.local:9001/b'), env), 'a port in NO_PROXY exempts that port only');
    assert.ok(!bypassesProxy(new URL('https://notinternal.corp/'), env));
    assert.equal(proxyFor(new URL('https://pypi.org/'), { ...env, no_proxy: '*' }), null);
    assert.equal(proxyFor(new URL('https://pypi.org/'), {}), null);
  });
});

test('a malformed proxy URL or an unreadable SSL_CERT_FILE is one line, exit 2, credentials not shown', async () => {
  const s3 = ['lookup', 'abcd', '--store', 's3://bucket/p', '--s3-endpoint', 'http://127.0.0.1:9'];
  const aws = { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_REGION: 'us-east-1' };
  const cases: [NodeJS.ProcessEnv, RegExp][] = [
    [
      { ...CLEAR, HTTP_PROXY: 'http://user:hunter2@[broken' },
      /^pexpress: HTTP_PROXY=http:\/\/\[broken is not a proxy URL — set it to http:\/\/host:port \(or unset it\)\n$/,
    ],
    [{ ...CLEAR, https_proxy: 'socks5://127.0.0.1:1080' }, /^pexpress: https_proxy=socks5:\/\/127\.0\.0\.1:1080 is not a proxy URL/],
    [
      { ...CLEAR, SSL_CERT_FILE: '/nonexistent/ca.pem' },
      /^pexpress: SSL_CERT_FILE=\/nonexistent\/ca\.pem cannot be read \(ENOENT\) — point it at a PEM bundle or unset it\n$/,
    ],
  ];
  for (const [env, message] of cases) {
    const r = await cli(s3, { ...aws, ...env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
  }
});

/** A project depending on one wheel that only the loopback index has. */
async function project(dir: string, indexUrl: string): Promise<string> {
  await mkdir(join(dir, 'src', 'app'), { recursive: true });
  await writeFile(join(dir, 'requirements.txt'), `--index-url ${indexUrl}\nnetdemo==1.0\n`);
  await writeFile(join(dir, 'src', 'app', '__init__.py'), '');
  await writeFile(join(dir, 'src', 'app', 'main.py'), 'import netdemo\n\ndef main():\n    print("netdemo", netdemo.VALUE)\n');
  return dir;
}

/** pexpress with exactly this environment on top of the test's: `undefined` unsets a variable. */
function cli(args: string[], overrides: NodeJS.ProcessEnv): Promise<Ran> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...overrides };
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete env[k];
  return run(process.execPath, [CLI, ...args], { env, cleanEnv: true });
}

/** No proxy or index settings from the machine leak in; its CA settings stay unless a test sets them. */
const CLEAR: NodeJS.ProcessEnv = {
  HTTPS_PROXY: undefined,
  https_proxy: undefined,
  HTTP_PROXY: undefined,
  http_proxy: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined,
  ALL_PROXY: undefined,
  all_proxy: undefined,
  UV_NATIVE_TLS: undefined,
  PIP_INDEX_URL: undefined,
  PIP_EXTRA_INDEX_URL: undefined,
  PIP_FIND_LINKS: undefined,
  UV_INDEX_URL: undefined,
  UV_EXTRA_INDEX_URL: undefined,
  UV_FIND_LINKS: undefined,
};

describe('through an HTTP proxy', () => {
  let work: string;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let index: Listening;
  let indexTap: Awaited<ReturnType<typeof startTap>>;
  let moto: S3Server;
  let s3Tap: Awaited<ReturnType<typeof startTap>>;

  before(async () => {
    work = await tempDir('pexpress-proxy-');
    await mkdir(join(work, 'wheels'));
    await makeWheel(join(work, 'wheels'), 'netdemo', '1.0');
    index = await startIndex(join(work, 'wheels'));
    indexTap = await startTap(index.port);
    moto = await startMoto();
    await moto.createBucket('proxied');
    s3Tap = await startTap(Number(new URL(moto.endpoint).port));
    proxy = await startProxy();
  });
  after(async () => {
    await Promise.all([proxy?.close(), indexTap?.close(), index?.close(), s3Tap?.close(), moto?.stop()]);
    await cleanup(work);
  });

  test('the resolver, the wheel downloads and S3 go only through it; a NO_PROXY host is reached directly', async () => {
    const dir = await project(join(work, 'p'), `http://127.0.0.1:${indexTap.port}/simple/`);
    const s3 = ['--store', 's3://proxied/p', '--s3-endpoint', `http://127.0.0.1:${s3Tap.port}`];
    const env = { ...CLEAR, ...moto.env, PEXPRESS_CACHE_DIR: join(work, 'cache') };
    const proxyUrl = `http://127.0.0.1:${proxy.port}`;

    // Lower-case variable; a fresh cache, so uv and pexpress both fetch from the index.
    const built = await cli(['build', '--project-dir', dir, '--entry-point', 'app.main:main', '--json', ...s3], {
      ...env,
      http_proxy: proxyUrl,
    });
    assert.equal(built.code, 0, built.stderr);
    const b = JSON.parse(built.stdout) as { source: { sha256: string }; stats?: { downloaded: number } };
    assert.equal(b.stats?.downloaded, 1, 'pexpress downloaded the wheel itself');
    const through = (clients: number[]) => clients.filter((p) => proxy.upstreamPorts.has(p)).length;
    assert.ok(indexTap.clients.length > 0 && s3Tap.clients.length > 0);
    assert.equal(through(indexTap.clients), indexTap.clients.length, 'every index connection came through the proxy');
    assert.equal(through(s3Tap.clients), s3Tap.clients.length, 'every S3 connection came through the proxy');
    // Plain-HTTP S3 as ordinary proxy requests (proxies often allow CONNECT to 443 only).
    assert.ok(proxy.seen.some((s) => /^(PUT|GET|HEAD|POST) /.test(s) && s.endsWith(`127.0.0.1:${s3Tap.port}`)));
    assert.ok(!proxy.seen.includes(`CONNECT 127.0.0.1:${s3Tap.port}`));

    // Upper-case variables: the S3 endpoint's host:port is in NO_PROXY, so it is reached directly.
    const before = { seen: proxy.seen.length, s3: s3Tap.clients.length };
    const out = join(work, 'fetched.pex');
    const fetched = await cli(['fetch', b.source.sha256, '-o', out, ...s3], {
      ...env,
      HTTP_PROXY: proxyUrl,
      NO_PROXY: `example.com,127.0.0.1:${s3Tap.port}`,
    });
    assert.equal(fetched.code, 0, fetched.stderr);
    assert.equal(proxy.seen.length, before.seen, 'nothing went through the proxy');
    assert.ok(s3Tap.clients.length > before.s3, 'S3 was reached');
    assert.equal(through(s3Tap.clients.slice(before.s3)), 0, 'directly');
  });

  test('the GitHub API client (the PR comment) goes through it too', async () => {
    const gh = await startGitHubServer({ repository: 'acme/shop', token: 'ghs_t' });
    const saved = process.env.HTTP_PROXY;
    try {
      gh.seed(7, 3);
      process.env.HTTP_PROXY = `http://127.0.0.1:${proxy.port}`;
      const before = proxy.seen.length;
      const comments = await new GitHubClient({ token: 'ghs_t', repository: 'acme/shop', apiUrl: gh.url }).listIssueComments(7);
      assert.equal(comments.length, 3);
      assert.ok(
        proxy.seen.slice(before).some((s) => s.endsWith(new URL(gh.url).host)),
        proxy.seen.slice(before).join(', '),
      );
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
      await gh.close();
    }
  });

  test('an unreachable proxy is one clear line naming it, not a stack trace', async () => {
    const r = await cli(['lookup', 'abcdef', '--store', 's3://proxied/p', '--s3-endpoint', `http://127.0.0.1:${s3Tap.port}`], {
      ...CLEAR,
      ...moto.env,
      HTTP_PROXY: 'http://user:secret@127.0.0.1:9',
      PEXPRESS_S3_MAX_ATTEMPTS: '1',
      PEXPRESS_CACHE_DIR: join(work, 'cache2'),
    });
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.ok(!r.stderr.includes('secret'), 'proxy credentials are not printed');
  });
});

describe('an internal CA', () => {
  let work: string;
  let index: Listening;
  let indexTls: Awaited<ReturnType<typeof startTap>>;
  let moto: S3Server;
  let s3Tls: Awaited<ReturnType<typeof startTap>>;
  let bundle: string;
  const system = process.env.SSL_CERT_FILE;

  before(async () => {
    work = await tempDir('pexpress-ca-');
    await mkdir(join(work, 'wheels'));
    await makeWheel(join(work, 'wheels'), 'netdemo', '1.0');
    const ca = await makeCa(work);
    index = await startIndex(join(work, 'wheels'));
    indexTls = await startTap(index.port, { key: ca.key, cert: ca.cert });
    moto = await startMoto();
    await moto.createBucket('internal');
    s3Tls = await startTap(Number(new URL(moto.endpoint).port), { key: ca.key, cert: ca.cert });
    // The machine's own trust (its interception proxy's CA) plus the test CA: added, not replaced.
    bundle = join(work, 'bundle.pem');
    await writeFile(bundle, (system ? await readFile(system, 'utf8') : '') + '\n' + ca.caPem);
    await writeFile(join(work, 'ca-only.pem'), ca.caPem);
  });
  after(async () => {
    await Promise.all([indexTls?.close(), index?.close(), s3Tls?.close(), moto?.stop()]);
    await cleanup(work);
  });

  const build = (name: string, env: NodeJS.ProcessEnv, extra: string[] = []) =>
    project(join(work, name), `https://127.0.0.1:${indexTls.port}/simple/`).then((dir) =>
      cli(
        [
          'build',
          '--project-dir',
          dir,
          '--json',
          '--store',
          `s3://internal/${name}`,
          '--s3-endpoint',
          `https://127.0.0.1:${s3Tls.port}`,
          ...extra,
        ],
        { ...CLEAR, ...moto.env, PEXPRESS_CACHE_DIR: join(work, `cache-${name}`), ...env },
      ),
    );

  test('SSL_CERT_FILE naming a bundle with the CA: uv, the downloads and S3 over HTTPS all trust it', async () => {
    const r = await build('sslcertfile', { SSL_CERT_FILE: bundle, PIP_CERT: bundle, REQUESTS_CA_BUNDLE: bundle });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { stats?: { downloaded: number } }).stats?.downloaded, 1);
  });

  test('HTTPS through the proxy: a CONNECT tunnel per host, TLS verified against the CA end to end', async () => {
    const proxy = await startProxy();
    try {
      const r = await build('tunnel', {
        SSL_CERT_FILE: bundle,
        PIP_CERT: bundle,
        REQUESTS_CA_BUNDLE: bundle,
        HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
      });
      assert.equal(r.code, 0, r.stderr);
      for (const tap of [indexTls, s3Tls]) {
        assert.ok(proxy.seen.includes(`CONNECT 127.0.0.1:${tap.port}`), proxy.seen.join(', '));
        assert.ok(tap.clients.some((p) => proxy.upstreamPorts.has(p)));
      }
    } finally {
      await proxy.close();
    }
  });

  test('SSL_CERT_FILE alone also reaches pip (as its certificate bundle)', async () => {
    const r = await build(
      'sslcertfile-pip',
      { SSL_CERT_FILE: bundle, PIP_CERT: undefined, REQUESTS_CA_BUNDLE: undefined, CURL_CA_BUNDLE: undefined },
      ['--resolver', 'pip'],
    );
    assert.equal(r.code, 0, r.stderr);
  });

  test('NODE_EXTRA_CA_CERTS alone: Node trusts it, and uv and pip are given the same trust', async () => {
    const env = {
      NODE_EXTRA_CA_CERTS: join(work, 'ca-only.pem'),
      SSL_CERT_FILE: undefined,
      PIP_CERT: undefined,
      // requests (inside pip) lets these override pip's own --cert/PIP_CERT
      REQUESTS_CA_BUNDLE: undefined,
      CURL_CA_BUNDLE: undefined,
    };
    for (const resolver of ['uv', 'pip']) {
      const r = await build(`extra-${resolver}`, env, ['--resolver', resolver]);
      assert.equal(r.code, 0, `${resolver}: ${r.stderr}`);
    }
  });

  test('without the CA the same build fails with one line, so the tests above did rely on it', async () => {
    const r = await build('untrusted', { SSL_CERT_FILE: system ?? '', NODE_EXTRA_CA_CERTS: system ?? '' });
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.match(r.stderr, /certificate|UnknownIssuer|SSL/i);
  });
});
