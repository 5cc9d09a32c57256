#!/bin/sh
# Writes Mosquitto's password file (hashed: PBKDF2-SHA512) for the broker of docker-compose.yml:
#   sh docker/mosquitto-passwd.sh FILE
# Users, from the environment:
#   MQTT_HUB_PASSWORD      password of the `hub` user, which every hub and worker process uses (required)
#   MQTT_DEVICES           device ids, separated by spaces; each logs in as its id ...
#   MQTT_DEVICE_PASSWORD   ... with this password (required when MQTT_DEVICES is set)
#   MQTT_DEVICE_PASSWORDS  a file of `deviceId password` lines, one device each, for real fleets
# Each password may instead come from a file, as compose secrets do: MQTT_HUB_PASSWORD_FILE,
# MQTT_DEVICE_PASSWORD_FILE (its contents, less trailing newlines).
# A device's broker password is not its signing secret: the broker never sees the secret, and a
# secret rotation needs no broker change.
set -eu
out=${1:?usage: mosquitto-passwd.sh FILE}
# VAR from the file VAR_FILE names, when that is set (both set is an error, as for the hub).
from_file() {
  eval "file=\${${1}_FILE:-} value=\${${1}:-}"
  [ -n "$file" ] || return 0
  if [ -n "$value" ]; then
    echo "mosquitto-passwd: $1 and ${1}_FILE are both set: set one of them" >&2
    exit 2
  fi
  eval "$1=\$(cat \"\$file\")"
}
from_file MQTT_HUB_PASSWORD
from_file MQTT_DEVICE_PASSWORD
: "${MQTT_HUB_PASSWORD:?MQTT_HUB_PASSWORD is required}"
tmp="$out.tmp"
rm -f "$tmp"
mosquitto_passwd -c -b "$tmp" hub "$MQTT_HUB_PASSWORD"
for id in ${MQTT_DEVICES:-}; do
  mosquitto_passwd -b "$tmp" "$id" "${MQTT_DEVICE_PASSWORD:?MQTT_DEVICE_PASSWORD is required with MQTT_DEVICES}"
done
if [ -n "${MQTT_DEVICE_PASSWORDS:-}" ]; then
  while read -r id password; do
    case $id in '' | '#'*) continue ;; esac
    mosquitto_passwd -b "$tmp" "$id" "$password"
  done <"$MQTT_DEVICE_PASSWORDS"
fi
chmod 0600 "$tmp"
# Mosquitto started as root drops to its own user before it reads the file.
if id mosquitto >/dev/null 2>&1; then chown mosquitto "$tmp"; fi
mv "$tmp" "$out"
echo "mosquitto-passwd: $(wc -l <"$out") users in $out"
