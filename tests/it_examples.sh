# Each program in examples/ (one or more public modules each, see docs/API.md) runs on a small
# generated input and prints what an independent computation in Python's standard library
# gets from the same input.
source "$(dirname "$0")/lib.sh"
bin=$(dirname "$BTCSTREAM")
# Every example is described in docs/API.md and run below; every example API.md links exists.
for src in "$BS_SOURCE_DIR"/examples/*.c; do
    name=$(basename "$src" .c)
    grep -q "examples/$name.c" "$BS_SOURCE_DIR/docs/API.md" || fail "docs/API.md does not mention examples/$name.c"
    grep -q "example_$name\b" "$0" || fail "examples/$name.c is not run by $(basename "$0")"
done
for f in $(grep -oE 'examples/[a-z_]+\.c' "$BS_SOURCE_DIR/docs/API.md" | sort -u); do
    [ -f "$BS_SOURCE_DIR/$f" ] || fail "docs/API.md links $f, which does not exist"
done
$PY "$BS_SOURCE_DIR/docs/make_ticks.py" --minutes 90 --seed 3 >ticks.csv

# daily_summary (aggregate.h, table.h): each day's mean close.
"$bin/example_daily_summary" ticks.csv >out.txt || fail "example_daily_summary failed"
$PY - ticks.csv out.txt <<'PYEOF' || fail "example_daily_summary's output"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
days = {}
for r in rows:
    days.setdefault(r["Datetime"][:10], []).append(float(r["Close"]))
want = [f"{len(rows)} ticks, 0 bad lines, {len(days)} days"]
want += [f"{d} {sum(v) / len(v):.2f}" for d, v in sorted(days.items())]
got = open(sys.argv[2]).read().split("\n")[:-1]
assert got == want, (got, want)
PYEOF
pass "example_daily_summary"

# parse_ticks (tick.h, timeutil.h): the time in the tick format and the shortest close, and
# bad lines by number.
(cat ticks.csv; echo "2024-03-01T02:00:00Z,1,1,1,-5,1"; echo "not a time,1,1,1,1,1") >lines.csv
"$bin/example_parse_ticks" <lines.csv >out.txt || fail "example_parse_ticks failed"
$PY - lines.csv out.txt <<'PYEOF' || fail "example_parse_ticks's output"
import csv, datetime, sys
want = ["format: CSV with named columns"]
good = 0
for r in list(csv.DictReader(open(sys.argv[1])))[:90]:
    t = datetime.datetime.strptime(r["Datetime"], "%Y-%m-%dT%H:%M:%SZ")
    close = repr(float(r["Close"]))
    close = close[:-2] if close.endswith(".0") else close
    want.append(t.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00") + " " + close)
    good += 1
got = open(sys.argv[2]).read().split("\n")[:-1]
assert got[:len(want)] == want, [(g, w) for g, w in zip(got, want) if g != w][:3]
assert got[len(want)].startswith("line 92: ") and "Close" in got[len(want)], got[len(want)]
assert got[len(want) + 1].startswith("line 93: "), got[len(want) + 1]
assert got[-1] == f"{good} ticks, 2 bad lines", got[-1]
PYEOF
pass "example_parse_ticks"

# png_gradient (png.h): every pixel, decoded with zlib and the PNG filters by hand.
"$bin/example_png_gradient" g.png 37 23 >/dev/null || fail "example_png_gradient failed"
$PY - g.png 37 23 <<'PYEOF' || fail "example_png_gradient's pixels"
import struct, sys, zlib
data, w, h = open(sys.argv[1], "rb").read(), int(sys.argv[2]), int(sys.argv[3])
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    assert zlib.crc32(kind + body) == struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0], kind
    if kind == b"IHDR":
        assert struct.unpack(">IIBBBBB", body) == (w, h, 8, 2, 0, 0, 0), body
    if kind == b"IDAT":
        idat += body
    pos += 12 + n
raw, stride, prev, pixels = zlib.decompress(idat), w * 3, bytes(w * 3), []
def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - 3] if i >= 3 else 0
        b, c = prev[i], (prev[i - 3] if i >= 3 else 0)
        line[i] = (line[i] + [0, a, b, (a + b) // 2, paeth(a, b, c)][f]) & 255
    for x in range(w):
        assert tuple(line[x * 3:x * 3 + 3]) == (x * 255 // (w - 1), y * 255 // (h - 1), 128), (x, y)
    prev = bytes(line)
PYEOF
pass "example_png_gradient"

# stream_files (source.h, producer.h, ingest.h, stream.h, checkpoint.h, history.h): every tick
# of the file once, in order, in the history; each file committed and moved.
"$bin/example_stream_files" ticks.csv out >out.txt || fail "example_stream_files failed"
expect_eq "$(head -1 out.txt)" "produced 90 stream files" "stream files produced"
expect_eq "$(tail -1 out.txt)" "committed 90 rows from 90 files in 1 batches, 0 quarantined" "stream totals"
expect_eq "$(ls out/stream/_processed | wc -l)" 90 "files moved to _processed"
$PY - ticks.csv out/history.json <<'PYEOF' || fail "the history example_stream_files wrote"
import csv, json, sys
want = [(r["Datetime"][:19], float(r["Close"])) for r in csv.DictReader(open(sys.argv[1]))]
got = [(j["Datetime"][:19], float(j["Close"])) for j in map(json.loads, open(sys.argv[2]))]
assert got == want, (len(got), len(want))
PYEOF
"$bin/example_stream_files" ticks.csv out >again.txt || fail "example_stream_files failed the second time"
expect_eq "$(tail -1 again.txt)" "committed 0 rows from 90 files in 1 batches, 0 quarantined" \
    "a second replay (new files, the same ticks)"
expect_eq "$(wc -l <out/history.json)" 90 "the history after a second replay of the same ticks (one tick an instant)"
pass "example_stream_files"

# forecast (reader.h, features.h, model.h, metrics.h, predictions.h): the metrics from the rows
# read back, each baseline the previous close, and the row counts from the lookback.
"$bin/example_forecast" ticks.csv preds.parquet >out.txt || fail "example_forecast failed"
[ -f preds.parquet/_SUCCESS ] || fail "example_forecast wrote no _SUCCESS"
$PY - ticks.csv out.txt <<'PYEOF' || fail "example_forecast's metrics"
import csv, datetime, math, re, sys
rows = list(csv.DictReader(open(sys.argv[1])))
closes = {int(datetime.datetime.strptime(r["Datetime"], "%Y-%m-%dT%H:%M:%SZ")
              .replace(tzinfo=datetime.timezone.utc).timestamp()) * 10**6: float(r["Close"])
          for r in rows}
times = sorted(closes)
lines = open(sys.argv[2]).read().split("\n")[:-1]
n, train, test = map(int, re.findall(r"\d+", lines[0]))
assert n == len(rows) and train + test == n - 60 - 1, (n, train, test)  # lookback 60, horizon 1
test_rows = [list(map(float, l.split())) for l in lines[3:]]
assert len(test_rows) == test
def metrics(col):
    err = [r[1] - r[col] for r in test_rows]
    return math.sqrt(sum(e * e for e in err) / len(err)), sum(abs(e) for e in err) / len(err)
for line, col in ((lines[1], 2), (lines[2], 3)):
    words = line.split()
    for got, want in zip((float(words[2]), float(words[4])), metrics(col)):
        assert abs(got - want) <= 1e-9 * want, (line, want)
for t, close, pred, base in test_rows:
    i = times.index(int(t))
    assert close == closes[times[i]] and base == closes[times[i - 1]], t
PYEOF
pass "example_forecast"

# run_pipeline (import.h, pipeline.h, plot.h, fsutil.h): the import counts, the same ticks in the
# imported and the streamed history, the row counts from the lookback, a 1200x600 PNG.
$PY "$BS_SOURCE_DIR/docs/make_ticks.py" --minutes 120 --seed 5 --start 2024-02-29T22:30:00 >two_days.csv
"$bin/example_run_pipeline" two_days.csv run >out.txt || fail "example_run_pipeline failed"
[ -f run/bitcoin_predictions.parquet/_SUCCESS ] || fail "example_run_pipeline wrote no predictions"
$PY - two_days.csv out.txt run <<'PYEOF' || fail "example_run_pipeline's output"
import csv, json, re, struct, sys
rows = list(csv.DictReader(open(sys.argv[1])))
lines = open(sys.argv[2]).read().split("\n")[:-1]
n = len(rows)
assert lines[0] == f"import: read {n}, appended {n}, skipped 0 duplicates", lines[0]
assert lines[1] == f"import: read {n}, appended 0, skipped {n} duplicates", lines[1]
assert lines[2] == f"pipeline: {n} ticks produced, {n} rows committed", lines[2]
train, test = map(int, re.findall(r"\d+", lines[3])[:2])
assert train + test == n - 60 - 1, lines[3]
want = [(r["Datetime"][:19], float(r["Close"])) for r in rows]
for name in ("old.json", "history.json"):
    got = [(j["Datetime"][:19], float(j["Close"])) for j in map(json.loads, open(f"{sys.argv[3]}/{name}"))]
    assert got == want, name
json.load(open(f"{sys.argv[3]}/model.json"))
png = open(f"{sys.argv[3]}/plot.png", "rb").read(24)
assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1200, 600)
PYEOF
pass "example_run_pipeline"

# export_tables (table_parquet.h, parquet.h, archive.h, fsutil.h, config.h): the daily table read
# back from Parquet against Python's, the ZIP's members against the files, and the bucket from
# a .env file.
echo "S3_BUCKET_NAME=bucket-from-dotenv" >.env
"$bin/example_export_tables" two_days.csv tables tables.zip >out.txt || fail "example_export_tables failed"
rm .env
$PY - two_days.csv out.txt <<'PYEOF' || fail "example_export_tables's output"
import csv, datetime, sys, zipfile
days = {}
for r in csv.DictReader(open(sys.argv[1])):
    days.setdefault(r["Datetime"][:10], []).append(float(r["Close"]))
lines = open(sys.argv[2]).read().split("\n")[:-1]
assert lines[0] == "Day,Daily_Avg_Close,Daily_Min_Close,Daily_Max_Close", lines[0]
got = [l.split(",") for l in lines[1:-1]]
assert len(got) == len(days) == 2, got
def day(text):  # a date string, or days (or microseconds) since the epoch
    if "-" in text: return text
    v = int(text)
    v = v // 86400000000 if abs(v) > 10**7 else v
    return str(datetime.date(1970, 1, 1) + datetime.timedelta(days=v))
for (d, avg, lo, hi), (want_d, closes) in zip(got, sorted(days.items())):
    assert day(d) == want_d, (d, want_d)
    for g, w in ((avg, sum(closes) / len(closes)), (lo, min(closes)), (hi, max(closes))):
        assert abs(float(g) - w) <= 1e-9 * w, (d, g, w)
assert lines[-1] == "zipped tables into tables.zip; upload bucket: bucket-from-dotenv", lines[-1]
z = zipfile.ZipFile("tables.zip")
assert sorted(z.namelist()) == ["README.txt", "daily.parquet"], z.namelist()
for name in z.namelist():
    assert z.read(name) == open("tables/" + name, "rb").read(), name
assert z.read("daily.parquet")[:4] == b"PAR1"
PYEOF
pass "example_export_tables"

# stages_report (sink.h, stages.h): the run's tables through the CSV sink, labelled, each stage's
# outcome, and the files the stages say they wrote; the daily averages against Python's.
"$BTCSTREAM" import two_days.csv --history stages_h.json >/dev/null
"$bin/example_stages_report" stages_h.json stages_out >out.txt 2>stages.txt || fail "example_stages_report failed: $(cat stages.txt)"
$PY - two_days.csv out.txt stages.txt stages_out <<'PYEOF' || fail "example_stages_report's output"
import csv, os, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
text = open(sys.argv[2]).read()
tables = [l[8:] for l in text.split("\n") if l.startswith("# table ")]
assert tables == ["hour_of_day", "daily", "moving_avg"], tables  # the course printed these three
daily = text.split("# table daily\n")[1].split("\n\n")[0].split("\n")[1:]
days = {}
for r in rows:
    days.setdefault(r["Datetime"][:10], []).append(float(r["Close"]))
for line in daily:
    day, avg = line.split(",")[:2]
    assert abs(float(avg) - statistics.fmean(days[day])) <= 1e-9 * abs(float(avg)), line
stages = dict(l.split(None, 1) for l in open(sys.argv[3]) if l[:1].isalpha() and ":" in l)
for name in ("tables", "train", "predictions", "zip", "plot"):
    assert stages[name].startswith("done"), (name, stages.get(name))
assert stages["upload"].startswith("skipped"), stages["upload"]
for f in ("model.json", "bitcoin_predictions.zip", "output_plot.png", "bitcoin_predictions.parquet/_SUCCESS"):
    assert os.path.exists(os.path.join(sys.argv[4], f)), f
PYEOF
pass "example_stages_report"

# market_export (market.h, export_data.h): the markets' summaries and one market's CSV, as the
# independent export of tests/export/make_history.py computes them.
$PY "$BS_SOURCE_DIR/tests/export/make_history.py" Data
"$bin/example_market_export" Data binance:BTCUSDT >market.csv 2>market.err || fail "example_market_export failed"
cmp Data/expect/binance.csv market.csv || fail "example_market_export's CSV"
expect_eq "$(grep -c 'rows, ' market.err)" 3 "one summary line a market"
grep -q "^binance:BTCUSDT $(awk -F, '$1 == "binance:BTCUSDT" { print $4 " rows, " $6 }' Data/expect/markets.csv) missing minutes$" market.err ||
    fail "example_market_export's summary: $(cat market.err)"
pass "example_market_export"
