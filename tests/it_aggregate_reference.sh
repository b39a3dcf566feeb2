# The three seed tables (and hourly) over real data equal an independent computation
# (tests/tools/reference_tables.py) to a relative 1e-9, for every shared data file, and with
# non-default windows, including a slide that does not divide the window.
. "$BS_SOURCE_DIR/tests/lib.sh"

check_tables() { # FILE [WINDOW SLIDE WINDOW_US SLIDE_US]
    local f=$1 extra=() ref_extra=()
    if [ $# -gt 1 ]; then extra=(--window "$2" --slide "$3"); ref_extra=("$4" "$5"); fi
    for t in hour_of_day daily moving_avg hourly; do
        $REF table $t "$f" "${ref_extra[@]}" > expected.csv
        "$BTCSTREAM" aggregate --input "$f" --table $t --format csv "${extra[@]}" > actual.csv
        $REF compare expected.csv actual.csv > cmp.txt || { cat cmp.txt; fail "$t of $(basename "$f") ${extra[*]}"; }
        [ "$(wc -l < expected.csv)" -gt 1 ] || fail "$t of $(basename "$f") is empty"
    done
    pass "tables of $(basename "$f") ${extra[*]}"
}

binance=$(shared_data binanceus_btcusdt_1m_2023-03-01_21.csv)
check_tables "$binance"
check_tables "$(shared_data kraken_btcusdc_1m_2023-01-01_03-31.csv)"
check_tables "$(shared_data btcusd_1d_2011-2025.csv)"
check_tables "$binance" 45m 15m 2700000000 900000000
check_tables "$binance" 1h 25m 3600000000 1500000000

# The same data as tick JSON lines, shuffled: the tables must not depend on file order.
"$BTCSTREAM" import "$binance" --history history.json > /dev/null
$PY -c "
import random, sys
lines = open('history.json').readlines()
random.Random(3).shuffle(lines)
open('shuffled.json', 'w').writelines(lines)"
for t in hour_of_day daily moving_avg hourly; do
    $REF table $t "$binance" > expected.csv
    "$BTCSTREAM" aggregate --input shuffled.json --table $t --format csv > actual.csv
    $REF compare expected.csv actual.csv > /dev/null || fail "$t of the shuffled history"
done
pass "shuffled history gives the same tables"

# Parallel and single-threaded scans agree; sums added in another order may differ in the last
# bits, so to 1e-12 rather than byte for byte.
big=big.json
for i in $(seq 1 40); do cat history.json; done > $big
"$BTCSTREAM" aggregate --input $big --threads 1 --format csv > one.csv
"$BTCSTREAM" aggregate --input $big --threads 4 --format csv > four.csv
$REF compare one.csv four.csv 1e-12 > /dev/null || fail "1 and 4 threads differ"
[ "$(wc -l < one.csv)" -gt 1000 ] || fail "too few rows to compare threads"
pass "thread count does not change the tables"
