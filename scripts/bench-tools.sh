#!/usr/bin/env bash
# Installs (once, into .venv-bench) what only the benchmarks use: the AWS CLI from PyPI, the
# reference for bench/io.ts's S3 upload and fetch rows (issue 16). Kept out of .venv and
# scripts/test-tools.sh so `npm test` and `.ci/run` never download it; `npm run bench` runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
want="awscli==1.46.3"
stamp=.venv-bench/.tools-installed
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  python3 -m venv .venv-bench
  .venv-bench/bin/python -m pip install --quiet --disable-pip-version-check "$want"
  echo "$want" > "$stamp"
fi
