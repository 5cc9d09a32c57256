#!/usr/bin/env bash
# `npm test`: every check, from a fresh clone: dependencies, services, types, unit and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh
echo "type-checking ..."
npx tsc -p tsconfig.json
report=$(mktemp)
faults=$(mktemp)
trap 'rm -f "$report" "$faults"' EXIT
status=0
npx vitest run --project unit --project integration --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
# The fault suite's fast subset (its own private services, one file at a time, after the rest so
# timings are not shared); `npm run test:faults` runs all of it. Skipped when tests are named.
if [ $# -eq 0 ]; then
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
