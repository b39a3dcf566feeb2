# Uploads against a real S3-compatible server on 127.0.0.1 (s3rver behind a proxy that verifies
# every SigV4 signature with AWS's own signer), checked byte for byte with AWS's own client:
# a single PUT, a multipart upload, a refused wrong secret, 5xx retries, a 403, a server dying in
# the middle of a multipart upload, the skip without credentials, and no secret in any output.
. "$BS_SOURCE_DIR/tests/lib.sh"
export NODE_PATH=$BS_NODE_DIR/node_modules NODE_NO_WARNINGS=1
server_pid=""
server_starts=0
start_server() { # [FAULT]
    stop_server
    # Each server writes its ports to a file of its own: reusing one file let the wait below see
    # the previous server's ports before the new shell had truncated it (a stale or half-written
    # file, then a JSON decode error). A port line is complete once it ends with a newline.
    server_starts=$((server_starts + 1))
    local ports=ports.$server_starts.json
    rm -f "$ports"
    FAULT=${1:-} S3_TEST_DIR=$WORK/store node "$BS_SOURCE_DIR/tests/s3/server.js" > "$ports" 2> server.err &
    server_pid=$!
    for _ in $(seq 1 100); do
        [ -s "$ports" ] && [ "$(tail -c 1 "$ports" | od -An -c | tr -d ' ')" = '\n' ] && break
        kill -0 $server_pid 2>/dev/null || fail "S3 test server exited: $(cat server.err)"
        sleep 0.1
    done
    [ "$(tail -c 1 "$ports" | od -An -c | tr -d ' ')" = '\n' ] || fail "S3 test server did not start: $(cat server.err)"
    proxy=$($PY -c "import json,sys; print(json.load(open(sys.argv[1]))['proxy'])" "$ports")
    s3rver=$($PY -c "import json,sys; print(json.load(open(sys.argv[1]))['s3rver'])" "$ports")
    export S3_ENDPOINT_URL=http://127.0.0.1:$proxy
}
stop_server() {
    if [ -n "$server_pid" ]; then kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true; fi
    server_pid=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT
mkdir -p store
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER S3_BUCKET_NAME=test-bucket
token="session-token-$RANDOM-must-not-leak"
log=all_output.txt
up() { "$BTCSTREAM" upload "$@" >> $log 2>&1; }
get() { node "$BS_SOURCE_DIR/tests/s3/get.js" "$s3rver" test-bucket "$1" "$2" 2>> server.err; }

start_server
head -c 100000 /dev/urandom > small.bin
AWS_SESSION_TOKEN=$token up small.bin --key "dir/a b+é~(1).bin" || fail "single PUT: $(tail -1 $log)"
get "dir/a b+é~(1).bin" back.bin && cmp small.bin back.bin || fail "single PUT differs"
S3_PREFIX=runs/ up small.bin || fail "prefixed upload"
get runs/small.bin back2.bin && cmp small.bin back2.bin || fail "default key is S3_PREFIX + name"
pass "single PUT with an encoded key and a prefix"

mb=100
[ -n "${BS_UNDER_SANITIZER:-}" ] && mb=12
head -c $((mb * 1024 * 1024)) /dev/urandom > big.bin
up big.bin || fail "multipart: $(tail -1 $log)"
get big.bin big_back.bin && cmp big.bin big_back.bin || fail "multipart object differs"
pass "$mb MB multipart upload comes back identical"

if AWS_SECRET_ACCESS_KEY=not-the-secret up small.bin --key wrong.bin; then fail "wrong secret accepted"; fi
grep -q "s3://test-bucket/wrong.bin: HTTP 403 (SignatureDoesNotMatch)" $log || fail "wrong secret message"
pass "a request signed with a wrong secret is refused"

start_server 5xx:3
up small.bin --key retried.bin || fail "5xx were not retried: $(tail -1 $log)"
get retried.bin back3.bin && cmp small.bin back3.bin || fail "retried object differs"
pass "500 and 503 answers are retried until the upload succeeds"

start_server huge-answer:64
if up small.bin --key endless.bin; then fail "a 64 MB answer accepted"; fi
grep -q "s3://test-bucket/endless.bin: the server's answer is longer than 1024 KiB" $log || fail "long answer message: $(tail -1 $log)"
pass "an answer over 1 MiB is refused, not buffered"

start_server 403
if up small.bin --key denied.bin; then fail "403 accepted"; fi
grep -q "s3://test-bucket/denied.bin: HTTP 403 (AccessDenied)" $log || fail "403 message names bucket and key"
pass "403 is a clear error"

head -c $((20 * 1024 * 1024)) /dev/urandom > mid.bin
start_server die-after-parts:1
if up mid.bin --key half.bin; then fail "upload succeeded while the server died"; fi
start_server
node "$BS_SOURCE_DIR/tests/s3/get.js" "$s3rver" test-bucket --list > listing.txt 2>> server.err
grep -q '^half.bin ' listing.txt && fail "a partial object is visible"
grep -q '^big.bin ' listing.txt || fail "listing does not show earlier objects"
pass "a server dying mid-multipart leaves no object"

env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$BTCSTREAM" upload small.bin > skip.txt || fail "skip exit"
expect_contains skip.txt "upload skipped: no AWS credentials" "skip line"
grep -q -e "S3RVER" -e "$token" $log skip.txt && fail "a secret was printed"
pass "upload skipped without credentials; no secret in any output"
