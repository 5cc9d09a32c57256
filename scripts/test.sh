#!/usr/bin/env bash
# `npm test`: every check but the page tests, from a fresh clone: dependencies, services, types,
# unit and integration tests and the fast fault tests. `npm run test:pages` (`--pages`): the page
# tests, each a page in Chromium. Named test files run whichever project holds them.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=0
if [ "${1:-}" = --pages ]; then pages=1; shift; fi
bash scripts/install.sh
bash scripts/services.sh
report=$(mktemp)
faults=$(mktemp)
trap 'rm -f "$report" "$faults"' EXIT
status=0
if [ "$pages" = 1 ]; then
  projects=(--project pages)
else
  echo "type-checking ..."
  npx tsc -p tsconfig.json
  projects=(--project unit --project integration)
  if [ $# -gt 0 ]; then projects+=(--project pages); fi
fi
npx vitest run "${projects[@]}" --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
# The fault suite's fast subset (its own private services, one file at a time, after the rest so
# timings are not shared); `npm run test:faults` runs all of it. Skipped when tests are named.
if [ $# -eq 0 ] && [ "$pages" = 0 ]; then
  FAULT_PROFILE=ci bash scripts/test-faults.sh --reporter=default --reporter=json --outputFile.json="$faults" || status=$?
fi
# One plain closing line, whatever reads the log: "Tests: N passed, N failed".
node -e '
  const fs = require("fs")
  const reports = process.argv.slice(1).filter((f) => fs.statSync(f).size > 0).map((f) => JSON.parse(fs.readFileSync(f, "utf8")))
  const sum = (k) => reports.reduce((a, r) => a + r[k], 0)
  if (reports.length === 0) throw new Error("no report")
  console.log(`Tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed` + (sum("numPendingTests") ? `, ${sum("numPendingTests")} skipped` : ""))
' "$report" "$faults" || echo "Tests: no report written"
exit "$status"
