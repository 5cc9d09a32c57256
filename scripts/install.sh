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
# The alert rules' tests run Prometheus's promtool. Debian ships it inside the server's package, so
# only the binary is taken out of it (dpkg-deb -x): installing the package would start a server.
if ! command -v promtool >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing promtool for the alert-rule tests (from Debian's prometheus package) ..."
  work=$(mktemp -d)
  (cd "$work" && apt-get download -qq prometheus >/dev/null 2>&1 || { apt-get update -qq && apt-get download -qq prometheus >/dev/null; })
  dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
  install -m 0755 "$work/root/usr/bin/promtool" /usr/local/bin/promtool
  rm -rf "$work"
fi
# The compose file's test asks a compose client to accept it (`config`); no engine is needed.
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing docker-compose for the compose file's test (apt-get) ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi
echo "building the floor screen, the console and the handheld app (vite) ..."
npm run --silent build -w dashboard -- --logLevel warn
npm run --silent build -w console -- --logLevel warn
npm run --silent build -w handheld -- --logLevel warn
