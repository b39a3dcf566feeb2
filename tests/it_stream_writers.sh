# The stream processor against other writers and careless producers:
#  - two stream processors (two folders, one history): the one killed mid-batch holds the other
#    off until it has recovered, so its recovery cannot cut the other's committed rows;
#  - a file written in place (no dot-name and rename) while the processor runs is never
#    committed twice: every line is in the history once, or the file is in the quarantine with
#    a reason;
#  - retention keeps _processed/ within --retain-files.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/fault/fault.sh"

tick() { # tick I: one tick line, I minutes after 2024-05-01
    $PY -c "
import json, sys
from datetime import datetime, timedelta, timezone
i = int(sys.argv[1])
t = datetime(2024, 5, 1, tzinfo=timezone.utc) + timedelta(minutes=i)
print(json.dumps({'Datetime': t.isoformat(), 'Open': 1, 'High': 2, 'Low': 0.5, 'Close': 100 + i, 'Volume': str(i)}))" "$1"
}

# ---- two processors on one history ----------------------------------------------------------
mkdir A B
for i in 1 2 3; do tick $i > A/ohlc_a$i.json; done
for i in 11 12; do tick $i > B/ohlc_b$i.json; done
cat A/*.json B/*.json > all.json
# A is killed just before it syncs its appended batch: the calls on H.json are recovery's
# lock-open and unmark, then the batch's lock-open, mark, write, fsync.
env LD_PRELOAD="$BS_FAULT_SHIM" BS_FAULT_ONLY=H.json BS_FAULT_KILL_AT=6 \
    "$BTCSTREAM" stream --stream-dir A --history H.json --until-idle --trigger 0 --quiet \
    > /dev/null 2>&1 && fail "processor A was not killed"
"$BTCSTREAM" stream --stream-dir B --history H.json --until-idle --trigger 0 --quiet \
    > /dev/null 2> b.err && fail "processor B appended behind A's interrupted batch"
expect_contains b.err "--stream-dir $(cd A && pwd)" "B names the folder to recover"
"$BTCSTREAM" stream --stream-dir A --history H.json --until-idle --trigger 0 --quiet > /dev/null 2>&1 \
    || fail "A's recovery failed"
"$BTCSTREAM" stream --stream-dir B --history H.json --until-idle --trigger 0 --quiet > /dev/null 2>&1 \
    || fail "B failed after A recovered"
$CHECK all.json H.json "two processors, one killed" || exit 1
pass "a processor killed mid-batch holds another folder's processor off until it recovered"

# ---- a file written in place ------------------------------------------------------------------
mkdir S
"$BTCSTREAM" stream --stream-dir S --history P.json --trigger 0 --poll --quiet > /dev/null 2>&1 &
pid=$!
$PY - <<'PY'
import json, time
from datetime import datetime, timedelta, timezone
with open("S/ohlc_inplace.json", "w") as f, open("inplace_src.json", "w") as src:
    for i in range(200):
        t = datetime(2024, 6, 1, tzinfo=timezone.utc) + timedelta(minutes=i)
        line = json.dumps({"Datetime": t.isoformat(), "Open": 1, "High": 2, "Low": 0.5,
                           "Close": 100 + i, "Volume": str(i)}) + "\n"
        f.write(line); f.flush(); src.write(line)
        time.sleep(0.005)
PY
sleep 0.5
kill -TERM $pid; wait $pid || true
"$BTCSTREAM" stream --stream-dir S --history P.json --until-idle --trigger 0 --quiet > /dev/null 2>&1
$PY - inplace_src.json P.json S <<'PY' || fail "a file written in place was committed wrongly"
import json, os, sys
from datetime import datetime
when = lambda l: datetime.fromisoformat(json.loads(l)["Datetime"])
src = [when(l) for l in open(sys.argv[1])]
hist = [when(l) for l in open(sys.argv[2])] if os.path.exists(sys.argv[2]) else []
if len(hist) != len(set(hist)):
    sys.exit(f"{len(hist) - len(set(hist))} lines committed twice")
if not set(hist) <= set(src):
    sys.exit("ticks that were never written")
q = os.path.join(sys.argv[3], "_quarantine")
if len(hist) < len(src) and not any(n.startswith("ohlc_inplace.json") and n.endswith(".reason")
                                    for n in os.listdir(q)):
    sys.exit(f"{len(src) - len(hist)} lines lost and the file is not in the quarantine with a reason")
print(f"in place: {len(hist)} of {len(src)} lines committed once, the file quarantined with a reason")
PY
pass "a file written in place is never committed twice, nor lost without a reason"

# ---- retention ----------------------------------------------------------------------------------
mkdir R
for i in $(seq 1 30); do tick $i > R/ohlc_r$(printf %03d $i).json; done
"$BTCSTREAM" stream --stream-dir R --history Rh.json --until-idle --trigger 0 --quiet \
    --max-files-per-trigger 5 > /dev/null 2>&1
expect_eq "$(ls R/_processed | wc -l)" 30 "nothing is removed before the bound is passed"
for i in $(seq 31 40); do tick $i > R/ohlc_r$(printf %03d $i).json; done
"$BTCSTREAM" stream --stream-dir R --history Rh.json --until-idle --trigger 0 --quiet \
    --retain-files 12 > /dev/null 2> r.err
expect_eq "$(ls R/_processed | wc -l)" 12 "retention keeps --retain-files files"
expect_eq "$(ls R/_processed | head -1)" "ohlc_r029.json" "the oldest are the ones removed"
for i in $(seq 1 40); do tick $i; done > r_all.json
$CHECK r_all.json Rh.json "retention" || exit 1
"$BTCSTREAM" stream --stream-dir R --history Rh.json --until-idle --trigger 0 --quiet > /dev/null 2>&1
$CHECK r_all.json Rh.json "a restart after retention" || exit 1
pass "retention bounds _processed/ and costs no tick"

# ---- one tick per instant, whoever stores it ----------------------------------------------------
mkdir D
for i in 1 2 3; do tick $i; done > d_import.json
"$BTCSTREAM" import d_import.json --history Dh.json > /dev/null
{ tick 3; tick 4; } > D/ohlc_d1.json      # 3 is stored already (by import)
{ tick 5; tick 5; } > D/ohlc_d2.json      # the same instant twice in one file
tick 4 > D/ohlc_d3.json                   # and again in another file of the batch
"$BTCSTREAM" stream --stream-dir D --history Dh.json --until-idle --trigger 0 --quiet \
    > /dev/null 2> d.err
expect_contains d.err "3 duplicates skipped" "the stream reports the duplicates it skipped"
for i in 1 2 3 4 5; do tick $i; done > d_all.json
$CHECK d_all.json Dh.json "one tick per instant" || exit 1
pass "the stream keeps one tick per instant, as import does"
