# Hostile Parquet files, as `plot --predictions` meets them: a footer with the schema twice, the
# row count twice or impossibly large, a column named twice, lists nested 200,000 deep. Each is
# refused with one clean line and exit 1: no crash, no double free, no leak (under ASan), no
# allocation the file's size cannot justify. The variants are written by an independent Thrift
# encoder (tests/tools/parquet_hostile.py) from a file our writer made.
. "$BS_SOURCE_DIR/tests/lib.sh"
gen=$(dirname "$BTCSTREAM")/bench/bench_parquet_gen
"$gen" predictions seed.parquet snappy 3 > /dev/null || fail "writer failed"
$PY "$BS_SOURCE_DIR/tests/tools/parquet_hostile.py" seed.parquet hostile || fail "crafting failed"

"$BTCSTREAM" plot --predictions hostile/as_written --out ok.png > /dev/null 2> err.txt ||
    fail "the re-encoded but unchanged file is refused: $(cat err.txt)"
pass "the crafting tool re-encodes a sound file soundly"

expect_refused() { # NAME REASON
    set +e
    "$BTCSTREAM" plot --predictions "hostile/$1" --out "$1.png" > /dev/null 2> err.txt
    local rc=$?
    set -e
    expect_eq "$rc" 1 "$1: exit code (stderr: $(head -c 300 err.txt))"
    expect_eq "$(wc -l < err.txt)" 1 "$1: one line on stderr"
    expect_contains err.txt "$2" "$1: reason"
    [ ! -e "$1.png" ] || fail "$1: a plot was written"
}
expect_refused schema_twice "not a readable Parquet file (two schemas)"
expect_refused row_count_twice "not a readable Parquet file (row count)"
expect_refused huge_row_count "not a readable Parquet file (more rows than the file can hold)"
expect_refused name_twice "no timestamp column"
expect_refused nested_lists "not a readable Parquet file (bad footer)"
pass "five hostile footers refused cleanly"
