/*
 * backfill_http.c - the REST requests of a backfill: one libcurl handle per fetch (so pages reuse
 * the connection), and the retry policy of backfill.h.
 *
 * Why each answer is treated as it is:
 *   - 429 / 418: the exchange asks us to slow down (Binance bans the IP with 418 when 429s are
 *     ignored): Retry-After is obeyed exactly when given, the backoff used otherwise;
 *   - 5xx and transfer errors (refused, reset, timeout): usually passing, so retried with
 *     exponential backoff and jitter (half the delay fixed, half random), so that several
 *     collectors that failed together do not come back together;
 *   - other 4xx: the request itself is wrong (bad symbol, range refused): retrying cannot help,
 *     so the fetch fails at once with the exchange's own words (its body, cut short);
 *   - TLS failures (certificate, host name) are never retried and never bypassed.
 * Waits sleep in short slices so that a stop flag (Ctrl-C) ends a long Retry-After promptly.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "backfill_exchange.h"
#include "btcstream/config.h"
#include "btcstream/timeutil.h"
#include "btcstream/version.h"

#define MAX_ANSWER_BYTES (32 << 20)
#define BINANCE_WEIGHT_BUDGET 6000 /* request weight a minute per IP */

struct backfill_http {
    CURL *curl;
    const bs_backfill_options *opts;
    const backfill_exchange *ex;
    bs_backfill_stats *stats;
    char *body;
    size_t body_len;
    int64_t retry_after_ms; /* from the last answer; 0 when it had none */
    long used_weight;       /* Binance's X-MBX-USED-WEIGHT-1M of the last answer; -1: none */
    uint64_t rng;
    bs_status last_error;             /* the status of the last failed request */
    char curl_error[CURL_ERROR_SIZE]; /* libcurl's own words for a failed transfer */
    char url[4096];
};

static size_t on_body(char *data, size_t size, size_t count, void *ctx) {
    backfill_http *h = ctx;
    size_t n = size * count;
    if (h->body_len + n > MAX_ANSWER_BYTES) return 0; /* an absurd answer: fail the transfer */
    char *grown = realloc(h->body, h->body_len + n + 1);
    if (!grown) return 0;
    h->body = grown;
    memcpy(h->body + h->body_len, data, n);
    h->body_len += n;
    h->body[h->body_len] = '\0';
    return n;
}

/* Copies a header's value without surrounding blanks into buf; 0 when it does not fit. */
static int header_value(const char *v, size_t len, char *buf, size_t size) {
    while (len > 0 && (*v == ' ' || *v == '\t')) v++, len--;
    while (len > 0 && strchr(" \t\r\n", v[len - 1])) len--;
    if (len == 0 || len >= size) return 0;
    memcpy(buf, v, len);
    buf[len] = '\0';
    return 1;
}

/* Retry-After: delay-seconds or an HTTP date (RFC 9110 10.2.3); 0 when unusable. */
static int64_t retry_after_ms(const char *v, size_t len) {
    char text[128], *end;
    if (!header_value(v, len, text, sizeof text)) return 0;
    long long seconds = strtoll(text, &end, 10);
    if (*end != '\0') {
        time_t when = curl_getdate(text, NULL);
        if (when < 0) return 0;
        seconds = (long long)(when - time(NULL));
        if (seconds < 1) seconds = 1; /* a date just past still means "not yet" */
    }
    return seconds > 0 && seconds < 86400 ? seconds * 1000 : 0;
}

static size_t on_header(char *data, size_t size, size_t count, void *ctx) {
    backfill_http *h = ctx;
    size_t n = size * count;
    static const char ra[] = "Retry-After:", weight[] = "X-MBX-USED-WEIGHT-1M:";
    if (n > sizeof ra - 1 && strncasecmp(data, ra, sizeof ra - 1) == 0) {
        h->retry_after_ms = retry_after_ms(data + sizeof ra - 1, n - (sizeof ra - 1));
    } else if (n > sizeof weight - 1 && strncasecmp(data, weight, sizeof weight - 1) == 0) {
        char text[32];
        if (header_value(data + sizeof weight - 1, n - (sizeof weight - 1), text, sizeof text))
            h->used_weight = strtol(text, NULL, 10);
    }
    return n;
}

static int stopped(const backfill_http *h) { return h->opts->stop && atomic_load(h->opts->stop); }

/* Aborts a transfer in progress when the stop flag is set (Ctrl-C during a slow answer). */
static int on_transfer_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                                curl_off_t ulnow) {
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return stopped(ctx);
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void init_curl(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

static int64_t opt_or(int64_t v, int64_t fallback) { return v > 0 ? v : fallback; }

bs_status backfill_http_new(const bs_backfill_options *opts, const backfill_exchange *ex,
                            bs_backfill_stats *stats, backfill_http **out, bs_error *err) {
    pthread_once(&curl_once, init_curl); /* the feed runner may backfill from its own thread */
    backfill_http *h = calloc(1, sizeof *h);
    if (!h) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    h->curl = curl_easy_init();
    if (!h->curl) {
        free(h);
        return bs_fail(err, BS_ERR_UNSUPPORTED, "cannot start libcurl: %s",
                       curl_easy_strerror(CURLE_FAILED_INIT));
    }
    h->opts = opts;
    h->ex = ex;
    h->stats = stats;
    h->used_weight = -1;
    h->rng = (uint64_t)bs_monotonic_us() * 0x9E3779B97F4A7C15u ^ (uint64_t)(uintptr_t)h;
    long timeout = (long)opt_or(opts->timeout_ms, 30000);
    curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "btcstream/" BS_VERSION);
    curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, timeout);
    curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, timeout);
    curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h->curl, CURLOPT_ACCEPT_ENCODING, ""); /* gzip when the server offers it */
    /* The same CA override as the WebSocket feeds: a test CA, or a corporate bundle. */
    const char *ca = bs_config_get("BTCSTREAM_CA_FILE");
    if (!ca) ca = bs_config_get("SSL_CERT_FILE");
    if (ca && *ca) curl_easy_setopt(h->curl, CURLOPT_CAINFO, ca);
    curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->curl_error);
    if (opts->stop) {
        curl_easy_setopt(h->curl, CURLOPT_XFERINFOFUNCTION, on_transfer_progress);
        curl_easy_setopt(h->curl, CURLOPT_XFERINFODATA, h);
        curl_easy_setopt(h->curl, CURLOPT_NOPROGRESS, 0L);
    }
    curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(h->curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h->curl, CURLOPT_HEADERDATA, h);
    *out = h;
    return BS_OK;
}

void backfill_http_free(backfill_http *h) {
    if (!h) return;
    curl_easy_cleanup(h->curl);
    free(h->body);
    free(h);
}

/* Sleeps ms in slices of at most 100 ms; 0 when the stop flag cut it short. */
static int wait_ms(backfill_http *h, int64_t ms) {
    int64_t until = bs_monotonic_us() + ms * 1000;
    for (;;) {
        if (stopped(h)) return 0;
        int64_t left = until - bs_monotonic_us();
        if (left <= 0) break;
        if (left > 100000) left = 100000;
        struct timespec ts = {(time_t)(left / 1000000), (long)(left % 1000000) * 1000};
        nanosleep(&ts, NULL);
    }
    h->stats->waited_ms += ms;
    return 1;
}

/* Exponential backoff for retry number `attempt` (0 first): half fixed, half random. */
static int64_t backoff_ms(backfill_http *h, int attempt) {
    int64_t cap = opt_or(h->opts->max_wait_ms, 120000);
    int64_t d = opt_or(h->opts->base_backoff_ms, 500);
    for (int i = 0; i < attempt && d < cap; i++) d *= 2;
    if (d > cap) d = cap;
    h->rng ^= h->rng << 13, h->rng ^= h->rng >> 7, h->rng ^= h->rng << 17; /* xorshift64 */
    return d / 2 + (int64_t)(h->rng % (uint64_t)(d / 2 + 1));
}

/* Binance counts request weight per minute: past 80% of the budget, wait for the next minute. */
static int pace_weight(backfill_http *h) {
    if (h->used_weight < BINANCE_WEIGHT_BUDGET * 8 / 10) return 1;
    int64_t now = bs_now_us();
    int64_t next = bs_time_floor(now, BS_US_PER_MINUTE) + BS_US_PER_MINUTE;
    h->used_weight = -1;
    return wait_ms(h, (next - now) / 1000 + 1);
}

/* Whether a transfer error may pass by itself (a TLS or URL error will not). */
static int transient(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE: return 1;
    default: return 0;
    }
}

/* The start of the body as one printable line, for an error message. */
static void body_excerpt(const backfill_http *h, char *buf, size_t size) {
    size_t n = 0;
    for (size_t i = 0; i < h->body_len && n + 1 < size && n < 160; i++) {
        char ch = h->body[i];
        buf[n++] = ch >= 32 && ch < 127 ? ch : ' ';
    }
    buf[n] = '\0';
}

typedef enum { ONE_OK, ONE_RETRY, ONE_FAIL } one_result;

/* One request: ONE_OK with page filled, ONE_RETRY after setting *wait, ONE_FAIL with err set. */
static one_result request_once(backfill_http *h, const char *path, backfill_page *page,
                               int64_t *wait, int attempt, bs_error *err) {
    h->body_len = 0;
    h->retry_after_ms = 0;
    h->curl_error[0] = '\0';
    page->len = 0;
    CURLcode rc = curl_easy_perform(h->curl);
    h->stats->requests++;
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
        h->last_error = bs_fail(err, BS_ERR_INTERRUPTED, "GET %s: stopped", path);
        return ONE_FAIL;
    }
    if (rc != CURLE_OK) {
        h->last_error = bs_fail(err, BS_ERR_NET, "GET %s: %s", path,
                                *h->curl_error ? h->curl_error : curl_easy_strerror(rc));
        *wait = backoff_ms(h, attempt);
        return transient(rc) ? ONE_RETRY : ONE_FAIL;
    }
    long status = 0;
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status == 429 || status == 418) {
        h->stats->rate_limited++;
        h->last_error = bs_fail(err, BS_ERR_HTTP, "GET %s: HTTP %ld (rate limited)", path, status);
        *wait = h->retry_after_ms > 0 ? h->retry_after_ms : backoff_ms(h, attempt);
        int64_t cap = opt_or(h->opts->max_wait_ms, 120000);
        if (*wait > cap) *wait = cap;
        return ONE_RETRY;
    }
    if (status != 200) {
        char excerpt[200];
        body_excerpt(h, excerpt, sizeof excerpt);
        h->last_error = bs_fail(err, BS_ERR_HTTP, "GET %s: HTTP %ld%s%s", path, status,
                                *excerpt ? ": " : "", excerpt);
        *wait = backoff_ms(h, attempt);
        return status >= 500 ? ONE_RETRY : ONE_FAIL;
    }
    int limited = 0;
    bs_error why = {{0}};
    bs_status st = h->ex->parse(h->body ? h->body : "", h->body_len, page, &limited, &why);
    if (limited) {
        h->stats->rate_limited++;
        h->last_error = bs_fail(err, BS_ERR_HTTP, "GET %s: rate limited: %s", path, why.msg);
        *wait = backoff_ms(h, attempt);
        return ONE_RETRY;
    }
    if (st != BS_OK) {
        h->last_error = bs_fail(err, st, "GET %s: %s", path, why.msg);
        return ONE_FAIL;
    }
    return ONE_OK;
}

bs_status backfill_http_get_page(backfill_http *h, const char *base, const char *path_query,
                                 backfill_page *page, bs_error *err) {
    size_t blen = strlen(base), plen = strlen(path_query);
    while (blen > 0 && base[blen - 1] == '/') blen--; /* "http://host/" + "/api" */
    if (blen + plen >= sizeof h->url)
        return bs_fail(err, BS_ERR_ARG, "GET %s: URL too long", path_query);
    memcpy(h->url, base, blen);
    memcpy(h->url + blen, path_query, plen + 1);
    curl_easy_setopt(h->curl, CURLOPT_URL, h->url);
    int retries = h->opts->max_retries == 0  ? 8
                  : h->opts->max_retries < 0 ? 0
                                             : h->opts->max_retries;
    for (int attempt = 0;; attempt++) {
        if (stopped(h) || !pace_weight(h))
            return bs_fail(err, BS_ERR_INTERRUPTED, "GET %s: stopped", path_query);
        int64_t wait = 0;
        one_result r = request_once(h, path_query, page, &wait, attempt, err);
        if (h->opts->on_progress) h->opts->on_progress(h->opts->progress_ctx, h->stats);
        if (r == ONE_OK) return BS_OK;
        if (r == ONE_FAIL) return h->last_error;
        if (attempt >= retries) {
            size_t n = err ? strlen(err->msg) : 0;
            if (err && retries > 0 && n + 32 < sizeof err->msg)
                snprintf(err->msg + n, sizeof err->msg - n, " (gave up after %d retries)", retries);
            return h->last_error;
        }
        h->stats->retries++;
        if (!wait_ms(h, wait))
            return bs_fail(err, BS_ERR_INTERRUPTED, "GET %s: stopped", path_query);
    }
}
