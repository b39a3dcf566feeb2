/*
 * aggregate_file.c - a price file into an accumulator, on several cores.
 *
 * The file is cut into byte ranges, one per thread; reader.c guarantees each line belongs to
 * exactly one range. Each thread fills its own accumulator, and they are merged in range order,
 * which keeps "first" and "last" tie-breaks the same as one sequential pass. Bad-line numbers,
 * counted from each range's start, are shifted by the lines of the ranges before it.
 */
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btcstream/aggregate.h"

#define MAX_THREADS 16
#define MIN_BYTES_PER_THREAD (8 << 20) /* below this, a thread costs more than it saves */

typedef struct {
    const char *path;
    bs_scan_options scan;
    bs_aggregate *agg;
    bs_scan_stats stats;
    bs_status status;
    bs_error err;
} range_job;

static int add_tick(void *ctx, const bs_tick *tick) {
    range_job *job = ctx;
    if (bs_aggregate_add(job->agg, tick) == BS_OK) return 0;
    job->status = bs_fail(&job->err, BS_ERR_NOMEM, "%s: out of memory aggregating", job->path);
    return 1;
}

static void *run_job(void *arg) {
    range_job *job = arg;
    bs_status st = bs_scan_file(job->path, &job->scan, add_tick, job, &job->stats, &job->err);
    if (job->status == BS_OK) job->status = st;
    return NULL;
}

static int choose_threads(int requested, int64_t size, int strict) {
    if (strict) return 1;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int n = requested > 0 ? requested : (cores > 0 ? (int)cores : 1);
    if (n > MAX_THREADS) n = MAX_THREADS;
    int64_t by_size = size / MIN_BYTES_PER_THREAD;
    if (by_size < n) n = by_size > 0 ? (int)by_size : 1;
    return n;
}

/* Merges job i's stats into the total, renumbering its bad lines past the earlier ranges. */
static void merge_stats(bs_scan_stats *total, const bs_scan_stats *part) {
    for (size_t i = 0; i < part->kept && total->kept < BS_SCAN_KEEP_BAD; i++) {
        total->bad_lines[total->kept] = part->bad_lines[i];
        total->bad_lines[total->kept++].line_no += total->lines;
    }
    total->lines += part->lines;
    total->ticks += part->ticks;
    total->bad += part->bad;
    if (part->format != BS_FORMAT_AUTO) total->format = part->format;
}

static bs_status start_jobs(range_job *jobs, int n, const char *path,
                            const bs_aggregate_options *opts, const bs_scan_options *scan,
                            int64_t size, bs_error *err) {
    for (int i = 0; i < n; i++) {
        jobs[i].path = path;
        jobs[i].scan = scan ? *scan : (bs_scan_options){0};
        jobs[i].scan.range_start = size * i / n;
        jobs[i].scan.range_end = size * (i + 1) / n;
        bs_status st = bs_aggregate_new(opts, &jobs[i].agg, err);
        if (st != BS_OK) return st;
    }
    return BS_OK;
}

bs_status bs_aggregate_file(const char *path, const bs_aggregate_options *opts,
                            const bs_scan_options *scan, int threads, bs_aggregate **out,
                            bs_scan_stats *stats, bs_error *err) {
    struct stat sb;
    if (stat(path, &sb) != 0) return bs_scan_file(path, scan, NULL, NULL, stats, err);
    int n = choose_threads(threads, (int64_t)sb.st_size, scan && scan->strict);
    range_job jobs[MAX_THREADS];
    pthread_t tids[MAX_THREADS];
    memset(jobs, 0, sizeof jobs);
    bs_status st = start_jobs(jobs, n, path, opts, scan, (int64_t)sb.st_size, err);
    int started = 0;
    for (; st == BS_OK && started < n; started++) {
        if (n == 1) run_job(&jobs[0]);
        else if (pthread_create(&tids[started], NULL, run_job, &jobs[started]) != 0) {
            st = bs_fail(err, BS_ERR_NOMEM, "cannot start a scan thread");
            break;
        }
    }
    for (int i = 0; i < started && n > 1; i++) pthread_join(tids[i], NULL);

    bs_scan_stats total;
    memset(&total, 0, sizeof total);
    for (int i = 0; st == BS_OK && i < n; i++) {
        if (jobs[i].status != BS_OK) {
            st = jobs[i].status;
            if (err) *err = jobs[i].err;
            break;
        }
        merge_stats(&total, &jobs[i].stats);
        if (i > 0 && bs_aggregate_merge(jobs[0].agg, jobs[i].agg) != BS_OK)
            st = bs_fail(err, BS_ERR_NOMEM, "%s: out of memory merging", path);
    }
    if (stats) *stats = total;
    for (int i = st == BS_OK ? 1 : 0; i < n; i++) bs_aggregate_free(jobs[i].agg);
    if (st == BS_OK) *out = jobs[0].agg;
    return st;
}
