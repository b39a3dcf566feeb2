# Every command's --help, for every command that `btcstream --help` lists (so a new command is
# covered without editing this test): exits 0, prints a usage line to stdout and nothing to
# stderr, and shows no printf residue (a literal `%%`, or a conversion such as `%s` or `%d` that
# was never expanded because the text went through fputs instead of printf).
. "$BS_SOURCE_DIR/tests/lib.sh"

"$BTCSTREAM" --help > help.txt
commands=$(awk '/^Commands:/ { listed = 1; next } /^$/ { listed = 0 } listed && /^  [a-z]/ { print $1 }' help.txt)
[ "$(echo "$commands" | wc -w)" -ge 9 ] || fail "--help lists too few commands: $commands"

# A printf conversion left in the text: %% or %[flags][width][.prec]conversion (no space flag:
# "20% of" is prose).
residue='%(%|[-+#0]*[0-9*]*(\.[0-9*]+)?(hh|h|ll|l|z|j|t|L)?[diouxXeEfFgGaAcspn])'
for cmd in $commands; do
    set +e
    "$BTCSTREAM" "$cmd" --help > out.txt 2> err.txt
    rc=$?
    set -e
    expect_eq "$rc" 0 "$cmd --help exit code"
    [ ! -s err.txt ] || fail "$cmd --help wrote to stderr: $(head -1 err.txt)"
    grep -q "^usage: btcstream $cmd" out.txt || fail "$cmd --help has no usage line"
    [ "$(wc -l < out.txt)" -ge 2 ] || fail "$cmd --help is a single line"
    if grep -nE -- "$residue" out.txt > residue.txt; then
        fail "$cmd --help shows an unexpanded format: $(head -1 residue.txt)"
    fi
done
pass "--help of $(echo $commands | wc -w) commands: exit 0, usage, no format residue"
