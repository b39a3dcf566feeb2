# Forecast mode on real one-minute candles (Binance.US, March 2023): the calibrated model is no
# worse than the persistence forecast, the raw Spark-default trees are, and predict agrees with
# the model's own last test row. Skips when ../shared/data is not here.
. "$BS_SOURCE_DIR/tests/lib.sh"
data=$(shared_data binanceus_btcusdt_1m_2023-03-01_21.csv)

"$BTCSTREAM" train --input "$data" --threads 2 --out-dir cal --format json > cal.json || fail "train"
"$BTCSTREAM" train --input "$data" --threads 2 --out-dir raw --format json --no-calibrate > raw.json \
    || fail "train --no-calibrate"
$PY - cal.json raw.json <<'PY' || fail "RMSE against persistence"
import json, sys
cal, raw = (json.load(open(f)) for f in sys.argv[1:3])
assert cal["rows_test"] == 6035 and cal["rows_train"] == 24144, cal
m, b, r = cal["model"]["rmse"], cal["baseline"]["rmse"], raw["model"]["rmse"]
print(f"RMSE: calibrated model {m:.6f}, raw trees {r:.6f}, persistence {b:.6f}")
assert raw["baseline"] == cal["baseline"]
assert m <= b * 1.0005, "the calibrated model lost to persistence by more than 0.05%"
assert r > m, "calibration should not make the forecast worse here"
PY
pass "calibrated forecast no worse than persistence on Binance 1m"

# Walk-forward on the same candles: ten folds, every test row forecast from its past only. The
# model's edge over persistence is within noise here, and the verdict must say so; the 80%
# intervals, calibrated on the previous block each time, cover close to 80% of the rows.
"$BTCSTREAM" train --input "$data" --threads 2 --out-dir wf --format json \
    --evaluate walk-forward > wf.json || fail "walk-forward"
$PY - wf.json <<'PY' || fail "walk-forward on Binance 1m"
import json, sys
m = json.load(open(sys.argv[1]))
assert len(m["folds"]) == 10 and m["rows_test"] == sum(f["rows_test"] for f in m["folds"])
assert m["dm"]["hln"] is True and m["dm"]["p_value"] is not None
print(f"walk-forward: skill {m['skill']:+.6f}, DM p {m['dm']['p_value']:.4f}, "
      f"coverage {m['interval']['coverage']:.4f}; {m['verdict']}")
assert m["dm"]["p_value"] >= 0.05 and m["verdict"].startswith("no evidence that"), m["verdict"]
assert 0.7 <= m["interval"]["coverage"] <= 0.9, m["interval"]
PY
pass "walk-forward on Binance 1m: no evidence of skill, and it says so"
