#!/usr/bin/env bash
# Runs every WebTrainer test: unit and pipeline tests, integration tests against a real
# PostgreSQL (a private throwaway cluster unless WEBTRAINER_TEST_DATABASE is set), real Hangfire,
# real Web and Worker processes, and browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh test

echo "Building (Release)…"
dotnet build WebTrainer.sln -c Release -v quiet -nologo -clp:ErrorsOnly

projects=(tests/WebTrainer.Worker.Tests tests/WebTrainer.Integration.Tests)
[ -d tests/WebTrainer.Browser.Tests ] && projects+=(tests/WebTrainer.Browser.Tests)

logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT
status=0
for project in "${projects[@]}"; do
  name=$(basename "$project")
  echo "== $project"
  # --blame names the test a crashed host was running; the diag log has the host's exit code (its signal).
  if ! dotnet test "$project" -c Release --no-build -nologo --blame --results-directory "$logdir/$name.results" \
      --diag:"$logdir/$name.diag/log.txt;tracelevel=info" --logger "console;verbosity=normal" 2>&1 | tee "$logdir/$name.log" \
      | { grep --line-buffered -E "^\s+(Passed|Failed|Skipped) |^Test Run|^Total tests|^\s+(Passed|Failed|Skipped): |aborted|crash occurred|^WebTrainer\.[A-Za-z.]+$" || true; }; then
    status=1
  fi
done

if [ $status -ne 0 ]; then
  echo "== Failures"
  cat "$logdir"/*.log | awk '/^  Failed [A-Za-z]/ { show = 1 } /^  Stack Trace:/ { show = 0 } show'
fi

# One closing line for people and CI: the sum over all test assemblies, crashed hosts counted as failures.
scripts/test-summary.sh "$logdir" || status=1
exit $status
