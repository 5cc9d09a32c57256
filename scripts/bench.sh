#!/usr/bin/env bash
# `npm run bench`: bench/start.ts checks the options, then installs what the bench needs, starts
# the services and runs it. Checking the options takes tsx, so a fresh clone installs it first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/tsx ] || npm ci --no-audit --no-fund
exec node --import tsx bench/start.ts "$@"
