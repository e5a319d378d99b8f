#!/usr/bin/env bash
# Fails when the committed bundle (dist/: the Action's index.js, the CLI's cli.js, their shared chunks and
# licenses.txt, the third-party notices) is not what the current sources bundle to. Rebuilds into a
# temp dir with the same script as `npm run build` (esbuild's output is a pure function of the sources, node_modules and esbuild's
# version) and compares it with dist/ as committed in HEAD (or on disk outside a checkout).
set -euo pipefail
cd "$(dirname "$0")/.."

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node scripts/bundle.mjs --outdir "$tmp/fresh"
[ -f "$tmp/fresh/index.js" ] || { echo "check-dist: src/action/index.ts did not bundle to index.js" >&2; exit 1; }

mkdir -p "$tmp/committed"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  what="the committed dist/"
  if ! git cat-file -e HEAD:dist/index.js 2>/dev/null; then
    echo "check-dist: dist/index.js is not committed — run 'npm run build' and commit dist/" >&2
    exit 1
  fi
  git archive HEAD dist | tar -x -C "$tmp/committed"
else
  what="dist/"
  [ -f dist/index.js ] || { echo "check-dist: dist/index.js is missing — run 'npm run build'" >&2; exit 1; }
  cp -r dist "$tmp/committed/"
fi

if ! diff -r -q "$tmp/committed/dist" "$tmp/fresh" >&2; then
  echo "check-dist: $what differs from a fresh bundle of the sources — run 'npm run build' and commit dist/" >&2
  exit 1
fi
echo "check-dist: $what matches the sources ($(du -sk "$tmp/fresh" | cut -f1) KiB)"
