# import beside a running stream processor: both keep one tick per instant, and import decides
# what is new under the history's lock, so a commit can never slip in between its check and its
# append (rounds of both writing the same instants at once); and import reads a pipe.
. "$BS_SOURCE_DIR/tests/lib.sh"
CHECK="$PY $BS_SOURCE_DIR/tests/tools/exactly_once.py"
rounds=6
[ -n "${BS_UNDER_SANITIZER:-}" ] && rounds=3

$PY - <<'PY'
import json
from datetime import datetime, timedelta, timezone
with open("all.json", "w") as f:
    for i in range(400):
        t = datetime(2024, 7, 1, tzinfo=timezone.utc) + timedelta(minutes=i)
        f.write(json.dumps({"Datetime": t.isoformat(), "Open": 1, "High": 2, "Low": 0.5,
                            "Close": 100 + i, "Volume": "5"}) + "\n")
PY
for r in $(seq 1 "$rounds"); do
    rm -rf S H.json && mkdir S
    i=0
    while read -r line; do printf '%s\n' "$line" > "S/ohlc_$(printf %04d $i).json"; i=$((i + 1)); done < all.json
    "$BTCSTREAM" stream --stream-dir S --history H.json --until-idle --trigger 0 \
        --max-files-per-trigger 7 --quiet > /dev/null 2> s.err &
    spid=$!
    "$BTCSTREAM" import all.json --history H.json > /dev/null 2> i.err || fail "import: $(cat i.err)"
    wait $spid || fail "stream: $(cat s.err)"
    $CHECK all.json H.json "round $r of import beside the stream" || exit 1
done
pass "$rounds rounds of import and stream writing the same 400 instants at once: each stored once"

rm -f P.json
cat all.json | "$BTCSTREAM" import /dev/stdin --history P.json > out.txt 2> err.txt ||
    fail "import from a pipe: $(cat err.txt)"
expect_contains out.txt "appended 400" "import from a pipe"
$CHECK all.json P.json "import from a pipe" || exit 1
mkdir -p fresh
"$BTCSTREAM" import all.json --history fresh/new/Data/h.json > /dev/null 2> err.txt ||
    fail "import into a folder that does not exist yet: $(cat err.txt)"
pass "import reads a pipe, and creates the history's folder"
