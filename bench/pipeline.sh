#!/usr/bin/env bash
# Workload 1: the course pipeline end to end on the same tick history, as whole processes: load,
# the four tables, GBT training in seed mode (100 trees, depth 5, step 0.1), writing the
# predictions, zipping them and plotting. Ours: `aggregate`, `train --mode seed`, the ZIP step and
# `plot`; the peer: bench/peers/course_pipeline.py (pandas, scikit-learn, matplotlib).
#   bash bench/pipeline.sh [TICKS=10000] [RUNS=3]
. "$(dirname "$0")/lib.sh"
ticks=${1:-10000}
runs=${2:-3}
history=$(ticks_file "$ticks")
out=$BENCH_OUT/pipeline
ours_cmd() {
    "$BIN" aggregate --input "$history" > /dev/null &&
    "$BIN" train --input "$history" --mode seed --out-dir "$out/ours" > /dev/null &&
    "$BENCH_ROOT/build/bench/bench_zip_dir" "$out/ours/bitcoin_predictions.parquet" "$out/ours/bitcoin_predictions.zip" &&
    "$BIN" plot --predictions "$out/ours/bitcoin_predictions.parquet" --out "$out/ours/output_plot.png" > /dev/null
}
peer_cmd() { /usr/bin/python3 "$BENCH_ROOT/bench/peers/course_pipeline.py" "$history" "$out/python" > /dev/null; }
alternate "$runs" pipe_ours pipe_python
result "1. course pipeline end to end" "$ticks ticks" pipe_ours "Python (pandas, sklearn, matplotlib)" \
    pipe_python ">= 30x faster" "RSS: largest process of ours"
