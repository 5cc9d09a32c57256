#!/usr/bin/env bash
# Builds the hub as the image runs it, into DIR (a new or empty folder):
#   bash scripts/build-hub.sh DIR
# 1. Copies what the hub needs at run time, in the same layout: the manifests and lockfile,
#    shared/src, hub/src (with its Lua scripts), hub/migrations, demo/warehouse (the demo seed),
#    and the pages the hub serves (dashboard, console and handheld dist/, when `npm run build`
#    made them).
# 2. Compiles the TypeScript in place (tsconfig.build.json): each .ts file to a .js beside it,
#    relative imports rewritten to .js. The code finds its Lua scripts, migrations and pages
#    relative to its own files, so the layout must not change. Then removes the .ts files.
# 3. Installs the production dependencies of hub and shared (npm ci --omit=dev).
# Run the result with NODE_OPTIONS=--conditions=wh-compiled, which resolves @wh/shared to its .js
# files (shared/package.json), and `node hub/src/server.js` (or worker.js, cli/*.js).
# The Dockerfile and tests/integration/compiled-hub.test.ts both build with this.
set -euo pipefail

DIR=${1:?usage: bash scripts/build-hub.sh DIR}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
START=$SECONDS
step() { printf 'build-hub: [%3ss] %s\n' "$((SECONDS - START))" "$*"; }

mkdir -p "$DIR"
if [[ -n $(ls -A "$DIR") ]]; then
  echo "build-hub: $DIR is not empty; give a new or empty folder" >&2
  exit 2
fi
DIR=$(cd "$DIR" && pwd)

step "copying sources to $DIR"
(cd "$ROOT" && tar -c \
  package.json package-lock.json tsconfig.json tsconfig.build.json \
  shared/package.json shared/src \
  hub/package.json hub/src hub/migrations \
  demo/warehouse) | tar -x -C "$DIR"
for page in dashboard console handheld; do
  if [[ -d $ROOT/$page/dist ]]; then
    mkdir -p "$DIR/$page" && cp -R "$ROOT/$page/dist" "$DIR/$page/dist"
    step "page $page: copied"
  else
    step "page $page: not built (run npm run build first to serve it)"
  fi
done

step "compiling TypeScript (tsconfig.build.json)"
"$ROOT/node_modules/.bin/tsc" -p "$DIR/tsconfig.build.json"
find "$DIR/shared/src" "$DIR/hub/src" -name '*.ts' -delete
rm "$DIR/tsconfig.json" "$DIR/tsconfig.build.json"
step "compiled: $(find "$DIR/shared/src" "$DIR/hub/src" -name '*.js' | wc -l) JavaScript files"

step "installing production dependencies (npm ci --omit=dev)"
(cd "$DIR" && npm ci --omit=dev --no-audit --no-fund --loglevel=error -w hub -w shared)
step "done: $(du -sh "$DIR" | cut -f1) in $DIR"
