/* status.c - words for status codes and the helper that fills a bs_error. */
#include "btcstream/status.h"

#include <stdarg.h>
#include <stdio.h>

const char *bs_status_str(bs_status status) {
    switch (status) {
    case BS_OK: return "success";
    case BS_ERR_ARG: return "invalid argument";
    case BS_ERR_IO: return "I/O error";
    case BS_ERR_PARSE: return "parse error";
    case BS_ERR_NOMEM: return "out of memory";
    case BS_ERR_EMPTY: return "no usable rows";
    case BS_ERR_NET: return "network error";
    case BS_ERR_HTTP: return "HTTP error";
    case BS_ERR_FORMAT: return "corrupt or unsupported format";
    case BS_ERR_UNSUPPORTED: return "not supported here";
    case BS_ERR_MODEL: return "model error";
    case BS_ERR_INTERRUPTED: return "interrupted";
    case BS_ERR_CONFIG: return "configuration error";
    }
    return "unknown error";
}

bs_status bs_fail(bs_error *err, bs_status code, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}
