#!/usr/bin/env bash
# `npm test`: every check, from a fresh clone: dependencies, services, types, unit and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh
echo "type-checking ..."
npx tsc -p tsconfig.json
npx vitest run "$@"
