/* cmd_bus.c - `btcstream bus init|status`: the JetStream stream behind --bus. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/bus.h"
#include "cli.h"

static const char usage_text[] =
    "usage: btcstream bus init   --bus URLS [--replicas N] [--max-age D] [--dedup-window D]\n"
    "                            [--bus-stream BTCSTREAM] [--subject-prefix btcstream]\n"
    "       btcstream bus status --bus URLS [--bus-stream BTCSTREAM]\n\n"
    "init creates the JetStream stream that 'ingest --bus' publishes to and 'stream --bus'\n"
    "consumes from (file storage, subjects PREFIX.>, de-duplication of retried ticks), or updates\n"
    "it to the settings given, and prints its state. status prints the stream's state and each\n"
    "consumer's lag. URLS is nats://HOST:PORT[,HOST:PORT...]; see docs/scale-out.md.\n\n"
    "Options:\n"
    "  --replicas N       copies of each message, on N servers of the cluster (default 1)\n"
    "  --max-age D        drop messages older than D (default: keep them)\n"
    "  --dedup-window D   a retried tick within D of the first is dropped (default 10m)\n";

static void print_state(const bs_bus_stream_state *s) {
    printf("stream %s: subjects %s, %d replica%s (%d current), leader %s\n", s->name, s->subjects,
           s->replicas, s->replicas == 1 ? "" : "s", s->current_replicas,
           s->leader[0] ? s->leader : "(this server)");
    printf("  %llu messages, %llu bytes, sequences %llu to %llu\n",
           (unsigned long long)s->messages, (unsigned long long)s->bytes,
           (unsigned long long)s->first_seq, (unsigned long long)s->last_seq);
    printf("  de-duplication window %llds, max age %s\n",
           (long long)(s->duplicate_window_us / 1000000),
           s->max_age_us ? "set" : "unlimited");
    if (s->max_age_us) printf("  max age %llds\n", (long long)(s->max_age_us / 1000000));
}

int cmd_bus(int argc, char **argv) {
    static const struct option options[] = {{"bus", required_argument, 0, 'b'},
                                            {"replicas", required_argument, 0, 'r'},
                                            {"max-age", required_argument, 0, 'a'},
                                            {"dedup-window", required_argument, 0, 'w'},
                                            {"bus-stream", required_argument, 0, 'n'},
                                            {"subject-prefix", required_argument, 0, 'p'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    bs_bus_options o = bs_bus_defaults();
    int c, rc = CLI_OK;
    opterr = 0;
    while (rc == CLI_OK && (c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'b': o.urls = optarg; break;
        case 'r': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 5)
                return cli_usage_error(argv[0], "--replicas must be a whole number from 1 to 5");
            o.replicas = (int)n;
            break;
        }
        case 'a': rc = cli_parse_duration(argv[0], "--max-age", optarg, 1, &o.max_age_us); break;
        case 'w':
            rc = cli_parse_duration(argv[0], "--dedup-window", optarg, 0, &o.duplicate_window_us);
            break;
        case 'n': o.stream = optarg; break;
        case 'p': o.subject_prefix = optarg; break;
        case 'h': fputs(usage_text, stdout); return CLI_OK;
        default: return cli_option_error(argv[0], c, argv);
        }
    }
    if (rc != CLI_OK) return rc;
    if (optind >= argc) return cli_usage_error(argv[0], "init or status?");
    const char *what = argv[optind];
    if (optind + 1 < argc) return cli_usage_error(argv[0], "unexpected argument");
    if (!o.urls) return cli_usage_error(argv[0], "--bus URLS is required");
    bs_error err = {{0}};
    bs_bus_stream_state state;
    if (strcmp(what, "init") == 0) {
        if (bs_bus_init(&o, &state, &err) != BS_OK) return cli_fail(argv[0], &err);
        print_state(&state);
        return CLI_OK;
    }
    if (strcmp(what, "status") != 0)
        return cli_usage_error(argv[0], "unknown bus command (init or status)");
    bs_bus_consumer_state consumers[64];
    size_t n;
    if (bs_bus_status(&o, &state, consumers, 64, &n, &err) != BS_OK) return cli_fail(argv[0], &err);
    print_state(&state);
    for (size_t i = 0; i < n; i++)
        printf("consumer %s: %llu waiting, %lld delivered not yet acknowledged, %lld redelivered, "
               "acknowledged up to %llu\n",
               consumers[i].name, (unsigned long long)consumers[i].pending,
               (long long)consumers[i].ack_pending, (long long)consumers[i].redelivered,
               (unsigned long long)consumers[i].ack_floor);
    if (n == 0) printf("no consumer yet\n");
    return CLI_OK;
}
