#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster for dev runs and tests.
#   scripts/postgres.sh start DIR [OWNER_PID]   prints an Npgsql connection string
#   scripts/postgres.sh stop DIR
#   scripts/postgres.sh pause DIR / resume DIR   stop the server and start it again on the same port (fault tests)
# The server refuses to run as root, so as root it runs as the system user 'webtrainer'. When that user
# cannot reach DIR (a clone under /root, which is 0700), the cluster lives in a private folder of its own
# under /var/lib/webtrainer instead, and DIR keeps only the port, the password and the cluster's path: no
# folder's permissions are loosened.
# Authentication is scram-sha-256 with a password generated per cluster (DIR/password, mode 0600), on TCP
# 127.0.0.1 and on a Unix socket in the cluster's private folder: no other local account gets in.
# With OWNER_PID, a watchdog stops the cluster when that process dies, however it dies.
# PG_EXTRA_OPTS adds server options (tests pass "-c fsync=off").
set -euo pipefail

cmd=${1:?usage: postgres.sh start|stop DIR [OWNER_PID]}
dir=$(realpath -m "${2:?usage: postgres.sh start|stop DIR [OWNER_PID]}")
owner=${3:-}
os_user=webtrainer

find_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  echo "postgres.sh: PostgreSQL server binaries not found; install Debian's 'postgresql' package" >&2
  exit 1
}

as_db_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$os_user" -- "$@"; else "$@"; fi
}

# Where the cluster's files live: DIR itself, or (root, DIR unreachable for the database user) a private
# folder named after DIR, recorded in DIR/cluster so stop/pause/resume find it.
cluster_dir() {
  if [ -f "$dir/cluster" ]; then cat "$dir/cluster"; return; fi
  if [ "$(id -u)" = 0 ] && ! runuser -u "$os_user" -- test -x "$(dirname "$dir")" 2>/dev/null; then
    echo "/var/lib/webtrainer/clusters/$(printf %s "$dir" | sha256sum | cut -c1-16)"
  else
    echo "$dir"
  fi
}

password() { cat "$dir/password"; }

# The password goes through the environment (runuser keeps it), not the command line that ps shows.
as_db_client() { PGPASSWORD="$(password)" as_db_user "$@"; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local bin port cluster fresh=
  bin=$(find_bindir)
  if [ "$(id -u)" = 0 ] && ! id "$os_user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$os_user"
  fi
  mkdir -p "$dir"
  cluster=$(cluster_dir)
  if [ "$cluster" != "$dir" ]; then
    install -d -m 0700 -o "$os_user" /var/lib/webtrainer /var/lib/webtrainer/clusters
    install -d -m 0700 -o "$os_user" "$cluster"
    echo "$cluster" >"$dir/cluster"
  fi
  if [ ! -f "$dir/password" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/password")
  fi
  mkdir -p "$cluster/socket"
  chmod 0700 "$cluster/socket"
  if [ "$(id -u)" = 0 ]; then
    chown -R "$os_user" "$cluster"
    runuser -u "$os_user" -- test -w "$cluster" \
      || { echo "postgres.sh: user $os_user cannot write $cluster" >&2; exit 1; }
  fi
  if [ ! -f "$cluster/data/PG_VERSION" ]; then
    fresh=1
    local pwfile="$cluster/.pwfile"
    (umask 077; password >"$pwfile")
    [ "$(id -u)" = 0 ] && chown "$os_user" "$pwfile"
    as_db_user "$bin/initdb" -D "$cluster/data" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" -E UTF8 --no-sync \
      >"$dir/initdb.log" 2>&1 || { rm -f "$pwfile"; cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$pwfile"
  fi
  if [ -z "$fresh" ] && grep -qE '^[^#].*[[:space:]]trust[[:space:]]*$' "$cluster/data/pg_hba.conf" 2>/dev/null; then
    # A cluster made before passwords (initdb --auth=trust): set the password over the private socket, then
    # require it from now on.
    upgrade_trust "$bin" "$cluster"
  fi
  for attempt in $(seq 1 20); do
    port=$(( 20000 + (RANDOM % 30000) ))
    port_free "$port" || continue
    if server_start "$bin" "$cluster" "$port"; then
      echo "$port" >"$dir/port"
      break
    fi
    port=
  done
  [ -n "${port:-}" ] || { echo "postgres.sh: could not start PostgreSQL, see $cluster/postgres.log" >&2; tail -20 "$cluster/postgres.log" >&2; exit 1; }
  as_db_client "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt \
    -c "SELECT 1 FROM pg_database WHERE datname = 'webtrainer'" | grep -q 1 \
    || as_db_client "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres webtrainer
  if [ -n "$owner" ]; then
    # setsid: the watchdog must outlive a Ctrl-C to the owner's process group and then clean up.
    setsid bash -c "while kill -0 $owner 2>/dev/null; do sleep 1; done; \
      $(declare -f as_db_user); os_user=$os_user; as_db_user '$bin/pg_ctl' -D '$cluster/data' stop -m fast >/dev/null 2>&1" \
      </dev/null >/dev/null 2>&1 &
    echo $! >"$dir/watchdog.pid"
  fi
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$(password);Database=webtrainer;Pooling=true;Maximum Pool Size=50"
}

server_start() {
  as_db_user "$1/pg_ctl" -D "$2/data" -l "$2/postgres.log" -w -t 60 \
    -o "-p $3 -k $2/socket -c listen_addresses=127.0.0.1 -c max_connections=200 -c password_encryption=scram-sha-256 ${PG_EXTRA_OPTS:-}" start >/dev/null
}

upgrade_trust() {
  local bin=$1 cluster=$2 port
  port=$(( 20000 + (RANDOM % 30000) ))
  as_db_user "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/postgres.log" -w -t 60 \
    -o "-p $port -k $cluster/socket -c listen_addresses=''" start >/dev/null
  as_db_user "$bin/psql" -h "$cluster/socket" -p "$port" -U postgres -d postgres -qAt \
    -c "SET password_encryption = 'scram-sha-256'; ALTER ROLE postgres PASSWORD '$(password)'" >/dev/null
  as_db_user "$bin/pg_ctl" -D "$cluster/data" stop -m fast -w >/dev/null
  as_db_user sed -i -E 's/^([^#].*[[:space:]])trust[[:space:]]*$/\1scram-sha-256/' "$cluster/data/pg_hba.conf"
}

stop() {
  local bin cluster
  bin=$(find_bindir)
  cluster=$(cluster_dir)
  if [ -f "$dir/watchdog.pid" ]; then kill "$(cat "$dir/watchdog.pid")" 2>/dev/null || true; rm -f "$dir/watchdog.pid"; fi
  if [ -f "$cluster/data/postmaster.pid" ]; then
    as_db_user "$bin/pg_ctl" -D "$cluster/data" stop -m fast -w >/dev/null 2>&1 || true
  fi
}

pause() {
  as_db_user "$(find_bindir)/pg_ctl" -D "$(cluster_dir)/data" stop -m fast -w >/dev/null
}

resume() {
  server_start "$(find_bindir)" "$(cluster_dir)" "$(cat "$dir/port")"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  pause) pause ;;
  resume) resume ;;
  *) echo "usage: postgres.sh start|stop|pause|resume DIR [OWNER_PID]" >&2; exit 2 ;;
esac
