#!/usr/bin/env bash
# Deep fuzzing, outside CI: every fuzz target for FUZZTIME (default 30s)
# without minimization (-fuzzminimizetime=0), so the time goes to new inputs
# rather than to shrinking the interesting ones (on FuzzRead of ingest/text:
# 226,627 execs in 10 s instead of 11,789). A failing input is written,
# unminimized, to the package's testdata/fuzz: fix the bug and commit the
# input, and scripts/test.sh replays it from then on. Prints one line per
# target and exits 1 when any target failed (logs in $LOGDIR).
set -uo pipefail
cd "$(dirname "$0")/.."
FUZZTIME="${FUZZTIME:-30s}"
LOGDIR="${LOGDIR:-$(mktemp -d)}"
failed=0
while read -r f; do
  pkg="./$(dirname "${f#./}")"
  for t in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //'); do
    log="$LOGDIR/$(echo "$pkg" | tr / _)-$t.log"
    if go test -run='^$' -fuzz="^${t}\$" -fuzztime="$FUZZTIME" -fuzzminimizetime=0 "$pkg" >"$log" 2>&1; then
      echo "ok   $pkg $t"
    elif grep -q 'Failing input written to' "$log"; then
      echo "FAIL $pkg $t ($log)"; failed=1
    else
      # Go's end-of-deadline race (see scripts/test.sh) or a build error.
      echo "??   $pkg $t ($log)"
    fi
  done
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | sort)
exit $failed
