#!/bin/sh
# Replay the fuzz seeds and the regression inputs (every crash the fuzzers
# once found, tests/fuzz/regress/<harness>/) through each harness, built
# without libFuzzer (tests/fuzz/fuzz.am).  TAP: one test per harness.
src=${NEWSLINT_TEST_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${NEWSLINT_TEST_BUILDDIR:-.}
harnesses="doc config plugins pack report"
echo "1..5"
n=0
status=0
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT
for h in $harnesses; do
	n=$((n + 1))
	dirs=
	for d in "$src/tests/fuzz/seeds/$h" "$src/tests/fuzz/regress/$h"; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	# shellcheck disable=SC2086
	if "$build/tests/fuzz/replay_$h" $dirs >"$log" 2>&1; then
		echo "ok $n - $h: $(tail -1 "$log")"
	else
		echo "not ok $n - $h"
		tail -25 "$log" | sed 's/^/# /'
		status=1
	fi
done
exit $status
