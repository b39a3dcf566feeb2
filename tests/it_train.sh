# `btcstream train`, `predict` and `plot`: the printed metrics equal metrics recomputed by Python
# from the predictions file; results are deterministic; errors are clear; the PNG is 1200x600
# with blue and red lines.
. "$BS_SOURCE_DIR/tests/lib.sh"

$PY - > h.json <<'PY'
import json, math
from datetime import datetime, timedelta, timezone
t, p = datetime(2024, 3, 1, tzinfo=timezone.utc), 60000.0
for i in range(3000):
    t += timedelta(seconds=60 if i % 9 else 90)
    p *= math.exp(0.002 * math.sin(i * 0.37) + 0.001 * math.sin(i * 1.91))
    print(json.dumps({"Datetime": t.isoformat(), "Open": round(p, 2), "High": round(p + 9, 2),
                      "Low": round(p - 9, 2), "Close": round(p, 2), "Volume": "12"}))
PY

check_metrics() { # MODE
    "$BTCSTREAM" train --input h.json --mode "$1" --out-dir "out_$1" --format json > "m_$1.json" \
        || fail "train --mode $1"
    # DuckDB reads the predictions folder; Python recomputes the metrics from what it read.
    NODE_PATH=$BS_NODE_DIR/node_modules node "$BS_SOURCE_DIR/tests/parquet/to_csv.js" \
        "out_$1/bitcoin_predictions.parquet/*.parquet" "p_$1.csv" || fail "duckdb read"
    $PY - "m_$1.json" "p_$1.csv" "$1" <<'PY' || fail "metrics of $1 differ from Python's"
import csv, json, math, sys
m = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
y = [float(r["Close"]) for r in rows]
p = [float(r["prediction"]) for r in rows]
assert m["mode"] == sys.argv[3] and m["rows_test"] == len(rows), (m, len(rows))
def metrics(y, p, last=None):
    n = len(y); mean = sum(y) / n
    ss_res = sum((a - b) ** 2 for a, b in zip(y, p)); ss_tot = sum((a - mean) ** 2 for a in y)
    out = {"rmse": math.sqrt(ss_res / n), "mae": sum(abs(a - b) for a, b in zip(y, p)) / n,
           "r2": 1 - ss_res / ss_tot}
    if last:
        sgn = lambda v: (v > 0) - (v < 0)
        out["direction_acc"] = sum(sgn(a - l) == sgn(b - l) for a, b, l in zip(y, p, last)) / n
    return out
def same(ours, ref, what):
    for k, v in ref.items():
        assert math.isclose(ours[k], v, rel_tol=1e-9, abs_tol=1e-12), (what, k, ours[k], v)
if sys.argv[3] == "forecast":
    b = [float(r["baseline"]) for r in rows]
    same(m["model"], metrics(y, p, b), "model")
    same(m["baseline"], metrics(y, b, b), "baseline")
    assert m["rows_train"] > 4 * len(rows) - 10
    # the test set is the last 20% by time
    assert rows == sorted(rows, key=lambda r: r["timestamp"])
else:
    same(m["model"], metrics(y, p), "model")
    assert "baseline" not in m
PY
}
check_metrics forecast
check_metrics seed
pass "printed metrics equal Python's recomputation from the predictions"

part() { ls "$1"/bitcoin_predictions.parquet/part-*.parquet; }
"$BTCSTREAM" train --input h.json --out-dir again > /dev/null
cmp "$(part out_forecast)" "$(part again)" || fail "two runs differ"
"$BTCSTREAM" train --input h.json --out-dir seed2 --mode seed --seed 7 > /dev/null
cmp -s "$(part out_seed)" "$(part seed2)" && fail "--seed changes nothing"
pass "deterministic for a seed"

"$BTCSTREAM" predict --model out_forecast/model.json --input h.json > p.txt || fail "predict"
expect_contains p.txt "forecast 1 tick ahead" "predict output"
# Without --model, predict reads ./model.json where train wrote it, and says the time the
# forecast is for: the last tick plus the median gap of the newest ticks (60 s here) and the
# interval around it.
(cd out_forecast && "$BTCSTREAM" predict --input ../h.json) > p_default.txt || fail "predict default"
want=$($PY -c "
import json, datetime
last = json.loads(open('h.json').read().splitlines()[-1])['Datetime']
t = datetime.datetime.fromisoformat(last) + datetime.timedelta(seconds=60)
print(t.strftime('%Y-%m-%d %H:%M:%S'))")
expect_contains p_default.txt "forecast 1 tick ahead, for $want: " "the time the forecast is for"
expect_contains p_default.txt "80% interval " "the interval of the forecast"

# Calibration is on by default and said so; --no-calibrate keeps the raw trees.
"$BTCSTREAM" train --input h.json --out-dir raw --no-calibrate > raw.txt || fail "--no-calibrate"
"$BTCSTREAM" train --input h.json --out-dir cal > cal.txt || fail "train"
expect_contains cal.txt "calibration: the trees' part of the forecast is shrunk by" "calibration line"
grep -q calibration raw.txt && fail "--no-calibrate still calibrates"
pass "calibration on by default, off with --no-calibrate"

# Progress goes to stderr only when it is a terminal: none here, "round k of N" under script(1).
"$BTCSTREAM" train --input h.json --out-dir tty --max-iter 7 2> err_pipe.txt > /dev/null
[ -s err_pipe.txt ] && fail "stderr not empty on a pipe: $(cat err_pipe.txt)"
if command -v script > /dev/null; then
    script -qec "'$BTCSTREAM' train --input h.json --out-dir tty --max-iter 7 > /dev/null" \
        /dev/null > tty.txt || fail "train under a terminal"
    expect_contains tty.txt "training: round 7 of 7" "progress on a terminal"
    pass "progress only on a terminal"
fi

"$BTCSTREAM" plot --predictions out_forecast/bitcoin_predictions.parquet --out chart.png > /dev/null || fail "plot"
read -r w h blue red < <($PY "$BS_SOURCE_DIR/tests/tools/png_check.py" chart.png)
expect_eq "$w x $h" "1200 x 600" "PNG size"
# The actual (blue) line is drawn on top of the prediction (red), which shows where they part
# and in the legend; the error panel below shows their difference.
[ "$blue" -gt 1000 ] && [ "$red" -gt 20 ] || fail "expected blue and red lines, got $blue blue and $red red pixels"
pass "plot is a 1200x600 PNG with blue and red lines"
"$BTCSTREAM" plot --predictions out_forecast/bitcoin_predictions.parquet --out titled.png \
    --title "Kraken BTC/USDC" --y-label "BTC/USDC close" > /dev/null || fail "plot --title"
cmp -s chart.png titled.png && fail "--title and --y-label change nothing"
pass "plot takes its title and axis name from the caller"
# The interval is a light red band (250,200,200) and the error panel a dark grey line
# (90,90,90); seed mode has no interval, so no band.
band=$($PY "$BS_SOURCE_DIR/tests/tools/png_check.py" chart.png --count 250,200,200)
grey=$($PY "$BS_SOURCE_DIR/tests/tools/png_check.py" chart.png --count 90,90,90)
[ "$band" -gt 1000 ] && [ "$grey" -gt 200 ] || fail "band $band px, error line $grey px"
"$BTCSTREAM" plot --predictions out_seed/bitcoin_predictions.parquet --out seed.png > /dev/null \
    || fail "plot of seed mode"
expect_eq "$($PY "$BS_SOURCE_DIR/tests/tools/png_check.py" seed.png --count 250,200,200)" 0 \
    "band pixels without an interval"
pass "plot draws the interval as a band and the error below"

# Errors: too few rows, a constant series (R2 undefined, said so), missing model.
head -20 h.json > few.json
if "$BTCSTREAM" train --input few.json --out-dir few 2> err.txt; then fail "trained on 20 ticks"; fi
expect_contains err.txt "need more than 60 ticks" "too few ticks"
head -70 h.json > seventy.json
if "$BTCSTREAM" train --input seventy.json --out-dir few 2> err.txt; then fail "trained on 10 rows"; fi
expect_contains err.txt "too few rows to train and test" "too few rows"
$PY -c "
import json
for i in range(200):
    print(json.dumps({'Datetime': '2024-01-01T%02d:%02d:00' % (i // 60, i % 60), 'Close': 5}))" > flat.json
"$BTCSTREAM" train --input flat.json --out-dir flat --format json > flat_m.json 2> err.txt || fail "constant series"
expect_contains err.txt "R2 is undefined" "constant warning"
expect_contains flat_m.json '"r2":null' "R2 null"
for bad in "--max-iter 10x" "--seed abc" "--horizon 0" "--step-size 0" "--max-bins 1" "--format xml" \
           "--mode later"; do
    set +e
    # shellcheck disable=SC2086
    "$BTCSTREAM" train --input h.json --out-dir bad $bad > /dev/null 2> err.txt
    rc=$?
    set -e
    expect_eq "$rc" 2 "exit code for $bad"
    expect_eq "$(wc -l < err.txt)" 1 "one line for $bad"
    expect_contains err.txt "${bad%% *}" "message for $bad"
done
[ ! -e bad ] || fail "a refused flag still wrote outputs"
if "$BTCSTREAM" predict --model nope.json --input h.json 2> err.txt; then fail "missing model"; fi
expect_contains err.txt "nope.json: No such file or directory" "missing model"
expect_eq "$(wc -l < err.txt)" 1 "lines on stderr for a missing model"
echo '{"not": "a model"}' > junk.json
if "$BTCSTREAM" predict --model junk.json --input h.json 2> err.txt; then fail "junk model"; fi
expect_contains err.txt "junk.json: " "junk model"
expect_eq "$(wc -l < err.txt)" 1 "lines on stderr for a junk model"
grep -q '\[bt\]\|Stack trace' err.txt && fail "XGBoost's stack trace printed"
mkdir -p blocked/model.json/inside # model.json cannot be renamed over a folder, even by root
if "$BTCSTREAM" train --input h.json --out-dir blocked 2> err.txt; then fail "unwritable model"; fi
expect_contains err.txt "cannot write the model to blocked/model.json" "unwritable model"
expect_eq "$(wc -l < err.txt)" 1 "lines on stderr for an unwritable model"
pass "clear errors"

# The predictions folder is in Spark's layout.
dir=out_forecast/bitcoin_predictions.parquet
[ -f $dir/_SUCCESS ] && [ ! -s $dir/_SUCCESS ] || fail "_SUCCESS missing or not empty"
parts=$(ls $dir | grep -c '^part-00000-[0-9a-f-]\{36\}-c000\.snappy\.parquet$')
expect_eq "$parts" 1 "one part file"
expect_eq "$(ls $dir | wc -l)" 2 "nothing else in the folder"
pass "predictions folder in Spark's layout"

# --help prints percent signs once (it is printed as is, not through printf).
"$BTCSTREAM" train --help > help.txt
expect_contains help.txt "tests on the last 20% by time" "train --help"
grep -q '%%' help.txt && fail "train --help prints %% literally"
pass "train --help"
