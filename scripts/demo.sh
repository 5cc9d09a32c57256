#!/usr/bin/env bash
# `npm run demo`: dependencies, services, migrations, the demo warehouse, the hub, and a small
# fleet of simulated scanners working the floor until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh
npm run --silent migrate
npm run --silent seed

url="http://${HTTP_HOST:-127.0.0.1}:${HTTP_PORT:-3000}"
log="${TMPDIR:-/tmp}/warehouse-hub-demo.log"
node --import tsx hub/src/server.ts > "$log" 2>&1 &
hub=$!
trap 'kill "$hub" 2>/dev/null || true; wait "$hub" 2>/dev/null || true' EXIT
printf 'hub starting '
until node -e "fetch('$url/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; do
  kill -0 "$hub" 2>/dev/null || { echo; cat "$log"; exit 1; }
  printf '.'
  sleep 0.5
done
echo " ready on $url (hub log: $log)"
echo "floor screen: open $url/ in a browser"
echo "5 simulated scanners now work the floor; Ctrl-C stops the demo."
node --import tsx devices/src/bin/devices.ts --scanners 5 --rate 5 --duration 0 --prefix DEMO --hub "$url" --broker "${MQTT_URL:-mqtt://127.0.0.1:1883}" || true
