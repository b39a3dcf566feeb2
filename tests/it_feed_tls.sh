# Exchange feeds over TLS (wss:// and https:// for the backfill) against a mock exchange whose
# certificate a test CA made here signed: trusted through BTCSTREAM_CA_FILE (or SSL_CERT_FILE), the
# candles arrive true; with another CA the connection is refused, clearly, and nothing is stored.
# Verification is always on: no flag turns it off.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/mock/feed.sh"
command -v openssl >/dev/null || skip "openssl is not installed"

bash "$BS_SOURCE_DIR/tests/tls/make-certs.sh" "$WORK" good
bash "$BS_SOURCE_DIR/tests/tls/make-certs.sh" "$WORK" other
start_mock bin binance --tls-cert good-server.pem --tls-key good-server.key
point binance bin wss
expect_eq "$BINANCE_WS_URL" "wss://127.0.0.1:$(cat bin.port)" "the wss URL"

BTCSTREAM_CA_FILE=$WORK/good-ca.pem "$BTCSTREAM" ingest --source binance:BTCUSDT --duration 5s \
    --stream-root good --data-dir d > good.out 2> good.err || { cat good.err; fail "ingest over TLS"; }
$CHECK bin.trades binance:BTCUSDT good --min 3 || { cat good.err; fail "candles over TLS"; }
pass "wss:// with the test CA in BTCSTREAM_CA_FILE: true candles (REST backfill over https too)"

SSL_CERT_FILE=$WORK/good-ca.pem "$BTCSTREAM" ingest --source binance:BTCUSDT --duration 3s \
    --stream-root ssl --data-dir d > ssl.out 2> ssl.err || { cat ssl.err; fail "ingest with SSL_CERT_FILE"; }
[ "$(ls ssl/binance/BTCUSDT | wc -l)" -ge 1 ] || { cat ssl.err; fail "nothing stored with SSL_CERT_FILE"; }
pass "SSL_CERT_FILE is honoured too"

BTCSTREAM_CA_FILE=$WORK/other-ca.pem "$BTCSTREAM" ingest --source binance:BTCUSDT --duration 3s \
    --stream-root bad --data-dir d > bad.out 2> bad.err || true
[ ! -d bad/binance/BTCUSDT ] || [ "$(ls bad/binance/BTCUSDT | wc -l)" -eq 0 ] ||
    fail "a server the CA did not sign delivered candles"
grep -qiE "certificate|verif|x509" bad.err || { cat bad.err; fail "the refusal does not say it is the certificate"; }
grep -q "disconnected" bad.err || fail "no connection failure reported"
pass "another CA: refused, saying why ($(grep -m1 -oiE '[^:]*(certificate|x509)[^;]*' bad.err | head -1))"

# A certificate the trusted CA signed, but for another host: refused too (the URL's host, here an
# IP address, is checked against the certificate's names, not only the chain).
bash "$BS_SOURCE_DIR/tests/tls/make-certs.sh" "$WORK" elsewhere DNS:example.invalid
start_mock away binance --tls-cert elsewhere-server.pem --tls-key elsewhere-server.key
point binance away wss
BTCSTREAM_CA_FILE=$WORK/elsewhere-ca.pem "$BTCSTREAM" ingest --source binance:BTCUSDT --duration 3s \
    --stream-root away --data-dir d > away.out 2> away.err || true
[ ! -d away/binance/BTCUSDT ] || [ "$(ls away/binance/BTCUSDT | wc -l)" -eq 0 ] ||
    fail "a certificate for another host delivered candles"
grep -qiE "mismatch" away.err || { cat away.err; fail "the refusal does not say the name does not match"; }
pass "a certificate for another host: refused ($(grep -m1 -oiE '[^:(]*mismatch' away.err | head -1))"
