/* json_scan.c - see json_scan.h. */
#include "json_scan.h"

#include <string.h>

#include "btcstream/number.h"

void json_skip_ws(cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'))
        c->p++;
}

/* Reads a JSON string at c->p (which is '"'); [*s, *s + *n) is its raw text between the quotes. */
int json_read_string(cursor *c, const char **s, size_t *n) {
    const char *p = c->p + 1;
    *s = p;
    for (; p < c->end; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '"') {
            *n = (size_t)(p - *s);
            c->p = p + 1;
            return 1;
        }
        if (ch < 0x20) return 0;
        if (ch == '\\') {
            if (++p >= c->end) return 0;
            if (*p == 'u') {
                for (int i = 0; i < 4; i++)
                    if (++p >= c->end || !strchr("0123456789abcdefABCDEF", *p)) return 0;
            } else if (!strchr("\"\\/bfnrt", *p)) {
                return 0;
            }
        }
    }
    return 0;
}

/* Reads the bytes of a bare JSON token (number, true, false, null, NaN, Infinity). */
void json_read_token(cursor *c, const char **s, size_t *n) {
    const char *p = c->p;
    while (p < c->end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' &&
           *p != '\r' && *p != '\n')
        p++;
    *s = c->p;
    *n = (size_t)(p - c->p);
    c->p = p;
}

static int skip_container(cursor *c, char close, int depth) {
    c->p++;
    json_skip_ws(c);
    if (c->p < c->end && *c->p == close) {
        c->p++;
        return 1;
    }
    for (;;) {
        if (close == '}') {
            const char *s;
            size_t n;
            if (c->p >= c->end || *c->p != '"' || !json_read_string(c, &s, &n)) return 0;
            json_skip_ws(c);
            if (c->p >= c->end || *c->p++ != ':') return 0;
            json_skip_ws(c);
        }
        if (!json_skip_value(c, depth + 1)) return 0;
        json_skip_ws(c);
        if (c->p >= c->end) return 0;
        if (*c->p == close) {
            c->p++;
            return 1;
        }
        if (*c->p++ != ',') return 0;
        json_skip_ws(c);
    }
}

int json_skip_value(cursor *c, int depth) {
    if (c->p >= c->end || depth > 64) return 0;
    const char *s;
    size_t n;
    double v;
    switch (*c->p) {
    case '"': return json_read_string(c, &s, &n);
    case '{': return skip_container(c, '}', depth);
    case '[': return skip_container(c, ']', depth);
    default:
        json_read_token(c, &s, &n);
        if ((n == 4 && (memcmp(s, "true", 4) == 0 || memcmp(s, "null", 4) == 0)) ||
            (n == 5 && memcmp(s, "false", 5) == 0))
            return 1;
        return n > 0 && bs_number_parse(s, n, &v) == BS_OK;
    }
}

bs_status json_first_object_number(const char *doc, size_t len, const char *key, double *out,
                                   bs_error *err) {
    cursor whole = {doc, doc + len};
    json_skip_ws(&whole);
    if (!json_skip_value(&whole, 0)) return bs_fail(err, BS_ERR_PARSE, "answer is not valid JSON");
    json_skip_ws(&whole);
    if (whole.p != whole.end) return bs_fail(err, BS_ERR_PARSE, "answer has text after the JSON");
    cursor c = {doc, doc + len};
    json_skip_ws(&c);
    if (c.p < c.end && *c.p == '[') {
        c.p++;
        json_skip_ws(&c);
    }
    if (c.p >= c.end || *c.p != '{') return bs_fail(err, BS_ERR_PARSE, "answer holds no object");
    c.p++;
    size_t key_len = strlen(key);
    for (;;) {
        const char *k, *v;
        size_t kn, vn;
        json_skip_ws(&c);
        if (c.p >= c.end || *c.p != '"' || !json_read_string(&c, &k, &kn)) break;
        json_skip_ws(&c);
        c.p++; /* ':' (the document is valid) */
        json_skip_ws(&c);
        if (kn == key_len && memcmp(k, key, kn) == 0) {
            if (*c.p == '"') json_read_string(&c, &v, &vn);
            else json_read_token(&c, &v, &vn);
            if (bs_number_parse(v, vn, out) != BS_OK)
                return bs_fail(err, BS_ERR_PARSE, "\"%s\" is not a number", key);
            return BS_OK;
        }
        json_skip_value(&c, 1);
        json_skip_ws(&c);
        if (c.p < c.end && *c.p == ',') c.p++;
    }
    return bs_fail(err, BS_ERR_PARSE, "answer has no \"%s\"", key);
}
