# The static library exports the public API and nothing else (scripts/localize-archive.sh): every
# global name it defines starts with bs_ and is declared BS_API in a public header, every BS_API
# function is defined, and a program that links libbtcstream.a together with the real libcurl,
# OpenSSL and libzip (and has helpers named like ours) links, gets the real libraries' functions
# and still has a working btcstream.
. "$BS_SOURCE_DIR/tests/lib.sh"
lib=$(dirname "$BTCSTREAM")/libbtcstream.a
[ -f "$lib" ] || fail "no $lib"

nm -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' | sort > exported.txt
grep -v '^bs_' exported.txt > foreign.txt || true
[ ! -s foreign.txt ] || fail "libbtcstream.a exports non-bs_ names: $(head -5 foreign.txt | tr '\n' ' ')"
# functions (BS_API ... bs_name(), and the registries' tables (BS_API extern ... bs_name[])
cat "$BS_SOURCE_DIR"/include/btcstream/*.h | tr '\n' ' ' | grep -oE 'BS_API [^;{(]*[(\[]' |
    grep -oE 'bs_[a-z0-9_]+[(\[]$' | tr -d '([' | sort -u > declared.txt
[ "$(wc -l < declared.txt)" -gt 50 ] || fail "too few BS_API declarations found"
comm -13 declared.txt exported.txt > undeclared.txt
comm -23 declared.txt exported.txt > missing.txt
[ ! -s undeclared.txt ] || fail "exported but not declared BS_API: $(head -5 undeclared.txt | tr '\n' ' ')"
[ ! -s missing.txt ] || fail "declared BS_API but not exported: $(head -5 missing.txt | tr '\n' ' ')"
pass "$(wc -l < exported.txt) names exported, all bs_ and declared BS_API"

cat > app.c <<'C'
#include <curl/curl.h>
#include <dlfcn.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "btcstream/archive.h"
#include "btcstream/tick.h"

/* Helpers of the program's own, named as the library's private ones are. */
int json_skip_ws(void) { return 1; }
int tc_free(void) { return 2; }
int pq_dict_free(void) { return 3; }
int grain_map_find(void) { return 4; }

static int comes_from(void *fn, const char *library) {
    Dl_info info;
    return dladdr(fn, &info) && info.dli_fname && strstr(info.dli_fname, library);
}

int main(int argc, char **argv) {
    if (argc != 3) return 64;
    bs_error err = {{0}};
    bs_tick t;
    const char *line = "{\"Datetime\": \"2025-05-12T01:22:54Z\", \"Close\": 100}";
    if (bs_tick_parse(BS_FORMAT_JSONL, line, strlen(line), &t, &err) != BS_OK || t.close != 100)
        return fprintf(stderr, "bs_tick_parse: %s\n", err.msg), 1;
    if (bs_archive_zip_dir(argv[1], argv[2], &err) != BS_OK)
        return fprintf(stderr, "bs_archive_zip_dir: %s\n", err.msg), 2;
    int code = 0;
    zip_t *z = zip_open(argv[2], ZIP_RDONLY, &code);
    if (!z || zip_get_num_entries(z, 0) != 1) return fprintf(stderr, "zip_open failed\n"), 3;
    zip_discard(z);
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)"abc", 3, d);
    if (d[0] != 0xba || d[1] != 0x78 || d[31] != 0xad) return fprintf(stderr, "SHA256\n"), 4;
    CURL *curl = curl_easy_init();
    if (!curl) return fprintf(stderr, "curl_easy_init\n"), 5;
    curl_easy_cleanup(curl);
    if (!comes_from((void *)SHA256, "libcrypto")) return fprintf(stderr, "SHA256 is not OpenSSL's\n"), 6;
    if (!comes_from((void *)curl_easy_init, "libcurl")) return fprintf(stderr, "curl_easy_init is not libcurl's\n"), 7;
    if (!comes_from((void *)zip_open, "libzip")) return fprintf(stderr, "zip_open is not libzip's\n"), 8;
    if (json_skip_ws() + tc_free() + pq_dict_free() + grain_map_find() != 10)
        return fprintf(stderr, "own helpers replaced\n"), 9;
    puts("ok");
    return 0;
}
C
flags=""
[ -n "${BS_UNDER_SANITIZER:-}" ] && flags="-fsanitize=address,undefined"
cc -std=c11 -D_GNU_SOURCE $flags -I"$BS_SOURCE_DIR/include" -I"$(dirname "$BTCSTREAM")/generated" \
    app.c "$lib" -lcurl -lcrypto -lzip -lzstd -lz -lsnappy -ldl -lpthread -lm -o app 2> link.txt ||
    { cat link.txt >&2; fail "a program linking libbtcstream.a with libcurl, OpenSSL and libzip does not link"; }
mkdir in && echo hello > in/a.txt
./app in out.zip > run.txt 2>&1 || { cat run.txt >&2; fail "the program linked with the real libraries misbehaves"; }
expect_eq "$(cat run.txt)" ok "program output"
pass "links and runs beside libcurl, OpenSSL and libzip, with helpers of its own named like ours"
