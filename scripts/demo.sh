#!/usr/bin/env bash
# `npm run demo`: dependencies, services, migrations, the demo warehouse, then the hub in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh
npm run --silent migrate
npm run --silent seed
echo "hub starting on http://${HTTP_HOST:-127.0.0.1}:${HTTP_PORT:-3000} (Ctrl-C stops it)"
exec npx tsx hub/src/server.ts
