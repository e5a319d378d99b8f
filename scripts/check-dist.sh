#!/usr/bin/env bash
# Fails when the committed Action bundle (dist/index.js) is not what the current sources bundle to.
# Rebuilds into a temp dir with the same script and options as `npm run build` (esbuild's output
# is a pure function of the sources, node_modules and esbuild's version), then compares bytes:
# with the version in git's HEAD inside a checkout, else with the file on disk.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node scripts/bundle.mjs --outdir "$tmp"
[ -f "$tmp/index.js" ] || { echo "check-dist: src/action.ts did not bundle to index.js" >&2; exit 1; }

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  what="the committed dist/index.js"
  if ! git cat-file -e HEAD:dist/index.js 2>/dev/null; then
    echo "check-dist: dist/index.js is not committed — run 'npm run build' and commit dist/index.js" >&2
    exit 1
  fi
  git show HEAD:dist/index.js > "$tmp/committed.js"
else
  what="dist/index.js"
  [ -f dist/index.js ] || { echo "check-dist: dist/index.js is missing — run 'npm run build'" >&2; exit 1; }
  cp dist/index.js "$tmp/committed.js"
fi

if ! cmp -s "$tmp/committed.js" "$tmp/index.js"; then
  echo "check-dist: $what differs from a fresh bundle of the sources — run 'npm run build' and commit dist/index.js" >&2
  diff -u "$tmp/committed.js" "$tmp/index.js" | head -n 40 >&2 || true
  exit 1
fi
echo "check-dist: $what matches the sources ($(wc -c < "$tmp/index.js") bytes)"
