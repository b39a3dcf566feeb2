/* cli.c - error reporting shared by the subcommands. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>

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
