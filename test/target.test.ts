import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  bestWheel,
  parseTarget,
  parseWheelFilename,
  SUPPORTED_PLATFORMS,
  SUPPORTED_PYTHONS,
  tagLadder,
  TargetError,
  uvPythonPlatform,
  type Target,
} from '../src/python/target.ts';
import { PYTHON, ROOT, run } from './helpers.ts';

const HOST = { python: '3.11', platform: 'linux_x86_64' as const };

describe('the tag ladder is packaging.tags', () => {
  test('every supported python × platform × manylinux floor, tag for tag, in order', async () => {
    const floors = ['2.5', '2.12', '2.17', '2.28', '2.35'];
    const targets: Target[] = [];
    for (const python of SUPPORTED_PYTHONS)
      for (const platform of SUPPORTED_PLATFORMS)
        for (const glibc of floors) targets.push({ python, platform, glibc, implementation: 'cp' });
    // packaging from the test venv, else the copy vendored in pip: a real python either way.
    const venv = join(ROOT, '.venv', 'bin', 'python');
    const r = await run(existsSync(venv) ? venv : PYTHON, [join(ROOT, 'test', 'fixtures', 'packaging_tags.py')], {
      input: JSON.stringify(targets.map((t) => [t.python, t.platform.replace('linux_', ''), t.glibc])),
    });
    assert.equal(r.code, 0, r.stderr);
    const expected = JSON.parse(r.stdout) as string[][];
    targets.forEach((t, i) => assert.deepEqual(tagLadder(t), expected[i], `${t.python} ${t.platform} glibc ${t.glibc}`));
  });
});

describe('targets', () => {
  const ok: Array<[{ python?: string; platform?: string; manylinux?: string }, Partial<Target>]> = [
    [{}, { python: '3.11', platform: 'linux_x86_64', glibc: '2.28' }],
    [{ python: '3.12' }, { python: '3.12' }],
    [{ python: '3.12.4' }, { python: '3.12' }],
    [{ python: 'cp313' }, { python: '3.13' }],
    [{ python: ' 3.10 ' }, { python: '3.10' }],
    [{ platform: 'linux_aarch64' }, { platform: 'linux_aarch64' }],
    [{ manylinux: 'manylinux2014' }, { glibc: '2.17' }],
    [{ manylinux: 'manylinux1' }, { glibc: '2.5' }],
    [{ manylinux: 'manylinux_2_31' }, { glibc: '2.31' }],
    [{ manylinux: '2.28' }, { glibc: '2.28' }],
    [{ manylinux: '2_34' }, { glibc: '2.34' }],
  ];
  for (const [input, want] of ok) {
    test(`parseTarget(${JSON.stringify(input)})`, () => {
      const t = parseTarget(input, HOST);
      for (const [k, v] of Object.entries(want)) assert.equal(t[k as keyof Target], v, k);
    });
  }

  const bad: Array<[{ python?: string; platform?: string; manylinux?: string }, RegExp]> = [
    [{ python: '2.7' }, /unknown python version '2\.7': pexpress supports 3\.9, .* — set \{\{option:python\}\} to X\.Y/],
    [{ python: '3.8' }, /unknown python version '3\.8'/],
    [{ python: 'three' }, /unknown python version 'three'/],
    [{ platform: 'win_amd64' }, /unknown platform 'win_amd64'.* — set \{\{option:platform\}\} to linux_x86_64 or linux_aarch64/],
    [{ manylinux: 'musllinux_1_2' }, /unknown manylinux floor 'musllinux_1_2'/],
    [{ manylinux: 'manylinux_2_4' }, /unknown manylinux floor/],
    [{ manylinux: 'manylinux_3_1' }, /unknown manylinux floor/],
  ];
  for (const [input, why] of bad) {
    test(`parseTarget(${JSON.stringify(input)}) is refused`, () => {
      assert.throws(
        () => parseTarget(input, HOST),
        (e: Error) => e instanceof TargetError && why.test(e.message),
      );
    });
  }

  test("uv's --python-platform: the highest floor uv knows at or below the target's", () => {
    const t = (platform: 'linux_x86_64' | 'linux_aarch64', glibc: string): Target => ({
      python: '3.11',
      platform,
      glibc,
      implementation: 'cp',
    });
    assert.equal(uvPythonPlatform(t('linux_x86_64', '2.28')), 'x86_64-manylinux_2_28');
    assert.equal(uvPythonPlatform(t('linux_aarch64', '2.30')), 'aarch64-manylinux_2_28');
    assert.equal(uvPythonPlatform(t('linux_x86_64', '2.12')), 'x86_64-manylinux_2_17');
    assert.equal(uvPythonPlatform(t('linux_x86_64', '2.45')), 'x86_64-manylinux_2_40');
  });
});

describe('wheel names', () => {
  const names: Array<[string, { distribution: string; version: string; build: string | null; tags: string[] }]> = [
    ['six-1.16.0-py2.py3-none-any.whl', { distribution: 'six', version: '1.16.0', build: null, tags: ['py2-none-any', 'py3-none-any'] }],
    [
      'MarkupSafe-3.0.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      {
        distribution: 'MarkupSafe',
        version: '3.0.2',
        build: null,
        tags: ['cp311-cp311-manylinux_2_17_x86_64', 'cp311-cp311-manylinux2014_x86_64'],
      },
    ],
    ['pkg-1.0-1b-py3-none-any.whl', { distribution: 'pkg', version: '1.0', build: '1b', tags: ['py3-none-any'] }],
  ];
  for (const [filename, want] of names) {
    test(`parseWheelFilename(${filename})`, () => assert.deepEqual(parseWheelFilename(filename), { ...want, filename }));
  }
  for (const filename of ['six-1.16.0.tar.gz', 'six-py3-none-any.whl', 'a-b-c-d-e-f-g.whl']) {
    test(`parseWheelFilename(${filename}) is refused`, () => assert.throws(() => parseWheelFilename(filename), /is not a wheel file name/));
  }

  test('bestWheel: the earliest tag in the ladder wins; wheels for other targets and bad names are never chosen', () => {
    const t: Target = { python: '3.11', platform: 'linux_x86_64', glibc: '2.28', implementation: 'cp' };
    const w = (filename: string) => ({ filename });
    const wheels = [
      w('m-1-py3-none-any.whl'),
      w('m-1-cp311-abi3-manylinux_2_17_x86_64.whl'),
      w('m-1-cp311-cp311-manylinux_2_28_x86_64.whl'),
      w('m-1-cp312-cp312-manylinux_2_28_x86_64.whl'),
      w('m-1-cp311-cp311-manylinux_2_34_x86_64.whl'),
      w('not-a-wheel.zip'),
    ];
    assert.equal(bestWheel(t, wheels)?.filename, 'm-1-cp311-cp311-manylinux_2_28_x86_64.whl');
    assert.equal(bestWheel(t, wheels.slice(0, 2))?.filename, 'm-1-cp311-abi3-manylinux_2_17_x86_64.whl');
    assert.equal(bestWheel(t, [wheels[3], wheels[4], wheels[5]]), null);
  });
});
