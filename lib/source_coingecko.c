/*
 * source_coingecko.c - live prices from CoinGecko's /coins/markets, through libcurl.
 *
 * The mapping is the course project's: Open = Close = current_price, High = high_24h,
 * Low = low_24h, Volume = total_volume, time = now. An API key (COINGECKO_API_KEY) goes in the
 * header its plan wants (COINGECKO_API_PLAN: demo, the default, or pro) and picks the plan's
 * host; COINGECKO_BASE_URL overrides the host (tests point it at a local server). The key is
 * never part of an error message.
 */
#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "btcstream/config.h"
#include "btcstream/source.h"
#include "btcstream/timeutil.h"
#include "btcstream/version.h"
#include "json_scan.h"
#include "source_coingecko.h"

#define MAX_ANSWER_BYTES (1 << 20)

typedef struct {
    bs_source base;
    CURL *curl;
    struct curl_slist *headers;
    char url[1024];
    char coin[128], vs[32]; /* for messages */
    char *body;
    size_t body_len;
    int64_t retry_after_ms;
} gecko_source;

static size_t on_body(char *data, size_t size, size_t count, void *ctx) {
    gecko_source *g = ctx;
    size_t n = size * count;
    if (g->body_len + n > MAX_ANSWER_BYTES) return 0; /* refuse absurd answers */
    char *grown = realloc(g->body, g->body_len + n + 1);
    if (!grown) return 0;
    g->body = grown;
    memcpy(g->body + g->body_len, data, n);
    g->body_len += n;
    g->body[g->body_len] = '\0';
    return n;
}

/*
 * Retry-After is either a number of seconds or an HTTP date (RFC 9110 10.2.3); anything else, or
 * a wait of a day or more, is ignored and the caller backs off on its own.
 */
static int64_t parse_retry_after(const char *value, size_t len) {
    char text[128];
    while (len > 0 && (*value == ' ' || *value == '\t')) value++, len--;
    while (len > 0 && (value[len - 1] == '\r' || value[len - 1] == '\n' || value[len - 1] == ' '))
        len--;
    if (len == 0 || len >= sizeof text) return 0;
    memcpy(text, value, len);
    text[len] = '\0';
    char *end;
    long long seconds = strtoll(text, &end, 10);
    if (*end != '\0') {
        time_t when = curl_getdate(text, NULL);
        seconds = when < 0 ? 0 : (long long)(when - time(NULL));
    }
    return seconds > 0 && seconds < 86400 ? seconds * 1000 : 0;
}

static size_t on_header(char *data, size_t size, size_t count, void *ctx) {
    gecko_source *g = ctx;
    size_t n = size * count;
    if (n > 12 && strncasecmp(data, "Retry-After:", 12) == 0)
        g->retry_after_ms = parse_retry_after(data + 12, n - 12);
    return n;
}

/* Whether the answer is an empty array: CoinGecko's reply for an unknown coin or currency. */
static int is_empty_array(const char *body, size_t len) {
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", body[i]) && body[i]) i++;
    if (i == len || body[i++] != '[') return 0;
    while (i < len && strchr(" \t\r\n", body[i]) && body[i]) i++;
    return i < len && body[i] == ']';
}

bs_status coingecko_parse_answer(const char *body, size_t len, const char *url, const char *coin,
                                 const char *vs, bs_tick *t, bs_error *err) {
    bs_error why = {{0}};
    double price, high, low, volume;
    if (is_empty_array(body, len))
        return bs_fail(err, BS_ERR_PARSE,
                       "%s: no market data for coin \"%s\" in \"%s\" (check --coin and --vs)", url,
                       coin, vs);
    if (json_first_object_number(body, len, "current_price", &price, &why) != BS_OK)
        return bs_fail(err, BS_ERR_PARSE, "%s: %s", url, why.msg);
    /* The 24-hour figures are null for a coin CoinGecko has just listed: fall back as the tick
     * parser does for a missing High or Low (to the close), and to no volume. */
    if (json_first_object_number(body, len, "high_24h", &high, NULL) != BS_OK) high = price;
    if (json_first_object_number(body, len, "low_24h", &low, NULL) != BS_OK) low = price;
    if (json_first_object_number(body, len, "total_volume", &volume, NULL) != BS_OK) volume = NAN;
    if (!(price > 0 && high > 0 && low > 0 && !(volume < 0)))
        return bs_fail(err, BS_ERR_PARSE, "%s: prices are not positive", url);
    *t = (bs_tick){bs_now_us(), price, high, low, price, volume, BS_TRADES_UNKNOWN, 0};
    return BS_OK;
}

static bs_status gecko_next(bs_source *src, bs_tick *out, int *got, int64_t *retry_after_ms,
                            bs_error *err) {
    gecko_source *g = (gecko_source *)src;
    *got = 0;
    g->body_len = 0;
    g->retry_after_ms = 0;
    CURLcode rc = curl_easy_perform(g->curl);
    *retry_after_ms = g->retry_after_ms;
    if (rc != CURLE_OK) return bs_fail(err, BS_ERR_NET, "%s: %s", g->url, curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(g->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
        if (status == 429 && *retry_after_ms == 0) *retry_after_ms = -1; /* back off, no hint */
        return bs_fail(err, BS_ERR_HTTP, "%s: HTTP %ld", g->url, status);
    }
    if (g->body_len == 0) return bs_fail(err, BS_ERR_PARSE, "%s: empty answer", g->url);
    bs_status st = coingecko_parse_answer(g->body, g->body_len, g->url, g->coin, g->vs, out, err);
    *got = st == BS_OK;
    return st;
}

static void gecko_free(bs_source *src) {
    gecko_source *g = (gecko_source *)src;
    if (g->curl) curl_easy_cleanup(g->curl);
    curl_slist_free_all(g->headers);
    free(g->body);
    free(g);
}

/* Host and key header from the configuration (flags are not involved: see config.h). */
static bs_status choose_endpoint(const bs_source_options *opts, gecko_source *g, bs_error *err) {
    const char *key = bs_config_get("COINGECKO_API_KEY");
    const char *plan = bs_config_get_or("COINGECKO_API_PLAN", "demo");
    int pro = strcmp(plan, "pro") == 0;
    if (!pro && strcmp(plan, "demo") != 0)
        return bs_fail(err, BS_ERR_CONFIG, "COINGECKO_API_PLAN must be demo or pro, not \"%s\"",
                       plan);
    snprintf(g->coin, sizeof g->coin, "%s", opts->coin);
    snprintf(g->vs, sizeof g->vs, "%s", opts->vs);
    const char *base = opts->base_url ? opts->base_url : bs_config_get("COINGECKO_BASE_URL");
    if (!base)
        base = pro && key ? "https://pro-api.coingecko.com/api/v3"
                          : "https://api.coingecko.com/api/v3";
    char *coin = curl_easy_escape(g->curl, opts->coin, 0),
         *vs = curl_easy_escape(g->curl, opts->vs, 0);
    int n = snprintf(g->url, sizeof g->url, "%s/coins/markets?vs_currency=%s&ids=%s", base,
                     vs ? vs : "", coin ? coin : "");
    curl_free(coin);
    curl_free(vs);
    if (n < 0 || (size_t)n >= sizeof g->url)
        return bs_fail(err, BS_ERR_ARG, "CoinGecko URL too long");
    if (key) {
        char header[512];
        snprintf(header, sizeof header, "%s: %s", pro ? "x-cg-pro-api-key" : "x-cg-demo-api-key",
                 key);
        g->headers = curl_slist_append(g->headers, header);
    }
    g->headers = curl_slist_append(g->headers, "Accept: application/json");
    return BS_OK;
}

/* "COIN/VS" from the spec "coingecko:COIN/VS" over --coin and --vs, into names (2 x 64 bytes). */
static bs_status coin_and_vs(const char *arg, bs_source_options *opts, char names[2][64],
                             bs_error *err) {
    const char *slash = arg ? strchr(arg, '/') : NULL;
    if (!arg) return BS_OK;
    if (!slash || slash == arg || !slash[1] || strchr(slash + 1, '/') || slash - arg >= 64 ||
        strlen(slash + 1) >= 64)
        return bs_fail(err, BS_ERR_ARG, "source \"coingecko:%.100s\": expected coingecko:COIN/VS "
                                        "(e.g. coingecko:bitcoin/usd)",
                       arg);
    snprintf(names[0], 64, "%.*s", (int)(slash - arg), arg);
    snprintf(names[1], 64, "%s", slash + 1);
    opts->coin = names[0];
    opts->vs = names[1];
    return BS_OK;
}

bs_status bs_source_coingecko_open(const char *arg, const bs_source_options *given,
                                   bs_source **out, bs_error *err) {
    bs_source_options copy = *given, *opts = &copy;
    char names[2][64];
    bs_status named = coin_and_vs(arg, &copy, names, err);
    if (named != BS_OK) return named;
    static int curl_ready;
    if (!curl_ready && curl_global_init(CURL_GLOBAL_DEFAULT) == 0) curl_ready = 1;
    gecko_source *g = calloc(1, sizeof *g);
    if (!g) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    g->base = (bs_source){"coingecko", 0, gecko_next, gecko_free};
    g->curl = curl_easy_init();
    bs_status st = g->curl ? choose_endpoint(opts, g, err)
                           : bs_fail(err, BS_ERR_NOMEM, "curl_easy_init failed");
    if (st != BS_OK) {
        gecko_free(&g->base);
        return st;
    }
    curl_easy_setopt(g->curl, CURLOPT_URL, g->url);
    curl_easy_setopt(g->curl, CURLOPT_HTTPHEADER, g->headers);
    curl_easy_setopt(g->curl, CURLOPT_USERAGENT, "btcstream/" BS_VERSION);
    curl_easy_setopt(g->curl, CURLOPT_TIMEOUT_MS, opts->timeout_ms > 0 ? opts->timeout_ms : 10000L);
    curl_easy_setopt(g->curl, CURLOPT_CONNECTTIMEOUT_MS,
                     opts->timeout_ms > 0 ? opts->timeout_ms : 10000L);
    curl_easy_setopt(g->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(g->curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(g->curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(g->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(g->curl, CURLOPT_WRITEDATA, g);
    curl_easy_setopt(g->curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(g->curl, CURLOPT_HEADERDATA, g);
    *out = &g->base;
    return BS_OK;
}
