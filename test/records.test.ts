import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  readDepsIndex,
  readManifest,
  readRef,
  writeDepsIndex,
  writeManifest,
  writeRef,
  type DepsIndexEntry,
  type Manifest,
  type RefRecord,
} from '../src/build/records.ts';
import { FsStore } from '../src/store/fs.ts';
import type { ObjectInfo } from '../src/store/store.ts';
import { buildJson, cleanup, copyExample, listFiles, pexpress, tempDir, type BuildJson } from './helpers.ts';

const FP = 'f'.repeat(64);
const DEPS = 'd'.repeat(64);
const SOURCE = 'e'.repeat(64);

const depsEntry: Omit<DepsIndexEntry, 'schema'> = {
  fingerprint: FP,
  sha256: DEPS,
  size: 1234,
  pexHash: 'p'.repeat(40),
  python: '3.11',
  platform: 'linux_x86_64',
  requirements: ['requests==2.32.3'],
  commit: null,
  builtAt: '2026-01-01T00:00:00.000Z',
};
const manifest: Omit<Manifest, 'schema'> = {
  commit: 'c'.repeat(40),
  ref: 'main',
  buildType: 'fast',
  reason: 'dependencies unchanged',
  fingerprint: FP,
  target: { python: '3.11', platform: 'linux_x86_64' },
  deps: { sha256: DEPS, key: `sha256/${DEPS}.pex`, pexHash: 'p'.repeat(40) },
  source: { sha256: SOURCE, key: `sha256/${SOURCE}.pex`, pexHash: 'q'.repeat(40) },
  entryPoint: null,
  pexpressVersion: '0.1.0',
  builtAt: '2026-01-01T00:00:00.000Z',
};
const refRecord: Omit<RefRecord, 'schema'> = {
  ref: 'main',
  commit: null,
  buildType: 'full',
  fingerprint: FP,
  components: [{ name: 'requirements.txt', hash: 'a'.repeat(64), value: { requirements: ['requests==2.32.3'] } }],
  deps: { sha256: DEPS },
  source: { sha256: SOURCE },
  builtAt: '2026-01-01T00:00:00.000Z',
};

/** A local store that reports object metadata the way the S3 store does. */
class MetadataStore extends FsStore {
  kinds = new Map<string, string>();
  override async head(key: string): Promise<ObjectInfo | null> {
    const info = await super.head(key);
    const kind = this.kinds.get(key);
    return info && kind ? { ...info, metadata: { 'pexpress-kind': kind } } : info;
  }
}

async function put(store: FsStore, key: string, text: string): Promise<void> {
  const file = store.localPath(key);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

const json = (v: unknown) => JSON.stringify(v);

describe('typed records: read with validation', () => {
  let dir: string;
  let store: MetadataStore;
  let warnings: string[];
  const warn = (m: string) => warnings.push(m);

  before(async () => {
    dir = await tempDir('pexpress-records-');
  });
  after(() => cleanup(dir));

  async function fresh(): Promise<void> {
    await rm(join(dir, 'store'), { recursive: true, force: true });
    store = new MetadataStore(join(dir, 'store'));
    warnings = [];
  }

  test('what the writers write, the readers return, with schema 1 and no warning', async () => {
    await fresh();
    await writeDepsIndex(store, depsEntry);
    await writeManifest(store, manifest);
    await writeRef(store, refRecord);
    assert.deepEqual(await readDepsIndex(store, FP, warn), { schema: 1, ...depsEntry });
    assert.deepEqual(await readManifest(store, SOURCE, warn), { schema: 1, ...manifest });
    assert.deepEqual(await readRef(store, 'refs/heads/main', warn), { schema: 1, ...refRecord });
    assert.deepEqual(warnings, []);
    // The bytes on disk keep the field order of the schema: the records stay diffable.
    const text = await readFile(store.localPath(`deps/${FP}.json`), 'utf8');
    assert.deepEqual(Object.keys(JSON.parse(text)), ['schema', ...Object.keys(depsEntry)]);
  });

  test('a writer refuses a record its reader would not accept', async () => {
    await fresh();
    await assert.rejects(
      writeDepsIndex(store, { ...depsEntry, sha256: 'not-a-sha' }),
      /the record deps\/f{64}\.json would not validate \(sha256 is not a sha256/,
    );
    await assert.rejects(
      writeManifest(store, { ...manifest, entryPoint: undefined as unknown as null }),
      /entryPoint is undefined, not a string/,
    );
    assert.equal(await readDepsIndex(store, FP, warn), null, 'nothing written');
  });

  test('no record is null, with no warning', async () => {
    await fresh();
    assert.equal(await readDepsIndex(store, FP, warn), null);
    assert.equal(await readManifest(store, SOURCE, warn), null);
    assert.equal(await readRef(store, 'main', warn), null);
    assert.deepEqual(warnings, []);
  });

  const damaged: Array<{
    what: string;
    key: string;
    text: string;
    read: (s: FsStore, w: (m: string) => void) => Promise<unknown>;
    why: RegExp;
  }> = [
    {
      what: 'deps index: not JSON (a truncated write)',
      key: `deps/${FP}.json`,
      text: json({ schema: 1, ...depsEntry }).slice(0, 40),
      read: (s, w) => readDepsIndex(s, FP, w),
      why: /not valid JSON/,
    },
    {
      what: 'deps index: JSON but not an object',
      key: `deps/${FP}.json`,
      text: '[1, 2]',
      read: (s, w) => readDepsIndex(s, FP, w),
      why: /the record is an array, not an object/,
    },
    {
      what: 'deps index: sha256 of the wrong type',
      key: `deps/${FP}.json`,
      text: json({ schema: 1, ...depsEntry, sha256: 5 }),
      read: (s, w) => readDepsIndex(s, FP, w),
      why: /sha256 is not a sha256/,
    },
    {
      what: 'deps index: a size that is a string',
      key: `deps/${FP}.json`,
      text: json({ schema: 1, ...depsEntry, size: '1234' }),
      read: (s, w) => readDepsIndex(s, FP, w),
      why: /size is not a size in bytes/,
    },
    {
      what: 'deps index: requirements with a null',
      key: `deps/${FP}.json`,
      text: json({ schema: 1, ...depsEntry, requirements: [null] }),
      read: (s, w) => readDepsIndex(s, FP, w),
      why: /requirements\[0\] is null, not a string/,
    },
    {
      what: 'deps index: written for another fingerprint',
      key: `deps/${FP}.json`,
      text: json({ schema: 1, ...depsEntry, fingerprint: 'a'.repeat(64) }),
      read: (s, w) => readDepsIndex(s, FP, w),
      why: /its fingerprint is a{64}, not f{64}/,
    },
    {
      what: 'deps index: a newer schema',
      key: `deps/${FP}.json`,
      text: json({ ...depsEntry, schema: 2 }),
      read: (s, w) => readDepsIndex(s, FP, w),
      why: /schema 2, this pexpress reads schema 1/,
    },
    {
      what: 'ref: "components":[null]',
      key: 'refs/main.json',
      text: json({ schema: 1, ...refRecord, components: [null] }),
      read: (s, w) => readRef(s, 'main', w),
      why: /components\[0\] is null, not an object/,
    },
    {
      what: 'ref: components that are not a list',
      key: 'refs/main.json',
      text: json({ schema: 1, ...refRecord, components: { a: 1 } }),
      read: (s, w) => readRef(s, 'main', w),
      why: /components is object, not an array/,
    },
    {
      what: 'ref: a component without a hash',
      key: 'refs/main.json',
      text: json({ schema: 1, ...refRecord, components: [{ name: 'x', value: 1 }] }),
      read: (s, w) => readRef(s, 'main', w),
      why: /components\[0\]\.hash is not a sha256/,
    },
    {
      what: 'ref: an unknown build type',
      key: 'refs/main.json',
      text: json({ schema: 1, ...refRecord, buildType: 'partial' }),
      read: (s, w) => readRef(s, 'main', w),
      why: /buildType is "partial", not "full" or "fast"/,
    },
    {
      what: 'ref: the record of another branch',
      key: 'refs/main.json',
      text: json({ schema: 1, ...refRecord, ref: 'dev' }),
      read: (s, w) => readRef(s, 'main', w),
      why: /records ref dev, not main/,
    },
    {
      what: 'manifest: "deps": null',
      key: `manifests/${SOURCE}.json`,
      text: json({ schema: 1, ...manifest, deps: null }),
      read: (s, w) => readManifest(s, SOURCE, w),
      why: /deps is null, not an object/,
    },
    {
      what: 'manifest: describing another source archive',
      key: `manifests/${SOURCE}.json`,
      text: json({ schema: 1, ...manifest, source: { ...manifest.source, sha256: DEPS } }),
      read: (s, w) => readManifest(s, SOURCE, w),
      why: /describes source archive d{64}, not e{64}/,
    },
  ];

  for (const c of damaged) {
    test(`${c.what}: treated as missing, one warning naming the key`, async () => {
      await fresh();
      await put(store, c.key, c.text);
      assert.equal(await c.read(store, warn), null);
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.ok(warnings[0].includes(store.urlFor(c.key)), warnings[0]);
      assert.match(warnings[0], c.why);
      assert.match(warnings[0], /treating it as missing/);
    });
  }

  test('a deps index naming a source archive (it has a manifest): treated as missing', async () => {
    await fresh();
    await writeDepsIndex(store, { ...depsEntry, sha256: SOURCE });
    await writeManifest(store, manifest);
    assert.equal(await readDepsIndex(store, FP, warn), null);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], new RegExp(`deps/${FP}\\.json: sha256 e{12} names a source archive, not a deps archive`));
  });

  test("a deps index naming an object whose metadata says source (S3's pexpress-kind): treated as missing", async () => {
    await fresh();
    await writeDepsIndex(store, depsEntry);
    await put(store, `sha256/${DEPS}.pex`, 'archive');
    store.kinds.set(`sha256/${DEPS}.pex`, 'source');
    assert.equal(await readDepsIndex(store, FP, warn), null);
    assert.match(warnings.join('\n'), /names a source archive/);
    warnings = [];
    store.kinds.set(`sha256/${DEPS}.pex`, 'deps');
    assert.deepEqual(await readDepsIndex(store, FP, warn), { schema: 1, ...depsEntry });
    assert.deepEqual(warnings, []);
  });
});

// The two cases of issue 13 item 7, end to end through the CLI: each exited wrongly before the
// records were validated on read.
describe('damaged records in a real store: the next build repairs them', { timeout: 240_000 }, () => {
  let project: string;
  let pexRoot: string;
  let first: BuildJson;
  const storeDir = () => join(project, '.pexpress', 'store');
  const build = (extra: string[] = []) =>
    pexpress(['build', '--project-dir', project, '--json', '--entry-point', 'hello.app:main', ...extra]);
  const warningsOf = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('warning:'));

  before(async () => {
    project = await copyExample('hello');
    pexRoot = await tempDir('pexpress-records-root-');
    first = await buildJson(project, ['--entry-point', 'hello.app:main']);
  });
  after(() => cleanup(project, pexRoot));

  test('a deps index whose sha256 names the source archive: a full build, not a fast one that cannot run', async () => {
    const index = join(storeDir(), 'deps', `${first.fingerprint}.json`);
    const entry = JSON.parse(await readFile(index, 'utf8'));
    await writeFile(index, JSON.stringify({ ...entry, sha256: first.source.sha256 }));
    await appendFile(join(project, 'src', 'hello', 'app.py'), '\n# an edit\n');

    const r = await build();
    assert.equal(r.code, 0, r.stderr);
    const got = JSON.parse(r.stdout) as BuildJson;
    assert.equal(got.buildType, 'full');
    assert.equal(got.deps.sha256, first.deps.sha256, 'the same deps.pex, rebuilt');
    const warnings = warningsOf(r.stderr);
    assert.equal(warnings.length, 1, r.stderr);
    assert.ok(warnings[0].includes(`deps/${first.fingerprint}.json`), warnings[0]);
    assert.match(warnings[0], /names a source archive/);
    // The index is rewritten: the next build is fast and quiet, and what it built runs.
    assert.equal(JSON.parse(await readFile(index, 'utf8')).sha256, first.deps.sha256);
    const again = await build();
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as BuildJson).buildType, 'fast');
    assert.deepEqual(warningsOf(again.stderr), []);
    const ran = await pexpress(['run', got.source.sha256, '--project-dir', project, '--', '--name', 'records'], {
      env: { PEX_ROOT: pexRoot },
    });
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /Hello from source\.pex, records!/);
  });

  test('a ref record with "components":[null]: the full build succeeds and says why it ignored it', async () => {
    const refs = join(storeDir(), 'refs');
    // Ref records are scoped by repository, project and target: refs/<…>/<branch>.json.
    const [name] = (await listFiles(refs)).filter((f) => f.endsWith('.json'));
    const record = JSON.parse(await readFile(join(refs, name), 'utf8'));
    // Another fingerprint, so the build explains the change from the record's components.
    await writeFile(join(refs, name), JSON.stringify({ ...record, fingerprint: '0'.repeat(64), components: [null] }));
    const r = await build(['--deps-cache-epoch', 'records-test']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as BuildJson).buildType, 'full');
    const warnings = warningsOf(r.stderr);
    assert.equal(warnings.length, 1, r.stderr);
    assert.ok(decodeURIComponent(warnings[0]).includes(`refs/${name}`), warnings[0]);
    assert.match(warnings[0], /components\[0\] is null/);
    assert.doesNotMatch(r.stderr, /Cannot read properties/);
    const rewritten = JSON.parse(await readFile(join(refs, name), 'utf8'));
    assert.ok(
      rewritten.components.every((c: unknown) => c !== null),
      'the build rewrote the record',
    );
  });

  test('lookup of a source archive whose manifest is damaged: the archive itself answers', async () => {
    const file = join(storeDir(), 'manifests', `${first.source.sha256}.json`);
    const m = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...m, deps: null }));
    const r = await pexpress(['lookup', first.source.sha256, '--project-dir', project, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout);
    assert.equal(info.kind, 'source');
    assert.equal(info.deps.sha256, first.deps.sha256);
    assert.equal(warningsOf(r.stderr).length, 1, r.stderr);
    assert.match(r.stderr, /manifests\/[0-9a-f]{64}\.json: deps is null/);
  });
});
