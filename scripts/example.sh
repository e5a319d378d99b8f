#!/usr/bin/env bash
# The README's first command: builds the example project on the local store (full, then fast after a
# source edit) and runs the result. Works on a fresh machine with Node 20+ and Python 3.9+.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
[ -f dist/cli.js ] || npm run build

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r examples/hello "$work/hello"
cd "$work/hello"
pexpress() { node "$OLDPWD/dist/cli.js" "$@"; }

echo "== 1. first build: full (resolves requirements.txt + setup.py's install_requires into deps.pex)"
pexpress build --entry-point hello.app:main
echo
echo "== 2. edit a source file, build again: fast (source.pex only, deps.pex reused)"
echo '# a one-line change' >> src/hello/app.py
pexpress build --entry-point hello.app:main --json > build.json
source_sha=$(python3 -c 'import json; print(json.load(open("build.json"))["source"]["sha256"])')
python3 -c 'import json; b=json.load(open("build.json")); print(b["buildType"], "build:", b["reason"])'
echo
echo "== 3. run it by sha256 from the store (fetches source.pex + deps.pex into the cache, verified)"
pexpress run "$source_sha" -- --name pexpress
echo
echo "== 4. or run the files directly"
PEX_PATH=.pexpress/out/deps.pex python3 .pexpress/out/source.pex --name again
