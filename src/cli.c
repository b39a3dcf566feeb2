/* cli.c - error reporting shared by the subcommands. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/timeutil.h"

void cli_errorf(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "btcstream %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_fail(const char *cmd, const bs_error *err) {
    cli_errorf(cmd, "%s", err->msg[0] ? err->msg : "failed");
    return CLI_FAIL;
}

int cli_usage_error(const char *cmd, const char *what) {
    fprintf(stderr, "btcstream %s: %s (see 'btcstream %s --help')\n", cmd, what, cmd);
    return CLI_USAGE;
}

void cli_report_bad_lines(const char *cmd, const char *path, const bs_scan_stats *stats) {
    if (stats->bad == 0) return;
    cli_errorf(cmd, "skipped %llu bad line%s of %llu in %s", (unsigned long long)stats->bad,
               stats->bad == 1 ? "" : "s", (unsigned long long)stats->lines, path);
    for (size_t i = 0; i < stats->kept; i++)
        fprintf(stderr, "  %s:%llu: %s\n", path, (unsigned long long)stats->bad_lines[i].line_no,
                stats->bad_lines[i].reason);
    if (stats->bad > stats->kept)
        fprintf(stderr, "  ... and %llu more\n", (unsigned long long)(stats->bad - stats->kept));
}

int cli_option_error(const char *cmd, int c, char **argv) {
    char what[160];
    extern int optind, optopt;
    const char *arg = argv[optind - 1];
    if (c == ':') snprintf(what, sizeof what, "option '%s' needs a value", arg);
    else if (optopt) snprintf(what, sizeof what, "unknown option '-%c'", optopt);
    else snprintf(what, sizeof what, "unknown option '%s'", arg);
    return cli_usage_error(cmd, what);
}

int cli_parse_duration(const char *cmd, const char *flag, const char *text, int allow_zero,
                       int64_t *us) {
    int64_t ms;
    bs_error err = {{0}};
    char what[600];
    if (bs_duration_parse(text, &ms, &err) != BS_OK) {
        snprintf(what, sizeof what, "%s: %s", flag, err.msg);
        return cli_usage_error(cmd, what);
    }
    if (ms == 0 && !allow_zero) {
        snprintf(what, sizeof what, "%s must be longer than zero", flag);
        return cli_usage_error(cmd, what);
    }
    *us = ms * 1000;
    return CLI_OK;
}

int cli_parse_integer(const char *cmd, const char *flag, const char *text, long long min,
                      long long max, long long *out) {
    char *end, what[600];
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (end != text && *end == '\0' && errno == 0 && v >= min && v <= max) {
        *out = v;
        return CLI_OK;
    }
    snprintf(what, sizeof what, "%s must be a whole number from %lld to %lld, not \"%s\"", flag,
             min, max, text);
    return cli_usage_error(cmd, what);
}

int cli_parse_number(const char *cmd, const char *flag, const char *text, double above,
                     double *out) {
    char *end, what[600];
    errno = 0;
    double v = strtod(text, &end);
    if (end != text && *end == '\0' && errno == 0 && isfinite(v) && v > above) {
        *out = v;
        return CLI_OK;
    }
    snprintf(what, sizeof what, "%s must be a number above %g, not \"%s\"", flag, above, text);
    return cli_usage_error(cmd, what);
}

static atomic_int *stop_flag;

static void on_stop_signal(int sig) {
    (void)sig;
    if (stop_flag) *stop_flag = 1;
}

void cli_stop_on_signals(atomic_int *flag) {
    stop_flag = flag;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}
