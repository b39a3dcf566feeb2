# SIGTERM and SIGINT make the stream processor finish the batch in hand, commit it and exit 0;
# a restart then continues the batch numbering and nothing is lost or doubled.
. "$BS_SOURCE_DIR/tests/lib.sh"
"$BTCSTREAM" ingest --source sim --interval 0 --duration 300ms --stream-dir S > /dev/null 2>&1
produced=$(ls S | grep -c '^ohlc_')
[ "$produced" -gt 10 ] || fail "only $produced ticks produced"
for sig in TERM INT; do
    "$BTCSTREAM" stream --stream-dir S --history H.json --trigger 200ms --max-files-per-trigger 5 \
        --quiet > out_$sig.txt 2>&1 &
    pid=$!
    sleep 0.5
    kill -$sig $pid
    wait $pid || fail "stream exited non-zero on SIG$sig: $(cat out_$sig.txt)"
    grep -q "^batch [0-9]*: 5 new rows" out_$sig.txt || fail "no batch before SIG$sig"
done
"$BTCSTREAM" stream --stream-dir S --history H.json --until-idle --trigger 0 --quiet > rest.txt 2>&1
expect_eq "$(wc -l < H.json)" "$produced" "every tick once after two signals"
first_after=$(grep -m1 -o "^batch [0-9]*" out_INT.txt | cut -d' ' -f2)
last_before=$(grep "^batch" out_TERM.txt | tail -1 | cut -d' ' -f2 | tr -d :)
expect_eq "$first_after" $((last_before + 1)) "batch numbers continue across restarts"
pass "SIGTERM and SIGINT commit the batch in hand and exit 0"
