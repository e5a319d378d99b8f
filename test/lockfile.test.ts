import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { lockAsRequirements, parseLockfile, type LockedEntry, type LockfileKind } from '../src/python/lockfile.ts';
import { ROOT } from './helpers.ts';

/** The project at the lock's root, no extras, no groups: what a plain build installs. */
const ALL = { extras: [], groups: [], member: '.' };

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

describe('lockfile readers: the pinned set, sorted by name, without the project itself', () => {
  const cases: Array<[string, LockfileKind, string, LockedEntry[]]> = [
    [
      "uv.lock: the project's dependencies with their wheel and sdist hashes; virtual, editable and directory sources skipped",
      'uv.lock',
      `version = 1
[[package]]
name = "Zope.Interface"
version = "6.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://x/z.tar.gz", hash = "sha256:${B}" }
wheels = [{ url = "https://x/z.whl", hash = "sha256:${A}" }]

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [{ name = "zope-interface" }, { name = "member" }, { name = "local" }]

[[package]]
name = "member"
version = "0.1.0"
source = { editable = "packages/member" }
dependencies = [{ name = "attrs" }]

[[package]]
name = "local"
version = "0.1.0"
source = { directory = "../local" }

[[package]]
name = "attrs"
version = "23.1.0"
source = { registry = "https://pypi.org/simple" }
wheels = [{ url = "https://x/a.whl", hash = "sha256:${C}" }, { url = "https://x/b.whl", hash = "md5:ffff" }]
`,
      [
        { name: 'attrs', version: '23.1.0', hashes: [C], marker: '' },
        { name: 'zope-interface', version: '6.0', hashes: [A, B], marker: '' },
      ],
    ],
    [
      'pylock.toml (PEP 751): hashes tables and markers; directory packages skipped',
      'pylock.toml',
      `lock-version = "1.0"
[[packages]]
name = "tomli"
version = "2.0.1"
marker = "python_version < '3.11'"
wheels = [{ url = "https://x/t.whl", hashes = { sha256 = "${A}" } }]
sdist = { url = "https://x/t.tar.gz", hashes = { sha256 = "${B}" } }

[[packages]]
name = "app"
directory = { path = "." }
`,
      [{ name: 'tomli', version: '2.0.1', hashes: [A, B], marker: "python_version < '3.11'" }],
    ],
    [
      'poetry.lock: files hashes; markers as a string or a table',
      'poetry.lock',
      `[[package]]
name = "six"
version = "1.16.0"
files = [{ file = "six-1.16.0-py2.py3-none-any.whl", hash = "sha256:${B}" }, { file = "six-1.16.0.tar.gz", hash = "sha256:${A}" }]

[[package]]
name = "colorama"
version = "0.4.6"
markers = "sys_platform == \\"win32\\""
files = []

[[package]]
name = "pywin32"
version = "306"
markers = { main = "platform_system == \\"Windows\\"" }
files = []
`,
      [
        { name: 'colorama', version: '0.4.6', hashes: [], marker: 'sys_platform == "win32"' },
        { name: 'pywin32', version: '306', hashes: [], marker: 'platform_system == "Windows"' },
        { name: 'six', version: '1.16.0', hashes: [A, B], marker: '' },
      ],
    ],
    ['an empty lock', 'uv.lock', 'version = 1\n', []],
  ];
  for (const [what, kind, text, want] of cases) {
    test(what, () => {
      const got = parseLockfile(kind, text, ALL);
      assert.deepEqual({ kind: got.kind, packages: got.packages }, { kind, packages: want });
    });
  }

  for (const kind of ['uv.lock', 'pylock.toml', 'poetry.lock'] as const) {
    test(`${kind}: invalid TOML is one line naming the file and the line`, () => {
      assert.throws(
        () => parseLockfile(kind, 'version = 1\n[[package]\nname = "x"\n', ALL),
        (e: Error & { exitCode?: number }) => {
          assert.match(e.message, new RegExp(`^${kind.replace('.', '\\.')}:2: invalid TOML — regenerate the lockfile$`));
          assert.equal(e.exitCode, 2);
          return true;
        },
      );
    });
  }

  test('the fixture project: the locked set the tests build', async () => {
    const lock = parseLockfile('uv.lock', await readFile(join(ROOT, 'test', 'fixtures', 'locked', 'uv.lock'), 'utf8'), ALL);
    assert.deepEqual(
      lock.packages.map((p) => `${p.name}==${p.version}`),
      ['colorama==0.4.6', 'six==1.16.0', 'tomli==2.5.0'],
    );
    assert.ok(lock.packages.every((p) => p.hashes.length > 0 && p.hashes.every((h) => /^[0-9a-f]{64}$/.test(h))));
  });
});

test('lockAsRequirements: pinned, hash-checked lines with markers', () => {
  const text = lockAsRequirements({
    kind: 'pylock.toml',
    path: 'pylock.toml',
    indexes: [],
    packages: [
      { name: 'six', version: '1.16.0', hashes: [A, B], marker: '' },
      { name: 'tomli', version: '2.0.1', hashes: [C], marker: "python_version < '3.11'" },
    ],
  });
  assert.equal(text, `six==1.16.0 --hash=sha256:${A} --hash=sha256:${B}\ntomli==2.0.1 ; python_version < '3.11' --hash=sha256:${C}\n`);
});
