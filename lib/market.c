/* market.c - see market.h. */
#include "btcstream/market.h"

#include <stdio.h>
#include <string.h>

static int source_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Kept as is in a folder name; everything else is %XX. */
static int plain_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-';
}

bs_status bs_market_check(const char *market, bs_error *err) {
    if (!market || !*market) return bs_fail(err, BS_ERR_ARG, "empty market name");
    const char *colon = strchr(market, ':');
    if (!colon)
        return bs_fail(err, BS_ERR_ARG, "market \"%.100s\": expected SOURCE:SYMBOL", market);
    size_t source_len = (size_t)(colon - market);
    if (source_len == 0 || source_len > 31)
        return bs_fail(err, BS_ERR_ARG, "market \"%.100s\": the source must be 1 to 31 characters",
                       market);
    for (size_t i = 0; i < source_len; i++)
        if (!source_char(market[i]))
            return bs_fail(err, BS_ERR_ARG,
                           "market \"%.100s\": the source may hold only a-z, 0-9 and _", market);
    const char *symbol = colon + 1;
    size_t symbol_len = strlen(symbol);
    if (symbol_len == 0 || symbol_len > 63)
        return bs_fail(err, BS_ERR_ARG, "market \"%.100s\": the symbol must be 1 to 63 characters",
                       market);
    for (size_t i = 0; i < symbol_len; i++) {
        unsigned char c = (unsigned char)symbol[i];
        if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\')
            return bs_fail(err, BS_ERR_ARG,
                           "market \"%.100s\": the symbol may not hold spaces, quotes, "
                           "backslashes or control characters",
                           market);
    }
    return BS_OK;
}

bs_status bs_market_path(const char *market, char *buf, size_t size, bs_error *err) {
    bs_status st = bs_market_check(market, err);
    if (st != BS_OK) return st;
    const char *colon = strchr(market, ':');
    size_t n = (size_t)(colon - market);
    if (n + 2 > size) return bs_fail(err, BS_ERR_ARG, "market folder name too long");
    memcpy(buf, market, n);
    buf[n++] = '/';
    for (const char *s = colon + 1; *s; s++) {
        if (plain_char(*s)) {
            if (n + 2 > size) return bs_fail(err, BS_ERR_ARG, "market folder name too long");
            buf[n++] = *s;
        } else {
            if (n + 4 > size) return bs_fail(err, BS_ERR_ARG, "market folder name too long");
            snprintf(buf + n, 4, "%%%02X", (unsigned char)*s);
            n += 3;
        }
    }
    buf[n] = '\0';
    return BS_OK;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1; /* bs_market_path() writes upper case only: anything else is not its folder */
}

bs_status bs_market_from_path(const char *source, const char *symbol_enc, char *buf, size_t size,
                              bs_error *err) {
    char market[BS_MARKET_MAX];
    size_t n = strlen(source);
    if (n + 2 > sizeof market) return bs_fail(err, BS_ERR_PARSE, "not a market folder: %s", source);
    memcpy(market, source, n);
    market[n++] = ':';
    for (const char *s = symbol_enc; *s; s++) {
        char c = *s;
        if (c == '%') {
            int hi = hex_value(s[1]), lo = hi < 0 ? -1 : hex_value(s[2]);
            if (lo < 0) break;
            c = (char)(hi * 16 + lo);
            if (plain_char(c)) break; /* encoded although it need not be: not our folder */
            s += 2;
        } else if (!plain_char(c)) {
            break;
        }
        if (n + 1 >= sizeof market) break;
        market[n++] = c;
        if (!s[1]) {
            market[n] = '\0';
            if (bs_market_check(market, NULL) != BS_OK || n + 1 > size) break;
            memcpy(buf, market, n + 1);
            return BS_OK;
        }
    }
    return bs_fail(err, BS_ERR_PARSE, "not a market folder: %s/%s", source, symbol_enc);
}

bs_status bs_market_stream_dir(const char *stream_root, const char *market, char *buf, size_t size,
                               bs_error *err) {
    char rel[BS_MARKET_PATH_MAX];
    bs_status st = bs_market_path(market, rel, sizeof rel, err);
    if (st != BS_OK) return st;
    int n = snprintf(buf, size, "%s/%s", stream_root, rel);
    if (n < 0 || (size_t)n >= size) return bs_fail(err, BS_ERR_ARG, "stream folder path too long");
    return BS_OK;
}

bs_status bs_market_history(const char *data_dir, const char *market, char *buf, size_t size,
                            bs_error *err) {
    char rel[BS_MARKET_PATH_MAX];
    bs_status st = bs_market_path(market, rel, sizeof rel, err);
    if (st != BS_OK) return st;
    int n = snprintf(buf, size, "%s/markets/%s/history.json", data_dir, rel);
    if (n < 0 || (size_t)n >= size) return bs_fail(err, BS_ERR_ARG, "history path too long");
    return BS_OK;
}
