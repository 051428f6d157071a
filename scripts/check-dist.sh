#!/usr/bin/env bash
# Rebuilds dist/ and fails when it differs from what is committed (the action runs dist/, not src/).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent bundle
if ! git diff --quiet --exit-code -- dist; then
  echo "dist/ does not match src/: run 'npm run bundle' and commit dist/." >&2
  git diff --stat -- dist >&2
  exit 1
fi
if [ -n "$(git ls-files --others --exclude-standard -- dist)" ]; then
  echo "dist/ has files that are not committed:" >&2
  git ls-files --others --exclude-standard -- dist >&2
  exit 1
fi
echo "dist/ matches src/"
