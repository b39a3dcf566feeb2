/*
 * main.c - the btcstream command: finds the subcommand and hands it the arguments.
 * Everything a subcommand does lives in the library; see src/cmd_*.c for each one.
 */
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "btcstream/config.h"
#include "btcstream/version.h"
#include "cli.h"
#include "ingest_args.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"run", cmd_run, "the whole pipeline: ingest and stream, then tables, model, outputs"},
    {"ingest", cmd_ingest, "fetch ticks from a source into the stream directory"},
    {"stream", cmd_stream, "process the stream directory in micro-batches into the history"},
    {"import", cmd_import, "append a CSV or JSON-lines price file to the history"},
    {"aggregate", cmd_aggregate, "print the hourly, daily and moving-average tables"},
    {"train", cmd_train, "train the gradient-boosted-trees model and report its metrics"},
    {"predict", cmd_predict, "print the next forecast of a trained model"},
    {"plot", cmd_plot, "plot actual against predicted close prices to a PNG"},
    {"upload", cmd_upload, "upload a file to S3 (or an S3-compatible server)"},
    {"bus", cmd_bus, "create, check and show the NATS JetStream stream behind --bus"},
    {"serve", cmd_serve, "serve the live dashboard, its event stream and Prometheus metrics"},
    {"markets", cmd_markets, "list the markets of a data folder: span, rows, candle gaps"},
    {"export", cmd_export, "write a market's rows as CSV, JSON or Parquet, or all as a dataset"},
    {"backfill", cmd_backfill, "fetch an exchange's 1-minute candles for a past range (REST)"},
};

static void usage(FILE *out) {
    fprintf(out,
            "usage: btcstream COMMAND [OPTIONS]\n"
            "       btcstream --version | --help | COMMAND --help\n\n"
            "A real-time Bitcoin price pipeline: ingest, stream processing, aggregate tables,\n"
            "gradient-boosted-trees forecasts, Parquet/ZIP/S3 outputs and plots.\n\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    ingest_args_print_sources(out);
    fprintf(out, "\nRun 'btcstream COMMAND --help' for a command's options.\n");
}

/*
 * glibc gives memory back to the system whenever 128 kB are free at the top of the heap, and
 * XGBoost frees and reallocates its per-round buffers a hundred times a training run: `train`
 * spent ~600 of its ~1,900 page faults (3-5 ms) taking the same pages back. Keeping up to 16 MB
 * (and growing the heap 1 MB at a time) stops that, at the cost of up to 16 MB kept mapped.
 */
static void tune_allocator(void) {
#ifdef __GLIBC__
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
    mallopt(M_TOP_PAD, 1 << 20);
#endif
}

int main(int argc, char **argv) {
    tune_allocator();
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("btcstream %s\n", BS_VERSION);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(name, commands[i].name) != 0) continue;
        /* A .env file the parser refuses (an over-long line) stops every command but --help,
         * rather than being half-read or silently ignored. */
        bs_error err = {{0}};
        if (!(argc > 2 && strcmp(argv[2], "--help") == 0) && bs_config_load(&err) != BS_OK)
            return cli_fail(name, &err);
        return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "btcstream: unknown command '%s' (see 'btcstream --help')\n", name);
    return CLI_USAGE;
}
