// Bundles the CLI (and, when present, the Action) into dist/ so neither needs node_modules at run time.
import { build } from 'esbuild';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectLicenses } from './licenses.mjs';

const entries = [
  { in: 'src/cli/index.ts', out: 'cli' },
  { in: 'src/action/index.ts', out: 'index' },
].filter((e) => existsSync(e.in));

// `--outdir DIR` builds elsewhere (scripts/check-dist.sh compares that with the committed dist/).
const at = process.argv.indexOf('--outdir');
const outdir = at >= 0 ? process.argv[at + 1] : 'dist';

// Chunks are named by content hash: start from an empty dir so no stale chunk is left behind.
rmSync(outdir, { recursive: true, force: true });

const result = await build({
  entryPoints: entries.map((e) => ({ in: e.in, out: e.out })),
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Lazily imported parts (the AWS SDK, @actions/cache) become chunks loaded only when used, so a
  // local fast build does not parse megabytes of SDK code at start-up.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies call require(); give them one in the ESM output.
  banner: { js: "import { createRequire as __pexCreateRequire } from 'node:module'; const require = __pexCreateRequire(import.meta.url);" },
  loader: { '.py': 'text' },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});

// Third-party notices for exactly what was bundled (legalComments are dropped above, and most
// packages keep their license in a file anyway). A package we may not ship stops the build.
const licenses = collectLicenses(result.metafile);
if (licenses.problems.length) {
  rmSync(outdir, { recursive: true, force: true });
  for (const p of licenses.problems) console.error(`bundle: ${p}`);
  process.exit(1);
}
writeFileSync(join(outdir, 'licenses.txt'), licenses.text);
