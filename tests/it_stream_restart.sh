# The stream processor across restarts and signals: a stream file name reused by a later
# producer is new data, not a committed file; the live view continues from the history so late
# ticks are still recognised; --max-files-per-trigger bounds each batch; SIGTERM finishes the
# batch in hand, commits it and exits 0; polling (no inotify) gives the same result.
. "$BS_SOURCE_DIR/tests/lib.sh"

tick() { # TIME CLOSE: one tick line at 2024-05-01TTIME
    printf '{"Datetime": "2024-05-01T%s+00:00", "Open": 1, "High": 2, "Low": 1, "Close": %s, "Volume": "5"}\n' "$1" "$2"
}
stream() { "$BTCSTREAM" stream --stream-dir S --history H.json --trigger 0 "$@"; }
closes() { $PY -c "import json; print(sorted(float(json.loads(l)['Close']) for l in open('H.json')))"; }

# Two replays whose ticks fall in the same second get the same file name, one after the other.
tick 10:00:00 100 > a.json
tick 10:00:00.5 200 > b.json
"$BTCSTREAM" ingest --source replay:a.json --interval 0 --stream-dir S 2> /dev/null > /dev/null
stream --until-idle --quiet > out1.txt 2> /dev/null
"$BTCSTREAM" ingest --source replay:b.json --interval 0 --stream-dir S 2> /dev/null > /dev/null
stream --until-idle --quiet > out2.txt 2> /dev/null
expect_eq "$(closes)" "[100.0, 200.0]" "a reused name is read, not taken for the committed file"
expect_eq "$(ls S/_processed | wc -l)" 2 "both files kept in _processed"
expect_contains out2.txt "batch 2: 1 new row" "second file in its own batch"

# After a restart the live hour still holds 10:00's ticks; a tick from 09:00 is late.
tick 09:59:00 90 > S/ohlc_20240501_095900_9.json
tick 10:01:00 101 > S/ohlc_20240501_100100_9.json
stream --until-idle > out3.txt 2> err3.txt
expect_contains out3.txt "batch 3: 2 new rows, 1 late" "late tick counted across a restart"
expect_contains out3.txt "hour   from 2024-05-01 10:00:00: 3 ticks" "live hour continues from the history"
expect_contains err3.txt ", 1 late" "late total"
expect_eq "$(closes)" "[90.0, 100.0, 101.0, 200.0]" "late tick stored"

# --max-files-per-trigger: ten files in batches of at most three.
for i in 0 1 2 3 4 5 6 7 8 9; do tick "11:0$i:00" "11$i" > "S/ohlc_20240501_110${i}00_0.json"; done
stream --until-idle --max-files-per-trigger 3 --quiet > out4.txt 2> /dev/null
expect_eq "$(grep -c '^batch' out4.txt)" 4 "four batches"
expect_eq "$(sed -n 's/^batch [0-9]*: \([0-9]*\) new.*/\1/p' out4.txt | tr '\n' ' ')" "3 3 3 1 " "batch sizes"

# SIGTERM while files keep arriving: exit 0, and every processed file's tick is in the history.
$PY - > many.json <<'PY'
import json
for i in range(400):
    print(json.dumps({"Datetime": f"2024-05-02T00:{i // 60:02d}:{i % 60:02d}+00:00", "Open": 1,
                      "High": 2, "Low": 1, "Close": 1000 + i, "Volume": "5"}))
PY
"$BTCSTREAM" ingest --source replay:many.json --interval 5ms --stream-dir S > /dev/null 2>&1 &
producer=$!
"$BTCSTREAM" stream --stream-dir S --history H.json --trigger 100ms --quiet > out5.txt 2> err5.txt &
consumer=$!
sleep 1
kill -TERM $consumer
rc=0
wait $consumer || rc=$?
expect_eq "$rc" 0 "SIGTERM exits 0"
wait $producer
processed=$(ls S/_processed | wc -l)
expect_eq "$(wc -l < H.json)" "$processed" "history rows match processed files after SIGTERM"
[ "$(ls S | grep -c '^ohlc_')" -gt 0 ] || fail "SIGTERM came after the producer finished; test proves nothing"

# A second stream processor on the same folder would read the same files: it is refused.
"$BTCSTREAM" stream --stream-dir S --history H.json --quiet > /dev/null 2>&1 &
first=$!
sleep 0.3
if stream --until-idle --quiet > /dev/null 2> err7.txt; then fail "two stream processors on one folder"; fi
expect_contains err7.txt "another stream processor is working on this folder" "second processor refused"
kill -TERM $first
wait $first || fail "first processor did not exit cleanly"

# The rest, by polling instead of inotify.
stream --until-idle --poll --quiet > /dev/null 2>&1
expect_eq "$(wc -l < H.json)" 414 "every tick once"
expect_eq "$(ls S | grep -c '^ohlc_' || true)" 0 "drained by polling"
pass "names reused, late ticks across restarts, batch limits, SIGTERM and polling"

# Killed in the middle of a batch: until the stream processor has recovered, import refuses to
# append (recovery will cut the partial batch off, and would cut the import's rows with it).
size=$(stat -c %s H.json)
batch=$(grep -c '^commit' S/_checkpoint.log)
if $PY -c "import os; os.setxattr('H.json', 'user.btcstream.pending', b'S')" 2> /dev/null; then
    echo "begin $((batch + 1)) $size" >> S/_checkpoint.log
    printf '{"Datetime": "2024-05-03T00:00:00+00:00", "Open": 1, "Hi' >> H.json
    tick 23:59:00 7 > late.json
    if "$BTCSTREAM" import late.json --history H.json > /dev/null 2> err6.txt; then fail "import appended after a partial batch"; fi
    expect_contains err6.txt "run 'btcstream stream --stream-dir S --history H.json --until-idle'" "import names the recovery"
    stream --until-idle --quiet > /dev/null 2>&1
    expect_eq "$(stat -c %s H.json)" "$size" "partial batch cut off"
    "$BTCSTREAM" import late.json --history H.json > /dev/null 2>&1 || fail "import after recovery"
    expect_eq "$(wc -l < H.json)" 415 "imported tick appended"
    pass "import waits for the stream processor's recovery after a kill mid-batch"
else
    echo "no user extended attributes here: the import guard is off, not tested"
fi
