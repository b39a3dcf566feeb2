# Crash at every I/O step, as SQLite tests itself: the stream processor is killed just before
# its K-th file-changing call (write, fsync, truncate, rename, unlink, mark ...) for every K of a
# three-batch run, and the restart that recovers is killed in turn at each of its first calls;
# then a clean restart must leave every tick in the history exactly once. The same for `import`,
# whose restart is another import. The kills come from tests/fault/fault_shim.c (LD_PRELOAD).
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/fault/fault.sh"
recovery_kills=8
[ -n "${BS_UNDER_SANITIZER:-}" ] && recovery_kills=4

# ---- the stream processor -------------------------------------------------------------------
make_ticks 12 0 30 > source.json
mkdir seed
i=0
while read -r line; do
    printf '%s\n' "$line" > "seed/ohlc_20240301_0000$(printf %02d $i)_$i.json"
    i=$((i + 1))
done < source.json

cat > stream.sh <<SH
exec "$BTCSTREAM" stream --stream-dir S --history H.json --until-idle --trigger 0 \
    --max-files-per-trigger 4 --quiet
SH
stream() { bash stream.sh; }
fresh() { rm -rf S H.json; mkdir S; cp seed/* S/; }

fresh
total=$(count_calls bash stream.sh)
[ "$total" -gt 20 ] || fail "a three-batch run made only $total file-changing calls"
runs=0
for k in $(seq 1 "$total"); do
    fresh
    with_fault BS_FAULT_KILL_AT="$k" -- bash stream.sh > /dev/null 2>&1 \
        && fail "kill at call $k of $total did not happen"
    # The restart is killed at each of its first calls too, each time on top of the last.
    for j in $(seq 1 "$recovery_kills"); do
        with_fault BS_FAULT_KILL_AT="$j" -- bash stream.sh > /dev/null 2>&1 || true
        runs=$((runs + 1))
    done
    stream > /dev/null 2> err.txt || fail "restart after a kill at call $k: $(cat err.txt)"
    $CHECK source.json H.json "stream killed at call $k of $total" || exit 1
    left=$(ls S | grep -c '^ohlc_' || true)
    expect_eq "$left" 0 "files left in the stream directory after a kill at call $k"
done
pass "stream: killed at each of its $total file-changing calls, recovery killed $runs more times: exactly once"

# ---- import ---------------------------------------------------------------------------------
make_ticks 300 0 30 > first.json
make_ticks 600 200 30 > second.json # overlaps the first by 100 ticks
cat first.json second.json | $PY -c '
import json, sys
seen = {}
for l in sys.stdin:
    seen.setdefault(json.loads(l)["Datetime"], l)
sys.stdout.write("".join(seen.values()))' > union.json

fresh_import() { rm -f I.json; "$BTCSTREAM" import first.json --history I.json > /dev/null; }
fresh_import
total=$(count_calls "$BTCSTREAM" import second.json --history I.json)
[ "$total" -ge 5 ] || fail "an import made only $total file-changing calls"
for k in $(seq 1 "$total"); do
    fresh_import
    with_fault BS_FAULT_KILL_AT="$k" -- "$BTCSTREAM" import second.json --history I.json \
        > /dev/null 2>&1 && fail "import: kill at call $k of $total did not happen"
    $CHECK first.json I.json "readers after an import killed at call $k" 2> /dev/null ||
        "$BTCSTREAM" aggregate --input I.json --table daily --format csv > /dev/null ||
        fail "the history is unreadable after an import killed at call $k"
    for j in $(seq 1 "$recovery_kills"); do
        with_fault BS_FAULT_KILL_AT="$j" -- "$BTCSTREAM" import second.json --history I.json \
            > /dev/null 2>&1 || true
    done
    "$BTCSTREAM" import second.json --history I.json > /dev/null 2> err.txt ||
        fail "import after a kill at call $k: $(cat err.txt)"
    $CHECK union.json I.json "import killed at call $k of $total" || exit 1
done
pass "import: killed at each of its $total file-changing calls, and its restarts too: exactly once, no torn line"
