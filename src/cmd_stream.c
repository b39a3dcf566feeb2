/* cmd_stream.c - `btcstream stream`: the stream directory into the history, batch by batch. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "btcstream/fsutil.h"
#include "btcstream/stream.h"
#include "cli.h"
#include "stream_render.h"

static const char usage_text[] =
    "usage: btcstream stream [--stream-dir Data/stream] [--data-dir DIR | --history FILE]\n"
    "                        [--trigger 1s] [--max-files-per-trigger N] [--until-idle]\n"
    "                        [--duration D] [--poll] [--quiet] [--retain 7d]\n"
    "                        [--retain-files 100000] [--bus URLS [--consumer btcstream]]\n\n"
    "Processes new stream files in micro-batches: each batch is appended to the history and\n"
    "committed in STREAM_DIR/_checkpoint.log exactly once, whatever crash comes. Files move to\n"
    "_processed/ once committed; unreadable ones to _quarantine/ with a NAME.reason file.\n\n"
    "Markets (docs/markets.md): each market folder STREAM_DIR/SOURCE/SYMBOL goes into that\n"
    "market's history DATA_DIR/markets/SOURCE/SYMBOL/history.json, with its own checkpoint log;\n"
    "files directly in STREAM_DIR go to DATA_DIR/bitcoin_combined.json. A file holding lines of\n"
    "another market is quarantined whole. New market folders are picked up as they appear.\n\n"
    "Options:\n"
    "  --data-dir DIR              where the histories are (default: STREAM_DIR's parent, Data)\n"
    "  --history FILE              process STREAM_DIR alone (one folder, no market folders) into\n"
    "                              FILE, as before markets\n"
    "  --trigger D                 time between batches (default 1s; 0: as files arrive)\n"
    "  --max-files-per-trigger N   at most N files a batch (default: all waiting, up to 10000)\n"
    "  --until-idle                process what is there, then exit\n"
    "  --duration D                stop after D (default: until SIGINT or SIGTERM)\n"
    "  --poll                      poll the directory instead of using inotify\n"
    "  --quiet                     print only the batch lines, not the rows and live views\n"
    "  --retain D                  remove files from _processed/ once older than D (default 7d;\n"
    "                              0: keep them); recovery never needs them\n"
    "  --retain-files N            and keep at most the newest N there (default 100000; 0: no cap)\n"
    "  --bus URLS                  consume from NATS JetStream (nats://HOST:PORT[,...]) instead of\n"
    "                              the stream directory, which then holds the checkpoint log and\n"
    "                              the dead letters; a message is acknowledged only once its batch\n"
    "                              is committed (docs/scale-out.md)\n"
    "  --consumer NAME             the durable consumer, shared by processors that name it\n"
    "                              (default btcstream); --bus-stream, --subject-prefix as for ingest\n"
    "  --ack-wait D                how long a crashed processor's messages wait before another\n"
    "                              gets them (default 30s; set when the consumer is created)\n\n"
    "SIGINT and SIGTERM finish the batch in hand, commit it and exit 0.\n";

/* A stream that waits in silence looks hung: say what it waits for, and how to stop it. */
static void say_what_it_waits_for(const bs_stream_options *o, const char *bus) {
    if (bus) {
        fprintf(stderr, "btcstream stream: %s the bus %s, committing each batch to %s%s\n",
                o->until_idle ? "draining" : "waiting for messages on", bus, o->history,
                o->until_idle ? "" : "; Ctrl-C stops");
        return;
    }
    const char *into = o->data_dir ? "the histories of its markets in " : "";
    const char *target = o->data_dir ? o->data_dir : o->history;
    if (o->until_idle) {
        fprintf(stderr, "btcstream stream: committing the files waiting in %s to %s%s\n",
                o->stream_dir, into, target);
        return;
    }
    char limit[64] = "";
    if (o->duration_us > 0)
        snprintf(limit, sizeof limit, " for %.3g s", (double)o->duration_us / 1e6);
    fprintf(stderr,
            "btcstream stream: waiting for new stream files in %s (ohlc_*.json, from 'btcstream "
            "ingest')%s, committing each batch to %s%s; Ctrl-C stops\n",
            o->stream_dir, limit, into, target);
}

int cmd_stream(int argc, char **argv) {
    static const struct option options[] = {{"stream-dir", required_argument, 0, 'd'},
                                            {"history", required_argument, 0, 'H'},
                                            {"data-dir", required_argument, 0, 'a'},
                                            {"trigger", required_argument, 0, 't'},
                                            {"max-files-per-trigger", required_argument, 0, 'm'},
                                            {"until-idle", no_argument, 0, 'u'},
                                            {"duration", required_argument, 0, 'D'},
                                            {"poll", no_argument, 0, 'p'},
                                            {"quiet", no_argument, 0, 'q'},
                                            {"retain", required_argument, 0, 'r'},
                                            {"retain-files", required_argument, 0, 'R'},
                                            {"bus", required_argument, 0, 'b'},
                                            {"consumer", required_argument, 0, 'c'},
                                            {"ack-wait", required_argument, 0, 'A'},
                                            {"bus-stream", required_argument, 0, 'n'},
                                            {"subject-prefix", required_argument, 0, 'P'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    static atomic_int stop;
    bs_stream_options o = bs_stream_defaults();
    stream_render how = {0, 20};
    bs_bus_options bus = bs_bus_defaults();
    const char *consumer = "btcstream";
    int c, rc = CLI_OK, history_given = 0;
    const char *data_dir = NULL;
    char parent[4096];
    opterr = 0;
    while (rc == CLI_OK && (c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'd': o.stream_dir = optarg; break;
        case 'H': o.history = optarg, history_given = 1; break;
        case 'a': data_dir = optarg; break;
        case 't': rc = cli_parse_duration(argv[0], "--trigger", optarg, 1, &o.trigger_us); break;
        case 'm': {
            char *end;
            unsigned long long n = strtoull(optarg, &end, 10);
            if (*end || n < 1 || optarg[0] == '-')
                return cli_usage_error(argv[0],
                                       "--max-files-per-trigger must be a positive whole number");
            o.max_files_per_trigger = (size_t)n;
            break;
        }
        case 'r': rc = cli_parse_duration(argv[0], "--retain", optarg, 1, &o.retain_us); break;
        case 'b': bus.urls = optarg; break;
        case 'c': consumer = optarg; break;
        case 'A':
            rc = cli_parse_duration(argv[0], "--ack-wait", optarg, 0, &bus.ack_wait_us);
            break;
        case 'n': bus.stream = optarg; break;
        case 'P': bus.subject_prefix = optarg; break;
        case 'R': {
            char *end;
            unsigned long long n = strtoull(optarg, &end, 10);
            if (*end || optarg[0] == '-' || !optarg[0])
                return cli_usage_error(argv[0], "--retain-files must be a whole number");
            o.retain_files = (size_t)n;
            break;
        }
        case 'u': o.until_idle = 1; break;
        case 'D': rc = cli_parse_duration(argv[0], "--duration", optarg, 0, &o.duration_us); break;
        case 'p': o.poll = 1; break;
        case 'q': how.quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return CLI_OK;
        default: return cli_option_error(argv[0], c, argv);
        }
    }
    if (rc != CLI_OK) return rc;
    if (optind < argc) return cli_usage_error(argv[0], "unexpected argument");
    if (history_given && data_dir)
        return cli_usage_error(argv[0], "--history and --data-dir exclude each other");
    /* Without --history, the stream root's market folders into the data folder's markets; the
     * bus feeds one history, so it keeps the one-folder processor. */
    if (!history_given && !bus.urls) {
        if (!data_dir) {
            char root[4096];
            size_t n = (size_t)snprintf(root, sizeof root, "%s", o.stream_dir);
            while (n > 1 && n < sizeof root && root[n - 1] == '/') root[--n] = '\0';
            bs_path_dir(root, parent, sizeof parent);
            data_dir = parent;
        }
        o.data_dir = data_dir;
    }
    cli_stop_on_signals(&stop);
    o.stop = &stop;
    o.on_batch = stream_render_batch;
    o.on_notice = stream_render_notice;
    o.ctx = &how;
    bs_stream_totals totals;
    bs_error err = {{0}};
    if (bus.urls && bs_bus_consumer_open(&bus, consumer, &o.bus, &err) != BS_OK)
        return cli_fail(argv[0], &err);
    say_what_it_waits_for(&o, bus.urls);
    bs_status st = bs_stream_run(&o, &totals, &err);
    bs_bus_consumer_close(o.bus);
    if (st != BS_OK) return cli_fail(argv[0], &err);
    fprintf(stderr,
            "btcstream stream: %llu batch%s, %llu row%s, %llu file%s (%llu quarantined), "
            "%llu late, %llu duplicate%s skipped, %llu old processed file%s removed\n",
            (unsigned long long)totals.batches, totals.batches == 1 ? "" : "es",
            (unsigned long long)totals.rows, totals.rows == 1 ? "" : "s",
            (unsigned long long)totals.files, totals.files == 1 ? "" : "s",
            (unsigned long long)totals.quarantined, (unsigned long long)totals.late,
            (unsigned long long)totals.duplicates, totals.duplicates == 1 ? "" : "s",
            (unsigned long long)totals.pruned, totals.pruned == 1 ? "" : "s");
    if (o.bus)
        fprintf(stderr, "btcstream stream: %llu bus message%s delivered again after their commit\n",
                (unsigned long long)totals.redelivered, totals.redelivered == 1 ? "" : "s");
    return CLI_OK;
}
