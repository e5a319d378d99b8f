import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decide } from '../src/build/decide.ts';
import { explainChange } from '../src/build/explain.ts';
import type { Fingerprint, FingerprintComponent } from '../src/build/fingerprint.ts';
import { writeDepsIndex, writeManifest, writeRef } from '../src/build/records.ts';
import { FsStore } from '../src/store/fs.ts';
import { archiveKey, refKey, sanitizeRef } from '../src/store/store.ts';
import { cleanup, tempDir } from './helpers.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const component = (name: string, value: unknown): FingerprintComponent => ({ name, value, hash: sha(JSON.stringify(value)) });
const reqs = (...requirements: string[]) =>
  component('requirements.txt', { requirements, constraints: [], indexUrl: null, extraIndexUrls: [] });
const target = (python: string) => component('target', { python, platform: 'linux_x86_64', glibc: '2.28', implementation: 'cp' });

function fingerprint(components: FingerprintComponent[]): Fingerprint {
  return { fingerprint: sha(JSON.stringify(components.map((c) => [c.name, c.hash]))), source: 'declarations', components };
}

const NOW = fingerprint([reqs('pandas==2.2.3'), target('3.11'), component('resolver', 'uv')]);
const BEFORE = fingerprint([reqs('pandas==2.2.2'), target('3.11'), component('resolver', 'uv')]);
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const DEPS_BYTES = 'a deps archive';
const DEPS = sha(DEPS_BYTES);
const SOURCE = sha('a source archive');

describe('decide: full or fast, and the reason', () => {
  let dir: string;
  let store: FsStore;
  let warnings: string[];
  before(async () => {
    dir = await tempDir('pexpress-decide-');
  });
  after(() => cleanup(dir));

  type Setup = { index?: 'deps' | 'source'; archive?: 'ok' | 'corrupt'; ref?: Fingerprint };
  async function given(s: Setup): Promise<void> {
    await rm(join(dir, 'store'), { recursive: true, force: true });
    store = new FsStore(join(dir, 'store'));
    warnings = [];
    const entry = {
      fingerprint: NOW.fingerprint,
      sha256: s.index === 'source' ? SOURCE : DEPS,
      size: DEPS_BYTES.length,
      pexHash: 'h',
      python: '3.11',
      platform: 'linux_x86_64',
      requirements: [],
      commit: COMMIT,
      builtAt: '2026-01-01T00:00:00Z',
    };
    if (s.index) await writeDepsIndex(store, entry);
    if (s.index === 'source') {
      const ref = { sha256: SOURCE, key: archiveKey(SOURCE), pexHash: 'h' };
      await writeManifest(store, {
        ...{ commit: null, ref: 'main', buildType: 'fast', reason: '', fingerprint: NOW.fingerprint },
        ...{ target: { python: '3.11', platform: 'linux_x86_64' }, deps: ref, source: ref, entryPoint: null },
        ...{ pexpressVersion: '0', builtAt: '' },
      });
    }
    if (s.archive) {
      const file = store.localPath(archiveKey(s.index === 'source' ? SOURCE : DEPS));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, s.archive === 'ok' ? DEPS_BYTES : 'flipped bytes');
    }
    if (s.ref) {
      await writeRef(store, {
        ...{ ref: 'main', commit: COMMIT, buildType: 'full', fingerprint: s.ref.fingerprint, components: s.ref.components },
        ...{ deps: { sha256: DEPS }, source: { sha256: SOURCE }, builtAt: '' },
      });
    }
  }

  const cases: Array<[string, Setup, boolean, { buildType: 'full' | 'fast'; reason: RegExp; repair?: boolean; warning?: RegExp }]> = [
    [
      'an empty store',
      {},
      false,
      { buildType: 'full', reason: /^no deps\.pex stored for fingerprint [0-9a-f]{12} \(first build of main\)$/, repair: false },
    ],
    [
      'a ref built with the same fingerprint, no index',
      { ref: NOW },
      false,
      { buildType: 'full', reason: /^no deps\.pex stored for fingerprint [0-9a-f]{12}$/, repair: false },
    ],
    [
      'a ref built with other requirements',
      { ref: BEFORE },
      false,
      {
        buildType: 'full',
        reason: /^dependencies changed since 0123456789ab: requirements\.txt: pandas 2\.2\.2 → 2\.2\.3$/,
        repair: false,
      },
    ],
    [
      'an index entry and its archive',
      { index: 'deps', archive: 'ok', ref: NOW },
      false,
      {
        buildType: 'fast',
        reason: new RegExp(
          `^dependencies unchanged \\(fingerprint [0-9a-f]{12}\\): reusing deps\\.pex ${DEPS.slice(0, 12)} built at 0123456789ab$`,
        ),
      },
    ],
    [
      'an index entry whose archive is gone',
      { index: 'deps' },
      false,
      { buildType: 'full', reason: /is missing from the store; rebuilding it$/, repair: true },
    ],
    [
      'an index entry whose archive fails its sha256',
      { index: 'deps', archive: 'corrupt' },
      false,
      { buildType: 'full', reason: /fails its sha256 check; rebuilding and replacing it$/, repair: true },
    ],
    [
      '--force-full',
      { index: 'deps', archive: 'ok' },
      true,
      { buildType: 'full', reason: /^full build forced \(--force-full\)$/, repair: false },
    ],
    [
      'an index entry naming a source archive',
      { index: 'source', archive: 'ok' },
      false,
      { buildType: 'full', reason: /^no deps\.pex stored/, repair: false, warning: /names a source archive/ },
    ],
  ];
  for (const [what, setup, forceFull, want] of cases) {
    test(what, async () => {
      await given(setup);
      const d = await decide(store, NOW, { forceFull, ref: 'main', warn: (m) => warnings.push(m) });
      assert.equal(d.buildType, want.buildType);
      assert.match(d.reason, want.reason);
      if (d.buildType === 'full') assert.equal(d.repair, want.repair);
      else assert.equal(d.entry.sha256, DEPS);
      if (want.warning) {
        assert.equal(warnings.length, 1);
        assert.match(warnings[0], want.warning);
      } else assert.deepEqual(warnings, []);
    });
  }
});

describe('explainChange: what changed since the previous build, in a line', () => {
  const cases: Array<[string, FingerprintComponent[], FingerprintComponent[], string]> = [
    ['nothing', [reqs('a==1')], [reqs('a==1')], ''],
    ['a pin', [reqs('a==1')], [reqs('a==2')], 'requirements.txt: a 1 → 2'],
    ['added and removed', [reqs('a==1', 'b==1')], [reqs('a==1', 'c==1')], 'requirements.txt: +c==1, −b==1'],
    ['the target', [target('3.11')], [target('3.12')], 'target python 3.11 → 3.12'],
    ['the resolver', [component('resolver', 'uv')], [component('resolver', 'pip')], 'resolver "uv" → "pip"'],
    ['a new declaration file', [], [component('setup.py', { sha256: 'x' })], '+setup.py'],
    ['a removed one', [component('setup.cfg', { sha256: 'x' })], [], '−setup.cfg'],
    [
      'content only',
      [component('setup.py', { sha256: 'x' })],
      [component('setup.py', { sha256: 'y' })],
      'setup.py: dependency declarations changed',
    ],
    [
      'index options',
      [reqs('a==1')],
      [component('requirements.txt', { requirements: ['a==1'], constraints: [], indexUrl: 'https://i/simple', extraIndexUrls: [] })],
      'requirements.txt: index URLs changed',
    ],
    ['two at once', [reqs('a==1'), target('3.11')], [reqs('a==2'), target('3.12')], 'requirements.txt: a 1 → 2; target python 3.11 → 3.12'],
  ];
  for (const [what, before, after, want] of cases) test(what, () => assert.equal(explainChange(before, after), want));
});

describe('ref names become store keys', () => {
  const cases: Array<[string, string]> = [
    ['main', 'refs/main.json'],
    ['refs/heads/feature/x', 'refs/feature/x.json'],
    ['refs/tags/v1.2.3', 'refs/v1.2.3.json'],
    ['7/merge', 'refs/7/merge.json'],
    ['../../etc/passwd', 'refs/etc/passwd.json'],
    ['a//b/./c', 'refs/a/b/c.json'],
    ['feat: ümlaut & space', 'refs/feat___mlaut___space.json'],
    ['..', 'refs/unnamed.json'],
    ['', 'refs/unnamed.json'],
  ];
  for (const [ref, key] of cases) test(JSON.stringify(ref), () => assert.equal(refKey(ref), key));

  test('sanitizing is idempotent: a record found by its sanitized name is found again', () => {
    for (const [ref] of cases) assert.equal(sanitizeRef(sanitizeRef(ref)), sanitizeRef(ref));
  });
});
