import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INPUT_DEFAULTS, OUTPUT_NAMES, type InputName } from '../src/action/inputs.ts';
import { actionYml } from './action-helpers.ts';

describe('action.yml', () => {
  test('node24, dist/index.js, branding, and every input and output of ARCHITECTURE § 9 described', async () => {
    const y = await actionYml();
    assert.equal(y.runs.using, 'node24');
    assert.equal(y.runs.main, 'dist/index.js');
    assert.ok(y.name && y.description && y.branding.icon && y.branding.color);
    for (const name of [
      'project-dir',
      'python-version',
      'platform',
      'entry-point',
      's3-bucket',
      's3-prefix',
      's3-region',
      's3-endpoint',
      'force-full-build',
      'deps-cache-epoch',
      'resolver',
      'comment-on-pr',
      'github-token',
    ]) {
      assert.ok(y.inputs[name]?.description, `input ${name}`);
    }
    for (const name of ['build-type', 'reason', 'fingerprint', 'deps-sha256', 'deps-key', 'source-sha256', 'source-key', 'manifest-key']) {
      assert.ok(y.outputs[name]?.description, `output ${name}`);
    }
    for (const name of Object.keys(y.inputs)) assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case');
  });

  test("its defaults are the code's defaults, input for input, and the outputs are the ones the code sets", async () => {
    const y = await actionYml();
    assert.deepEqual(Object.keys(y.inputs).sort(), Object.keys(INPUT_DEFAULTS).sort());
    for (const [name, spec] of Object.entries(y.inputs)) {
      assert.equal(spec.default ?? '', INPUT_DEFAULTS[name as InputName], `default of ${name}`);
      assert.notEqual(spec.required, true, `${name} is optional`);
    }
    assert.equal(y.inputs['github-token'].default, '${{ github.token }}');
    assert.deepEqual(Object.keys(y.outputs).sort(), [...OUTPUT_NAMES].sort());
  });
});
