/*
 * timeutil.c - timestamp and duration parsing and formatting.
 *
 * The timestamp parser is on the hot path of every load (tens of millions of calls), so it reads
 * digits by hand instead of going through sscanf or strptime, and it validates every field so
 * that a malformed time is a counted bad line, never a silently wrong tick.
 */
#include "btcstream/timeutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "swar_digits.h"

static int digits(const char *s, size_t n, int *out) {
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9) return 0;
        v = v * 10 + (int)d;
    }
    *out = v;
    return 1;
}

int64_t bs_days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *year, unsigned *month, unsigned *day) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

static int days_in_month(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 ? 28 + leap : days[month - 1];
}

static bs_status bad_time(bs_error *err, const char *s, size_t len, const char *why) {
    if (!err) return BS_ERR_PARSE;
    int shown = len > 40 ? 40 : (int)len;
    return bs_fail(err, BS_ERR_PARSE, "bad timestamp \"%.*s\": %s", shown, s, why);
}

/* Parses "Z", " UTC" (CoinGecko's exports), "+HH:MM", "+HHMM" or "+HH" at s into seconds east
 * of UTC; returns bytes read. */
static size_t parse_offset(const char *s, size_t n, int *offset_s) {
    if (n >= 1 && s[0] == 'Z') {
        *offset_s = 0;
        return 1;
    }
    if (n >= 4 && memcmp(s, " UTC", 4) == 0) {
        *offset_s = 0;
        return 4;
    }
    if (n < 3 || (s[0] != '+' && s[0] != '-')) return 0;
    int hh, mm = 0;
    size_t used = 3;
    if (!digits(s + 1, 2, &hh)) return 0;
    if (n >= 6 && s[3] == ':') {
        if (!digits(s + 4, 2, &mm)) return 0;
        used = 6;
    } else if (n >= 5 && s[3] >= '0' && s[3] <= '9') {
        if (!digits(s + 3, 2, &mm)) return 0;
        used = 5;
    }
    if (hh > 23 || mm > 59) return 0;
    *offset_s = (s[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
    return used;
}

/*
 * Consecutive ticks nearly always share their date, so the last date text seen and its day
 * number are kept per thread; a hit skips the date's digits, checks and calendar arithmetic.
 */
static _Thread_local struct {
    char text[10];
    int64_t days;
} last_date = {"", 0};

static bs_status parse_date(const char *s, size_t len, int64_t *days, bs_error *err) {
    if (memcmp(s, last_date.text, 10) == 0) {
        *days = last_date.days;
        return BS_OK;
    }
    int year, month, day;
    if (!digits(s, 4, &year) || s[4] != '-' || !digits(s + 5, 2, &month) || s[7] != '-' ||
        !digits(s + 8, 2, &day))
        return bad_time(err, s, len, "date is not YYYY-MM-DD");
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return bad_time(err, s, len, "no such date");
    *days = bs_days_from_civil(year, (unsigned)month, (unsigned)day);
    memcpy(last_date.text, s, 10);
    last_date.days = *days;
    return BS_OK;
}

/*
 * The layout btcstream writes, "YYYY-MM-DDTHH:MM:SS.ffffff+00:00", read in words (swar_digits.h):
 * returns 0 for anything else, which the general parser then reads or refuses with its reason.
 */
static int parse_canonical(const char *s, size_t len, int64_t *out_us) {
    const uint64_t colon_bytes = 0x0000FF0000FF0000u, colons = 0x00003A00003A0000u;
    if (len != 32 || s[10] != 'T' || s[19] != '.' || memcmp(s + 26, "+00:00", 6) != 0) return 0;
    uint64_t clock = swar_load8(s + 11), fraction = swar_load8(s + 20);
    if ((clock & colon_bytes) != colons) return 0;
    clock ^= colons ^ 0x0000300000300000u; /* the colons become zeros, to check the rest at once */
    if (swar_leading_digits(clock) != 8 || swar_leading_digits(fraction) != 6) return 0;
    int64_t days;
    if (parse_date(s, len, &days, NULL) != BS_OK) return 0;
    clock -= 0x3030303030303030u;
    int hour = (int)(clock & 0xFF) * 10 + (int)(clock >> 8 & 0xFF);
    int minute = (int)(clock >> 24 & 0xFF) * 10 + (int)(clock >> 32 & 0xFF);
    int second = (int)(clock >> 48 & 0xFF) * 10 + (int)(clock >> 56);
    if (hour > 23 || minute > 59 || second > 59) return 0;
    *out_us = (days * 86400 + hour * 3600 + minute * 60 + second) * BS_US_PER_SECOND +
              swar_digits_value(fraction, 6);
    return 1;
}

/* Every other layout, and the reasons for refusing one; kept out of line so that the canonical
 * path does not pay for its registers. */
__attribute__((noinline)) static bs_status parse_general(const char *s, size_t len, int64_t *out_us,
                                                         bs_error *err) {
    int hour, minute, second = 0;
    int64_t days = 0;
    if (len == 10) { /* a date alone, as daily files give it: midnight UTC */
        bs_status st = parse_date(s, len, &days, err);
        if (st == BS_OK) *out_us = days * 86400 * BS_US_PER_SECOND;
        return st;
    }
    if (len < 16) return bad_time(err, s, len, "too short for YYYY-MM-DD HH:MM");
    bs_status date_status = parse_date(s, len, &days, err);
    if (date_status != BS_OK) return date_status;
    if (s[10] != 'T' && s[10] != ' ')
        return bad_time(err, s, len, "expected 'T' or ' ' after the date");
    if (!digits(s + 11, 2, &hour) || s[13] != ':' || !digits(s + 14, 2, &minute))
        return bad_time(err, s, len, "time is not HH:MM");
    size_t i = 16;
    if (i < len && s[i] == ':') {
        if (len < 19 || !digits(s + 17, 2, &second))
            return bad_time(err, s, len, "seconds are not SS");
        i = 19;
    }
    if (hour > 23 || minute > 59 || second > 59)
        return bad_time(err, s, len, "no such time of day");

    int64_t micros = 0;
    if (i < len && s[i] == '.') {
        size_t start = ++i;
        int scale = 6;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (scale > 0) {
                micros = micros * 10 + (s[i] - '0');
                scale--;
            }
            i++;
        }
        if (i == start || i - start > 9)
            return bad_time(err, s, len, "fraction must have 1 to 9 digits");
        while (scale-- > 0) micros *= 10;
    }
    int offset_s = 0;
    if (i < len) {
        size_t used = parse_offset(s + i, len - i, &offset_s);
        if (used == 0) return bad_time(err, s, len, "bad UTC offset");
        i += used;
    }
    if (i != len) return bad_time(err, s, len, "unexpected text after the time");

    int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_s;
    int64_t us = secs * BS_US_PER_SECOND + micros;
    /* An offset can carry 9999-12-31 into year 10000 (or 0000-01-01 into year -1). */
    if (us < BS_TIME_MIN_US || us > BS_TIME_MAX_US)
        return bad_time(err, s, len, "outside the years 0000 to 9999 in UTC");
    *out_us = us;
    return BS_OK;
}

bs_status bs_time_parse(const char *s, size_t len, int64_t *out_us, bs_error *err) {
    return parse_canonical(s, len, out_us) ? BS_OK : parse_general(s, len, out_us, err);
}

int64_t bs_time_floor(int64_t us, int64_t step_us) {
    if (step_us <= 0) return us;
    int64_t r = us % step_us; /* in (-step_us, step_us), sign of us */
    if (r >= 0) return us - r;
    /* us - r - step_us would pass INT64_MIN for the first step_us values above it: the floor is
     * then not representable (UBSan caught plot computing it), so stop at us - r. */
    return us - r >= INT64_MIN + step_us ? us - r - step_us : us - r;
}

static void split(int64_t us, int *y, unsigned *mo, unsigned *d, int *h, int *mi, int *s,
                  int *frac) {
    int64_t day_start = bs_time_floor(us, BS_US_PER_DAY);
    civil_from_days(day_start / BS_US_PER_DAY, y, mo, d);
    int64_t in_day = us - day_start;
    int64_t secs = in_day / BS_US_PER_SECOND;
    *h = (int)(secs / 3600);
    *mi = (int)(secs / 60 % 60);
    *s = (int)(secs % 60);
    *frac = (int)(in_day % BS_US_PER_SECOND);
}

/* Writes v as exactly n decimal digits (zero-padded); returns the position after them. */
static char *put_digits(char *p, unsigned v, int n) {
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + n;
}

/* "YYYY-MM-DD" at p; returns the position after it. */
static char *put_date(char *p, int year, unsigned month, unsigned day) {
    p = put_digits(p, (unsigned)(year < 0 ? 0 : year), 4);
    *p++ = '-';
    p = put_digits(p, month, 2);
    *p++ = '-';
    return put_digits(p, day, 2);
}

static char *put_clock(char *p, int h, int mi, int s) {
    p = put_digits(p, (unsigned)h, 2);
    *p++ = ':';
    p = put_digits(p, (unsigned)mi, 2);
    *p++ = ':';
    return put_digits(p, (unsigned)s, 2);
}

void bs_time_format(int64_t us, char out[BS_TIME_TEXT_SIZE]) {
    int y, h, mi, s, frac;
    unsigned mo, d;
    split(us, &y, &mo, &d, &h, &mi, &s, &frac);
    char *p = put_date(out, y, mo, d);
    *p++ = ' ';
    p = put_clock(p, h, mi, s);
    *p = '\0';
}

void bs_time_format_iso(int64_t us, char out[BS_TIME_ISO_SIZE]) {
    int y, h, mi, s, frac;
    unsigned mo, d;
    split(us, &y, &mo, &d, &h, &mi, &s, &frac);
    char *p = put_date(out, y, mo, d);
    *p++ = 'T';
    p = put_clock(p, h, mi, s);
    *p++ = '.';
    p = put_digits(p, (unsigned)frac, 6);
    memcpy(p, "+00:00", 7);
}

void bs_time_format_day(int64_t us, char out[11]) {
    int y, h, mi, s, frac;
    unsigned mo, d;
    split(us, &y, &mo, &d, &h, &mi, &s, &frac);
    *put_date(out, y, mo, d) = '\0';
}

int bs_time_hour(int64_t us) {
    return (int)((us - bs_time_floor(us, BS_US_PER_DAY)) / BS_US_PER_HOUR);
}

int bs_time_dayofweek(int64_t us) {
    /* 1970-01-01 was a Thursday, which is 5 in Spark's numbering (1 = Sunday). */
    int64_t days = bs_time_floor(us, BS_US_PER_DAY) / BS_US_PER_DAY;
    int64_t wd = (days + 4) % 7; /* 0 = Sunday */
    if (wd < 0) wd += 7;
    return (int)wd + 1;
}

bs_status bs_duration_parse(const char *text, int64_t *out_ms, bs_error *err) {
    if (!text || !*text) return bs_fail(err, BS_ERR_ARG, "empty duration");
    char *end;
    double v = strtod(text, &end);
    if (end == text || !isfinite(v) || v < 0)
        return bs_fail(err, BS_ERR_ARG, "bad duration \"%s\" (use e.g. 500ms, 30s, 15m, 1h, 1d)",
                       text);
    double scale;
    if (strcmp(end, "ms") == 0) scale = 1;
    else if (strcmp(end, "s") == 0 || *end == '\0') scale = 1e3;
    else if (strcmp(end, "m") == 0) scale = 60e3;
    else if (strcmp(end, "h") == 0) scale = 3600e3;
    else if (strcmp(end, "d") == 0) scale = 86400e3;
    else
        return bs_fail(err, BS_ERR_ARG, "bad duration unit in \"%s\" (use ms, s, m, h or d)", text);
    double ms = v * scale;
    if (ms > 9.0e15) return bs_fail(err, BS_ERR_ARG, "duration \"%s\" is too long", text);
    *out_ms = (int64_t)llround(ms);
    return BS_OK;
}

int64_t bs_now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * BS_US_PER_SECOND + ts.tv_nsec / 1000;
}

int64_t bs_monotonic_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * BS_US_PER_SECOND + ts.tv_nsec / 1000;
}
