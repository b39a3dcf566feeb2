# `btcstream import` of each shared CSV equals an independent reading of the same file; a second
# import appends nothing; the source is never written; bad lines are counted with file:line.
. "$BS_SOURCE_DIR/tests/lib.sh"

for name in binanceus_btcusdt_1m_2023-03-01_21.csv kraken_btcusdc_1m_2023-01-01_03-31.csv \
            btcusd_1d_2011-2025.csv; do
    src=$(shared_data $name)
    before=$(sha256sum < "$src")
    rm -f h.json
    "$BTCSTREAM" import "$src" --history h.json > out.txt
    rows=$(($(grep -c . "$src") - $(head -1 "$src" | grep -qi '^[a-z]' && echo 1 || echo 0)))
    expect_contains out.txt "read $rows, appended $rows, skipped 0 duplicates, rejected 0" "$name counts"
    # The history, read back by Python's json module, holds exactly the source's rows.
    $REF ticks "$src" > expected.csv
    $REF ticks h.json > actual.csv
    cmp -s expected.csv actual.csv || { diff expected.csv actual.csv | head; fail "$name ticks differ"; }
    "$BTCSTREAM" import "$src" --history h.json > again.txt
    expect_contains again.txt "appended 0, skipped $rows duplicates" "$name re-import"
    expect_eq "$(sha256sum < "$src")" "$before" "$name left untouched"
    pass "import $name ($rows rows)"
done

# CSVs from other publishers, matched by column name: CryptoDataDownload's layout (epoch
# milliseconds and a text date, newest first, two volumes) and CoinGecko's export (a price, a
# " UTC" suffix, no open/high/low). The reference reads the text date; btcstream the first
# time column, the epoch: they must agree.
$PY - <<'PY'
import random
from datetime import datetime, timezone
random.seed(9)
t0, price, rows = 1704067200, 42000.0, []
for i in range(600):
    t = t0 + 60 * i
    o = price
    price = round(price * (1 + random.gauss(0, 0.001)), 2)
    hi, lo = round(max(o, price) + random.random() * 5, 2), round(min(o, price) - random.random() * 5, 2)
    date = datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    rows.append(f"{t * 1000},{date},BTC/USD,{o},{hi},{lo},{price},{random.random():.8f},{random.random() * 1e4:.2f}")
with open("cdd.csv", "w") as f:
    f.write("unix,date,symbol,open,high,low,close,Volume BTC,Volume USD\n" + "\n".join(reversed(rows)) + "\n")
with open("yahoo.csv", "w") as f:  # dates alone, and Adj Close before Volume
    f.write("Date,Open,High,Low,Close,Adj Close,Volume\n")
    for i in range(200):
        day = datetime.fromtimestamp(1704067200 + 86400 * i, timezone.utc).strftime("%Y-%m-%d")
        c = 42000 + i * 11.5
        f.write(f"{day},{c - 100},{c + 250.25},{c - 300.5},{c},{c},{30000000000 + i}\n")
with open("gecko.csv", "w") as f:
    f.write("snapped_at,price,market_cap,total_volume\n")
    for i in range(300):
        day = datetime.fromtimestamp(1704067200 + 86400 * i, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        f.write(f"{day},{40000 + i * 3.25},{8e11 + i},{2.5e10 + i}\n")
PY
for f in cdd.csv yahoo.csv gecko.csv; do
    rm -f n.json
    "$BTCSTREAM" import $f --history n.json > out.txt || fail "import $f"
    rows=$(($(wc -l < $f) - 1))
    expect_contains out.txt "read $rows, appended $rows, skipped 0 duplicates, rejected 0" "$f counts"
    $REF ticks $f > expected.csv
    $REF ticks n.json > actual.csv
    cmp -s expected.csv actual.csv || { diff expected.csv actual.csv | head; fail "$f ticks differ"; }
done
expect_contains n.json '"Volume": "25000000299"' "CoinGecko's total_volume is the volume"
rm -f y.json && "$BTCSTREAM" import yahoo.csv --history y.json > /dev/null
expect_contains y.json '"Datetime": "2024-01-02T00:00:00.000000+00:00"' "a date alone is midnight UTC"
expect_contains y.json '"Volume": "30000000001"' "Volume, not Adj Close"
pass "CSVs with named columns in any order"

# Every timestamp variant and number form of DESIGN.md, plus one line of each bad class.
cat > mixed.json <<'JSON'
{"Datetime": "2025-05-12T01:22:54.181814+00:00", "Open": 104579, "High": 104899, "Low": 103480, "Close": 104579, "Volume": "26503597248"}
{"Datetime": "2025-05-12T01:19:10.542969", "Open": 104500.5, "High": 104899, "Low": 103480, "Close": 104501.25, "Volume": 123}
{"Datetime": "2025-05-12T03:00:00Z", "Close": 104000}
{"Datetime": "2025-05-12T05:30:00.5+05:30", "Close": 104100}
{"Datetime": "2025-05-12 02:00:00.123456789", "Close": 104200}
{"Datetime": "2025-05-12T02:30:00", "Close": "oops"}
{"Datetime": "2025-05-12T02:31:00", "Open": 1}
{"Datetime": "2025-05-12T02:32:00", "Close": NaN}
{"Datetime": "2025-05-12T02:33:00", "Close": -3}
{"Datetime": "12 May 2025", "Close": 5}
{"Datetime": "2025-05-12T02:34:00", "Close": 5
JSON
$PY -c "print('{\"Datetime\": \"2025-05-12T02:35:00\", \"Close\": 5, \"pad\": \"' + 'x' * 70000 + '\"}')" >> mixed.json
"$BTCSTREAM" import mixed.json --history m.json > out.txt 2> err.txt
expect_contains out.txt "read 12, appended 5, skipped 0 duplicates, rejected 7" "mixed counts"
expect_contains err.txt "skipped 7 bad lines of 12 in mixed.json" "bad-line summary"
expect_contains err.txt "mixed.json:6: field \"Close\": not a number" "non-numeric Close"
expect_contains err.txt "mixed.json:7: field \"Close\": missing" "missing Close"
expect_contains err.txt "mixed.json:8: field \"Close\": NaN or infinity" "NaN"
expect_contains err.txt "mixed.json:9: field \"Close\": price is not positive" "negative price"
expect_contains err.txt "mixed.json:10: field \"Datetime\": bad timestamp" "bad time"
expect_contains err.txt "and 2 more" "the rest counted"
# Times in order; the +05:30 tick is 00:00:00.5 UTC, and 9 fraction digits truncate to 6.
first=$(head -1 m.json)
case "$first" in *'"2025-05-12T00:00:00.500000+00:00"'*) ;; *) fail "offset tick first: $first" ;; esac
expect_contains m.json '"Datetime": "2025-05-12T02:00:00.123456+00:00"' "nanoseconds truncated"
expect_contains m.json '"Volume": "123"' "numeric Volume kept as a string"
pass "timestamp variants and bad-line classes"

# --strict stops at the first bad line with its file:line, and writes nothing.
if "$BTCSTREAM" import mixed.json --history s.json --strict 2> err.txt; then fail "strict import succeeded"; fi
expect_contains err.txt "mixed.json:6: field \"Close\": not a number" "strict message"
[ ! -e s.json ] || fail "strict import wrote a history"
pass "strict mode"

# Empty, missing and unrecognised files are clear errors, and the history is left as it was.
cp m.json keep.json
: > empty.json
if "$BTCSTREAM" import empty.json --history m.json 2> err.txt; then fail "empty file accepted"; fi
expect_contains err.txt "empty.json: file is empty" "empty file"
if "$BTCSTREAM" import missing.json --history m.json 2> err.txt; then fail "missing file accepted"; fi
expect_contains err.txt "missing.json: No such file or directory" "missing file"
printf 'hello world\n' > junk.txt
if "$BTCSTREAM" import junk.txt --history m.json 2> err.txt; then fail "junk accepted"; fi
expect_contains err.txt "junk.txt: unrecognised format" "unknown format"
if "$BTCSTREAM" import m.json --history m.json 2> err.txt; then fail "self-import accepted"; fi
cmp -s m.json keep.json || fail "a failed import changed the history"
pass "clear errors, history untouched"
