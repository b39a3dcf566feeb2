/*
 * cli.h - what the btcstream command's subcommands share: the entry points and small helpers
 * for reporting errors. The command only parses arguments, calls the library and renders.
 */
#ifndef BTCSTREAM_CLI_H
#define BTCSTREAM_CLI_H

#include "btcstream/status.h"

/* Exit codes: 0 success, 1 failure at run time, 2 bad usage. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Each subcommand: argv[0] is the subcommand's name. Returns the process exit code. */
int cmd_run(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_stream(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_aggregate(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_upload(int argc, char **argv);
int cmd_bus(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_markets(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_markets_migrate(int argc, char **argv); /* `markets migrate` (dispatched by `markets`) */
int cmd_backfill(int argc, char **argv);

/* Prints "btcstream CMD: message" on stderr. */
void cli_errorf(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "btcstream CMD: <err message>" and returns CLI_FAIL. */
int cli_fail(const char *cmd, const bs_error *err);

/*
 * Reports an unknown option or a missing argument the way every subcommand does:
 * one line naming it and pointing at `btcstream CMD --help`. Returns CLI_USAGE.
 */
int cli_usage_error(const char *cmd, const char *what);

#include "btcstream/reader.h"

/*
 * Prints the bad-line summary of a scan on stderr: the count, then "file:line: reason" for the
 * first few. Prints nothing when there were none.
 */
void cli_report_bad_lines(const char *cmd, const char *path, const bs_scan_stats *stats);

/*
 * Turns getopt_long's answer for an unknown option (c == '?') or a missing value (c == ':') into
 * the one-line usage error; returns CLI_USAGE.
 */
int cli_option_error(const char *cmd, int c, char **argv);

#include <stdatomic.h>
#include <stdint.h>

/* Parses a duration flag (500ms, 30s, 15m, 1h, 1d) into microseconds; zero only if allowed.
 * Prints the usage error and returns CLI_USAGE when it is bad. */
int cli_parse_duration(const char *cmd, const char *flag, const char *text, int allow_zero,
                       int64_t *us);

/*
 * Parses a whole-number flag in [min, max] (decimal, nothing after the digits), or a finite
 * number above `above` for cli_parse_number. Print the usage error and return CLI_USAGE when the
 * text is not one; CLI_OK otherwise.
 */
int cli_parse_integer(const char *cmd, const char *flag, const char *text, long long min,
                      long long max, long long *out);
int cli_parse_number(const char *cmd, const char *flag, const char *text, double above,
                     double *out);

/* Makes SIGINT and SIGTERM set *flag (so the work in hand can finish) instead of killing. */
void cli_stop_on_signals(atomic_int *flag);

/* The default history file (DESIGN.md). */
#define CLI_DEFAULT_HISTORY "Data/bitcoin_combined.json"
#define CLI_DEFAULT_STREAM_DIR "Data/stream"

#endif
