# I/O errors at every file-changing call (ENOSPC and EIO, from tests/fault/fault_shim.c) of the
# stream processor, import, the Parquet writer and the plot: each failure gives a non-zero exit
# and one clear error line naming the file, leaves every committed tick and every earlier output
# file as it was, and a later run without the fault finishes the job exactly once.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/fault/fault.sh"

# failing K CMD...: runs CMD with its K-th file-changing call failing (ENOSPC, or EIO when K is
# even); output in out.txt and err.txt; returns CMD's status.
failing() {
    local k=$1 errno=ENOSPC
    shift
    [ $((k % 2)) -eq 0 ] && errno=EIO
    local rc=0
    with_fault BS_FAULT_FAIL_AT="$k" BS_FAULT_ERRNO="$errno" -- "$@" > out.txt 2> err.all || rc=$?
    # what the stream says it is about to do is not part of the error
    grep -v "^btcstream stream: \(committing the files\|waiting for\)" err.all > err.txt || true
    return $rc
}

# expect_clear_error WHAT NAME...: err.txt is one line naming one of the files.
expect_clear_error() {
    local what=$1 name found=0
    shift
    expect_eq "$(grep -c . err.txt)" 1 "$what: lines of error output ($(head -c 300 err.txt))"
    for name in "$@"; do grep -qF -- "$name" err.txt && found=1; done
    [ $found -eq 1 ] || fail "$what: the error names none of $*: $(cat err.txt)"
    grep -qi "no space\|input/output error" err.txt || fail "$what: the error hides its cause: $(cat err.txt)"
}

sum() { sha256sum "$@" 2> /dev/null | awk '{print $1}' | tr '\n' ' '; }

# ---- the stream processor --------------------------------------------------------------------
make_ticks 8 0 > source.json
mkdir seed
i=0
while read -r line; do printf '%s\n' "$line" > "seed/ohlc_$i.json"; i=$((i + 1)); done < source.json
cat > stream.sh <<SH
exec "$BTCSTREAM" stream --stream-dir S --history H.json --until-idle --trigger 0 \
    --max-files-per-trigger 3 --quiet
SH
fresh() { rm -rf S H.json; mkdir S; cp seed/* S/; }
fresh
total=$(count_calls bash stream.sh)
failures=0
for k in $(seq 1 "$total"); do
    fresh
    if failing "$k" bash stream.sh; then
        fail "stream: call $k of $total failed and the run still exited 0: $(cat err.txt)"
    fi
    failures=$((failures + 1))
    expect_clear_error "stream, call $k failing" H.json S/ "S:" _checkpoint.log
    bash stream.sh > /dev/null 2> err2.txt || fail "stream after a failure at call $k: $(cat err2.txt)"
    $CHECK source.json H.json "stream after call $k failed" || exit 1
done
pass "stream: each of its $total file-changing calls failed in turn: a clear error each time, then exactly once"

# ---- import -------------------------------------------------------------------------------------
make_ticks 50 0 > first.json
make_ticks 80 30 > second.json
cat first.json second.json | $PY -c '
import json, sys
seen = {}
for l in sys.stdin: seen.setdefault(json.loads(l)["Datetime"], l)
sys.stdout.write("".join(seen.values()))' > union.json
fresh_import() { rm -f I.json; "$BTCSTREAM" import first.json --history I.json > /dev/null; }
fresh_import
total=$(count_calls "$BTCSTREAM" import second.json --history I.json)
for k in $(seq 1 "$total"); do
    fresh_import
    before=$(sum I.json)
    failing "$k" "$BTCSTREAM" import second.json --history I.json &&
        fail "import: call $k of $total failed and import exited 0"
    expect_clear_error "import, call $k failing" I.json
    expect_eq "$(sum I.json)" "$before" "the history after an import whose call $k failed"
    "$BTCSTREAM" import second.json --history I.json > /dev/null 2> err2.txt ||
        fail "import after a failure at call $k: $(cat err2.txt)"
    $CHECK union.json I.json "import after call $k failed" || exit 1
done
pass "import: each of its $total file-changing calls failed in turn: history untouched, then exactly once"

# ---- outputs: the Parquet tables and the plot ---------------------------------------------------
make_ticks 3000 0 > big.json
"$BTCSTREAM" aggregate --input big.json --format parquet --out new > /dev/null
make_ticks 2000 5000 > old.json
"$BTCSTREAM" aggregate --input old.json --format parquet --out oldout > /dev/null
cp -a oldout out
total=$(count_calls "$BTCSTREAM" aggregate --input big.json --format parquet --out out)
[ "$total" -ge 4 ] || fail "the Parquet tables took only $total file-changing calls"
for k in $(seq 1 "$total"); do
    rm -rf out && cp -a oldout out
    failing "$k" "$BTCSTREAM" aggregate --input big.json --format parquet --out out &&
        fail "aggregate: call $k of $total failed and it exited 0"
    expect_clear_error "aggregate --format parquet, call $k failing" out/ "out:"
    for f in oldout/*; do # each table is the old one or the whole new one, nothing between
        name=$(basename "$f")
        [ "$(sum "out/$name")" = "$(sum "$f")" ] || [ "$(sum "out/$name")" = "$(sum "new/$name")" ] ||
            fail "out/$name is neither the old table nor the new one after call $k failed"
    done
    left=$(ls -A out | grep -c '^\.' || true)
    expect_eq "$left" 0 "temporary files left behind after call $k failed"
done
pass "Parquet tables: each of $total file-changing calls failed in turn: old or whole new files only"
