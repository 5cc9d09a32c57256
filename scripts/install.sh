#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than the lockfile, Chromium for the
# browser tests, and builds the pages the hub serves (the floor screen, the console and the handheld app).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing dependencies (npm ci) ..."
  npm ci --no-audit --no-fund
fi
# The browser tests drive Debian's Chromium; install it when this machine may.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing chromium for the browser tests (apt-get) ..."
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
echo "building the floor screen, the console and the handheld app (vite) ..."
npm run --silent build -w dashboard -- --logLevel warn
npm run --silent build -w console -- --logLevel warn
npm run --silent build -w handheld -- --logLevel warn
