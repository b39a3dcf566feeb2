# The dashboard in a real browser (chromium via playwright-core): `serve` beside a sim run; the
# page updates live (>= 10 updates), a reload resumes with no duplicate and no gap, the console
# stays clean, and the numbers on the page equal an independent computation (Python) of the
# history's newest hourly, daily and moving-average rows. Saves a screenshot (dashboard.png in
# the build folder; with BS_UPDATE_DOCS=1 also docs/dashboard.png, the one the README shows).
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/browser/serve_helpers.sh"
[ -x /usr/bin/chromium ] || skip "chromium is not installed (scripts/install-deps.sh)"
need_node_module playwright-core
shot=$OLDPWD/dashboard.png
[ -n "${BS_UPDATE_DOCS:-}" ] && shot=$BS_SOURCE_DIR/docs/dashboard.png

# Three hours of history before the run, so that the chart has minutes of candles to draw.
mkdir -p D
history_before_now past.json 3 10
"$BTCSTREAM" import past.json --history D/bitcoin_combined.json > import.log 2>&1 || { cat import.log >&2; fail "import"; }
start_serve serve.log --data-dir D --predictions O/bitcoin_predictions.parquet
# A data folder from before markets (its one history, bitcoin_combined.json): what the
# dashboard shows without --market; docs/markets.md.
mkdir -p D && : > D/bitcoin_combined.json
"$BTCSTREAM" run --source sim --duration 12s --interval 150ms --data-dir D --out-dir O \
    --no-upload --quiet > run.log 2>&1 &
run_pid=$!
NODE_PATH=$BS_NODE_DIR/node_modules node "$BS_SOURCE_DIR/tests/browser/dashboard.js" \
    "$SERVE_URL/" "$WORK/run.done" "$shot" "$WORK/O/bitcoin_predictions.parquet" > page.json 2> node.err &
node_pid=$!
wait $run_pid || { cat run.log >&2; fail "the sim run failed"; }
touch run.done
wait $node_pid || { cat node.err >&2; fail "the browser test failed"; }
$PY "$BS_SOURCE_DIR/tests/browser/expected_rows.py" D/bitcoin_combined.json > expected.json
# The model stage trains only on a long enough history: check its numbers when it ran.
if [ -d O/bitcoin_predictions.parquet ]; then
    NODE_PATH=$BS_NODE_DIR/node_modules node "$BS_SOURCE_DIR/tests/parquet/to_csv.js" \
        "O/bitcoin_predictions.parquet/part-*.parquet" predictions.csv || fail "duckdb read the predictions"
else
    grep "model" run.log >&2 || true
    : > predictions.csv
fi

$PY - page.json expected.json predictions.csv <<'PYEOF' || fail "the page differs from the history (see above)"
import json, sys
page, want = (json.load(open(p)) for p in sys.argv[1:3])
cells, bad = page["cells"], []
def check(what, got, expected):
    ok = (got == expected if isinstance(expected, str) else
          abs(float(got) - expected) <= 1e-9 * max(1.0, abs(expected)))
    if not ok:
        bad.append(f"{what}: page {got!r}, expected {expected!r}")
check("console errors", json.dumps(page["errors"]), "[]")
check("ticks on the page", str(page["stats"]["lastId"]), str(want["rows"]))
check("committed ticks", str(page["committed"]), str(want["rows"]))
check("duplicates after the reload", str(page["stats"]["duplicates"]), "0")
check("gaps after the reload", str(page["stats"]["gaps"]), "0")
check("price", cells["price"], want["close"])
for cell, key in [("hourly-start", "Hour_Start"), ("hourly-open", "Open"), ("hourly-high", "High"),
                  ("hourly-low", "Low"), ("hourly-close", "Close"), ("hourly-avg", "Avg_Close")]:
    check(cell, cells[cell], want["hourly"][key])
check("hourly-count", cells["hourly-count"], str(want["hourly"]["Count"]))
for cell, key in [("daily-day", "Day"), ("daily-avg", "Daily_Avg_Close"),
                  ("daily-min", "Daily_Min_Close"), ("daily-max", "Daily_Max_Close")]:
    check(cell, cells[cell], want["daily"][key])
check("ma-window", cells["ma-window"], want["moving_avg"]["Start"])
check("ma-value", cells["ma-value"], want["moving_avg"]["Moving_Avg_Close"])
check("persistence RMSE", cells["fc-persist-rmse"], want["persistence_rmse"])
import csv, math
rows = list(csv.DictReader(open(sys.argv[3])))
rmse = lambda col: math.sqrt(sum((float(r["Close"]) - float(r[col])) ** 2 for r in rows) / len(rows))
if rows:
    check("model rows", cells["fc-model-n"], str(len(rows)))
    check("model RMSE", cells["fc-model-rmse"], rmse("prediction"))
    check("model forecast", cells["fc-model"], float(rows[-1]["prediction"]))
    check("model actual", cells["fc-model-actual"], float(rows[-1]["Close"]))
else:
    print("  note: the run trained no model; its numbers were not checked", file=sys.stderr)
if page["updates_before_reload"] < 10: bad.append("fewer than 10 live updates")
if not page["texts"]["chart"]: bad.append("no chart canvas")
for b in bad: print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
[ -s "$shot" ] || fail "no screenshot"
stop_serve INT
pass "the page follows $(jq -r .committed page.json 2>/dev/null || echo all) committed ticks live, resumes after a reload, and matches the history"
