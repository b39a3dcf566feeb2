#!/usr/bin/env bash
# Workload 3: training on our forecast features of a 1,000,000-tick history: XGBoost through our
# C API use against Python xgboost and scikit-learn's HistGradientBoostingRegressor, same
# parameters, same matrix (dumped once), each timed in-process from matrix construction to the
# last round; medians of RUNS alternating runs.
#   bash bench/train.sh [TICKS=1000000] [RUNS=3]
. "$(dirname "$0")/lib.sh"
ticks=${1:-1000000}
runs=${2:-3}
history=$(ticks_file "$ticks")
dump=$BENCH_OUT/features.f32
read -r rows cols _ < <("$BENCH_ROOT/build/bench/bench_train_xgb" "$history" "$dump")
: > "$BENCH_OUT/train.txt"
for _ in $(seq 1 "$runs"); do
    read -r _ _ s < <("$BENCH_ROOT/build/bench/bench_train_xgb" "$history")
    echo "ours $s" >> "$BENCH_OUT/train.txt"
    /usr/bin/python3 "$BENCH_ROOT/bench/peers/train_peers.py" "$dump" "$rows" "$cols" >> "$BENCH_OUT/train.txt"
done
med() { awk -v k="$1" '$1 == k {print $2}' "$BENCH_OUT/train.txt" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
echo "RESULT|3. training, 100 rounds|$rows rows x $cols|$(med ours)|Python xgboost (DMatrix + train)|$(med xgboost)|-|-|no slower than Python xgboost|in-process times"
echo "RESULT|3. training, 100 rounds|$rows rows x $cols|$(med ours)|sklearn HistGradientBoostingRegressor|$(med sklearn_hgbr)|-|-|-|in-process times"
# The whole training stage as train and run call it (no peer): features, the calibration model
# on 64% of the rows, the kept model on 80%, predictions and metrics.
read -r n_train n_test s < <("$BENCH_ROOT/build/bench/bench_train_xgb" --stage "$history")
echo "RESULT|3. training stage, bs_train()|$n_train + $n_test rows|$s|-|-|-|-|-|features + calibration + 100 rounds + metrics"
