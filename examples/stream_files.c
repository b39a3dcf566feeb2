/*
 * stream_files.c - source.h, producer.h, ingest.h and stream.h: the streaming half of the
 * pipeline from your own program, as `btcstream ingest` then `btcstream stream --until-idle`.
 * Replays a price file into DIR/stream (one atomic file a tick), then runs the stream processor
 * until no file is waiting: each micro-batch is appended to DIR/history.json and committed
 * exactly once in DIR/stream/_checkpoint.log. Prints each batch and the totals.
 *
 *   python3 docs/make_ticks.py --minutes 90 > ticks.csv
 *   ./build/example_stream_files ticks.csv out
 */
#include <stdio.h>

#include <btcstream/ingest.h>
#include <btcstream/source.h>
#include <btcstream/stream.h>

static int on_batch(void *ctx, const bs_batch_report *r) {
    (void)ctx;
    printf("batch %llu: %zu rows from %zu files\n", (unsigned long long)r->batch, r->rows,
           r->files);
    return 0; /* go on */
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s PRICE_FILE DIR\n", argv[0]);
        return 2;
    }
    char stream_dir[4096], history[4096];
    snprintf(stream_dir, sizeof stream_dir, "%s/stream", argv[2]);
    snprintf(history, sizeof history, "%s/history.json", argv[2]);

    bs_error err = {{0}};
    bs_source *source = NULL; /* ours: bs_source_free() */
    bs_producer producer;     /* a plain struct: nothing to free */
    int rc = 1;
    if (bs_source_replay_open(argv[1], NULL, &source, &err) != BS_OK) goto fail;
    if (bs_producer_open(&producer, stream_dir, &err) != BS_OK) goto fail;
    /* Interval 0: as fast as the source gives ticks; duration 0: until the replay ends. */
    bs_ingest_options ingest = {.source = source, .producer = &producer};
    bs_ingest_totals produced;
    if (bs_ingest_run(&ingest, &produced, &err) != BS_OK) goto fail;
    printf("produced %llu stream files\n", (unsigned long long)produced.ticks);

    bs_stream_options stream = bs_stream_defaults();
    stream.stream_dir = stream_dir;
    stream.history = history;
    stream.trigger_us = 0;
    stream.until_idle = 1;
    stream.on_batch = on_batch;
    bs_stream_totals totals;
    if (bs_stream_run(&stream, &totals, &err) != BS_OK) goto fail;
    printf("committed %llu rows from %llu files in %llu batches, %llu quarantined\n",
           (unsigned long long)totals.rows, (unsigned long long)totals.files,
           (unsigned long long)totals.batches, (unsigned long long)totals.quarantined);
    rc = 0;
fail:
    if (rc) fprintf(stderr, "%s\n", err.msg);
    bs_source_free(source);
    return rc;
}
