#!/usr/bin/env bash
# Makes MySQL/MariaDB, Redis and Mosquitto reachable for the hub, trying in order:
#   a. they already answer        -> nothing to do
#   b. a Docker engine answers    -> `docker compose up` the missing ones from docker-compose.yml
#                                    with docker-compose.dev.yml (published on 127.0.0.1 only)
#   c. otherwise                  -> start Debian's packages directly (installing them if root)
# Case c avoids systemd on purpose: containers and CI machines have none.
# Host/port: MYSQL_HOST/MYSQL_PORT, REDIS_HOST/REDIS_PORT, MQTT_HOST/MQTT_PORT.
set -euo pipefail

MYSQL_HOST=${MYSQL_HOST:-127.0.0.1}
MYSQL_PORT=${MYSQL_PORT:-3306}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}
MQTT_HOST=${MQTT_HOST:-127.0.0.1}
MQTT_PORT=${MQTT_PORT:-1883}
# Seconds to wait for each service; a cold MariaDB datadir init takes ~10 s on a small machine.
WAIT_SECONDS=${SERVICES_WAIT_SECONDS:-30}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVICES=(mysql redis mosquitto)

host_of() {
  case $1 in
    mysql) echo "$MYSQL_HOST" ;;
    redis) echo "$REDIS_HOST" ;;
    mosquitto) echo "$MQTT_HOST" ;;
  esac
}
port_of() {
  case $1 in
    mysql) echo "$MYSQL_PORT" ;;
    redis) echo "$REDIS_PORT" ;;
    mosquitto) echo "$MQTT_PORT" ;;
  esac
}

# TCP connect test with bash's /dev/tcp; `timeout` keeps a filtered port from hanging us.
# shellcheck disable=SC2016 # $1/$2 are expanded by the inner bash, on purpose
answers() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$(host_of "$1")" "$(port_of "$1")" 2>/dev/null
}

# Prints "name host:port ... up (how)" with a dot per half second until the port answers.
wait_for() {
  local name=$1 how=$2 i
  printf '%s %s:%s ...' "$name" "$(host_of "$name")" "$(port_of "$name")"
  for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
    if answers "$name"; then
      printf ' up (%s)\n' "$how"
      return 0
    fi
    printf '.'
    sleep 0.5
  done
  printf ' NOT answering after %ss\n' "$WAIT_SECONDS"
  return 1
}

is_local_host() {
  case $1 in
    127.* | localhost | ::1) return 0 ;;
    *) return 1 ;;
  esac
}

mysql_tcp_login_ok() {
  mariadb --protocol=tcp -uroot -h"$MYSQL_HOST" -P"$MYSQL_PORT" --connect-timeout=5 -e 'select 1' >/dev/null 2>&1
}

# ---- a. already running ---------------------------------------------------------------------
missing=()
for s in "${SERVICES[@]}"; do
  if answers "$s"; then
    printf '%s %s:%s ... up (already running)\n' "$s" "$(host_of "$s")" "$(port_of "$s")"
  else
    missing+=("$s")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "all services already answer; nothing to start"
  exit 0
fi
echo "not answering: ${missing[*]}"

# ---- b. Docker ------------------------------------------------------------------------------
if docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  echo "starting with docker compose (project warehouse-dev, published on 127.0.0.1): ${missing[*]}"
  # docker-compose.yml mounts secret files; the dev overlay uses none of their values but compose
  # needs them to exist. Kept if already there.
  sh "$ROOT/docker/make-secrets.sh" "${SECRETS_DIR:-$ROOT/secrets}" >/dev/null
  # The dev overlay publishes the three on loopback (on MYSQL_PORT, REDIS_PORT and MQTT_PORT), with
  # an open broker and MariaDB's root without a password, as a hub and tests on this host expect.
  # A project of its own, so its volumes are not the production stack's. Only the missing services,
  # so one already on the host does not make the port mapping clash. --wait blocks on the
  # healthchecks: Docker's port proxy accepts TCP before MariaDB is ready.
  export MYSQL_PORT REDIS_PORT MQTT_PORT
  docker compose --project-name warehouse-dev -f "$ROOT/docker-compose.yml" -f "$ROOT/docker-compose.dev.yml" \
    up -d --wait "${missing[@]}"
  failed=()
  for s in "${missing[@]}"; do
    wait_for "$s" docker || failed+=("$s")
  done
  for s in "${failed[@]}"; do
    echo "error: $s did not come up; see: docker compose -p warehouse-dev logs $s" >&2
  done
  ((${#failed[@]} == 0)) || exit 1
  exit 0
fi

# ---- c. local Debian packages, without systemd -------------------------------------------------
for s in "${missing[@]}"; do
  if ! is_local_host "$(host_of "$s")"; then
    echo "error: $s at $(host_of "$s"):$(port_of "$s") does not answer and is not on this machine; start it there" >&2
    exit 1
  fi
done

binary_of() {
  case $1 in
    mysql) echo /usr/sbin/mariadbd ;;
    redis) echo /usr/bin/redis-server ;;
    mosquitto) echo /usr/sbin/mosquitto ;;
  esac
}
package_of() {
  case $1 in
    mysql) echo mariadb-server ;;
    redis) echo redis-server ;;
    mosquitto) echo mosquitto ;;
  esac
}

# Starting the system daemons needs root too (they write under /run, /var/lib and /var/log).
if [[ $(id -u) -ne 0 ]]; then
  for s in "${missing[@]}"; do
    if [[ ! -x $(binary_of "$s") ]]; then
      echo "error: $s is not running and $(binary_of "$s") is missing: install it with 'sudo apt-get install -y $(package_of "$s")' (or start Docker) and run this again" >&2
    else
      echo "error: $s is installed but not running; starting it needs root: 'sudo bash scripts/services.sh' (or start Docker)" >&2
    fi
  done
  exit 1
fi

apt_updated=0
for s in "${missing[@]}"; do
  if [[ ! -x $(binary_of "$s") ]]; then
    if ((apt_updated == 0)); then
      apt-get update
      apt_updated=1
    fi
    echo "installing $(package_of "$s")"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$(package_of "$s")"
  fi
done

mysql_log() {
  # The server's own error log if the config names one; else its stderr, captured below.
  local configured
  configured=$(my_print_defaults --mysqld 2>/dev/null | sed -n 's/^--log[-_]error=//p' | tail -n 1)
  echo "${configured:-/var/log/mysql/ci.log}"
}
log_of() {
  case $1 in
    mysql) mysql_log ;;
    redis) echo /var/log/redis/ci.log ;;
    mosquitto) echo /var/log/mosquitto/mosquitto.log ;;
  esac
}

# The start_* functions run under `if !`, where set -e is off, hence the explicit `|| return 1`.
start_mysql() {
  mkdir -p /run/mysqld /var/log/mysql || return 1
  chown mysql:mysql /run/mysqld /var/log/mysql || return 1
  if [[ ! -d /var/lib/mysql/mysql ]]; then
    echo "mysql: initialising /var/lib/mysql (log: /var/log/mysql/install-db.log)"
    mkdir -p /var/lib/mysql && chown mysql:mysql /var/lib/mysql || return 1
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/var/log/mysql/install-db.log 2>&1 || {
      echo "error: mariadb-install-db failed; see /var/log/mysql/install-db.log" >&2
      return 1
    }
  fi
  # --oknodo: a mariadbd already running (maybe still starting) is left alone.
  # --user=mysql: Debian's stock config leaves `user` to the systemd unit, and mariadbd refuses root.
  start-stop-daemon --start --oknodo --background --output /var/log/mysql/ci.log \
    --exec /usr/sbin/mariadbd -- --user=mysql --port="$MYSQL_PORT"
}

start_redis() {
  mkdir -p /var/lib/redis /var/log/redis || return 1
  # A throwaway dev/CI instance: no RDB/AOF, so a crash never reloads a stale dataset.
  /usr/bin/redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
}

start_mosquitto() {
  if [[ $MQTT_PORT != 1883 ]]; then
    echo "warning: mosquitto listens where /etc/mosquitto/mosquitto.conf says, not necessarily on $MQTT_PORT" >&2
  fi
  # The Debian config writes its pid file, store and log here; without systemd nothing creates them.
  mkdir -p /run/mosquitto /var/lib/mosquitto /var/log/mosquitto || return 1
  if id mosquitto >/dev/null 2>&1; then
    chown mosquitto:mosquitto /run/mosquitto /var/lib/mosquitto /var/log/mosquitto || return 1
  fi
  /usr/sbin/mosquitto -d -c /etc/mosquitto/mosquitto.conf
}

# Start everything first so the services boot in parallel, then wait for each.
for s in "${missing[@]}"; do
  if answers "$s"; then
    continue # the package's install scripts may have started it already
  fi
  echo "starting $s"
  if ! "start_$s"; then
    echo "error: could not start $s; see $(log_of "$s")" >&2
    exit 1
  fi
done

failed=()
for s in "${missing[@]}"; do
  if ! wait_for "$s" "started locally"; then
    failed+=("$s")
    continue
  fi
  if [[ $s == mysql ]] && ! mysql_tcp_login_ok; then
    # Debian's root@localhost uses unix_socket only; the hub logs in over TCP with no password.
    echo "mysql: root cannot log in over TCP with an empty password; allowing it (unix_socket kept)"
    mariadb -uroot -e "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;"
    if ! mysql_tcp_login_ok; then
      # With skip-name-resolve a TCP client is matched by its IP, never by 'localhost'.
      client_host=$MYSQL_HOST
      [[ $client_host == localhost ]] && client_host=127.0.0.1
      mariadb -uroot -e "CREATE USER IF NOT EXISTS root@'$client_host' IDENTIFIED BY ''; GRANT ALL PRIVILEGES ON *.* TO root@'$client_host' WITH GRANT OPTION; FLUSH PRIVILEGES;"
    fi
    if ! mysql_tcp_login_ok; then
      echo "error: mysql answers but root still cannot log in over TCP to $MYSQL_HOST:$MYSQL_PORT" >&2
      failed+=(mysql)
    fi
  fi
done

for s in "${failed[@]}"; do
  echo "error: $s did not come up on $(host_of "$s"):$(port_of "$s"); log: $(log_of "$s")" >&2
done
((${#failed[@]} == 0)) || exit 1
