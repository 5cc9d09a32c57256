#!/usr/bin/env bash
# `npm run test:faults [-- --soak 10m] [vitest args]`: the fault suite of docs/reliability.md (vitest
# project `faults`), full profile unless FAULT_PROFILE says otherwise. FAULT_SEED replays a run.
# `--soak DURATION` (90s, 10m, 1h) runs only the seeded soak (item 29), for that long.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds() {
  case "$1" in
    *h) echo $(( ${1%h} * 3600 )) ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}

args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --soak) shift; FAULT_SOAK_SECONDS=$(seconds "${1:?--soak needs a duration, e.g. 10m}"); export FAULT_SOAK_SECONDS ;;
    --soak=*) FAULT_SOAK_SECONDS=$(seconds "${1#--soak=}"); export FAULT_SOAK_SECONDS ;;
    *) args+=("$1") ;;
  esac
  shift
done
export FAULT_PROFILE="${FAULT_PROFILE:-full}"
if [ -n "${FAULT_SOAK_SECONDS:-}" ]; then
  exec npx vitest run --project faults tests/faults/soak.test.ts ${args[@]+"${args[@]}"}
fi
# The ci profile (the default `npm test`) runs a fast subset of files, unless files are named: the
# checker's own test, a kill of each service and of a hub, one short soak seed, and the quick input
# items (duplicates, malformed, oversized and forged messages, clock skew, reservations, an event
# set aside).
files=()
if [ "$FAULT_PROFILE" = ci ]; then
  named=0
  for a in ${args[@]+"${args[@]}"}; do case "$a" in -*) ;; *) named=1 ;; esac; done
  if [ "$named" = 0 ]; then
    files=(tests/faults/check-invariants.test.ts tests/faults/redis-faults.test.ts tests/faults/mariadb-faults.test.ts
      tests/faults/broker-faults.test.ts tests/faults/hub-kill.test.ts tests/faults/soak.test.ts
      tests/faults/duplicates.test.ts tests/faults/malformed.test.ts tests/faults/hostile-input.test.ts
      tests/faults/clock-skew.test.ts tests/faults/reservations.test.ts tests/faults/set-aside.test.ts)
  fi
fi
exec npx vitest run --project faults ${files[@]+"${files[@]}"} ${args[@]+"${args[@]}"}
