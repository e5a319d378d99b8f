import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { diffRequirements, normalizeName, parseRequirementsFile, RequirementsError, stripCredentials } from '../src/python/requirements.ts';
import { cleanup, tempDir } from './helpers.ts';

let dir: string;
before(async () => {
  dir = await tempDir('pexpress-reqs-');
});
after(() => cleanup(dir));

async function parseLine(line: string) {
  await writeFile(join(dir, 'requirements.txt'), line + '\n');
  return parseRequirementsFile(dir, 'requirements.txt');
}

describe('one requirement line', () => {
  // line → the parts, in the normalized form the fingerprint hashes.
  const cases: Array<
    [string, { name: string; extras?: string[]; specifier?: string; marker?: string; url?: string; canonical: string; hashes?: string[] }]
  > = [
    ['Requests==2.32.3', { name: 'requests', specifier: '==2.32.3', canonical: 'requests==2.32.3' }],
    [
      'requests[socks,Security] >= 2.0 , <3',
      { name: 'requests', extras: ['security', 'socks'], specifier: '<3,>=2.0', canonical: 'requests[security,socks]<3,>=2.0' },
    ],
    ['zope.interface~=5.0', { name: 'zope-interface', specifier: '~=5.0', canonical: 'zope-interface~=5.0' }],
    ['a-b_c.D', { name: 'a-b-c-d', canonical: 'a-b-c-d' }],
    ['numpy (>=1.20)', { name: 'numpy', specifier: '>=1.20', canonical: 'numpy>=1.20' }],
    [
      "pywin32>=1; sys_platform=='win32'",
      { name: 'pywin32', specifier: '>=1', marker: 'sys_platform == "win32"', canonical: 'pywin32>=1; sys_platform == "win32"' },
    ],
    [
      'dateutil; python_version < "3.12"  # why',
      { name: 'dateutil', marker: 'python_version < "3.12"', canonical: 'dateutil; python_version < "3.12"' },
    ],
    [
      'pkg @ https://example.com/pkg-1.0.tar.gz',
      { name: 'pkg', url: 'https://example.com/pkg-1.0.tar.gz', canonical: 'pkg @ https://example.com/pkg-1.0.tar.gz' },
    ],
    [
      'https://files.example/x/foo_bar-2.0-py3-none-any.whl',
      {
        name: 'foo-bar',
        url: 'https://files.example/x/foo_bar-2.0-py3-none-any.whl',
        canonical: 'foo-bar @ https://files.example/x/foo_bar-2.0-py3-none-any.whl',
      },
    ],
    [
      'six==1.16.0 --hash=sha256:bbb --hash=sha256:aaa',
      { name: 'six', specifier: '==1.16.0', canonical: 'six==1.16.0', hashes: ['sha256:aaa', 'sha256:bbb'] },
    ],
  ];
  for (const [line, want] of cases) {
    test(JSON.stringify(line), async () => {
      const [r] = (await parseLine(line)).requirements;
      assert.deepEqual(
        { name: r.name, extras: r.extras, specifier: r.specifier, marker: r.marker, url: r.url, canonical: r.canonical, hashes: r.hashes },
        { extras: [], specifier: '', marker: '', url: null, hashes: [], ...want },
      );
    });
  }

  const refused: Array<[string, RegExp]> = [
    ['req==', /^requirements\.txt:1: 'req==' is not a valid requirement \('==' is not a version clause; expected NAME\[extras\]/],
    ['foo[bar', /unclosed extras bracket/],
    ['[x]', /no project name/],
    ['foo; ', /empty marker/],
    ['foo==1 bar', /'==1 bar' is not a version clause/],
    ['foo @ https://x/y.tar.gz ==1', /is not a version clause/],
    ['https://x/y/', /cannot tell the project name of this URL; use NAME @ URL/],
    ['--frob x', /^requirements\.txt:1: unknown option --frob — remove it or use one pip supports/],
    ['--index-url', /^requirements\.txt:1: --index-url needs a value/],
    ['-r', /^requirements\.txt:1: -r needs a file name/],
    ['-r https://x/r.txt', /-r with a URL is not supported — vendor the file into the project/],
    ['-r missing.txt', /^requirements\.txt:1: cannot read missing\.txt — create it or fix the -r\/-c line/],
    ['-r ../outside.txt', /outside\.txt escapes the project directory/],
  ];
  for (const [line, why] of refused) {
    test(`${JSON.stringify(line)} is refused with one line`, async () => {
      await assert.rejects(
        parseLine(line),
        (e: Error) => e instanceof RequirementsError && why.test(e.message) && !e.message.includes('\n'),
      );
    });
  }

  test('a credential in a refused line is not repeated in the message', async () => {
    await assert.rejects(parseLine('pkg @ https://u:t0ken@x.example/p.tar.gz ; '), (e: Error) => !e.message.includes('t0ken'));
  });
});

describe('a requirements file', () => {
  test('includes, constraints, continuations, options, local paths, index credentials', async () => {
    await writeFile(
      join(dir, 'requirements.txt'),
      [
        '--index-url https://user:s3cret@pypi.example/simple',
        '--extra-index-url https://mirror.example/simple',
        '--prefer-binary',
        '-r base.txt',
        '-c constraints.txt',
        'flask>=3 \\',
        '    ; python_version >= "3.9"',
        '-e ./local/pkg',
        './other',
        'requests==2.32.3',
        '',
      ].join('\n'),
    );
    await writeFile(join(dir, 'base.txt'), 'requests==2.32.3\nsix\n');
    await writeFile(join(dir, 'constraints.txt'), 'urllib3<3\n');
    const s = await parseRequirementsFile(dir, 'requirements.txt');
    assert.deepEqual(
      s.requirements.map((r) => [r.canonical, `${r.source.file}:${r.source.line}`]),
      [
        ['flask>=3; python_version >= "3.9"', 'requirements.txt:6'],
        ['requests==2.32.3', 'base.txt:1'],
        ['six', 'base.txt:2'],
      ],
      'deduplicated, sorted, each from where it was first seen',
    );
    assert.deepEqual(
      s.constraints.map((r) => r.canonical),
      ['urllib3<3'],
    );
    assert.equal(s.indexUrl, 'https://pypi.example/simple');
    assert.deepEqual(s.extraIndexUrls, ['https://mirror.example/simple']);
    assert.deepEqual(s.options, ['--prefer-binary']);
    assert.deepEqual(s.files, ['requirements.txt', 'base.txt', 'constraints.txt']);
    assert.deepEqual(s.editableOrLocal, ['./local/pkg', './other']);
    assert.deepEqual(s.secrets, ['user:s3cret', 's3cret']);
    assert.deepEqual(s.indexAuth, { 'https://pypi.example': 'user:s3cret' });
  });

  test('an include cycle names the chain', async () => {
    await writeFile(join(dir, 'requirements.txt'), '-r a.txt\n');
    await writeFile(join(dir, 'a.txt'), '-r requirements.txt\n');
    await assert.rejects(
      parseRequirementsFile(dir, 'requirements.txt'),
      /a\.txt:1: include cycle requirements\.txt → a\.txt → requirements\.txt/,
    );
  });
});

describe('names and credentials', () => {
  const names: Array<[string, string]> = [
    ['Django', 'django'],
    ['zope.interface', 'zope-interface'],
    ['a__b--c..d', 'a-b-c-d'],
    ['ruamel.yaml.clib', 'ruamel-yaml-clib'],
  ];
  for (const [raw, want] of names) test(`normalizeName(${raw})`, () => assert.equal(normalizeName(raw), want));

  const urls: Array<[string, string, string[]]> = [
    ['https://pypi.org/simple', 'https://pypi.org/simple', []],
    // Both spellings of a percent-encoded password are secrets: either may reach a log.
    ['https://user:pa%40ss@x.example/simple', 'https://x.example/simple', ['user:pa%40ss', 'user:pa@ss', 'pa%40ss', 'pa@ss']],
    ['https://tok3n@x.example/simple', 'https://x.example/simple', ['tok3n']],
    ['https://${USER}:${TOKEN}@x.example/simple', 'https://${USER}:${TOKEN}@x.example/simple', []],
  ];
  for (const [url, stripped, secrets] of urls) {
    test(`stripCredentials(${url})`, () => assert.deepEqual(stripCredentials(url), { url: stripped, secrets }));
  }
});

describe('requirement diff (the reason a full build gives)', () => {
  const cases: Array<[string[], string[], string]> = [
    [['a==1'], ['a==1'], ''],
    [['pandas==2.2.2'], ['pandas==2.2.3'], 'pandas 2.2.2 → 2.2.3'],
    [['flask>=2'], ['flask>=3'], 'flask >=2 → >=3'],
    [['flask'], ['flask>=3'], 'flask (any) → >=3'],
    [[], ['pyarrow==1'], '+pyarrow==1'],
    [['six==1.0'], [], '−six==1.0'],
    [['six==1.0; python_version < "3"'], [], '−six==1.0'],
    [['a==1; python_version < "3.12"'], ['a==2; python_version < "3.12"'], 'a 1 → 2'],
    [['b[x]==1'], ['b==1'], '+b==1, −b[x]==1'],
    [
      ['pandas==2.2.2', 'six==1.0', 'flask>=2'],
      ['flask>=3', 'pandas==2.2.3', 'pyarrow==1'],
      'flask >=2 → >=3, pandas 2.2.2 → 2.2.3, +pyarrow==1, −six==1.0',
    ],
  ];
  for (const [before, after, want] of cases) {
    test(`${JSON.stringify(before)} → ${JSON.stringify(after)}`, () => assert.equal(diffRequirements(before, after), want));
  }
});
