#!/usr/bin/env bash
# Installs (once, into .venv) the Python tools the tests and benchmarks drive for real:
# uv (resolver), moto (S3 server), pex (the benchmark's reference), pypiserver (a private index).
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.tools-installed
if [ ! -f "$stamp" ] || ! cmp -s test/requirements-tools.txt "$stamp"; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r test/requirements-tools.txt
  cp test/requirements-tools.txt "$stamp"
fi

# A second S3 implementation for the S3 tests, built from the Go module proxy (skipped without Go).
VERSITYGW=v1.8.0
if command -v go >/dev/null 2>&1 && ! cmp -s <(echo "$VERSITYGW") .venv/.versitygw 2>/dev/null; then
  GOBIN="$PWD/.venv/bin" GOFLAGS=-mod=mod go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW"
  echo "$VERSITYGW" > .venv/.versitygw
fi
