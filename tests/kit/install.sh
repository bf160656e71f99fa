#!/bin/sh
# install.sh -- the C plugin kit end to end (TAP): install newslint into a
# staging folder (make install DESTDIR=...), build the worked example plugin
# (docs/examples/plugin) out of tree from there with pkg-config pointed at the
# staging folder, load it into the staged newslint with --plugin-path, and
# check its findings, --list-rules and --explain.
B=${NEWSLINT_TEST_BUILDDIR:-.}
S=${NEWSLINT_TEST_SRCDIR:-.}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nl-kit.XXXXXX") || exit 99
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
stage=$tmp/stage
log=$tmp/log
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; tail -n 25 "$log" | sed 's/^/# /'; }
check() { if [ "$1" = 0 ]; then ok "$2"; else notok "$2"; fi; }
: >"$log"

echo "1..8"

# 1. make install into the staging folder (a make of its own: not the
# jobserver of the "make check" that runs us).
(cd "$B" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} install DESTDIR="$stage") >"$log" 2>&1
check $? "make install DESTDIR=<staging folder>"

pc=$(find "$stage" -name newslint.pc | head -n 1)
nl=$(find "$stage" -path '*/bin/newslint' | head -n 1)
hdr=$(find "$stage" -path '*/include/newslint/plugin.h' | head -n 1)
man=$(find "$stage" -name newslint-plugin.7 | head -n 1)
{ echo "pc=$pc nl=$nl hdr=$hdr man=$man"; } >>"$log"
[ -n "$pc" ] && [ -x "$nl" ] && [ -n "$hdr" ] && [ -n "$man" ] && grep -q '^plugindir=' "$pc"
check $? "installs newslint, <newslint/plugin.h>, newslint.pc (with plugindir) and newslint-plugin(7)"

# 3. build the example out of tree, against the staged header only
export PKG_CONFIG_PATH="${pc%/*}" PKG_CONFIG_SYSROOT_DIR="$stage"
cp -R "$S/docs/examples/plugin" "$tmp/example" && chmod -R u+w "$tmp/example" && rm -f "$tmp/example/exclaim.so"
plugindir=$(pkg-config --variable=plugindir newslint)
cflags=$(pkg-config --cflags newslint)
echo "cflags=$cflags plugindir=$plugindir" >>"$log"
case "$cflags" in *"$stage"*) staged=0 ;; *) staged=1 ;; esac
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -C "$tmp/example" CFLAGS="-O2 -Wall -Wextra -Werror" >>"$log" 2>&1 \
	&& [ "$staged" = 0 ] && [ -f "$tmp/example/exclaim.so" ]
check $? "the example builds out of tree with pkg-config --cflags newslint (from the staging folder)"

# 4. make install puts it into pkg-config --variable=plugindir
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -C "$tmp/example" install >>"$log" 2>&1 \
	&& case "$plugindir" in "$stage"/*) true ;; *) false ;; esac && [ -f "$plugindir/exclaim.so" ]
check $? "make install puts the example into pkg-config --variable=plugindir newslint"

# 5. the staged newslint loads it with --plugin-path and reports its findings
printf '[newslint]\nplugins = exclaim\n' >"$tmp/cfg.ini"
export NEWSLINT_RULES_DIR="$(find "$stage" -type d -path '*/newslint/rules' | head -n 1)"
"$nl" --plugin-path "$plugindir" -c "$tmp/cfg.ini" --format=json "$S/docs/examples/plugin/sample.txt" \
	>"$tmp/out.json" 2>>"$log"
rc=$?
cat "$tmp/out.json" >>"$log"
count() { grep -o -- "$1" "$tmp/out.json" | wc -l; }
echo "exclaim findings: $(count '"rule": "exclaim[.]exclamation"')" >>"$log"
[ "$(count '"rule": "exclaim[.]exclamation"')" = 2 ] \
	&& [ "$(count '"rule": "exclaim[.]exclamation", "severity": "warning", "line": 3,')" = 2 ] \
	&& [ "$(count '"suggestions": \["."\]')" = 2 ] \
	&& [ "$(count '"related": \[{"line": 3,')" = 1 ]
[ $? = 0 ] && [ "$rc" = 1 ]
check $? "newslint --plugin-path loads the example; findings: 2 on line 3, none in the quotation"

# 6, 7. its rule is listed and explained like any built-in rule
"$nl" --plugin-path "$plugindir" -c "$tmp/cfg.ini" --list-rules >"$tmp/list" 2>>"$log"
cat "$tmp/list" >>"$log"
grep -q 'exclaim\.exclamation' "$tmp/list"
check $? "--list-rules lists exclaim.exclamation"
"$nl" --plugin-path "$plugindir" -c "$tmp/cfg.ini" --explain exclaim.exclamation >"$tmp/explain" 2>>"$log"
cat "$tmp/explain" >>"$log"
grep -q 'reads as' "$tmp/explain"
check $? "--explain exclaim.exclamation shows the plugin's explanation"

# 8. the installed packs plugin finds the installed shipped packs
printf '[newslint]\nplugins = packs\n[packs]\npacks = puffery house\n' >"$tmp/packs.ini"
printf 'The iconic bridge cost 5 per cent more.\n' >"$tmp/puff.txt"
"$nl" --plugin-path "$plugindir" -c "$tmp/packs.ini" --format=json "$tmp/puff.txt" >"$tmp/packs.json" 2>>"$log"
cat "$tmp/packs.json" >>"$log"
"$nl" --plugin-path "$plugindir" -c "$tmp/packs.ini" --list-rules >"$tmp/plist" 2>>"$log"
"$nl" --plugin-path "$plugindir" -c "$tmp/packs.ini" --explain house.percent >"$tmp/pexplain" 2>>"$log"
cat "$tmp/plist" "$tmp/pexplain" >>"$log"
grep -q '"rule": "puffery.puffery"' "$tmp/packs.json" && grep -q '"rule": "house.percent"' "$tmp/packs.json" \
	&& grep -q '^puffery\.editorializing ' "$tmp/plist" && grep -q "'per cent' -> 'percent'" "$tmp/pexplain"
check $? "the installed packs plugin runs, lists and explains the installed puffery and house packs"

[ "$fails" = 0 ]
