#!/usr/bin/env bash
# `npm run demo`: dependencies, services, migrations, the demo warehouse, the hub, and a small
# fleet of simulated scanners working the floor until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh
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
node --import tsx hub/src/server.ts > "$log" 2>&1 &
hub=$!
trap 'kill "$hub" 2>/dev/null || true; wait "$hub" 2>/dev/null || true; revoke_keys' EXIT
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
# QR code holds, pasted (or scanned) into the app's setup screen.
echo "handheld app: open $url/handheld/ and paste this device code into its setup screen:"
npm run --silent devices:rotate -- --id HH-02 --code --actor demo 2>/dev/null | sed -n '/^{/p'
echo "5 simulated scanners now work the floor; Ctrl-C stops the demo."
HUB_API_KEY="$admin_key" node --import tsx devices/src/bin/devices.ts --scanners 5 --rate 5 --duration 0 --prefix DEMO --hub "$url" --broker "${MQTT_URL:-mqtt://127.0.0.1:1883}" || true
