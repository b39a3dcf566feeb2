/*
 * status.h - the one error vocabulary of the btcstream library.
 *
 * Every library function that can fail returns a bs_status and, when it fails, fills a
 * caller-owned bs_error with one line of words that names the file, line, field or URL at
 * fault. The library never prints and never exits; the caller decides what to show.
 * Messages never contain secrets (AWS keys, API keys).
 */
#ifndef BTCSTREAM_STATUS_H
#define BTCSTREAM_STATUS_H

#include "btcstream/export.h"

#include <stddef.h>

typedef enum {
    BS_OK = 0,
    BS_ERR_ARG,         /* a caller passed an invalid argument or option value */
    BS_ERR_IO,          /* a file could not be opened, read, written or synced */
    BS_ERR_PARSE,       /* input text is not in the expected format */
    BS_ERR_NOMEM,       /* an allocation failed */
    BS_ERR_EMPTY,       /* the input holds no usable rows */
    BS_ERR_NET,         /* a network transfer failed (DNS, connect, timeout) */
    BS_ERR_HTTP,        /* a server answered with an HTTP error status */
    BS_ERR_FORMAT,      /* a binary format is corrupt or unsupported (Parquet, model) */
    BS_ERR_UNSUPPORTED, /* the feature or driver is not available on this machine */
    BS_ERR_MODEL,       /* training or prediction failed */
    BS_ERR_INTERRUPTED, /* stopped by a signal before finishing */
    BS_ERR_CONFIG,      /* configuration is missing or contradictory */
} bs_status;

#define BS_ERROR_MSG_SIZE 512

/* A caller-owned error message; zero-initialise it (bs_error err = {0};). */
typedef struct {
    char msg[BS_ERROR_MSG_SIZE];
} bs_error;

/* Words for a status code ("I/O error"); never NULL. */
BS_API const char *bs_status_str(bs_status status);

/*
 * Fills err (when not NULL) with a printf-style message and returns code, so that a failing
 * path reads `return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));`.
 */
BS_API bs_status bs_fail(bs_error *err, bs_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
