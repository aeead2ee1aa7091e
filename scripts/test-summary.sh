#!/usr/bin/env bash
# Sums the test runs of test.sh: LOGDIR holds, per test project NAME, NAME.log (dotnet test's
# console output, with --blame) and NAME.diag/ (its --diag logs). A test host that crashed or a run
# that printed no summary counts as a failure, with its reason, so the closing line never says
# "0 failed" for a run that did not finish.
set -uo pipefail
logdir=${1:?usage: test-summary.sh LOGDIR}

signal_of() { # exit code -> "SIGFPE" etc., or "exit code N"
  local code=$1
  if [ "$code" -gt 128 ] && [ "$code" -lt 160 ]; then
    echo "SIG$(kill -l $((code - 128)) 2>/dev/null || echo "$((code - 128))")"
  else
    echo "exit code $code"
  fi
}

passed=0 failed=0 skipped=0 broken=0
for log in "$logdir"/*.log; do
  [ -e "$log" ] || continue
  name=$(basename "$log" .log)
  read -r p f s has_summary < <(awk '
    /^Total tests:/ { summary = 1; seen = 1; next }
    summary && /^ +Passed: +[0-9]+$/ { p += $2 }
    summary && /^ +Failed: +[0-9]+$/ { f += $2 }
    summary && /^ +Skipped: +[0-9]+$/ { s += $2 }
    /Total time:/ { summary = 0 }
    END { printf "%d %d %d %d\n", p, f, s, seen }' "$log")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if grep -qE "Test Run Aborted|The active [Tt]est [Rr]un was aborted" "$log"; then
    broken=$((broken + 1))
    code=$(grep -hoE "Testhost processId: [0-9]+ exited with exitcode: -?[0-9]+" "$logdir/$name.diag/"* 2>/dev/null \
      | grep -oE -- "-?[0-9]+$" | grep -v '^0$' | head -n 1)
    running=$(awk '/The test running when the crash occurred:/ { getline; print; exit }' "$log")
    echo "CRASHED: $name: the test host died${code:+ with $(signal_of "$code")}${running:+ while running $running}; its remaining tests did not run"
  elif [ "$has_summary" -eq 0 ]; then
    broken=$((broken + 1))
    echo "CRASHED: $name: the test run printed no summary (it did not finish)"
  fi
done

failed=$((failed + broken))
if [ "$broken" -gt 0 ]; then
  echo "($broken test run(s) did not finish; each counts as one failure below)"
fi
printf "Tests: %d passed, %d failed, %d skipped\n" "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
