/*
 * timeutil.h - parsing and printing of timestamps and durations, in one place.
 *
 * All times in btcstream are UTC microseconds since the Unix epoch (int64_t, "us"). Parsing
 * accepts what real price files hold: "2025-05-12T01:22:54.181814+00:00", naive times (taken as
 * UTC), a 'T' or a space between date and time, 'Z', "+HH:MM", "+HHMM" or "+HH" offsets, and 0 to
 * 9 fractional digits (digits past microseconds are truncated).
 */
#ifndef BTCSTREAM_TIMEUTIL_H
#define BTCSTREAM_TIMEUTIL_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"

#define BS_US_PER_SECOND INT64_C(1000000)
#define BS_US_PER_MINUTE (60 * BS_US_PER_SECOND)
#define BS_US_PER_HOUR (3600 * BS_US_PER_SECOND)
#define BS_US_PER_DAY (86400 * BS_US_PER_SECOND)

/*
 * The times a history can hold: what the formatters write with a four-digit year, from
 * 0000-01-01T00:00:00 to 9999-12-31T23:59:59.999999 UTC. Parsers refuse anything outside, since
 * it could not be written back as it was read (and a re-import would not recognise it).
 */
#define BS_TIME_MIN_US INT64_C(-62167219200000000)
#define BS_TIME_MAX_US INT64_C(253402300799999999)

/* Buffer sizes for the formatters, terminating NUL included. */
#define BS_TIME_TEXT_SIZE 20 /* "YYYY-MM-DD HH:MM:SS" */
#define BS_TIME_ISO_SIZE 33  /* "YYYY-MM-DDTHH:MM:SS.ffffff+00:00" */

/*
 * Parses the len bytes at s (no NUL needed) into *out_us. On failure returns BS_ERR_PARSE and,
 * when err is not NULL, says what is wrong with the text.
 */
BS_API bs_status bs_time_parse(const char *s, size_t len, int64_t *out_us, bs_error *err);

/* "YYYY-MM-DD HH:MM:SS" (seconds truncated toward the past), as the tables print times. */
BS_API void bs_time_format(int64_t us, char out[BS_TIME_TEXT_SIZE]);

/* "YYYY-MM-DDTHH:MM:SS.ffffff+00:00", the tick format's Datetime. */
BS_API void bs_time_format_iso(int64_t us, char out[BS_TIME_ISO_SIZE]);

/* "YYYY-MM-DD" of the UTC day holding us. */
BS_API void bs_time_format_day(int64_t us, char out[11]);

/*
 * Floor of us to a multiple of step_us (> 0), correct for times before 1970 too. Where the floor
 * is below INT64_MIN (us within a step of it), the lowest representable multiple is returned.
 */
BS_API int64_t bs_time_floor(int64_t us, int64_t step_us);

/* UTC hour of day, 0-23. */
BS_API int bs_time_hour(int64_t us);

/* Day of week as Spark's dayofweek(): 1 = Sunday ... 7 = Saturday. */
BS_API int bs_time_dayofweek(int64_t us);

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
BS_API int64_t bs_days_from_civil(int64_t year, unsigned month, unsigned day);

/*
 * Parses a duration: "500ms", "30s", "15m", "1h", "1d", or a bare number of seconds ("0").
 * Fractions are allowed ("1.5s"). Negative durations are refused.
 */
BS_API bs_status bs_duration_parse(const char *text, int64_t *out_ms, bs_error *err);

/* Current wall-clock time in us, and a monotonic clock in us for measuring intervals. */
BS_API int64_t bs_now_us(void);
BS_API int64_t bs_monotonic_us(void);

#endif
