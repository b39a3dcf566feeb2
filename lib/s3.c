/*
 * s3.c - see s3.h. One function per S3 call (PUT, create/upload part/complete/abort multipart),
 * all through request(): it signs with libcurl's CURLOPT_AWS_SIGV4 and retries what is worth
 * retrying. libcurl 7.88 signs the URL exactly as given and does not send x-amz-content-sha256,
 * which S3 requires, so keys are percent-encoded here, query strings are written sorted, and the
 * payload hash is computed and sent as a header (curl then signs it too). Every header given to
 * curl is signed, even an empty one meant to suppress a default ("Expect:"), so none is given
 * that is not really sent.
 */
#include "btcstream/s3.h"

#include <curl/curl.h>
#include <errno.h>
#include <libgen.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "btcstream/config.h"

#define MIB (1024 * 1024)

/* The longest answer kept: S3's answers are small XML documents (an error, an UploadId, a
 * CompleteMultipartUpload result); a server sending more is refused rather than buffered. */
#define MAX_ANSWER_BYTES MIB

static void copy_setting(char *dst, size_t size, const char *name, const char *fallback) {
    const char *v = bs_config_get_or(name, fallback);
    snprintf(dst, size, "%s", v ? v : "");
}

void bs_s3_config_load(bs_s3_config *c, const char *bucket) {
    memset(c, 0, sizeof *c);
    copy_setting(c->access_key, sizeof c->access_key, "AWS_ACCESS_KEY_ID", NULL);
    copy_setting(c->secret_key, sizeof c->secret_key, "AWS_SECRET_ACCESS_KEY", NULL);
    copy_setting(c->session_token, sizeof c->session_token, "AWS_SESSION_TOKEN", NULL);
    copy_setting(c->region, sizeof c->region, "AWS_DEFAULT_REGION", "us-east-2");
    copy_setting(c->bucket, sizeof c->bucket, "S3_BUCKET_NAME", NULL);
    if (bucket) snprintf(c->bucket, sizeof c->bucket, "%s", bucket);
    copy_setting(c->endpoint, sizeof c->endpoint, "S3_ENDPOINT_URL", NULL);
    copy_setting(c->prefix, sizeof c->prefix, "S3_PREFIX", NULL);
    size_t n = strlen(c->endpoint);
    while (n > 0 && c->endpoint[n - 1] == '/') c->endpoint[--n] = '\0';
    c->multipart_threshold = 16 * MIB;
    c->part_size = 8 * MIB;
    c->max_attempts = 5;
    c->backoff_ms = 200;
    c->timeout_ms = 120000;
}

int bs_s3_config_ready(const bs_s3_config *c, char *reason, size_t size) {
    if (!c->access_key[0] || !c->secret_key[0])
        return snprintf(reason, size,
                        "no AWS credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"),
               0;
    if (!c->bucket[0])
        return snprintf(reason, size, "no bucket (set S3_BUCKET_NAME or --bucket)"), 0;
    return 1;
}

void bs_s3_encode_key(const char *key, char *out, size_t size) {
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)key; *p && o + 4 < size; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = '\0';
}

typedef struct {
    const char *method;
    const char *query; /* already sorted and encoded, without '?'; may be "" */
    const unsigned char *body;
    size_t body_len;
    char *answer; /* response body (owned, NUL-terminated) */
    size_t answer_len;
    char etag[256];
    long status;
    int answer_too_long; /* the server sent more than MAX_ANSWER_BYTES */
} s3_call;

static size_t on_answer(char *data, size_t size, size_t count, void *ctx) {
    s3_call *call = ctx;
    size_t n = size * count;
    if (n > MAX_ANSWER_BYTES - call->answer_len) {
        call->answer_too_long = 1;
        return 0; /* curl stops the transfer with CURLE_WRITE_ERROR */
    }
    char *grown = realloc(call->answer, call->answer_len + n + 1);
    if (!grown) return 0;
    call->answer = grown;
    memcpy(grown + call->answer_len, data, n);
    call->answer_len += n;
    grown[call->answer_len] = '\0';
    return n;
}

static size_t on_header(char *data, size_t size, size_t count, void *ctx) {
    s3_call *call = ctx;
    size_t n = size * count;
    if (n > 5 && strncasecmp(data, "ETag:", 5) == 0) {
        const char *v = data + 5;
        while (*v == ' ') v++;
        size_t len = strcspn(v, "\r\n");
        if (len < sizeof call->etag) memcpy(call->etag, v, len), call->etag[len] = '\0';
    }
    return n;
}

static void sha256_hex(const unsigned char *data, size_t len, char out[65]) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(data, len, digest);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) sprintf(out + 2 * i, "%02x", digest[i]);
}

static void object_url(const bs_s3_config *c, const char *key, const char *query, char *url,
                       size_t size) {
    char encoded[3200];
    bs_s3_encode_key(key, encoded, sizeof encoded);
    if (c->endpoint[0])
        snprintf(url, size, "%s/%s/%s%s%s", c->endpoint, c->bucket, encoded, *query ? "?" : "",
                 query);
    else
        snprintf(url, size, "https://%s.s3.%s.amazonaws.com/%s%s%s", c->bucket, c->region, encoded,
                 *query ? "?" : "", query);
}

/* One attempt; returns the CURLcode and fills call->status, answer, etag. */
static CURLcode perform(const bs_s3_config *c, const char *key, s3_call *call) {
    CURL *curl = curl_easy_init();
    if (!curl) return CURLE_OUT_OF_MEMORY;
    char url[8192], sigv4[128], userpwd[600], hash_header[128], token_header[4200];
    object_url(c, key, call->query, url, sizeof url);
    snprintf(sigv4, sizeof sigv4, "aws:amz:%s:s3", c->region);
    snprintf(userpwd, sizeof userpwd, "%s:%s", c->access_key, c->secret_key);
    char hash[65];
    sha256_hex(call->body ? call->body : (const unsigned char *)"", call->body_len, hash);
    snprintf(hash_header, sizeof hash_header, "x-amz-content-sha256: %s", hash);
    struct curl_slist *headers = curl_slist_append(NULL, hash_header);
    headers = curl_slist_append(headers, "Content-Type: application/octet-stream");
    if (c->session_token[0]) {
        snprintf(token_header, sizeof token_header, "x-amz-security-token: %s", c->session_token);
        headers = curl_slist_append(headers, token_header);
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call->method);
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4);
    curl_easy_setopt(curl, CURLOPT_USERPWD, userpwd);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (strcmp(call->method, "DELETE") != 0) { /* a body, even an empty one, for PUT and POST */
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call->body ? (const char *)call->body : "");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)call->body_len);
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_answer);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, call);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, call);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, c->timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "btcstream");
    free(call->answer);
    call->answer = NULL;
    call->answer_len = 0;
    call->etag[0] = '\0';
    call->status = 0;
    call->answer_too_long = 0;
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &call->status);
    memset(userpwd, 0, sizeof userpwd);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

/* The <Code> of an S3 error answer, for messages. */
static void error_code(const s3_call *call, char *out, size_t size) {
    const char *a = call->answer ? strstr(call->answer, "<Code>") : NULL;
    const char *b = a ? strstr(a, "</Code>") : NULL;
    if (a && b && b - a - 6 < (long)size) snprintf(out, size, " (%.*s)", (int)(b - a - 6), a + 6);
    else out[0] = '\0';
}

/* A call with retries: network errors, 5xx and 429 are retried with backoff and jitter. */
static bs_status request(const bs_s3_config *c, const char *key, s3_call *call, bs_error *err) {
    CURLcode rc = CURLE_OK;
    for (int attempt = 1; attempt <= c->max_attempts; attempt++) {
        rc = perform(c, key, call);
        if (call->answer_too_long) /* not worth retrying: the next answer would be as long */
            return bs_fail(err, BS_ERR_HTTP,
                           "s3://%s/%s: the server's answer is longer than %d KiB", c->bucket, key,
                           MAX_ANSWER_BYTES / 1024);
        int retry = rc != CURLE_OK || call->status >= 500 || call->status == 429;
        if (!retry) break;
        if (attempt < c->max_attempts) {
            long delay = c->backoff_ms << (attempt - 1);
            sleep_ms(delay / 2 + rand() % (delay / 2 + 1)); /* jitter: spread retrying clients */
        }
    }
    if (rc != CURLE_OK)
        return bs_fail(err, BS_ERR_NET, "s3://%s/%s: %s %s failed after %d attempts: %s", c->bucket,
                       key, call->method, *call->query ? call->query : "object", c->max_attempts,
                       curl_easy_strerror(rc));
    if (call->status < 200 || call->status >= 300) {
        char code[96];
        error_code(call, code, sizeof code);
        return bs_fail(err, BS_ERR_HTTP, "s3://%s/%s: HTTP %ld%s", c->bucket, key, call->status,
                       code);
    }
    return BS_OK;
}

/* The text between <tag> and </tag> in an XML answer. */
static int xml_value(const char *xml, const char *tag, char *out, size_t size) {
    char open[64], close[64];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *a = xml ? strstr(xml, open) : NULL;
    const char *b = a ? strstr(a, close) : NULL;
    if (!a || !b) return 0;
    a += strlen(open);
    if ((size_t)(b - a) >= size) return 0;
    memcpy(out, a, (size_t)(b - a));
    out[b - a] = '\0';
    return 1;
}

static void call_free(s3_call *call) {
    free(call->answer);
    call->answer = NULL;
}

static bs_status read_range(FILE *f, const char *path, unsigned char *buf, size_t n,
                            bs_error *err) {
    if (fread(buf, 1, n, f) != n) return bs_fail(err, BS_ERR_IO, "%s: read failed", path);
    return BS_OK;
}

static bs_status put_whole(const bs_s3_config *c, const char *path, FILE *f, uint64_t size,
                           const char *key, bs_error *err) {
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf) return bs_fail(err, BS_ERR_NOMEM, "out of memory reading %s", path);
    s3_call call = {"PUT", "", buf, size, NULL, 0, "", 0, 0};
    bs_status st = read_range(f, path, buf, size, err);
    if (st == BS_OK) st = request(c, key, &call, err);
    call_free(&call);
    free(buf);
    return st;
}

typedef struct {
    char upload_id[512], query[1700];
    char (*etags)[256];
    size_t parts;
} multipart;

static bs_status send_parts(const bs_s3_config *c, const char *path, FILE *f, uint64_t size,
                            const char *key, multipart *m, bs_s3_progress_fn progress, void *ctx,
                            bs_error *err) {
    size_t part_size = c->part_size < 5 * MIB ? 5 * MIB : c->part_size;
    unsigned char *buf = malloc(part_size);
    if (!buf) return bs_fail(err, BS_ERR_NOMEM, "out of memory for a part");
    char id[1600];
    bs_s3_encode_key(m->upload_id, id, sizeof id);
    bs_status st = BS_OK;
    uint64_t sent = 0;
    for (size_t n = 1; st == BS_OK && sent < size; n++) {
        size_t len = size - sent < part_size ? (size_t)(size - sent) : part_size;
        char query[1700];
        snprintf(query, sizeof query, "partNumber=%zu&uploadId=%s", n, id); /* sorted: p < u */
        s3_call call = {"PUT", query, buf, len, NULL, 0, "", 0, 0};
        st = read_range(f, path, buf, len, err);
        if (st == BS_OK) st = request(c, key, &call, err);
        if (st == BS_OK && !call.etag[0])
            st = bs_fail(err, BS_ERR_HTTP, "s3://%s/%s: part %zu has no ETag", c->bucket, key, n);
        if (st == BS_OK) {
            snprintf(m->etags[n - 1], sizeof m->etags[0], "%s", call.etag);
            m->parts = n;
            sent += len;
            if (progress) progress(ctx, sent, size);
        }
        call_free(&call);
    }
    free(buf);
    return st;
}

static bs_status complete(const bs_s3_config *c, const char *key, const multipart *m,
                          bs_error *err) {
    size_t cap = 128 + m->parts * 320, len = 0;
    char *xml = malloc(cap);
    if (!xml) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    len += (size_t)snprintf(xml, cap, "<CompleteMultipartUpload>");
    for (size_t i = 0; i < m->parts; i++)
        len += (size_t)snprintf(xml + len, cap - len,
                                "<Part><PartNumber>%zu</PartNumber><ETag>%s</ETag></Part>", i + 1,
                                m->etags[i]);
    len += (size_t)snprintf(xml + len, cap - len, "</CompleteMultipartUpload>");
    s3_call call = {"POST", m->query, (unsigned char *)xml, len, NULL, 0, "", 0, 0};
    bs_status st = request(c, key, &call, err);
    /* S3 may answer 200 with an error document when completion fails late. */
    if (st == BS_OK && call.answer && strstr(call.answer, "<Error>"))
        st = bs_fail(err, BS_ERR_HTTP, "s3://%s/%s: completing the upload failed", c->bucket, key);
    call_free(&call);
    free(xml);
    return st;
}

static bs_status put_multipart(const bs_s3_config *c, const char *path, FILE *f, uint64_t size,
                               const char *key, bs_s3_progress_fn progress, void *ctx,
                               bs_error *err) {
    multipart m;
    memset(&m, 0, sizeof m);
    size_t part_size = c->part_size < 5 * MIB ? 5 * MIB : c->part_size;
    m.etags = calloc(size / part_size + 2, sizeof *m.etags);
    if (!m.etags) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    s3_call create = {"POST", "uploads=", NULL, 0, NULL, 0, "", 0, 0};
    bs_status st = request(c, key, &create, err);
    if (st == BS_OK && !xml_value(create.answer, "UploadId", m.upload_id, sizeof m.upload_id))
        st = bs_fail(err, BS_ERR_HTTP, "s3://%s/%s: no UploadId in the answer", c->bucket, key);
    call_free(&create);
    if (st != BS_OK) {
        free(m.etags);
        return st;
    }
    char id[1600];
    bs_s3_encode_key(m.upload_id, id, sizeof id);
    snprintf(m.query, sizeof m.query, "uploadId=%s", id);
    st = send_parts(c, path, f, size, key, &m, progress, ctx, err);
    if (st == BS_OK) st = complete(c, key, &m, err);
    if (st != BS_OK) { /* leave no parts behind; the first error is the one reported */
        s3_call abort_call = {"DELETE", m.query, NULL, 0, NULL, 0, "", 0, 0};
        bs_s3_config once = *c;
        once.max_attempts = 2;
        bs_error ignored = {{0}};
        request(&once, key, &abort_call, &ignored);
        call_free(&abort_call);
    }
    free(m.etags);
    return st;
}

bs_status bs_s3_upload_file(const bs_s3_config *c, const char *path, const char *key,
                            bs_s3_progress_fn progress, void *ctx, char *key_out, bs_error *err) {
    char reason[160], default_key[1024];
    if (!bs_s3_config_ready(c, reason, sizeof reason))
        return bs_fail(err, BS_ERR_CONFIG, "%s", reason);
    if (!key) {
        char *copy = strdup(path);
        if (!copy) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
        snprintf(default_key, sizeof default_key, "%s%s", c->prefix, basename(copy));
        free(copy);
        key = default_key;
    }
    if (key_out) snprintf(key_out, 1024, "%s", key);
    FILE *f = fopen(path, "rb");
    if (!f) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    struct stat sb;
    bs_status st = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)
                       ? BS_OK
                       : bs_fail(err, BS_ERR_IO, "%s: not a regular file", path);
    uint64_t size = (uint64_t)sb.st_size;
    if (st == BS_OK)
        st = size > c->multipart_threshold
                 ? put_multipart(c, path, f, size, key, progress, ctx, err)
                 : put_whole(c, path, f, size, key, err);
    if (st == BS_OK && size <= c->multipart_threshold && progress) progress(ctx, size, size);
    fclose(f);
    return st;
}
