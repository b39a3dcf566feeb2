# The command line: --help, --version, per-command help, unknown commands and flags, and
# aggregate's handling of empty, missing and bad input.
. "$BS_SOURCE_DIR/tests/lib.sh"

"$BTCSTREAM" --version > v.txt
grep -Eq '^btcstream [0-9]+\.[0-9]+\.[0-9]+$' v.txt || fail "version line: $(cat v.txt)"
"$BTCSTREAM" --help > help.txt
for cmd in run ingest stream import aggregate train predict plot upload; do
    grep -q "^  $cmd " help.txt || fail "--help does not list $cmd"
done
for cmd in import aggregate; do
    "$BTCSTREAM" $cmd --help > h.txt
    grep -q "^usage: btcstream $cmd" h.txt || fail "$cmd --help"
done
pass "help and version"

set +e
"$BTCSTREAM" frobnicate 2> err.txt; rc=$?
set -e
expect_eq "$rc" 2 "unknown command exit code"
expect_eq "$(wc -l < err.txt)" 1 "unknown command is one line"
expect_contains err.txt "unknown command 'frobnicate'" "unknown command"
set +e
"$BTCSTREAM" aggregate --frobnicate 2> err.txt; rc=$?
set -e
expect_eq "$rc" 2 "unknown flag exit code"
expect_eq "$(wc -l < err.txt)" 1 "unknown flag is one line"
expect_contains err.txt "unknown option '--frobnicate'" "unknown flag"
for bad in "--table weekly" "--format xml" "--window 0" "--window 1h --slide 2h" "--window 5parsecs"; do
    set +e
    "$BTCSTREAM" aggregate --input x.json $bad 2> err.txt; rc=$?
    set -e
    [ "$rc" -ne 0 ] || fail "aggregate $bad succeeded"
    expect_eq "$(wc -l < err.txt)" 1 "aggregate $bad is one line"
done
pass "usage errors"

: > empty.json
if "$BTCSTREAM" aggregate --input empty.json 2> err.txt; then fail "empty input accepted"; fi
expect_contains err.txt "empty.json: file is empty" "empty input"
if "$BTCSTREAM" aggregate --input nope.json 2> err.txt; then fail "missing input accepted"; fi
expect_contains err.txt "nope.json: No such file or directory" "missing input"
printf '{"Datetime": "2025-05-12T01:00:00", "Close": "x"}\n' > allbad.json
before=$(sha256sum < allbad.json) # taken before the command runs, so a rewrite is caught
if "$BTCSTREAM" aggregate --input allbad.json 2> err.txt; then fail "all-bad input accepted"; fi
expect_contains err.txt "allbad.json:1: field \"Close\": not a number" "bad line named"
expect_contains err.txt "no valid ticks" "no ticks"
expect_eq "$(sha256sum < allbad.json)" "$before" "input untouched"
pass "input errors"

# The grid looks like Spark's show(): a rule, the header, a rule, every row, a rule.
cat > two.json <<'JSON'
{"Datetime": "2025-05-12T01:22:54+00:00", "Close": 100}
{"Datetime": "2025-05-12T02:10:00+00:00", "Close": 300}
JSON
"$BTCSTREAM" aggregate --input two.json --table daily > grid.txt
cat > expected.txt <<'TXT'
daily (1 row)
+----------+---------------+---------------+---------------+
|       Day|Daily_Avg_Close|Daily_Min_Close|Daily_Max_Close|
+----------+---------------+---------------+---------------+
|2025-05-12|            200|            100|            300|
+----------+---------------+---------------+---------------+
TXT
diff expected.txt grid.txt || fail "grid layout"
"$BTCSTREAM" aggregate --input two.json --table hour_of_day --format json > j.txt
expect_eq "$(head -1 j.txt)" '{"Hour":1,"Hourly_Avg_Close":100,"Hourly_Min_Close":100,"Hourly_Max_Close":100}' "json line"
pass "renderers"
