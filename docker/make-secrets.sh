#!/bin/sh
# Writes the secrets docker-compose.yml mounts at /run/secrets, one random value a file, into
# DIR (default: SECRETS_DIR, else ./secrets). A file already there is kept, so running it again
# changes nothing:
#   sh docker/make-secrets.sh [DIR]
#   hub_secret_key        HUB_SECRET_KEY, which seals device signing secrets. Keep a copy apart
#                         from the database backups: without it no device secret can be opened.
#   mysql_root_password   MariaDB's root, for administration only (the hub logs in as `hub`)
#   mysql_password        the `hub` database user's, which MariaDB creates it with
#   mqtt_hub_password     the broker's `hub` login, which every hub process uses
#   mqtt_device_password  the broker login of each device listed in MQTT_DEVICES
#   mqtt_device_passwords `deviceId password` lines, one device each (written empty: add yours)
#   mqtt_share_group      MQTT_SHARE_GROUP: unguessable, so no device can join the hub's share group
# To choose a value yourself, write it into its file before the first `docker compose up`.
set -eu
dir=${1:-${SECRETS_DIR:-./secrets}}
umask 077
mkdir -p "$dir"
chmod 0700 "$dir"

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

write_secret() {
  if [ -s "$dir/$1" ]; then
    echo "make-secrets: $dir/$1 kept"
    return
  fi
  printf '%s\n' "$2" >"$dir/$1.tmp"
  # Readable by all, inside a folder only its owner can enter: compose bind-mounts each file into
  # its container with the host's owner and mode, and the hub (uid 1000), MariaDB (999) and
  # Mosquitto (1883) read them as their own users.
  chmod 0644 "$dir/$1.tmp"
  mv "$dir/$1.tmp" "$dir/$1"
  echo "make-secrets: $dir/$1 written"
}

# 32 bytes as 64 hex digits, the form HUB_SECRET_KEY takes; hex passwords need no escaping in a
# URL, a shell or SQL.
write_secret hub_secret_key "$(random_hex 32)"
write_secret mysql_root_password "$(random_hex 24)"
write_secret mysql_password "$(random_hex 24)"
write_secret mqtt_hub_password "$(random_hex 24)"
write_secret mqtt_device_password "$(random_hex 24)"
write_secret mqtt_device_passwords "# deviceId password, one device a line (docs/devices.md, Device security)"
write_secret mqtt_share_group "hub-$(random_hex 8)"
