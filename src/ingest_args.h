/*
 * ingest_args.h - the source and producer flags that `ingest` and `run` share:
 * --source, --interval, --duration, --coin, --vs, --seed, --timeout.
 */
#ifndef BTCSTREAM_INGEST_ARGS_H
#define BTCSTREAM_INGEST_ARGS_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "btcstream/ingest.h"
#include "btcstream/source.h"

typedef struct {
    const char *source;
    bs_source_options source_opts;
    int64_t interval_us, duration_us;
    int interval_given, duration_given; /* set by the flags; else the source's defaults apply */
} ingest_args;

/* The long options, to splice into a command's own table (codes 1000 and up). */
#define INGEST_LONG_OPTIONS                                                                        \
    {"source", required_argument, 0, 1000}, {"interval", required_argument, 0, 1001},              \
        {"duration", required_argument, 0, 1002}, {"coin", required_argument, 0, 1003},            \
        {"vs", required_argument, 0, 1004}, {"seed", required_argument, 0, 1005}, {                \
        "timeout", required_argument, 0, 1006                                                      \
    }

#define INGEST_USAGE                                                                               \
    "  --source S     where ticks come from (default coingecko; the sources are listed below)\n"   \
    "  --interval D   time between ticks (default 30s, sim 250ms; 0 with replay: at once)\n"       \
    "  --coin ID      CoinGecko coin id (default bitcoin)\n"                                       \
    "  --vs CUR       quote currency (default usd)\n"                                              \
    "  --seed N       seed of the sim source (default 42)\n"                                       \
    "  --timeout D    HTTP timeout (default 10s)\n"

/* Defaults: coingecko every 30 s for the given duration. */
void ingest_args_init(ingest_args *a, int64_t default_duration_us);

/*
 * Gives the flags that were not set the defaults of the chosen source type (source.h's
 * registry: the sim's interval and run's duration); with_duration for `run` only.
 * Returns CLI_OK, or the usage error for an unknown source.
 */
int ingest_args_source_defaults(ingest_args *a, const char *cmd, int with_duration);

/* Prints "Sources:" and one line a source type, from the registry. */
void ingest_args_print_sources(FILE *out);

/* Handles option code c (1000..1006) with optarg; returns CLI_OK or the usage error's code. */
int ingest_args_option(ingest_args *a, const char *cmd, int c, const char *arg);

/* Opens the source; on failure prints the error (with the offline hint for coingecko). */
int ingest_args_open_source(const ingest_args *a, const char *cmd, bs_source **out);

/* Prints a one-line notice for a failed request on stderr (an ingest on_notice). */
void ingest_print_notice(void *ctx, const char *message);

/* The fail-fast message for a network error on the first request, with the offline hint. */
int ingest_fail_offline(const char *cmd, const bs_error *err);

#endif
