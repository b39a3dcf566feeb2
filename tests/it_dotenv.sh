# The .env file as the command reads it: a long value is one value (its tail, which looks like
# S3_BUCKET_NAME=smuggled, once became a setting of its own and redirected `upload`), and a line
# over the limit stops the command with the file and line named, instead of being split.
. "$BS_SOURCE_DIR/tests/lib.sh"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN S3_BUCKET_NAME S3_PREFIX
# Should the smuggled bucket ever be used again, the upload goes to a closed local port, not out.
export S3_ENDPOINT_URL=http://127.0.0.1:9
echo data > file.txt
{
    printf 'AWS_ACCESS_KEY_ID=AKIDEXAMPLE\nAWS_SECRET_ACCESS_KEY='
    head -c 4073 /dev/zero | tr '\0' k
    printf 'S3_BUCKET_NAME=smuggled\n'
} > .env
"$BTCSTREAM" upload file.txt > out.txt 2>&1 || fail "upload with a long secret failed: $(cat out.txt)"
expect_contains out.txt "upload skipped: no bucket" "the long value's tail set no bucket"
! grep -q smuggled out.txt || fail "the smuggled bucket was used: $(cat out.txt)"
pass "a long value is read whole; its tail sets nothing"

{ printf '# settings\nS3_PREFIX='; head -c 70000 /dev/zero | tr '\0' p; printf '\n'; } > .env
set +e
"$BTCSTREAM" upload file.txt > out.txt 2> err.txt
rc=$?
set -e
expect_eq "$rc" 1 "exit code for an over-long .env line"
expect_eq "$(cat err.txt)" "btcstream upload: .env:2: line is longer than 65536 bytes" "error names the line"
"$BTCSTREAM" upload --help > /dev/null || fail "--help refused because of .env"
pass "an over-long .env line is an error naming it"
