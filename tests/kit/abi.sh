#!/bin/sh
# abi.sh -- ABI compatibility through the real command line (TAP):
# a plugin built against an older minor of the host's major loads and runs;
# one built against a newer minor or a newer major is refused with a clear
# message before any of its code runs (their create() would abort), and the
# other plugins still run.  Fixtures: tests/kit/abi_*.c (check_LTLIBRARIES).
B=${NEWSLINT_TEST_BUILDDIR:-.}
S=${NEWSLINT_TEST_SRCDIR:-.}
NL=$B/newslint
FIX=$B/tests/kit/.libs
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nl-abi.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

major=$(sed -n 's/^#define NL_ABI_MAJOR \([0-9]*\).*/\1/p' "$S/src/newslint/plugin.h")
minor=$(sed -n 's/^#define NL_ABI_MINOR \([0-9]*\).*/\1/p' "$S/src/newslint/plugin.h")
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
	n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"
	sed 's/^/# stdout: /' "$tmp/out"; sed 's/^/# stderr: /' "$tmp/err"; echo "# exit: $rc"
}
check() { if [ "$1" = 0 ]; then ok "$2"; else notok "$2"; fi; }

printf 'An article about the council vote.\n' > "$tmp/a.txt"
# run PLUGIN... : lint a.txt with exactly these plugins; sets rc, out, err
run() {
	printf '[newslint]\nplugins = %s\n' "$*" > "$tmp/cfg.ini"
	"$NL" --plugin-path "$FIX" -c "$tmp/cfg.ini" --format=json "$tmp/a.txt" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
has() { grep -q -- "$1" "$tmp/$2"; }

echo "1..5"
if [ ! -x "$NL" ] || [ ! -f "$FIX/abi_old_minor.so" ]; then
	rc=-; : >"$tmp/out"; echo "missing $NL or $FIX/abi_old_minor.so" >"$tmp/err"
	notok "fixtures built"; notok "skipped"; notok "skipped"; notok "skipped"; notok "skipped"
	exit 1
fi

run abi_old_minor
[ "$rc" = 1 ] && has '"abi_old_minor.loaded"' out && ! has 'abi_old_minor' err
check $? "a plugin built for ABI $major.$((minor > 0 ? minor - 1 : 0)) loads in this $major.$minor newslint and reports"

run abi_new_major
[ "$rc" = 2 ] && has "abi_new_major.so: plugin ABI $((major + 1)).0, this newslint speaks $major.x" err \
	&& has 'rebuild the plugin' err && ! has '"abi_new_major.loaded"' out
check $? "a plugin built for ABI $((major + 1)).0 is refused with a clear message"

run abi_new_minor
[ "$rc" = 2 ] && has "abi_new_minor.so: plugin ABI $major.$((minor + 1)) is newer than this newslint's $major.$minor" err \
	&& has 'upgrade newslint' err && ! has '"abi_new_minor.loaded"' out
check $? "a plugin built for a newer minor ($major.$((minor + 1))) is refused with a clear message"

run abi_new_major abi_old_minor
[ "$rc" = 2 ] && has '"abi_old_minor.loaded"' out && has 'abi_new_major.so' err
check $? "a refused plugin does not stop the others (exit status 2)"

# The bundled plugins export their descriptor and nothing else (PLUGIN_CFLAGS'
# -fvisibility=hidden): no symbol of one can stand in for another's or the
# host's, and their own calls stay direct.
if command -v nm >/dev/null 2>&1; then
	: >"$tmp/out"; : >"$tmp/err"; rc=0
	for so in "$B"/plugins/.libs/*.so; do
		[ -f "$so" ] || { echo "no plugin in $B/plugins/.libs" >>"$tmp/err"; rc=1; continue; }
		name=$(basename "$so" .so | tr - _)
		# (names with __ are the compiler's: __odr_asan.* under ASan)
		nm -D --defined-only "$so" | awk '$2 != "A" && $3 !~ /^__/ { print $3 }' >"$tmp/syms"
		if [ "$(cat "$tmp/syms")" != "nl_plugin_$name" ]; then
			echo "$so exports: $(tr '\n' ' ' <"$tmp/syms")" >>"$tmp/out"
			rc=1
		fi
	done
	check $rc "each bundled plugin exports its descriptor nl_plugin_<name> only"
else
	n=$((n + 1)); echo "ok $n # SKIP nm not installed"
fi

[ "$fails" = 0 ]
