# The forecast's evidence as a user gets it from `train --format json`: the Diebold-Mariano
# statistic and p-value (HLN-corrected), skill and the intervals' coverage and width, each
# recomputed by Python (tests/tools/dm_reference.py: its own t CDF) from the predictions Parquet
# as DuckDB reads it, to 1e-9, for horizon 1 and 5, on one split and on walk-forward folds.
# Several horizons print one JSON line each; a series where the model can only equal
# persistence says so instead of printing a p-value.
. "$BS_SOURCE_DIR/tests/lib.sh"

$PY - > h.json <<'PY'
import json, math, random
from datetime import datetime, timedelta, timezone
rng = random.Random(15)
t, p, r = datetime(2024, 3, 1, tzinfo=timezone.utc), 60000.0, 0.0
for i in range(3000):
    t += timedelta(minutes=1)
    r = 0.2 * r + rng.gauss(0, 0.001)
    p *= math.exp(r)
    print(json.dumps({"Datetime": t.isoformat(), "Open": p, "High": p, "Low": p, "Close": p,
                      "Volume": "1"}))
PY

check() { # NAME TRAIN-ARGS...: train, read the predictions with DuckDB, recompute in Python
    local name=$1
    shift
    "$BTCSTREAM" train --input h.json --out-dir "$name" --format json --max-iter 30 "$@" \
        > "$name.json" || fail "train $*"
    NODE_PATH=$BS_NODE_DIR/node_modules node "$BS_SOURCE_DIR/tests/parquet/to_csv.js" \
        "$name/bitcoin_predictions.parquet/*.parquet" "$name.csv" || fail "duckdb read"
    PYTHONPATH=$BS_SOURCE_DIR/tests/tools $PY - "$name.json" "$name.csv" <<'PY' || fail "$name: evidence differs from Python's"
import csv, json, math, sys
from dm_reference import dm_test
m = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
assert rows == sorted(rows, key=lambda r: r["timestamp"]), "rows not in time order"
y, p, b = ([float(r[k]) for r in rows] for k in ("Close", "prediction", "baseline"))
lo, up = [float(r["lower"]) for r in rows], [float(r["upper"]) for r in rows]
h = m["horizon"]
assert m["rows_test"] == len(rows) and m["dm"]["hln"] is True and m["dm"]["n"] == len(rows)
stat, pval = dm_test(y, p, b, h)
def close(ours, ref, what):
    assert math.isclose(ours, ref, rel_tol=1e-9, abs_tol=1e-12), (what, ours, ref)
close(m["dm"]["statistic"], stat, "DM statistic")
close(m["dm"]["p_value"], pval, "DM p-value")
rmse = lambda f: math.sqrt(math.fsum((a - c) ** 2 for a, c in zip(y, f)) / len(y))
close(m["skill"], 1 - rmse(p) / rmse(b), "skill")
inside = sum(l <= a <= u for a, l, u in zip(y, lo, up))
close(m["interval"]["coverage"], inside / len(y), "coverage")
close(m["interval"]["mean_width"], math.fsum(u - l for l, u in zip(lo, up)) / len(y), "width")
assert all(l < f < u for l, f, u in zip(lo, p, up)), "prediction outside its interval"
verdict = m["verdict"]
assert ("beats persistence (p = " in verdict) and (verdict.startswith("no evidence") == (pval >= 0.05)), verdict
if m["evaluate"] == "walk-forward":
    folds = m["folds"]
    assert len(folds) == 10 and sum(f["rows_test"] for f in folds) == len(rows)
    at = 0
    for f in folds:  # each fold's own test on its own rows
        n = f["rows_test"]
        s, q = dm_test(y[at:at + n], p[at:at + n], b[at:at + n], h)
        close(f["dm"]["statistic"], s, "fold DM statistic")
        close(f["dm"]["p_value"], q, "fold DM p-value")
        assert rows[at]["timestamp"] == f["test_from"], (rows[at]["timestamp"], f["test_from"])
        assert f["rows_train"] < f["rows_test"] * f["fold"] + f["rows_test"] + 5
        at += n
print(f"{sys.argv[1]}: h={h} DM {stat:.6f} p {pval:.6g} coverage {inside / len(y):.4f}")
PY
}
check split1 --horizon 1
check split5 --horizon 5
check wf1 --horizon 1 --evaluate walk-forward
check wf5 --horizon 5 --evaluate walk-forward --folds 10
check wf5w --horizon 5 --evaluate walk-forward --window 800
check wf5full --horizon 5 --evaluate walk-forward --refit full
check wf5wfull --horizon 5 --evaluate walk-forward --window 800 --refit full
pass "DM statistic and p-value, skill, coverage and width equal Python's from the Parquet"

# --window bounds every fold's training rows.
$PY -c "
import json
m = json.load(open('wf5w.json'))
assert all(f['rows_train'] <= 800 for f in m['folds']), [f['rows_train'] for f in m['folds']]
assert m['window'] == 800
w, f = json.load(open('wf5.json')), json.load(open('wf5full.json'))
assert w['folds'][0] == f['folds'][0], 'warm and full refits share fold 1'
assert w['folds'][1]['model'] != f['folds'][1]['model'], 'later warm folds are not full refits'" \
    || fail "--window, --refit"
pass "--window bounds the training rows"

# Several horizons: one JSON line each, in the order asked; the files are the first horizon's.
"$BTCSTREAM" train --input h.json --out-dir multi --format json --max-iter 10 --horizon 1,5,15 \
    --interval-level 0.5 > multi.json || fail "several horizons"
$PY -c "
import json
lines = [json.loads(l) for l in open('multi.json')]
assert [l['horizon'] for l in lines] == [1, 5, 15], lines
assert all(l['interval']['level'] == 0.5 for l in lines)" || fail "one JSON line a horizon"
"$BTCSTREAM" train --input h.json --out-dir multi --max-iter 10 --horizon 1,5 > multi.txt
expect_contains multi.txt "verdict" "summary table header"
expect_eq "$(grep -c 'beats persistence' multi.txt)" 2 "one row a horizon"
pass "several horizons"

# A constant price: the model can only equal persistence; no p-value, and a reason.
$PY - > flat.json <<'PY'
import json
from datetime import datetime, timedelta, timezone
t = datetime(2024, 3, 1, tzinfo=timezone.utc)
for i in range(400):
    print(json.dumps({"Datetime": (t + timedelta(minutes=i)).isoformat(), "Open": 5, "High": 5,
                      "Low": 5, "Close": 5, "Volume": "1"}))
PY
"$BTCSTREAM" train --input flat.json --out-dir flat --max-iter 5 > flat.txt 2> flat.err \
    || fail "train on a constant price"
expect_contains flat.txt "verdict: no test of " "equal forecasts"
expect_contains flat.txt "against persistence: the forecasts equal persistence's on every row" \
    "equal forecasts"
expect_contains flat.txt "skill (1 - RMSE model / RMSE persistence): undefined" "skill 0/0"
"$BTCSTREAM" train --input flat.json --out-dir flat --max-iter 5 --format json > flat_j.json 2> /dev/null
$PY -c "
import json
m = json.load(open('flat_j.json'))
assert m['dm']['p_value'] is None and m['dm']['statistic'] is None and m['dm']['reason'], m['dm']" \
    || fail "undefined DM in JSON"
pass "a model equal to persistence gets a reason, not a p-value"

# Bad values are refused with one line.
for bad in "--interval-level 1" "--interval-level 0" "--evaluate sideways" "--folds 0" \
    "--horizon 1,,x" "--refit sideways"; do
    if "$BTCSTREAM" train --input h.json $bad 2> err.txt; then fail "accepted $bad"; fi
    expect_eq "$(wc -l < err.txt)" 1 "lines on stderr for $bad"
done
if "$BTCSTREAM" train --input h.json --mode seed --evaluate walk-forward 2> err.txt; then
    fail "walk-forward in seed mode"
fi
pass "bad values refused"
