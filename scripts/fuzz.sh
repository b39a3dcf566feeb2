#!/usr/bin/env bash
# fuzz.sh BUILD SECONDS TARGET... - runs each libFuzzer harness of BUILD/fuzz for SECONDS, one
# after the other, starting from its committed seeds (fuzz/corpus/TARGET, never written to) and
# the inputs found so far (BUILD/corpus/TARGET). libFuzzer runs in fork mode and goes on after a
# crash, so that one known bug does not end a long run: every crash, leak, timeout and
# out-of-memory input is kept in BUILD/crashes/TARGET. Prints one summary line a target:
# executions, corpus size, crash inputs. Exits non-zero when any harness crashed.
set -uo pipefail
build=$1 seconds=$2
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
status=0
for t in "$@"; do
    mkdir -p "$build/corpus/$t" "$build/crashes/$t"
    log=$build/fuzz_$t.log
    "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
        -artifact_prefix="$build/crashes/$t/" "$build/corpus/$t" "$here/fuzz/corpus/$t" \
        > "$log" 2>&1
    execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    found=$(ls "$build/crashes/$t" | wc -l)
    rc=0
    [ "$found" -eq 0 ] || rc=1
    echo "fuzz $t: ${execs:-?} executions in ${seconds}s, corpus $(ls "$build/corpus/$t" | wc -l) inputs, rc $rc, crash inputs $found (log $log)"
    [ "$rc" -eq 0 ] || status=1
done
exit $status
