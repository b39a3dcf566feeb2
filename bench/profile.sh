#!/usr/bin/env bash
# Profiles the workload furthest from its goal, `btcstream aggregate --table hourly` (workload 2),
# with callgrind: one thread, on the first TICKS ticks of the benchmark history, so that the
# instruction counts are exact and repeatable where timings on this machine are not. Prints the
# functions by their own cost and by what they include; bench/PROFILE.md reads the result.
#   bash bench/profile.sh [TICKS=1000000]
. "$(dirname "$0")/lib.sh"
ticks=${1:-1000000}
command -v valgrind > /dev/null || { echo "profile: valgrind is not installed" >&2; exit 1; }
history=$(ticks_file "$ticks")
out=$BENCH_OUT/callgrind.aggregate
valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$BIN" aggregate --threads 1 --input "$history" --table hourly --format csv > /dev/null 2> "$out.log"
grep -m1 "refs" "$out.log"
echo "== by own cost"
callgrind_annotate "$out" 2> /dev/null | grep -A15 'file:function' | tail -n +3
echo "== including callees"
callgrind_annotate --inclusive=yes "$out" 2> /dev/null | grep -A20 'file:function' | tail -n +3 |
    grep -v -e 'below main' -e 'ld-linux' -e 'libc_start'
