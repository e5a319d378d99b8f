import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BuildResult } from '../src/build/build.ts';
import {
  code,
  commentMarker,
  escapeMd,
  renderComment,
  renderFailureComment,
  renderFailureSummary,
  renderSummary,
  shellQuote,
  type ReportContext,
} from '../src/action/report.ts';

const DEPS = 'd'.repeat(8) + '0123456789abcdef'.repeat(3) + 'e'.repeat(8);
const SRC = '5'.repeat(64);
const FP = 'f0f1f2f3f4f5' + '0'.repeat(52);
const HEAD = '0123456789abcdef0123456789abcdef01234567';

function result(over: Partial<BuildResult> = {}): BuildResult {
  return {
    buildType: 'full',
    reason: 'dependencies changed since 89abcdef0123: requirements.txt: requests 2.32.3 → 2.32.4',
    fingerprint: FP,
    deps: {
      sha256: DEPS,
      key: `pexpress/sha256/${DEPS}.pex`,
      url: `s3://bucket/pexpress/sha256/${DEPS}.pex`,
      size: 5 * 1024 * 1024 + 300 * 1024,
      uploaded: true,
      path: '/w/.pexpress/out/deps.pex',
    },
    source: {
      sha256: SRC,
      key: `pexpress/sha256/${SRC}.pex`,
      url: `s3://bucket/pexpress/sha256/${SRC}.pex`,
      size: 4321,
      uploaded: true,
      path: '/w/.pexpress/out/source.pex',
    },
    manifest: { key: `pexpress/manifests/${SRC}.json` },
    timings: {
      fingerprint: 80,
      decide: 12,
      collect: 5,
      resolve: 900,
      download: 1500,
      'pack deps': 700,
      'pack source': 20,
      publish: 300,
      total: 3517,
    },
    target: { python: '3.11', platform: 'linux_x86_64' },
    commit: 'fedcba9876543210fedcba9876543210fedcba98',
    ref: 'feature/faster',
    ...over,
  };
}

const ctx: ReportContext = {
  projectDir: 'services/api',
  storeUrl: 's3://bucket/pexpress',
  commit: HEAD,
  repository: 'acme/shop',
  serverUrl: 'https://github.com',
  runUrl: 'https://github.com/acme/shop/actions/runs/42',
};

describe('PR comment', () => {
  test('starts with the hidden marker of its project dir', () => {
    const md = renderComment(result(), ctx);
    assert.ok(md.startsWith('<!-- pexpress:services/api -->\n'));
    assert.equal(commentMarker('.'), '<!-- pexpress:. -->');
    assert.notEqual(commentMarker('a'), commentMarker('ab'));
    assert.ok(!commentMarker('x-->y').slice(4, -4).includes('-->'), 'a path cannot end the HTML comment early');
  });

  test('full: says full and why, names the changed requirement', () => {
    const md = renderComment(result(), ctx);
    assert.match(md.split('\n')[1], /^### pexpress · `services\/api` · 🔨 \*\*full build\*\*$/);
    assert.match(
      md,
      /\*\*Full:\*\* deps\.pex was rebuilt — dependencies changed since 89abcdef0123: requirements\.txt: requests 2\.32\.3 → 2\.32\.4/,
    );
  });

  test('table of both archives: short sha256, size, uploaded or reused; the S3 keys in the details', () => {
    const md = renderComment(result({ deps: { ...result().deps, uploaded: false } }), ctx);
    assert.match(md, /\| archive \| sha256 \| size \| \|/);
    assert.ok(md.includes(`| \`deps.pex\` | \`${DEPS.slice(0, 12)}\` | 5.3 MiB | ♻️ reused |`), md);
    assert.ok(md.includes(`| \`source.pex\` | \`${SRC.slice(0, 12)}\` | 4.2 KiB | ⬆️ uploaded |`), md);
    assert.ok(md.indexOf(`| \`pexpress/sha256/${DEPS}.pex\` | deps.pex |`) > md.indexOf('<details>'), md);
    assert.match(md, /\| S3 key \| \|/);
  });

  test('duration, commit (linked, head of the PR, with the merge commit), ref, target, fingerprint', () => {
    const md = renderComment(result(), ctx);
    assert.match(md, /Built in \*\*3\.52 s\*\*/);
    assert.ok(
      md.includes(
        `commit [\`0123456\`](https://github.com/acme/shop/commit/${HEAD}) (checked out as [\`fedcba9\`](https://github.com/acme/shop/commit/fedcba9876543210fedcba9876543210fedcba98))`,
      ),
      md,
    );
    assert.match(md, /ref `feature\/faster`/);
    assert.match(md, /CPython 3\.11 · linux_x86_64/);
    assert.match(md, /fingerprint `f0f1f2f3f4f5`/);
  });

  test('the lookup command for each archive, with the store', () => {
    const md = renderComment(result(), ctx);
    assert.ok(md.includes(`pexpress lookup ${DEPS} --store s3://bucket/pexpress\n`));
    assert.ok(md.includes(`pexpress lookup ${SRC} --store s3://bucket/pexpress\n`));
    assert.ok(md.includes(`pexpress run ${SRC} --store s3://bucket/pexpress\n`));
    assert.ok(md.includes(`Manifest: \`pexpress/manifests/${SRC}.json\``));
  });

  test('timings per phase and the run link', () => {
    const md = renderComment(result(), ctx);
    assert.match(md, /\| resolve \| 900 ms \|/);
    assert.match(md, /\| pack deps \| 700 ms \|/);
    assert.match(md, /\| \*\*total\*\* \| \*\*3\.52 s\*\* \|/);
    assert.match(md, /\[workflow run\]\(https:\/\/github\.com\/acme\/shop\/actions\/runs\/42\)/);
  });

  test('fast: says fast and which deps.pex was reused', () => {
    const fast = result({
      buildType: 'fast',
      reason: `dependencies unchanged (fingerprint f0f1f2f3f4f5): reusing deps.pex ${DEPS.slice(0, 12)} built at 89abcdef0123`,
      deps: { ...result().deps, uploaded: false, path: null },
      timings: { fingerprint: 60, decide: 10, collect: 4, 'pack source': 18, publish: 40, total: 140 },
    });
    const md = renderComment(fast, ctx);
    assert.match(md, /⚡ \*\*fast build\*\*/);
    assert.ok(
      md.includes(
        `**Fast:** only source.pex was built — dependencies unchanged (fingerprint f0f1f2f3f4f5): reusing deps.pex ${DEPS.slice(0, 12)} built at 89abcdef0123`,
      ),
    );
    assert.match(md, /\| `deps\.pex` \|.*♻️ reused \|/);
    assert.match(md, /Built in \*\*140 ms\*\*/);
    assert.ok(!/\| resolve \|/.test(md));
  });

  test('local store: "store key" header and a note that it is on the runner', () => {
    const local = { ...ctx, storeUrl: 'file:///home/runner/work/shop/shop/.pexpress/store', localStore: true };
    const md = renderComment(result({ deps: { ...result().deps, key: `sha256/${DEPS}.pex` } }), local);
    assert.match(md, /\| store key \| \|/);
    assert.match(md, /> \[!NOTE\]\n> No `s3-bucket` is set/);
    assert.ok(md.includes(`pexpress lookup ${DEPS} --store file:///home/runner/work/shop/shop/.pexpress/store`));
  });

  test('without repository info the commit is plain code, and a single commit is shown once', () => {
    const md = renderComment(result({ commit: HEAD }), { projectDir: '.', storeUrl: 's3://b' });
    assert.match(md, /commit `0123456` ·/);
    assert.ok(!md.includes('checked out as'));
    assert.ok(!md.includes('workflow run'));
  });

  test('reasons cannot inject Markdown or HTML', () => {
    const md = renderComment(result({ reason: 'requirements.txt: +evil<img src=x onerror=1> | `x` *y*\nsecond line' }), ctx);
    assert.ok(!md.includes('<img'));
    assert.ok(md.includes('evil&lt;img src=x onerror=1&gt; \\| \\`x\\` \\*y\\* second line'), md);
    assert.equal(escapeMd('a'.repeat(3000)).length, 2000);
  });
});

describe('job summary', () => {
  test('same content without the marker', () => {
    const r = result();
    const summary = renderSummary(r, ctx);
    const comment = renderComment(r, ctx);
    assert.ok(!summary.includes('<!-- pexpress:'));
    assert.ok(comment.includes(summary.trimEnd()));
  });
});

describe('failure', () => {
  test('the comment says it failed and why, with the marker, commit and run log', () => {
    const md = renderFailureComment(
      { message: "requirements.txt line 3: 'requests ==' is not a valid requirement", durationMs: 812, ref: 'feature/x' },
      ctx,
    );
    assert.ok(md.startsWith('<!-- pexpress:services/api -->\n'));
    assert.match(md, /❌ \*\*build failed\*\*/);
    assert.match(md, /\*\*Why:\*\* requirements\.txt line 3: 'requests ==' is not a valid requirement/);
    assert.match(md, /Failed after \*\*812 ms\*\* · commit \[`0123456`\]/);
    assert.match(md, /ref `feature\/x`/);
    assert.match(md, /\[run log\]\(https:\/\/github\.com\/acme\/shop\/actions\/runs\/42\)/);
    assert.ok(!renderFailureSummary({ message: 'x' }, ctx).includes('<!--'));
  });
});

describe('helpers', () => {
  test('code spans and shell quoting', () => {
    assert.equal(code('a`b'), '`` a`b ``');
    assert.equal(shellQuote('s3://b/p'), 's3://b/p');
    assert.equal(shellQuote("file:///my dir/it's"), `'file:///my dir/it'\\''s'`);
  });
});
