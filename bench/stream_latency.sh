#!/usr/bin/env bash
# Workload 5: the stream processor's latency from a stream file's rename to its batch being
# committed (durably), at 100 ticks per second, and the highest sustained rate in files per
# second (files renamed in as fast as one producer thread can). There is no peer to run here:
# Spark's file source needs a JVM; the goals are absolute (p99 < 5 ms, > 5,000 files/s).
#   bash bench/stream_latency.sh [SECONDS_AT_100_PER_S=20] [FILES_FOR_THROUGHPUT=20000]
. "$(dirname "$0")/lib.sh"
secs=${1:-20}
files=${2:-20000}
tool=$BENCH_ROOT/build/bench/bench_stream_latency
work=$(mktemp -d "${TMPDIR:-/tmp}/btcstream-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

read -r n s _ p50 p99 max batches < <("$tool" "$work/a" 100 $((secs * 100)))
echo "latency at 100 files/s: $n files in $s s, $batches batches: p50 $p50 ms, p99 $p99 ms, max $max ms" >&2
read -r n2 s2 fps p50b p99b _ batches2 < <("$tool" "$work/b" 0 "$files")
echo "throughput: $n2 files in $s2 s = $fps files/s ($batches2 batches; p50 $p50b ms, p99 $p99b ms)" >&2
echo "RESULT|5. stream latency rename->commit|100 files/s, $n files|p50 $p50 ms, p99 $p99 ms|-|-|-|-|p99 < 5 ms|max $max ms"
echo "RESULT|5. stream throughput|$n2 files|$fps files/s|-|-|-|-|> 5,000 files/s|$batches2 batches, p99 $p99b ms"
