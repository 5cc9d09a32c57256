#!/usr/bin/env bash
# Restores a scripts/backup.sh dump into a new database, for hubs that then start on a fresh Redis
# state. docs/operations.md, "Backup and restore", gives the whole procedure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=db-client.sh
. "$HERE/db-client.sh"

usage() {
  cat <<'EOF'
Usage: scripts/restore.sh [options] INPUT

Restores INPUT, a dump written by scripts/backup.sh (.gz or plain), into a new database.
Stop every hub process first. The database must not exist yet, or have no tables.

The hubs that start on the restored database must find no Redis state of the old one:
its dedupe records would answer events the dump lacks as duplicates. So the Redis key
prefix they will use must hold no keys: give a new REDIS_PREFIX, or --clear-redis to
delete the prefix's keys. Nothing is written while either check fails.

Options:
  --database-url URL  the database to create, mysql://user:password@host:port/database
                      (default: $MYSQL_URL, else mysql://root@127.0.0.1:3306/warehouse)
  --redis-url URL     the hubs' Redis (default: $REDIS_URL, else redis://127.0.0.1:6379)
  --redis-prefix P    the REDIS_PREFIX the hubs will start with (default: $REDIS_PREFIX,
                      else wh)
  --clear-redis       delete the prefix's keys instead of refusing when it has some
  -h, --help          show this help

Exit status: 0 restored, 1 a check or the restore failed, 2 usage error.
EOF
}

usage_error() {
  echo "restore: $1" >&2
  echo "Try 'scripts/restore.sh --help'." >&2
  exit 2
}

fail() {
  echo "restore: $1" >&2
  exit 1
}

url=${MYSQL_URL:-mysql://root@127.0.0.1:3306/warehouse}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}
prefix=${REDIS_PREFIX:-wh}
clear_redis=false
input=''
while (($# > 0)); do
  case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    --database-url | --redis-url | --redis-prefix)
      (($# >= 2)) || usage_error "$1 needs a value"
      case $1 in
        --database-url) url=$2 ;;
        --redis-url) redis_url=$2 ;;
        --redis-prefix) prefix=$2 ;;
      esac
      shift 2
      ;;
    --clear-redis)
      clear_redis=true
      shift
      ;;
    -*) usage_error "unknown option: $1" ;;
    *)
      [[ -z $input ]] || usage_error "one INPUT only (got $input and $1)"
      input=$1
      shift
      ;;
  esac
done
[[ -n $input ]] || usage_error 'INPUT is missing'
[[ -f $input && -r $input ]] || usage_error "cannot read $input"
parse_mysql_url "$url" || usage_error 'the database URL is not mysql://user:password@host:port/database'
redis_re='^(rediss?)://(([^:@/]*)(:([^@/]*))?@)?([^@/[:space:]]+)(/([0-9]+))?$'
[[ $redis_url =~ $redis_re ]] || usage_error 'the Redis URL is not redis://user:password@host:port/db'
# The password goes in the environment, not on the command line where `ps` shows it.
redis_args=(-u "${BASH_REMATCH[1]}://${BASH_REMATCH[6]}/${BASH_REMATCH[8]:-0}")
[[ ${BASH_REMATCH[1]} == rediss ]] && redis_args+=(--tls)
[[ -n ${BASH_REMATCH[3]} ]] && redis_args+=(--user "$(url_decode "${BASH_REMATCH[3]}")")
if [[ -n ${BASH_REMATCH[5]} ]]; then
  REDISCLI_AUTH=$(url_decode "${BASH_REMATCH[5]}")
  export REDISCLI_AUTH
fi
# The hub's own rule for REDIS_PREFIX; it also keeps the prefix free of glob characters.
[[ $prefix =~ ^[A-Za-z0-9_.-]{1,64}$ ]] || usage_error "invalid Redis prefix: $prefix"

client=$(client_tool mariadb mysql)
command -v redis-cli >/dev/null || fail 'redis-cli is not installed'
write_client_options
trap 'rm -f "$CLIENT_OPTIONS"' EXIT
sql() { "$client" --defaults-extra-file="$CLIENT_OPTIONS" --batch --skip-column-names "$@"; }

# One SCAN page of the prefix's keys, on the server (any byte may be in a key: a SKU is part of
# some), deleting them when asked. Replies the next cursor and how many keys the page had.
PAGE='local r = redis.call("SCAN", ARGV[1], "MATCH", ARGV[2], "COUNT", 1000)
if ARGV[3] == "delete" then for _, k in ipairs(r[2]) do redis.call("UNLINK", k) end end
return {r[1], #r[2]}'
# `count`: whether the prefix has keys (1 or 0); `delete`: deletes them, printing how many.
prefix_keys() {
  local cursor=0 total=0 reply
  while :; do
    reply=$(redis-cli "${redis_args[@]}" --raw eval "$PAGE" 0 "$cursor" "$prefix:*" "$1") || return 1
    cursor=$(sed -n 1p <<<"$reply")
    [[ $cursor =~ ^[0-9]+$ ]] || return 1
    total=$((total + $(sed -n 2p <<<"$reply")))
    [[ $cursor == 0 || ($1 == count && $total -gt 0) ]] && break
  done
  echo "$total"
}

# Checks first, so that a refusal leaves everything as it was.
old_keys=$(prefix_keys count) || fail "cannot read Redis at ${redis_args[1]}"
if ((old_keys > 0)) && [[ $clear_redis == false ]]; then
  fail "Redis prefix '$prefix' holds keys of the old state; start the hubs with a new REDIS_PREFIX, or pass --clear-redis"
fi
tables=$(sql -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '$DB_NAME'") ||
  fail "cannot reach the database server at $DB_HOST:$DB_PORT"
((tables == 0)) || fail "database $DB_NAME has $tables tables; restore into a new database"

if ((old_keys > 0)); then
  echo "restore: deleted $(prefix_keys delete) keys of Redis prefix '$prefix'" >&2
fi

echo "restore: creating database $DB_NAME on $DB_HOST:$DB_PORT" >&2
# The collation the hub creates its database with (hub/src/db/connection.ts).
sql -e "CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"

echo "restore: loading $input" >&2
started=$SECONDS
read_input=(cat)
[[ $input == *.gz ]] && read_input=(gzip -dc)
"${read_input[@]}" "$input" |
  awk '/^CREATE TABLE / { t = $3; gsub(/`/, "", t); print "restore: table " t > "/dev/stderr"; fflush("/dev/stderr") } { print }' |
  sql --database="$DB_NAME"
echo "restore: done in $((SECONDS - started)) s; start the hubs with REDIS_PREFIX=$prefix" >&2
