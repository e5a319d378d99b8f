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

# actionlint for .github/workflows and the README's workflow snippets (scripts/actionlint.sh), built
# from the Go module proxy like versitygw (skipped without Go; scripts/actionlint.sh then says so).
ACTIONLINT=v1.7.12
if ! command -v go >/dev/null 2>&1; then
  echo "test-tools: Go is not installed: versitygw and actionlint are skipped" >&2
elif ! cmp -s <(echo "$ACTIONLINT") .venv/.actionlint 2>/dev/null; then
  GOBIN="$PWD/.venv/bin" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT"
  echo "$ACTIONLINT" > .venv/.actionlint
fi
