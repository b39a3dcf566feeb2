# Helpers for the fault tests (tests/it_fault_*.sh), sourced after tests/lib.sh: the LD_PRELOAD
# shim of tests/fault/fault_shim.c, generated ticks, and the exactly-once check.
[ -f "${BS_FAULT_SHIM:-}" ] || fail "the fault shim is not built (BS_FAULT_SHIM)"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
CHECK="$PY $BS_SOURCE_DIR/tests/tools/exactly_once.py"

# make_ticks N FIRST [STEP_S]: N ticks, one every STEP_S seconds (60) from tick number FIRST,
# as JSON lines.
make_ticks() {
    $PY - "$1" "$2" "${3:-60}" <<'PY'
import json, sys
from datetime import datetime, timedelta, timezone
n, first, step = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
for i in range(first, first + n):
    t = datetime(2024, 3, 1, tzinfo=timezone.utc) + timedelta(seconds=step * i)
    p = 60000 + (i * 7919) % 900 + 0.5
    print(json.dumps({"Datetime": t.isoformat(), "Open": p, "High": p + 3, "Low": p - 3,
                      "Close": p + 1, "Volume": str(100 + i)}))
PY
}

# with_fault VAR=VALUE... -- CMD...: runs CMD under the shim; its exit status is returned.
with_fault() {
    local envs=()
    while [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    env LD_PRELOAD="$BS_FAULT_SHIM" "${envs[@]}" "$@"
}

# count_calls CMD...: how many file-changing calls CMD makes when nothing fails.
count_calls() {
    with_fault BS_FAULT_COUNT_FILE="$WORK/count" -- "$@" > /dev/null 2>&1 || fail "clean run of $* failed"
    cat "$WORK/count"
}
