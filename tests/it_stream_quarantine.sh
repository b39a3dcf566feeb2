# Stream files that are empty, truncated, binary or 100 MB go to _quarantine/ with a reason; the
# good files around them are committed, nothing is lost, and the stream goes on.
. "$BS_SOURCE_DIR/tests/lib.sh"

mkdir -p S
tick() { printf '{"Datetime": "2024-05-01T%s:00+00:00", "Open": 1, "High": 2, "Low": 1, "Close": %s, "Volume": "5"}\n' "$1" "$2"; }
tick 10:00 100 > S/ohlc_a_good.json
: > S/ohlc_b_empty.json
tick 10:01 101 | head -c 40 > S/ohlc_c_truncated.json
head -c 3000 /dev/urandom > S/ohlc_d_binary.json
# 100 MB without a newline, then one good tick: the giant line is refused, the tick kept.
big=$((100 * 1024 * 1024))
[ -n "${BS_UNDER_SANITIZER:-}" ] && big=$((10 * 1024 * 1024))
{ head -c $big /dev/zero | tr '\0' 'x'; echo; tick 10:02 102; } > S/ohlc_e_huge.json
{ tick 10:03 103; echo 'not json'; } > S/ohlc_f_partly_bad.json
tick 10:04 104 > S/ohlc_g_good.json
before=$(cat S/ohlc_e_huge.json S/ohlc_d_binary.json | sha256sum)

"$BTCSTREAM" stream --stream-dir S --history H.json --until-idle --trigger 0 --quiet > out.txt 2> err.txt \
    || fail "stream failed: $(cat err.txt)"
for f in b_empty c_truncated d_binary e_huge f_partly_bad; do
    [ -f "S/_quarantine/ohlc_$f.json" ] || fail "ohlc_$f.json not quarantined"
    [ -s "S/_quarantine/ohlc_$f.json.reason" ] || fail "ohlc_$f.json has no reason"
done
expect_contains S/_quarantine/ohlc_b_empty.json.reason "file is empty" "empty reason"
expect_contains S/_quarantine/ohlc_c_truncated.json.reason "ohlc_c_truncated.json:1:" "truncated reason"
expect_contains S/_quarantine/ohlc_e_huge.json.reason "longer than 65536 bytes" "huge reason"
expect_contains S/_quarantine/ohlc_f_partly_bad.json.reason "ohlc_f_partly_bad.json:2: not a JSON object" "partly bad reason"
expect_eq "$(cat S/_quarantine/ohlc_e_huge.json S/_quarantine/ohlc_d_binary.json | sha256sum)" "$before" "quarantined bytes kept"
[ -f S/_processed/ohlc_a_good.json ] && [ -f S/_processed/ohlc_g_good.json ] || fail "good files not processed"
expect_eq "$(ls S | grep -c '^ohlc_')" 0 "stream directory drained"
# The history holds the five good ticks (a, the one after the huge line, f's first line, g).
closes=$($PY -c "import json; print(sorted(float(json.loads(l)['Close']) for l in open('H.json')))")
expect_eq "$closes" "[100.0, 102.0, 103.0, 104.0]" "good ticks committed"
expect_contains err.txt "quarantined ohlc_b_empty.json" "notice printed"
expect_contains out.txt "5 files quarantined" "batch line counts quarantine"

# The stream goes on: a new good file after the bad ones is committed by the next run.
tick 11:00 110 > S/ohlc_h_later.json
"$BTCSTREAM" stream --stream-dir S --history H.json --until-idle --trigger 0 --quiet > out2.txt
expect_eq "$(wc -l < H.json)" 5 "later tick appended"
expect_contains out2.txt "batch 2: 1 new row" "batch numbering continues"
pass "bad stream files quarantined with reasons, stream goes on"
