#!/usr/bin/env bash
# `npm run demo`: dependencies, services, migrations, the demo warehouse, the hub, and a small
# fleet of simulated scanners working the floor until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh

# What the demo's end stops, each part once it has started. Ctrl-C reaches only the simulated
# scanners (the hub and broker run in sessions of their own, setsid), so they can settle what is
# in flight before the hub and then the broker stop.
hub=
broker=
broker_dir=
admin_key=
stop_demo() {
  if [ -n "$hub" ]; then echo 'stopping the hub and the broker, revoking the keys ...'; fi
  if [ -n "$hub" ]; then kill "$hub" 2>/dev/null || true; wait "$hub" 2>/dev/null || true; fi
  if [ -n "$admin_key" ]; then revoke_keys; fi
  if [ -n "$broker" ]; then kill "$broker" 2>/dev/null || true; wait "$broker" 2>/dev/null || true; fi
  if [ -n "$broker_dir" ]; then rm -rf "$broker_dir"; fi
}
trap stop_demo EXIT

# The demo's own broker, set up as a production one is (docs/operations.md, Services): Debian's
# Mosquitto leaves set_tcp_nodelay off, and then every ack waits ~40 ms for a delayed TCP ACK.
# Open, on loopback only, on DEMO_MQTT_PORT or a free port, its data in a temp folder. Without a
# mosquitto binary (the services came from docker compose, whose broker sets it), that broker.
mosquitto_bin=$(command -v mosquitto || command -v /usr/sbin/mosquitto || true)
if [ -n "$mosquitto_bin" ]; then
  port=${DEMO_MQTT_PORT:-$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })")}
  broker_dir=$(mktemp -d "${TMPDIR:-/tmp}/warehouse-demo-mosquitto.XXXXXX")
  printf '%s\n' "listener $port 127.0.0.1" 'allow_anonymous true' 'set_tcp_nodelay true' 'max_queued_messages 100000' \
    'persistence true' "persistence_location $broker_dir/" 'log_dest stderr' >"$broker_dir/mosquitto.conf"
  # Started as root, Mosquitto drops to its own user, which must be able to write its folder.
  if [ "$(id -u)" = 0 ] && id mosquitto >/dev/null 2>&1; then chown mosquitto "$broker_dir"; fi
  setsid "$mosquitto_bin" -c "$broker_dir/mosquitto.conf" 2>"$broker_dir/mosquitto.log" &
  broker=$!
  printf 'mosquitto 127.0.0.1:%s ...' "$port"
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash, on purpose
  until timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$port" 2>/dev/null; do
    kill -0 "$broker" 2>/dev/null || { echo ' did not start:'; cat "$broker_dir/mosquitto.log"; exit 1; }
    printf '.'
    sleep 0.2
  done
  echo " up (the demo's own, with set_tcp_nodelay; it stops with the demo)"
  export MQTT_URL=mqtt://127.0.0.1:$port
else
  export MQTT_URL=${MQTT_URL:-mqtt://127.0.0.1:1883}
  echo "no mosquitto binary here: the demo uses the broker at $MQTT_URL"
fi

npm run --silent migrate
npm run --silent seed
# API keys for this run: an admin one the simulator registers its scanners with, and a viewer one
# for the floor screen in the browser. Both are revoked when the demo ends.
admin_key=$(npm run --silent keys -- create --name demo-admin --role admin --quiet --actor demo)
viewer_key=$(npm run --silent keys -- create --name demo-screen --role viewer --quiet --actor demo)
revoke_keys() {
  for k in "$admin_key" "$viewer_key"; do
    prefix=${k#whk_}
    npm run --silent keys -- revoke "${prefix%%_*}" --actor demo > /dev/null 2>&1 || true
  done
}

# A person for the console: `admin`, with a fresh password each run (made or reset from the CLI,
# as the first admin of a real installation is).
console_password=$(node -e "console.log(require('crypto').randomBytes(12).toString('base64url'))")
if npm run --silent people -- list | grep -q '^admin '; then
  echo "$console_password" | npm run --silent people -- password admin --actor demo > /dev/null
else
  echo "$console_password" | npm run --silent people -- add admin --role admin --name "Demo Admin" --actor demo > /dev/null
fi

url="http://${HTTP_HOST:-127.0.0.1}:${HTTP_PORT:-3000}"
log="${TMPDIR:-/tmp}/warehouse-hub-demo.log"
setsid node --import tsx hub/src/server.ts >"$log" 2>&1 &
hub=$!
printf 'hub starting '
until node -e "fetch('$url/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; do
  kill -0 "$hub" 2>/dev/null || { echo; cat "$log"; exit 1; }
  printf '.'
  sleep 0.5
done
echo " ready on $url (hub log: $log)"
echo "floor screen: open $url/ in a browser and enter this viewer key: $viewer_key"
echo "console: open $url/console/ and sign in as admin with password $console_password"
# A handheld for the browser: HH-02 gets a fresh secret each run; its code is what the console's
# QR code holds, pasted (or scanned) into the app's setup screen. The app reaches the broker
# through the hub's /mqtt bridge, which pipes to MQTT_URL.
echo "handheld app: open $url/handheld/ and paste this device code into its setup screen:"
npm run --silent devices:rotate -- --id HH-02 --code --actor demo 2>/dev/null | sed -n '/^{/p'
echo "handheld in a terminal (with HUB_API_KEY an admin key): npm run handheld -- --device HH-01 --rotate --broker $MQTT_URL"
echo "5 simulated scanners now work the floor; Ctrl-C stops the demo."
HUB_API_KEY="$admin_key" node --import tsx devices/src/bin/devices.ts --scanners 5 --rate 5 --duration 0 --prefix DEMO --hub "$url" --broker "$MQTT_URL" || true
