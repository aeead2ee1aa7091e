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

log=$(mktemp)
status=0
for project in "${projects[@]}"; do
  echo "== $project"
  if ! dotnet test "$project" -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee -a "$log" \
      | { grep --line-buffered -E "^\s+(Passed|Failed|Skipped) |^Test Run|^Total tests|^\s+(Passed|Failed|Skipped): " || true; }; then
    status=1
  fi
done

if [ $status -ne 0 ]; then
  echo "== Failures"
  awk '/^  Failed [A-Za-z]/ { show = 1 } /^  Stack Trace:/ { show = 0 } show' "$log"
fi

# One closing line for people and CI: the sum over all test assemblies.
awk '/^Total tests:/ { summary = 1; next }
     summary && /^ +Passed: +[0-9]+$/ { p += $2 }
     summary && /^ +Failed: +[0-9]+$/ { f += $2 }
     summary && /^ +Skipped: +[0-9]+$/ { s += $2 }
     /Total time:/ { summary = 0 }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
