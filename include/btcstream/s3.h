/*
 * s3.h - uploading a file to Amazon S3 or an S3-compatible server, signed with AWS SigV4.
 *
 * Configuration (config.h: flags beat the environment, which beats .env): AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_DEFAULT_REGION (default us-east-2),
 * S3_BUCKET_NAME, S3_ENDPOINT_URL (an S3-compatible server, addressed path-style) and S3_PREFIX.
 * Files up to the multipart threshold go in one PUT; larger ones as a multipart upload (parts of
 * at least 5 MiB), aborted when it fails so that no partial object is left. Requests that fail
 * with a network error, 5xx or 429 are retried with exponential backoff and jitter. Secrets never
 * appear in an error message.
 */
#ifndef BTCSTREAM_S3_H
#define BTCSTREAM_S3_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"

typedef struct {
    char access_key[256], secret_key[256], session_token[4096];
    char region[64], bucket[256], endpoint[1024], prefix[1024];
    size_t multipart_threshold; /* default 16 MiB */
    size_t part_size;           /* default 8 MiB; never below 5 MiB */
    int max_attempts;           /* per request, default 5 */
    long backoff_ms;            /* first retry delay, doubled each time (default 200) */
    long timeout_ms;            /* per request (default 120 s) */
} bs_s3_config;

/* Fills c from the configuration; bucket (may be NULL) is the --bucket flag. */
BS_API void bs_s3_config_load(bs_s3_config *c, const char *bucket);

/*
 * Whether an upload can be attempted: 0 with a reason ("no AWS credentials", "no bucket") when
 * not, which callers print as "upload skipped: REASON".
 */
BS_API int bs_s3_config_ready(const bs_s3_config *c, char *reason, size_t size);

/* Progress: bytes sent so far of total. */
typedef void (*bs_s3_progress_fn)(void *ctx, uint64_t sent, uint64_t total);

/*
 * Uploads the file at path to c->bucket under key (NULL: S3_PREFIX + the file's name).
 * key_out (may be NULL, 1024 bytes) receives the key used.
 */
BS_API bs_status bs_s3_upload_file(const bs_s3_config *c, const char *path, const char *key,
                                   bs_s3_progress_fn progress, void *ctx, char *key_out,
                                   bs_error *err);

/* Percent-encodes an object key for a URL (and SigV4): keeps A-Za-z0-9-._~ and '/'. */
BS_API void bs_s3_encode_key(const char *key, char *out, size_t size);

#endif
