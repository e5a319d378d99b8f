#!/usr/bin/env bash
# actionlint over .github/workflows/*.yml and over the workflow snippets of README.md and docs/
# (extracted by scripts/workflow-snippets.mjs). actionlint comes from scripts/test-tools.sh (built
# with Go); without it this says so and skips rather than fail a machine that has no Go.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/.venv/bin/actionlint"
[ -x "$bin" ] || bin="$(command -v actionlint || true)"
if [ -z "$bin" ]; then
  echo "actionlint: not installed (scripts/test-tools.sh builds it when Go is available) — skipping the workflow lint"
  exit 0
fi
# Inside the checkout, so actionlint resolves `uses: ./` to this action.yml and checks the snippets'
# inputs against it.
mkdir -p .venv
tmp="$(mktemp -d "$PWD/.venv/actionlint.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
node scripts/workflow-snippets.mjs "$tmp/snippets"
"$bin" -no-color .github/workflows/*.yml "$tmp"/snippets/*.yml
echo "actionlint: $(ls .github/workflows/*.yml | wc -l) workflows and $(ls "$tmp"/snippets | wc -l) doc snippets are clean"
