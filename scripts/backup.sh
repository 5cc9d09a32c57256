#!/usr/bin/env bash
# A consistent backup of the hub's database while hubs run and scans flow. docs/operations.md,
# "Backup and restore", says why each dump option is there.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=db-client.sh
. "$HERE/db-client.sh"

usage() {
  cat <<'EOF'
Usage: scripts/backup.sh [--database-url URL] OUTPUT

Dumps the hub's database to OUTPUT (gzip-compressed when the name ends in .gz) as one
consistent snapshot, without stopping the hubs or locking their tables. The file is
written under OUTPUT.partial and renamed once the dump is complete.

Options:
  --database-url URL  the hub's database, mysql://user:password@host:port/database
                      (default: $MYSQL_URL, else the hub's default
                      mysql://root@127.0.0.1:3306/warehouse)
  -h, --help          show this help

Exit status: 0 written, 1 the dump failed (nothing left at OUTPUT), 2 usage error.
EOF
}

usage_error() {
  echo "backup: $1" >&2
  echo "Try 'scripts/backup.sh --help'." >&2
  exit 2
}

url=${MYSQL_URL:-mysql://root@127.0.0.1:3306/warehouse}
output=''
while (($# > 0)); do
  case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    --database-url)
      (($# >= 2)) || usage_error '--database-url needs a value'
      url=$2
      shift 2
      ;;
    --database-url=*)
      url=${1#*=}
      shift
      ;;
    -*) usage_error "unknown option: $1" ;;
    *)
      [[ -z $output ]] || usage_error "one OUTPUT only (got $output and $1)"
      output=$1
      shift
      ;;
  esac
done
[[ -n $output ]] || usage_error 'OUTPUT is missing'
parse_mysql_url "$url" || usage_error 'the database URL is not mysql://user:password@host:port/database'
[[ ! -e $output ]] || usage_error "$output exists; choose a new name"
[[ -d $(dirname "$output") ]] || usage_error "no folder $(dirname "$output")"

dump=$(client_tool mariadb-dump mysqldump)
write_client_options
partial="$output.partial"
trap 'rm -f "$CLIENT_OPTIONS" "$partial"' EXIT

compress=(cat)
[[ $output == *.gz ]] && compress=(gzip -c)

echo "backup: dumping database $DB_NAME from $DB_HOST:$DB_PORT to $output" >&2
started=$SECONDS
# --defaults-extra-file must come first. The table names go to stderr as the dump reaches them.
"$dump" --defaults-extra-file="$CLIENT_OPTIONS" \
  --single-transaction --quick --hex-blob --no-tablespaces \
  "$DB_NAME" |
  awk '/^-- Dumping data for table / { t = $6; gsub(/`/, "", t); print "backup: table " t > "/dev/stderr"; fflush("/dev/stderr") } { print }' |
  "${compress[@]}" >"$partial"
mv "$partial" "$output"
echo "backup: done, $(human_size "$(stat -c %s "$output")") in $((SECONDS - started)) s" >&2
