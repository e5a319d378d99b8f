import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readInputs, type InputName } from '../src/action/inputs.ts';
import { TOKEN } from './action-helpers.ts';
import { cleanup, tempDir } from './helpers.ts';

describe('inputs', () => {
  let ws: string;
  before(async () => {
    ws = await tempDir('pexpress-inputs-');
    await mkdir(join(ws, 'svc', 'api'), { recursive: true });
  });
  after(() => cleanup(ws));

  const read = (values: Partial<Record<InputName, string>>) => (name: InputName) => values[name] ?? '';
  const env = () => ({ GITHUB_WORKSPACE: ws });

  test('defaults: the workspace, the local store, auto resolver, comment on', () => {
    const i = readInputs(read({}), env());
    assert.equal(i.projectDir, ws);
    assert.equal(i.projectDirLabel, '.');
    assert.equal(i.storeUrl, `file://${ws}/.pexpress/store`);
    assert.equal(i.localStore, true);
    assert.equal(i.resolver, 'auto');
    assert.equal(i.commentOnPr, 'always');
    assert.equal(i.forceFull, false);
    assert.equal(i.entryPoint, null);
    assert.equal(i.requirementsFile, null);
    assert.deepEqual(i.excludes, []);
    assert.equal(i.githubToken, '', 'the unsubstituted default is no token');
  });

  test('typed values: s3 store URL from bucket and prefix, booleans, lists', () => {
    const i = readInputs(
      read({
        'project-dir': './svc/api/',
        's3-bucket': 'my-bucket',
        's3-prefix': '/pexpress/api/',
        's3-region': 'eu-west-1',
        's3-endpoint': 'http://127.0.0.1:9000',
        'force-full-build': 'True',
        'comment-on-pr': 'FALSE',
        resolver: 'pip',
        exclude: 'tests/\n\n  *.md  \n',
        'python-version': '3.12',
        platform: 'linux_aarch64',
        manylinux: 'manylinux2014',
        'entry-point': 'api.main:run',
        'github-token': TOKEN,
        'deps-cache-epoch': '2',
      }),
      env(),
    );
    assert.equal(i.projectDirLabel, 'svc/api');
    assert.equal(i.storeUrl, 's3://my-bucket/pexpress/api');
    assert.equal(i.localStore, false);
    assert.equal(i.forceFull, true);
    assert.equal(i.commentOnPr, 'never', 'false keeps meaning never');
    assert.deepEqual(i.excludes, ['tests/', '*.md']);
    assert.equal(i.githubToken, TOKEN);
    assert.equal(readInputs(read({ store: 'file:///srv/store' }), env()).storeUrl, 'file:///srv/store');
  });

  const invalid: Array<[InputName, string, RegExp]> = [
    ['project-dir', 'nope', /^input 'project-dir': 'nope' does not exist in the workspace .*did a checkout step run first/],
    ['python-version', '2.7', /^input 'python-version': '2\.7' is not a supported target — use X\.Y, 3\.9 or later/],
    ['python-version', '3.11.4', /^input 'python-version': '3\.11\.4' is not a supported target/],
    ['platform', 'win_amd64', /^input 'platform': 'win_amd64' is not supported — use linux_x86_64 or linux_aarch64/],
    ['manylinux', 'musllinux_1_2', /^input 'manylinux': 'musllinux_1_2' is not a manylinux tag — use manylinux_2_NN/],
    ['entry-point', 'app:main:x', /^input 'entry-point': 'app:main:x' is not MODULE or MODULE:FUNCTION/],
    ['requirements', '../other.txt', /^input 'requirements': '\.\.\/other\.txt' must be a path inside project-dir/],
    ['s3-bucket', 's3://bucket', /^input 's3-bucket': 's3:\/\/bucket': give the bucket name only \(no s3:\/\/\)/],
    ['s3-bucket', 'My_Bucket', /^input 's3-bucket': 'My_Bucket' is not a valid bucket name — 3 to 63 lowercase letters/],
    ['s3-prefix', 'a//b', /^input 's3-prefix': 'a\/\/b' is not a key prefix/],
    ['s3-region', 'EU West', /^input 's3-region': 'EU West' is not a region name — e\.g\. eu-west-1/],
    ['s3-endpoint', 'localhost:9000', /^input 's3-endpoint': 'localhost:9000' is not an endpoint URL — use http\(s\):\/\/host\[:port\]/],
    ['store', 'ftp://x', /^input 'store': 'ftp:\/\/x' is not a store URL — use file:\/\/\/absolute\/dir or s3:\/\/bucket\/prefix/],
    ['force-full-build', 'yes', /^input 'force-full-build': 'yes' is not a boolean — use true or false/],
    ['comment-on-pr', '1', /^input 'comment-on-pr': '1' is not a choice — use always, on-full, never/],
    ['resolver', 'poetry', /^input 'resolver': 'poetry' is not a resolver — use auto, uv, pip/],
  ];
  for (const [name, value, expected] of invalid) {
    test(`invalid ${name}=${JSON.stringify(value)} is named with what it accepts`, () => {
      assert.throws(
        () => readInputs(read({ [name]: value, ...(name === 's3-prefix' ? { 's3-bucket': 'b-1' } : {}) }), env()),
        (err: Error) => {
          assert.match(err.message, expected);
          assert.ok(!err.message.includes('\n'));
          return true;
        },
      );
    });
  }

  test('combinations: store with s3-bucket, s3-prefix without a bucket; several problems in one message', () => {
    assert.throws(
      () => readInputs(read({ store: 's3://a/b', 's3-bucket': 'abc' }), env()),
      /input 'store': set either store or s3-bucket, not both/,
    );
    assert.throws(() => readInputs(read({ 's3-prefix': 'p' }), env()), /input 's3-prefix': is set but s3-bucket is empty/);
    assert.throws(() => readInputs(read({ resolver: 'x', platform: 'y' }), env()), /input 'platform': .*; input 'resolver': /);
  });
});
