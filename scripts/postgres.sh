#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster for dev runs and tests.
#   scripts/postgres.sh start DIR [OWNER_PID]   prints an Npgsql connection string
#   scripts/postgres.sh stop DIR
#   scripts/postgres.sh pause DIR / resume DIR   stop the server and start it again on the same port (fault tests)
# The server refuses to run as root, so as root it runs as the system user 'webtrainer'.
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

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local bin port
  bin=$(find_bindir)
  if [ "$(id -u)" = 0 ] && ! id "$os_user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$os_user"
  fi
  mkdir -p "$dir/socket"
  if [ "$(id -u)" = 0 ]; then
    chown -R "$os_user" "$dir"
    runuser -u "$os_user" -- test -w "$dir" \
      || { echo "postgres.sh: user $os_user cannot reach $dir; its parent folders must be traversable (chmod o+x)" >&2; exit 1; }
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_db_user "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  for attempt in $(seq 1 20); do
    port=$(( 20000 + (RANDOM % 30000) ))
    port_free "$port" || continue
    if as_db_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
        -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c max_connections=200 ${PG_EXTRA_OPTS:-}" start >/dev/null; then
      echo "$port" >"$dir/port"
      break
    fi
    port=
  done
  [ -n "${port:-}" ] || { echo "postgres.sh: could not start PostgreSQL, see $dir/postgres.log" >&2; tail -20 "$dir/postgres.log" >&2; exit 1; }
  as_db_user "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt \
    -c "SELECT 1 FROM pg_database WHERE datname = 'webtrainer'" | grep -q 1 \
    || as_db_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres webtrainer
  if [ -n "$owner" ]; then
    # setsid: the watchdog must outlive a Ctrl-C to the owner's process group and then clean up.
    setsid bash -c "while kill -0 $owner 2>/dev/null; do sleep 1; done; \
      $(declare -f as_db_user); os_user=$os_user; as_db_user '$bin/pg_ctl' -D '$dir/data' stop -m fast >/dev/null 2>&1" \
      </dev/null >/dev/null 2>&1 &
    echo $! >"$dir/watchdog.pid"
  fi
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=webtrainer;Pooling=true;Maximum Pool Size=50"
}

stop() {
  local bin
  bin=$(find_bindir)
  if [ -f "$dir/watchdog.pid" ]; then kill "$(cat "$dir/watchdog.pid")" 2>/dev/null || true; rm -f "$dir/watchdog.pid"; fi
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_db_user "$bin/pg_ctl" -D "$dir/data" stop -m fast -w >/dev/null 2>&1 || true
  fi
}

pause() {
  as_db_user "$(find_bindir)/pg_ctl" -D "$dir/data" stop -m fast -w >/dev/null
}

resume() {
  local port
  port=$(cat "$dir/port")
  as_db_user "$(find_bindir)/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c max_connections=200 ${PG_EXTRA_OPTS:-}" start >/dev/null
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  pause) pause ;;
  resume) resume ;;
  *) echo "usage: postgres.sh start|stop|pause|resume DIR [OWNER_PID]" >&2; exit 2 ;;
esac
