/* pipeline.c - see pipeline.h. */
#include "btcstream/pipeline.h"

#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btcstream/timeutil.h"

typedef struct {
    bs_pipeline_options *opts;
    bs_ingest_totals totals;
    bs_status status;
    bs_error err;
    atomic_int done; /* the stream's stop flag while the producer runs */
    atomic_int halt; /* the producer's stop flag when the caller gave none */
    int wake_fd;                /* an eventfd that tells the waiting stream `done` is set */
} ingest_job;

/* With the bus, the producer is done only once the stream holds every tick: until then the
 * stream processor's drain could find the bus idle and end before the last ticks arrive. It
 * waits through a lost quorum, as `ingest --bus` does, until stopped. */
static bs_status flush_bus(bs_ingest_options *o, bs_error *err) {
    bs_status st = BS_OK;
    while (o->bus && (st = bs_bus_publisher_flush(o->bus, 5 * BS_US_PER_SECOND, err)) != BS_OK) {
        if (o->on_notice) o->on_notice(o->ctx, err->msg);
        if (o->stop && *o->stop) break; /* told to stop: the error says how many are lost */
    }
    return st;
}

static void *run_ingest(void *arg) {
    ingest_job *job = arg;
    job->status = bs_ingest_run(&job->opts->ingest, &job->totals, &job->err);
    if (job->status == BS_OK) job->status = flush_bus(&job->opts->ingest, &job->err);
    job->done = 1;
    uint64_t one = 1;
    if (job->wake_fd >= 0 && write(job->wake_fd, &one, sizeof one) < 0) {
        /* without the wake-up the stream still sees `done` within a trigger */
    }
    return NULL;
}

bs_status bs_pipeline_stream(bs_pipeline_options *opts, bs_pipeline_totals *totals, bs_error *err) {
    memset(totals, 0, sizeof *totals);
    ingest_job job;
    memset(&job, 0, sizeof job);
    job.opts = opts;
    atomic_int *given_stop = opts->ingest.stop;
    if (!given_stop) opts->ingest.stop = &job.halt;
    job.wake_fd = eventfd(0, EFD_CLOEXEC);
    pthread_t thread;
    if (pthread_create(&thread, NULL, run_ingest, &job) != 0) {
        if (job.wake_fd >= 0) close(job.wake_fd);
        return bs_fail(err, BS_ERR_NOMEM, "cannot start the producer thread");
    }

    /* While producing, the stream stops when the producer is done (or the user stops both). */
    bs_stream_options live = opts->stream;
    live.stop = &job.done;
    live.wake_fd = job.wake_fd >= 0 ? &job.wake_fd : NULL;
    live.until_idle = 0;
    live.duration_us = 0;
    bs_stream_totals first;
    bs_status st = bs_stream_run(&live, &first, err);
    if (st != BS_OK) *opts->ingest.stop = 1; /* do not leave the producer running */
    pthread_join(thread, NULL);
    if (job.wake_fd >= 0) close(job.wake_fd);
    opts->ingest.stop = given_stop;
    totals->ingest = job.totals;
    if (job.status != BS_OK) {
        if (err) *err = job.err; /* err may be NULL, as everywhere in the library */
        return job.status;
    }
    if (st != BS_OK) return st;

    /* Stopped by the user: what is left waits in the stream directory for the next run. */
    bs_stream_options drain = opts->stream;
    drain.until_idle = 1;
    drain.duration_us = 0;
    drain.trigger_us = 0;
    bs_stream_totals rest;
    st = bs_stream_run(&drain, &rest, err);
    totals->stream = first;
    totals->stream.batches += rest.batches;
    totals->stream.rows += rest.rows;
    totals->stream.files += rest.files;
    totals->stream.quarantined += rest.quarantined;
    totals->stream.bad_lines += rest.bad_lines;
    totals->stream.late += rest.late;
    return st;
}

/* Depth first: the files of a folder go before the folder, which rmdir then finds empty. */
static int remove_if_empty(const char *path, const struct stat *st, int type, struct FTW *at) {
    (void)at;
    if (type == FTW_DP) rmdir(path); /* fails, harmlessly, on a folder that kept something */
    else if (type == FTW_F && S_ISREG(st->st_mode) && st->st_size == 0) unlink(path);
    return 0;
}

int bs_pipeline_remove_empty_tree(const char *dir) {
    nftw(dir, remove_if_empty, 16, FTW_DEPTH | FTW_PHYS);
    return access(dir, F_OK) != 0;
}
