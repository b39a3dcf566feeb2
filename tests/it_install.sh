# `make install` puts a working btcstream into a prefix: the command, static and shared library
# (the shared one exporting only bs_* names), headers, btcstream.pc, the man page and the
# completion. An example program builds against the installed copy with
# `pkg-config --cflags --libs btcstream`, once static and once shared, and both runs agree with
# the sum worked out independently in awk.
source "$(dirname "$0")/lib.sh"
build=$(cd "$(dirname "$BTCSTREAM")" && pwd)
prefix=$WORK/prefix
command -v pkg-config >/dev/null || skip "pkg-config is not installed"

DESTDIR=$WORK/stage cmake --install "$build" --prefix /opt/btcstream >install.log 2>&1 ||
    { cat install.log >&2; fail "cmake --install with DESTDIR failed"; }
[ -x "$WORK/stage/opt/btcstream/bin/btcstream" ] || fail "DESTDIR did not stage the binary"
grep -q '^prefix=/opt/btcstream$' "$WORK"/stage/opt/btcstream/lib*/pkgconfig/btcstream.pc ||
    fail "btcstream.pc does not name the install prefix (without DESTDIR)"
pass "DESTDIR stages under the given prefix"

cmake --install "$build" --prefix "$prefix" >install.log 2>&1 || { cat install.log >&2; fail "cmake --install failed"; }
libdir=$(dirname "$(find "$prefix" -name btcstream.pc)")/..
libdir=$(cd "$libdir" && pwd)
for f in bin/btcstream include/btcstream/status.h include/btcstream/version.h \
    share/man/man1/btcstream.1 share/bash-completion/completions/btcstream; do
    [ -e "$prefix/$f" ] || fail "make install did not install $f"
done
[ -f "$libdir/libbtcstream.a" ] || fail "no static library in $libdir"
[ -e "$libdir/libbtcstream.so" ] || fail "no shared library in $libdir"
"$prefix/bin/btcstream" --version | grep -q '^btcstream ' || fail "the installed binary does not run"

exported=$(nm -D --defined-only "$libdir/libbtcstream.so" | awk '$2 ~ /[TDBR]/ { print $3 }')
[ -n "$exported" ] || fail "the shared library exports nothing"
others=$(grep -v '^bs_' <<<"$exported" || true)
[ -z "$others" ] || fail "the shared library exports names other than bs_*: $(head -5 <<<"$others")"
pass "installed: bin, libbtcstream.a and .so ($(wc -l <<<"$exported") bs_* exports, nothing else), headers, man page, completion"

export PKG_CONFIG_PATH=$libdir/pkgconfig
cflags=$(pkg-config --cflags btcstream) || fail "pkg-config does not find btcstream"
cc_extra=()
# The library under test was built with the sanitizers: programs linked to it need them too.
[ "${BS_UNDER_SANITIZER:-0}" = 1 ] && cc_extra=(-fsanitize=address,undefined)
src=$BS_SOURCE_DIR/examples/daily_summary.c
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror "${cc_extra[@]}" $cflags "$src" -o summary_shared \
    $(pkg-config --libs btcstream) -Wl,-rpath,"$libdir" || fail "the example does not build against the shared library"
# Static: the archive itself, then its dependencies from Libs.private.
cc -std=c11 -Wall -Werror "${cc_extra[@]}" $cflags "$src" -o summary_static \
    $(pkg-config --libs --static btcstream | sed 's/-lbtcstream/-l:libbtcstream.a/') ||
    fail "the example does not build against the static library"
ldd summary_static | grep -q libbtcstream && fail "the static build links libbtcstream.so"
ldd summary_shared >ldd.out 2>&1 || { cat ldd.out >&2; fail "ldd summary_shared failed"; }
grep -q "$libdir/libbtcstream.so" ldd.out ||
    { cat ldd.out >&2; fail "the shared build does not use the installed libbtcstream.so (ldd above)"; }

# Three days of hourly ticks, and each day's mean close worked out by awk.
$PY - >ticks.csv <<'PYEOF'
print("Datetime,Close")
for h in range(72):
    print(f"2024-01-{1 + h // 24:02d}T{h % 24:02d}:00:00Z,{40000 + 7 * h + (h * h) % 13}")
PYEOF
expected=$(awk -F, 'NR > 1 { d = substr($1, 1, 10); s[d] += $2; n[d]++ }
    END { for (d in s) printf "%s %.2f\n", d, s[d] / n[d] }' ticks.csv | sort)
for kind in shared static; do
    ./summary_$kind ticks.csv >out.txt || fail "the $kind example failed"
    expect_eq "$(head -1 out.txt)" "72 ticks, 0 bad lines, 3 days" "$kind example's counts"
    expect_eq "$(tail -n +2 out.txt)" "$expected" "$kind example's daily means"
done
pass "examples/daily_summary.c builds with pkg-config (static and shared) and runs correctly"
