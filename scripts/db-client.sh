# shellcheck shell=bash
# Shared by backup.sh and restore.sh (sourced, not run): the hub's MYSQL_URL turned into client
# options, and the MariaDB (or MySQL) client tools to use.

# Percent-decodes a URL part, as the hub's driver does with the user and password.
url_decode() {
  local s=${1//\\/\\\\}
  printf '%b' "${s//%/\\x}"
}

# shellcheck disable=SC2034 # the variables are the sourcing script's
# Splits mysql://user:password@host:port/database into DB_USER, DB_PASSWORD, DB_HOST, DB_PORT and
# DB_NAME; returns 1 when the URL is not of that form (the database name as the hub allows it).
parse_mysql_url() {
  local re='^mysql://(([^:@/]*)(:([^@/]*))?@)?([^:@/?]+)(:([0-9]+))?/([A-Za-z0-9_]{1,64})(\?.*)?$'
  [[ $1 =~ $re ]] || return 1
  DB_USER=$(url_decode "${BASH_REMATCH[2]}")
  DB_PASSWORD=$(url_decode "${BASH_REMATCH[4]}")
  DB_HOST=${BASH_REMATCH[5]}
  DB_PORT=${BASH_REMATCH[7]:-3306}
  DB_NAME=${BASH_REMATCH[8]}
}

# Writes the login to a file only this user can read, for --defaults-extra-file: a password on
# the command line would show in `ps`. Sets CLIENT_OPTIONS; the caller removes the file.
write_client_options() {
  CLIENT_OPTIONS=$(mktemp)
  chmod 600 "$CLIENT_OPTIONS"
  local quoted=${DB_PASSWORD//\\/\\\\}
  quoted=${quoted//\"/\\\"}
  {
    echo '[client]'
    # TCP always, as the hub connects: `localhost` would otherwise mean the local socket.
    echo 'protocol=tcp'
    echo "host=$DB_HOST"
    echo "port=$DB_PORT"
    [[ -n $DB_USER ]] && echo "user=$DB_USER"
    [[ -n $DB_PASSWORD ]] && echo "password=\"$quoted\""
    echo 'default-character-set=utf8mb4'
  } >"$CLIENT_OPTIONS"
}

# The first of the named commands that is installed (MariaDB's names first), or exit 1.
client_tool() {
  local tool
  for tool in "$@"; do
    if command -v "$tool" >/dev/null; then
      echo "$tool"
      return
    fi
  done
  echo "none of $* is installed (the MariaDB or MySQL client)" >&2
  exit 1
}

# Sizes for people: 12.3 MB.
human_size() {
  awk -v b="$1" 'BEGIN { split("B KB MB GB TB", u); i = 1; while (b >= 1000 && i < 5) { b /= 1000; i++ } printf (i == 1 ? "%d %s" : "%.1f %s"), b, u[i] }'
}
