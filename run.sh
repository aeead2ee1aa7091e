#!/usr/bin/env bash
# Runs the whole WebTrainer system: a private PostgreSQL (unless Database__ConnectionString is set),
# one Worker, the Web dashboard + REST API, and sample datasets under .data/datasets.
# Ctrl-C stops all of it.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

scripts/install-deps.sh run

echo "Building (Release)…"
# The Web no longer references the Worker; it starts the Worker's `helper` command for HDF5 and images.
dotnet build src/Web/WebTrainer.Web.csproj -c Release -v quiet -nologo -clp:ErrorsOnly
dotnet build src/Worker/WebTrainer.Worker.csproj -c Release -v quiet -nologo -clp:ErrorsOnly
bin_web="$root/src/Web/bin/Release/net10.0"
bin_worker="$root/src/Worker/bin/Release/net10.0"

data_root="${DataRoots__0:-$root/.data/datasets}"
mkdir -p "$data_root"
if [ ! -f "$data_root/synthetic-stripes.h5" ]; then
  dotnet "$bin_worker/WebTrainer.Worker.dll" dataset synth --out "$data_root/synthetic-stripes.h5"
fi
if [ ! -f "$data_root/fashion-mnist.h5" ] && [ -d /usr/share/datasets/fashion-mnist ]; then
  dotnet "$bin_worker/WebTrainer.Worker.dll" dataset fashion-mnist --out "$data_root/fashion-mnist.h5"
fi

pids=()
pg_dir="$root/.data/postgres"
own_pg=
cleanup() {
  trap - INT TERM EXIT
  # Output may go to a pipe that Ctrl-C already closed: nothing here may die of that.
  trap '' PIPE
  { echo; echo "Stopping WebTrainer…"; } 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$own_pg" ]; then scripts/postgres.sh stop "$pg_dir" 2>/dev/null || true; fi
  echo "Stopped." 2>/dev/null || true
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

if [ -z "${Database__ConnectionString:-}" ]; then
  export Database__ConnectionString
  Database__ConnectionString=$(scripts/postgres.sh start "$pg_dir" $$)
  own_pg=1
  echo "Private PostgreSQL in $(cat "$pg_dir/cluster" 2>/dev/null || echo "$pg_dir") (127.0.0.1:$(cat "$pg_dir/port"), password in ${pg_dir#$root/}/password)"
fi

# The first admin: from the environment, else generated once and kept in .data/admin-credentials.
credentials="$root/.data/admin-credentials"
if [ -z "${Auth__BootstrapAdmin__Email:-}" ]; then
  if [ ! -f "$credentials" ]; then
    umask 077
    cat >"$credentials" <<CRED
Auth__BootstrapAdmin__Email=admin@localhost
Auth__BootstrapAdmin__Password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
Auth__BootstrapAdmin__ApiKey=wt_$(head -c 32 /dev/urandom | base64 | tr -d '/+=')
CRED
    umask 022
  fi
  set -a; . "$credentials"; set +a
fi

export DataRoots__0="$data_root"
export Artifacts__Root="${Artifacts__Root:-$root/.data/artifacts}"
export Worker__Threads="${Worker__Threads:-$(nproc)}"
export OMP_NUM_THREADS="$Worker__Threads"
url="${WEBTRAINER_URL:-http://localhost:5080}"

# What a further Worker (on this or another machine) needs: same database, data roots, artifacts.
run_env="$root/.data/run.env"
(umask 077; for name in $(compgen -e | grep -E '^(Database__|DataRoots__|Artifacts__|Worker__|OMP_NUM_THREADS$)'); do
  printf 'export %s=%q\n' "$name" "${!name}"; done >"$run_env")

# --pdeathsig: should this script die without cleaning up (kill -9), the kernel stops its children.
ASPNETCORE_ENVIRONMENT=Production setpriv --pdeathsig TERM -- dotnet "$bin_worker/WebTrainer.Worker.dll" &
worker_pid=$!
pids+=($worker_pid)
ASPNETCORE_URLS="$url" Helpers__WorkerPath="$bin_worker/WebTrainer.Worker.dll" DataProtection__KeysPath="$root/.data/keys" setpriv --pdeathsig TERM -- dotnet "$bin_web/WebTrainer.Web.dll" --contentRoot "$root/src/Web" &
web_pid=$!
pids+=($web_pid)

for _ in $(seq 1 120); do
  curl -fsS "$url/health" >/dev/null 2>&1 && break
  sleep 0.5
done
cat <<TXT

WebTrainer is running.
  Dashboard:     $url/
  REST API:      $url/scalar/v1   (OpenAPI: $url/openapi/v1.json)
  Queue:         $url/hangfire (admins)
  Data root:     $data_root  ($(ls "$data_root" | tr '\n' ' '))
Sign in:       $Auth__BootstrapAdmin__Email / ${Auth__BootstrapAdmin__Password:-(as configured)}   (kept in ${credentials#$root/})
API key:       ${Auth__BootstrapAdmin__ApiKey:-(none configured; create one in the dashboard or POST /api/me/api-keys)}
Try:
  curl -X POST $url/api/jobs -H "X-Api-Key: ${Auth__BootstrapAdmin__ApiKey:-<key>}" -H 'Content-Type: application/json' -d @samples/fashion-cnn.json
Another Worker: (. ${run_env#$root/}; Worker__Name=worker-2 exec dotnet ${bin_worker#$root/}/WebTrainer.Worker.dll)
Ctrl-C stops everything.
TXT

# A Worker that stops (or is killed) leaves the Web and the database up: its job waits for the
# next Worker, which resumes it. The Web stopping ends the run.
while true; do
  finished=
  wait -n -p finished "${pids[@]}" || true
  if [ "${finished:-}" = "$worker_pid" ]; then
    echo "The Worker stopped; the dashboard stays up. Start another one as shown above."
    pids=("$web_pid")
    continue
  fi
  break
done
