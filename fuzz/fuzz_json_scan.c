/*
 * fuzz_json_scan.c - the small JSON scanner (lib/json_scan.c): the validating skip over a whole
 * document, and the first-object number lookup the CoinGecko source uses, on arbitrary bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/json_scan.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *doc = malloc(size ? size : 1); /* exact size: no terminator to lean on */
    if (!doc) return 0;
    memcpy(doc, data, size);
    cursor c = {doc, doc + size};
    json_skip_ws(&c);
    int valid = json_skip_value(&c, 0);
    if (c.p > c.end) abort();
    double v;
    bs_error err = {{0}};
    bs_status st = json_first_object_number(doc, size, "current_price", &v, &err);
    /* The lookup validates the document first: it never succeeds on what the skip refused. */
    if (st == BS_OK && !valid) abort();
    json_first_object_number(doc, size, "Close", &v, NULL);
    free(doc);
    return 0;
}
