#!/usr/bin/env bash
# Workload 5: the stream processor's latency from a stream file's rename to its batch being
# committed (durably), at 100 ticks per second, and the highest sustained rate in files per
# second (files renamed in as fast as one producer thread can, and a backlog drained by the
# processor alone). There is no peer to run here:
# Spark's file source needs a JVM; the goals are absolute (p99 < 5 ms, > 5,000 files/s).
#
# The disk is shared, so each measurement runs RUNS times and the median run is reported, next
# to the floor: three small fsync'd appends (what one durable commit costs on this disk now).
# The runs' files are removed only at the end: ext4 scans past recently freed inodes when it
# allocates new ones, so deleting 20,000 files just before a run cut its file creation, and so
# the measured rate, by a factor of up to eight here.
#   bash bench/stream_latency.sh [SECONDS_AT_100_PER_S=10] [FILES_FOR_THROUGHPUT=20000] [RUNS=3]
. "$(dirname "$0")/lib.sh"
secs=${1:-10}
files=${2:-20000}
runs=${3:-3}
tool=$BENCH_ROOT/build/bench/bench_stream_latency
work=$(mktemp -d "${TMPDIR:-/tmp}/btcstream-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# median_by COLUMN: of the lines on stdin, the one whose COLUMN (1-based) is the median.
median_by() { sort -g -k"$1","$1" | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
mkdir -p "$work/floor"
read -r f50 f99 fmax < <("$tool" --sync-floor "$work/floor" $((secs * 100)))
echo "floor (3 fsync'd appends): p50 $f50 ms, p99 $f99 ms, max $fmax ms" >&2

: > "$work/latency"
for i in $(seq 1 "$runs"); do
    "$tool" "$work/a$i" 100 $((secs * 100)) | tee -a "$work/latency" |
        awk '{ printf "latency run: %d files, %d batches: p50 %s ms, p99 %s ms, max %s ms\n", $1, $7, $4, $5, $6 }' >&2
done
read -r n _ _ p50 p99 max batches < <(median_by 5 < "$work/latency")
echo "latency at 100 files/s (median of $runs runs by p99): p50 $p50 ms, p99 $p99 ms, max $max ms" >&2

: > "$work/throughput"
for i in $(seq 1 "$runs"); do
    "$tool" "$work/b$i" 0 "$files" | tee -a "$work/throughput" |
        awk '{ printf "throughput run: %d files in %s s = %s files/s (%d batches)\n", $1, $2, $3, $7 }' >&2
done
read -r n2 s2 fps _ _ _ batches2 < <(median_by 3 < "$work/throughput")
echo "throughput (median of $runs runs): $n2 files in $s2 s = $fps files/s ($batches2 batches)" >&2

read -r n3 s3 fps3 _ _ _ batches3 < <("$tool" "$work/c" -1 "$files")
echo "processor alone, draining a backlog of $n3 files: $s3 s = $fps3 files/s ($batches3 batches)" >&2

echo "RESULT|5. stream latency rename->commit|100 files/s, $n files|p50 $p50 ms, p99 $p99 ms|-|-|-|-|p99 < 5 ms|max $max ms; floor p50 $f50, p99 $f99 ms"
echo "RESULT|5. stream throughput|$n2 files|$fps files/s|-|-|-|-|> 5,000 files/s|$batches2 batches; a backlog drains at $fps3 files/s"
