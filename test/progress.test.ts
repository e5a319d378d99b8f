import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProgress } from '../src/platform/progress.ts';
import { copyExample, pexpress, tempDir } from './helpers.ts';
import { join } from 'node:path';

function clocked(isTTY: boolean) {
  let t = 0;
  let out = '';
  const p = createProgress({ isTTY, now: () => t, write: (s) => (out += s), intervalMs: 5000, manual: true });
  return { p, tick: (ms: number) => ((t += ms), p.render()), out: () => out };
}

test('not a terminal: at most one line every 5 s, a summary at the end, nothing for a short transfer', () => {
  const c = clocked(false);
  const quick = c.p.start('uploading a.pex', 1000);
  c.tick(100);
  quick.add(1000);
  quick.done();
  assert.equal(c.out(), '', 'a transfer shorter than the interval prints nothing');

  const slow = c.p.start('uploading deps.pex', 100 * 1024 * 1024);
  for (let i = 0; i < 300; i++) {
    slow.add(256 * 1024); // 256 KiB every 100 ms: 2.5 MiB/s for 30 s
    c.tick(100);
  }
  slow.done();
  const lines = c.out().trimEnd().split('\n');
  assert.ok(lines.length <= 30 / 5 + 1, `${lines.length} lines in 30 s`);
  assert.ok(lines.length >= 5);
  assert.equal(lines[0], 'uploading deps.pex: 12.5 MiB / 100.0 MiB (12%), 2.5 MiB/s, ETA 35.0 s');
  assert.match(lines.at(-1)!, /^uploading deps\.pex: 75\.0 MiB in 30\.0 s \(2\.5 MiB\/s\)$/);
  assert.ok(!c.out().includes('\r'));
});

test('a terminal: one line redrawn in place for all transfers, cleared when they end', () => {
  const c = clocked(true);
  const a = c.p.start('downloading wheels');
  const b = c.p.start('fetching 0123456789ab', 4096);
  c.tick(200);
  assert.equal(c.out(), '', 'nothing before 0.5 s');
  a.add(2048);
  b.add(1024);
  c.tick(400);
  assert.equal(
    c.out(),
    '\r\x1b[Kdownloading wheels: 2.0 KiB, 3.3 KiB/s · fetching 0123456789ab: 1.0 KiB / 4.0 KiB (25%), 1.7 KiB/s, ETA 1.80 s',
  );
  a.done();
  b.done();
  assert.ok(c.out().endsWith('\r\x1b[K'), 'the line is cleared, the terminal is left clean');
  assert.ok(!c.out().includes('\n'));
});

test('pexpress fetch reports a long transfer on stderr, and nothing with --json', async () => {
  const dir = await copyExample('hello', join(await tempDir(), 'hello'));
  const built = await pexpress(['build', '--project-dir', dir, '--json']);
  assert.equal(built.code, 0, built.stderr);
  const deps = JSON.parse(built.stdout).deps as { sha256: string; size: number };
  const store = ['--store', `file://${join(dir, '.pexpress', 'store')}`];
  // An interval of 0 makes every transfer "long", so the summary line shows deterministically.
  const env = { PEXPRESS_PROGRESS_INTERVAL_MS: '0' };
  const r = await pexpress(['fetch', deps.sha256, '-o', join(dir, 'a.pex'), ...store], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`^fetching ${deps.sha256.slice(0, 12)}: [\\d.]+ (KiB|MiB) in \\d+`, 'm'));
  const quiet = await pexpress(['fetch', deps.sha256, '-o', join(dir, 'b.pex'), '--json', ...store], { env });
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.doesNotMatch(quiet.stderr, /fetching/);
  const off = await pexpress(['fetch', deps.sha256, '-o', join(dir, 'c.pex'), ...store], { env: { ...env, PEXPRESS_PROGRESS: '0' } });
  assert.equal(off.code, 0, off.stderr);
  assert.doesNotMatch(off.stderr, /fetching/);
});
