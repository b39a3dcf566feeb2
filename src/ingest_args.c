/* ingest_args.c - see ingest_args.h. */
#include "ingest_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void ingest_args_init(ingest_args *a, int64_t default_duration_us) {
    a->source = "coingecko";
    a->source_opts = bs_source_defaults();
    a->interval_us = 30 * INT64_C(1000000);
    a->duration_us = default_duration_us;
}

int ingest_args_option(ingest_args *a, const char *cmd, int c, const char *arg) {
    int64_t us;
    int rc = CLI_OK;
    switch (c) {
    case 1000: a->source = arg; break;
    case 1001:
        rc = cli_parse_duration(cmd, "--interval", arg, 1, &a->interval_us);
        a->interval_given = 1;
        break;
    case 1002:
        rc = cli_parse_duration(cmd, "--duration", arg, 1, &a->duration_us);
        a->duration_given = 1;
        break;
    case 1003: a->source_opts.coin = arg; break;
    case 1004: a->source_opts.vs = arg; break;
    case 1005: {
        char *end;
        a->source_opts.seed = strtoull(arg, &end, 10);
        if (*end || !*arg || arg[0] == '-')
            rc = cli_usage_error(cmd, "--seed must be a whole number");
        break;
    }
    case 1006:
        rc = cli_parse_duration(cmd, "--timeout", arg, 0, &us);
        a->source_opts.timeout_ms = (long)(us / 1000);
        break;
    default: return CLI_USAGE;
    }
    return rc;
}

int ingest_args_source_defaults(ingest_args *a, const char *cmd, int with_duration) {
    const bs_source_type *t = bs_source_type_find(a->source);
    if (!t) {
        bs_source *none;
        bs_error err = {{0}};
        bs_source_open(a->source, &a->source_opts, &none, &err); /* for the message */
        return cli_usage_error(cmd, err.msg);
    }
    if (!a->interval_given && t->interval_us > 0) a->interval_us = t->interval_us;
    if (with_duration && !a->duration_given && t->duration_us > 0) a->duration_us = t->duration_us;
    return CLI_OK;
}

void ingest_args_print_sources(FILE *out) {
    fputs("\nSources (--source):\n", out);
    for (const bs_source_type *t = bs_source_types; t->name; t++) {
        char name[64];
        snprintf(name, sizeof name, "%s%s%s", t->name, t->arg ? ":" : "", t->arg ? t->arg : "");
        fprintf(out, "  %-14s %s\n", name, t->help);
    }
}

int ingest_fail_offline(const char *cmd, const bs_error *err) {
    cli_errorf(cmd, "%s; offline? try --source sim or --source replay:FILE", err->msg);
    return CLI_FAIL;
}

int ingest_args_open_source(const ingest_args *a, const char *cmd, bs_source **out) {
    bs_error err = {{0}};
    if (bs_source_open(a->source, &a->source_opts, out, &err) != BS_OK) return cli_fail(cmd, &err);
    return CLI_OK;
}

void ingest_print_notice(void *ctx, const char *message) {
    (void)ctx;
    fprintf(stderr, "btcstream ingest: %s\n", message);
}
