# A real full disk and a read-only folder (a small tmpfs, mounted by the test; skipped where
# mounting is not allowed): the stream processor and import stop with a clear error, lose no
# committed tick and leave no torn line, and finish the job exactly once when space is back.
. "$BS_SOURCE_DIR/tests/lib.sh"
CHECK="$PY $BS_SOURCE_DIR/tests/tools/exactly_once.py"
mkdir disk
mount -t tmpfs -o size=160k tmpfs disk 2> /dev/null || skip "cannot mount a tmpfs here (needs root)"
trap 'umount "$WORK/disk" 2> /dev/null; rm -rf "$WORK"' EXIT

$PY - <<'PY'
import json
from datetime import datetime, timedelta, timezone
with open("source.json", "w") as src:
    for i in range(3000):
        t = datetime(2024, 4, 1, tzinfo=timezone.utc) + timedelta(minutes=i)
        p = 65000 + (i * 7919) % 900 + 0.25
        src.write(json.dumps({"Datetime": t.isoformat(), "Open": p, "High": p + 3, "Low": p - 3,
                              "Close": p + 1, "Volume": str(100 + i)}) + "\n")
PY
# ---- import onto a disk that fills up --------------------------------------------------------
head -300 source.json > first.json
"$BTCSTREAM" import first.json --history disk/I.json > /dev/null
dd if=/dev/zero of=disk/filler bs=1k count=100 2> /dev/null || true
before=$(sha256sum < disk/I.json)
"$BTCSTREAM" import source.json --history disk/I.json > /dev/null 2> err.txt &&
    fail "import onto a full disk exited 0"
expect_contains err.txt "disk/I.json" "the import error names the history"
expect_contains err.txt "No space left on device" "the import error gives the cause"
expect_eq "$(sha256sum < disk/I.json)" "$before" "the history after a failed import"
rm disk/filler
mount -o remount,size=8m disk
"$BTCSTREAM" import source.json --history disk/I.json > /dev/null || fail "import once space is back"
$CHECK source.json disk/I.json "import after the disk was full" || exit 1
pass "import on a full disk: a clear error, the history untouched, then exactly once"

# ---- the stream processor on a disk that fills up, then a read-only one ------------------------
rm disk/I.json
mkdir -p disk/S
split -l 100 -d -a 3 --additional-suffix=.json source.json disk/S/ohlc_
# leave room for about a third of the history
free_k=$(df -k --output=avail disk | tail -1)
dd if=/dev/zero of=disk/filler bs=1k count=$((free_k - 150)) 2> /dev/null || true
"$BTCSTREAM" stream --stream-dir disk/S --history disk/H.json --until-idle --trigger 0 \
    --max-files-per-trigger 2 --quiet > /dev/null 2> err.txt && fail "stream on a full disk exited 0"
grep -q "No space left on device" err.txt || fail "the stream error hides its cause: $(cat err.txt)"
committed=$(wc -l < disk/H.json)
mount -o remount,ro disk
"$BTCSTREAM" stream --stream-dir disk/S --history disk/H.json --until-idle --trigger 0 --quiet \
    > /dev/null 2> err.txt && fail "stream on a read-only folder exited 0"
grep -q "Read-only file system" err.txt || fail "the read-only error hides its cause: $(cat err.txt)"
[ "$(wc -l < disk/H.json)" -ge "$committed" ] || fail "committed ticks were lost"
mount -o remount,rw,size=8m disk
rm disk/filler
"$BTCSTREAM" stream --stream-dir disk/S --history disk/H.json --until-idle --trigger 0 --quiet \
    > /dev/null 2> err.txt || fail "stream once space is back: $(cat err.txt)"
$CHECK source.json disk/H.json "stream after a full and a read-only disk" || exit 1
pass "stream on a full, then read-only disk: clear errors, nothing lost, then exactly once ($committed ticks had been committed)"
