# The partitioned dataset survives a kill -9 at every file-changing call of an incremental export
# (the fault shim of tests/fault/): right after the kill every partition file DuckDB finds is
# whole, and the next run leaves the dataset equal to an independent computation
# (tests/export/make_history.py) and its manifest naming exactly the files there.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/fault/fault.sh"
export NODE_PATH=$BS_NODE_DIR/node_modules NODE_NO_WARNINGS=1
duck() { node "$BS_SOURCE_DIR/tests/export/duck.js" "$1"; }
ds=$WORK/ds
export_ds() { "$BTCSTREAM" export --format parquet --partition --out "$ds"; }

readable() { # every partition file there reads whole
    duck "SELECT count(*) FROM read_parquet('$ds/*/*/*.parquet', hive_partitioning = true)" > /dev/null ||
        fail "a partition file is not whole after a kill at call $1"
}
same_as_expected() { # per-day rows and closes, and the manifest against the files
    duck "SELECT market, strftime(date, '%Y-%m-%d'), count(*), sum(close)
          FROM read_parquet('$ds/*/*/*.parquet', hive_partitioning = true, hive_types = {'date': DATE})
          GROUP BY ALL ORDER BY ALL" > days.duck || fail "duckdb after a kill at call $1"
    $PY - days.duck Data/expect/days.json "$ds" <<'PY' || fail "dataset after a kill at call $1 and a re-run"
import json, os, sys
want = json.load(open(sys.argv[2]))
got = [json.loads(l) for l in open(sys.argv[1])]
assert len(got) == sum(len(d) for d in want.values()), len(got)
for market, day, rows, close in got:
    w = want[market][day]
    assert int(rows) == w[0] and abs(close - w[1]) <= 1e-9 * w[1], (market, day)
root = sys.argv[3]
named = {json.loads(l.rstrip(",\n"))["path"] for l in open(os.path.join(root, "_btcstream_manifest.json")) if l.startswith('{"path"')}
there = {os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs if f.endswith(".parquet") and not f.startswith(".")}
assert named == there, (named ^ there)
PY
}

$PY "$BS_SOURCE_DIR/tests/export/make_history.py" Data
export_ds > /dev/null || fail "first export"
cp -a "$ds" base
$PY "$BS_SOURCE_DIR/tests/export/make_history.py" Data --append
total=$(count_calls "$BTCSTREAM" export --format parquet --partition --out "$ds")
rm -rf "$ds" && cp -a base "$ds"
[ "$total" -gt 3 ] || fail "an incremental export made only $total file-changing calls"
for k in $(seq 1 "$total"); do
    rm -rf "$ds" && cp -a base "$ds"
    with_fault BS_FAULT_KILL_AT="$k" -- "$BTCSTREAM" export --format parquet --partition --out "$ds" \
        > /dev/null 2>&1 && fail "kill at call $k of $total did not happen"
    readable "$k"
    export_ds > out.txt 2>&1 || fail "re-run after a kill at call $k: $(cat out.txt)"
    same_as_expected "$k"
done
pass "an incremental export killed at each of its $total file-changing calls: files whole, the re-run right"

# A first export (every partition new), killed at a sample of its calls.
first=$(cd "$WORK" && rm -rf fresh && count_calls "$BTCSTREAM" export --format parquet --partition --out "$WORK/fresh")
step=$(( first / 12 + 1 ))
for k in $(seq 1 "$step" "$first"); do
    rm -rf "$ds"
    with_fault BS_FAULT_KILL_AT="$k" -- "$BTCSTREAM" export --format parquet --partition --out "$ds" \
        > /dev/null 2>&1 && fail "kill at call $k of $first did not happen"
    [ -d "$ds" ] && [ -n "$(find "$ds" -name '*.parquet' -not -name '.*')" ] && readable "$k"
    export_ds > out.txt 2>&1 || fail "re-run after a kill at call $k: $(cat out.txt)"
    same_as_expected "$k"
done
pass "a first export killed at every ${step}th of its $first calls: the re-run completes the dataset"
