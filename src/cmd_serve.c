/*
 * cmd_serve.c - `btcstream serve`: the live dashboard over a data dir (serve.h), until SIGINT
 * or SIGTERM. The data dir may be filled by another process (`stream`, `run`) or finished.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "btcstream/serve.h"
#include "cli.h"

static const char usage_text[] =
    "usage: btcstream serve [--listen 127.0.0.1:8080] [--data-dir Data] [--market M]\n"
    "                       [--predictions DIR] [--max-clients N]\n\n"
    "Serves a live dashboard of DATA_DIR's committed history: the page at /, Server-Sent Events\n"
    "at /events, JSON at /api/summary, /api/ticks and /api/markets, Prometheus metrics at\n"
    "/metrics. It follows the stream processor's commits as they happen and stops on Ctrl-C.\n\n"
    "Options:\n"
    "  --listen A       HOST:PORT to listen on (default 127.0.0.1:8080, loopback only; port 0\n"
    "                   picks a free port)\n"
    "  --data-dir P     the data dir to show (default Data)\n"
    "  --market M       the market to show (default: the only one)\n"
    "  --predictions P  the model's predictions folder (default bitcoin_predictions.parquet)\n"
    "  --max-clients N  event-stream clients at once; more get 503 (default 256)\n";

static int parse(int argc, char **argv, bs_serve_options *o) {
    static const struct option options[] = {{"listen", required_argument, 0, 'l'},
                                            {"data-dir", required_argument, 0, 'd'},
                                            {"market", required_argument, 0, 'm'},
                                            {"predictions", required_argument, 0, 'p'},
                                            {"max-clients", required_argument, 0, 'c'},
                                            {"poll", no_argument, 0, 'P'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    int c;
    long long n;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'l': o->listen = optarg; break;
        case 'd': o->data_dir = optarg; break;
        case 'm': o->market = optarg; break;
        case 'p': o->predictions = optarg; break;
        case 'P': o->poll = 1; break;
        case 'c':
            if (cli_parse_integer(argv[0], "--max-clients", optarg, 1, 100000, &n) != CLI_OK)
                return CLI_USAGE;
            o->max_clients = (size_t)n;
            break;
        case 'h': fputs(usage_text, stdout); return -1;
        default: return cli_option_error(argv[0], c, argv);
        }
    }
    if (optind < argc) return cli_usage_error(argv[0], "unexpected argument");
    return CLI_OK;
}

int cmd_serve(int argc, char **argv) {
    static atomic_int stop;
    bs_serve_options o = bs_serve_defaults();
    int rc = parse(argc, argv, &o);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    /* Signals stay blocked in every thread but this one's sigsuspend(): no lost wake-up. */
    sigset_t stop_signals, before;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, &before);
    cli_stop_on_signals(&stop);
    bs_serve *srv;
    bs_error err = {{0}};
    if (bs_serve_start(&o, &srv, &err) != BS_OK) return cli_fail(argv[0], &err);
    printf("btcstream serve: dashboard at http://%s/ for %s (metrics at /metrics); Ctrl-C stops\n",
           bs_serve_address(srv), o.data_dir);
    fflush(stdout);
    while (!stop) sigsuspend(&before);
    bs_serve_stop(srv);
    printf("btcstream serve: stopped\n");
    return CLI_OK;
}
