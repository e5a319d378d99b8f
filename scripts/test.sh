#!/usr/bin/env bash
# `npm test`: makes sure the Python tools the tests drive for real are installed (once, into .venv),
# then typechecks, bundles and runs every test file.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund

bash scripts/test-tools.sh
# Tools are passed by path: putting the venv on PATH would make its python3 the "host" python.
export PEXPRESS_UV="${PEXPRESS_UV:-$PWD/.venv/bin/uv}"
export PEXPRESS_TEST_MOTO="$PWD/.venv/bin/moto_server"
export PEXPRESS_TEST_PEX="$PWD/.venv/bin/pex"
export PEXPRESS_TEST_PYPISERVER="$PWD/.venv/bin/pypi-server"

npx tsc --noEmit
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; echo 'run: npm run format' >&2; exit 1; }
node scripts/bundle.mjs
if [ $# -eq 0 ]; then set -- test/*.test.ts; fi
exec node --import tsx --test --test-concurrency=2 "$@"
