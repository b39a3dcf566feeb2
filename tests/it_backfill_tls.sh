# btcstream backfill over HTTPS (the mock REST server with a throw-away test CA made here): TLS is
# always verified, so an unknown CA fails at once (no retry, no request reaches the server) and
# names the certificate problem; BTCSTREAM_CA_FILE (or SSL_CERT_FILE) trusts the test CA; a
# certificate for another host name fails even then.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/mock/rest.sh"
command -v openssl > /dev/null || skip "openssl is not installed"
bash "$BS_SOURCE_DIR/tests/tls/make-certs.sh" "$WORK" rest
now_min=$(($(date +%s) / 60))
from=$(((now_min - 1500) * 60)) to=$(((now_min - 10) * 60))

start_mock --tls rest-server.pem rest-server.key
rc=0
BTCSTREAM_CA_FILE= SSL_CERT_FILE= "$BTCSTREAM" backfill --market binance:BTCUSDT --from "$(iso $from)" \
    --to "$(iso $to)" --stream-dir S > out.txt 2> err.txt || rc=$?
expect_eq "$rc" 1 "exit status with an unknown CA"
grep -qiE "certificate|SSL" err.txt || fail "the TLS failure is not named: $(cat err.txt)"
expect_contains err.txt "GET /api/v3/klines?" "path named"
[ ! -s requests.log ] || fail "a request got through an unverified connection: $(cat requests.log)"
[ -z "$(find S -name 'ohlc_*' 2> /dev/null)" ] || fail "something was written"
pass "an unknown CA fails at once, naming the certificate problem"

BTCSTREAM_CA_FILE=$WORK/rest-ca.pem "$BTCSTREAM" backfill --market binance:BTCUSDT \
    --from "$(iso $from)" --to "$(iso $to)" --stream-dir S > out.txt 2> err.txt ||
    fail "backfill with the test CA failed: $(cat err.txt)"
SSL_CERT_FILE=$WORK/rest-ca.pem "$BTCSTREAM" backfill --market coinbase:BTC-USD \
    --from "$(iso $from)" --to "$(iso $to)" --stream-dir S > out.txt 2> err.txt ||
    fail "backfill with SSL_CERT_FILE failed: $(cat err.txt)"
stop_mock
"$BTCSTREAM" stream --stream-dir S/binance/BTCUSDT --history b.json --until-idle --quiet > /dev/null 2>&1
$PY "$BS_SOURCE_DIR/tests/tools/backfill_check.py" b.json binance $from $to > /dev/null ||
    fail "binance history over HTTPS is wrong"
"$BTCSTREAM" stream --stream-dir S/coinbase/BTC-USD --history c.json --until-idle --quiet > /dev/null 2>&1
$PY "$BS_SOURCE_DIR/tests/tools/backfill_check.py" c.json coinbase $from $to --fill > /dev/null ||
    fail "coinbase history over HTTPS is wrong"
pass "BTCSTREAM_CA_FILE and SSL_CERT_FILE trust the test CA; the candles are exact"

# The same CA, a certificate for another name: the host name check fails.
openssl req -newkey rsa:2048 -nodes -subj "/CN=elsewhere.example" -keyout other.key \
    -out other.csr 2> /dev/null
printf 'subjectAltName=DNS:elsewhere.example\n' > other.cnf
openssl x509 -req -in other.csr -CA rest-ca.pem -CAkey rest-ca.key -CAcreateserial -days 1 \
    -extfile other.cnf -out other.pem 2> /dev/null
start_mock --tls other.pem other.key
rc=0
BTCSTREAM_CA_FILE=$WORK/rest-ca.pem "$BTCSTREAM" backfill --market kraken:BTC/USD --from now-30m \
    --stream-dir S > out.txt 2> err.txt || rc=$?
stop_mock
expect_eq "$rc" 1 "exit status with a certificate for another host"
grep -qiE "certificate|SSL|host" err.txt || fail "the host name failure is not named: $(cat err.txt)"
[ ! -s requests.log ] || fail "a request got through: $(cat requests.log)"
pass "a certificate for another host name fails even with the right CA"
