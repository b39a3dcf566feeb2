/*
 * checkpoint.c - the stream's commit log and its crash recovery; the protocol and the argument
 * for its safety are in checkpoint.h. The log is compacted (rewritten to its last commit line,
 * atomically) once it passes a megabyte, so recovery reads little whatever the stream's age:
 * replaying a full log is a few thousand stat() calls.
 */
#include "btcstream/checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btcstream/fsutil.h"
#include "btcstream/history.h"

#define COMPACT_BYTES (1 << 20)

static bs_status read_whole(const char *path, char **out, size_t *len, bs_error *err) {
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? BS_OK : bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    struct stat sb;
    char *buf = fstat(fileno(f), &sb) == 0 ? malloc((size_t)sb.st_size + 1) : NULL;
    size_t n = buf ? fread(buf, 1, (size_t)sb.st_size, f) : 0;
    int failed = !buf || ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return bs_fail(err, BS_ERR_IO, "%s: cannot read the checkpoint log", path);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return BS_OK;
}

static bs_status append_line(const bs_checkpoint *cp, const char *line, size_t len, bs_error *err) {
    int fd = open(cp->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return bs_fail(err, BS_ERR_IO, "%s: %s", cp->log_path, strerror(errno));
    ssize_t w = write(fd, line, len);
    int ok = w == (ssize_t)len && fsync(fd) == 0;
    int e = errno;
    close(fd);
    if (!ok) return bs_fail(err, BS_ERR_IO, "%s: cannot append: %s", cp->log_path, strerror(e));
    return BS_OK;
}

static int64_t mtime_ns(const struct stat *sb) {
    return (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
}

bs_status bs_checkpoint_identify(const bs_checkpoint *cp, bs_checkpoint_file *f, bs_error *err) {
    char path[8192];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", cp->stream_dir, f->name);
    if (stat(path, &sb) != 0) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    f->ino = (uint64_t)sb.st_ino;
    f->mtime_ns = mtime_ns(&sb);
    f->size = (int64_t)sb.st_size;
    return BS_OK;
}

/* rename() that never replaces `to`; EEXIST when it exists. */
static int rename_noreplace(const char *from, const char *to) {
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return -1;
    /* No RENAME_NOREPLACE on this file system: check, then rename. Only this process moves
     * files into these folders, so nothing can slip in between. */
    if (access(to, F_OK) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(from, to);
}

#define CHANGED_REASON                                                                            \
    "%s: written to after it was read and committed; lines added since were not taken (write "  \
    "stream files under a name starting with '.' and rename them into place)\n"

static bs_status move_one(const bs_checkpoint *cp, const bs_checkpoint_file *f, bs_error *err) {
    char from[8192], to[8300];
    snprintf(from, sizeof from, "%s/%s", cp->stream_dir, f->name);
    struct stat sb;
    if (stat(from, &sb) != 0) return BS_OK; /* moved already */
    /* A file that reuses the name of a committed one is new data: it waits for its own batch. */
    if (f->ino != 0 && (uint64_t)sb.st_ino != f->ino) return BS_OK;
    int changed = f->ino != 0 && mtime_ns(&sb) != f->mtime_ns;
    const char *sub = f->quarantine || changed ? "_quarantine" : "_processed";
    if (changed) {
        char dir[8300], name[4200], reason[4400];
        snprintf(dir, sizeof dir, "%s/_quarantine", cp->stream_dir);
        snprintf(name, sizeof name, "%s.reason", f->name);
        int n = snprintf(reason, sizeof reason, CHANGED_REASON, f->name);
        bs_status st = bs_write_file_atomic(dir, name, reason, (size_t)n, 0, 0, err);
        if (st != BS_OK) return st;
    }
    snprintf(to, sizeof to, "%s/%s/%s", cp->stream_dir, sub, f->name);
    int rc = rename_noreplace(from, to);
    if (rc != 0 && errno == EEXIST) { /* an older namesake was processed before: keep both */
        snprintf(to, sizeof to, "%s/%s/%s.%llu", cp->stream_dir, sub, f->name,
                 (unsigned long long)sb.st_ino);
        rc = rename(from, to);
    }
    if (rc != 0 && errno != ENOENT)
        return bs_fail(err, BS_ERR_IO, "%s: cannot move to %s: %s", from, to, strerror(errno));
    return BS_OK;
}

bs_status bs_checkpoint_move_files(const bs_checkpoint *cp, const bs_checkpoint_file *files,
                                   size_t count, bs_error *err) {
    for (size_t i = 0; i < count; i++) {
        bs_status st = move_one(cp, &files[i], err);
        if (st != BS_OK) return st;
    }
    return BS_OK;
}

/* Parses one file of a commit line: "P:INO:MTIME:NAME", "Q:...", or the older "p:NAME". */
static int parse_file_token(char *tok, bs_checkpoint_file *f) {
    memset(f, 0, sizeof *f);
    if (strlen(tok) < 3 || tok[1] != ':' || !strchr("pPqQ", tok[0])) return 0;
    f->quarantine = tok[0] == 'q' || tok[0] == 'Q';
    f->name = tok + 2;
    if (tok[0] == 'p' || tok[0] == 'q') return 1;
    unsigned long long ino;
    long long mtime;
    int used = 0;
    if (sscanf(tok + 2, "%llu:%lld:%n", &ino, &mtime, &used) != 2 || used == 0 || !tok[2 + used])
        return 0;
    f->ino = ino;
    f->mtime_ns = mtime;
    f->name = tok + 2 + used;
    return 1;
}

/* Moves the files named in a commit line ("commit N S R P:... Q:...", modified in place). */
static bs_status finish_commit_line(const bs_checkpoint *cp, char *line, bs_error *err) {
    char *save = NULL, *tok = strtok_r(line, " ", &save);
    for (int field = 0; tok; tok = strtok_r(NULL, " ", &save), field++) {
        bs_checkpoint_file f;
        if (field < 4 || !parse_file_token(tok, &f)) continue;
        bs_status st = move_one(cp, &f, err);
        if (st != BS_OK) return st;
    }
    return BS_OK;
}

/* Cuts the log (ours alone, under the folder's lock) back to size, synced. */
static bs_status cut_log(const bs_checkpoint *cp, int64_t size, bs_error *err) {
    int fd = open(cp->log_path, O_WRONLY | O_CLOEXEC);
    bs_status st = BS_OK;
    if (fd < 0 || ftruncate(fd, size) != 0 || fsync(fd) != 0)
        st = bs_fail(err, BS_ERR_IO, "%s: cannot cut back to %lld bytes: %s", cp->log_path,
                     (long long)size, strerror(errno));
    if (fd >= 0) close(fd);
    return st;
}

static bs_status file_size(const char *path, int64_t *size, bs_error *err) {
    struct stat sb;
    *size = 0;
    if (stat(path, &sb) == 0) *size = (int64_t)sb.st_size;
    else if (errno != ENOENT) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    return BS_OK;
}

/*
 * Finishes the moves of every commit line in the first `len` bytes of text (whose lines recover()
 * has already cut at their newlines). Identities make this safe for files long gone or replaced.
 */
static bs_status replay_commits(const bs_checkpoint *cp, char *text, size_t len, bs_error *err) {
    for (char *line = text; line < text + len; line += strlen(line) + 1) {
        if (strncmp(line, "commit ", 7) != 0) continue;
        bs_status st = finish_commit_line(cp, line, err);
        if (st != BS_OK) return st;
    }
    return BS_OK;
}

/* Parses "begin N S" exactly (nothing after it): 0 when the line is not that. */
static int parse_begin(const char *line, unsigned long long *batch, long long *before) {
    int used = 0;
    return sscanf(line, "begin %llu %lld%n", batch, before, &used) == 2 && line[used] == '\0' &&
           *before >= 0;
}

/* Parses the "commit N S R" head of a commit line: 0 when it is not that. */
static int parse_commit(const char *line, unsigned long long *batch, long long *size) {
    unsigned long long rows;
    int used = 0;
    return sscanf(line, "commit %llu %lld %llu%n", batch, size, &rows, &used) == 3 &&
           (line[used] == '\0' || line[used] == ' ') && *size >= 0;
}

static bs_status unreadable(const bs_checkpoint *cp, const char *line, bs_error *err) {
    return bs_fail(err, BS_ERR_FORMAT, "%s: unreadable line \"%.60s\" (the log is damaged)",
                   cp->log_path, line);
}

/*
 * Cuts the history back to where the interrupted batch began. The begin line is the only record
 * of that size, so it is dropped (by the caller) only after this cut is durable: a crash in
 * between finds the same begin line and a history already cut, and cuts nothing more. A healthy
 * log has at most one begin after its last commit; a damaged one may have several, and then the
 * cut is to the earliest, after every one of them has been checked. A begin below the last
 * commit's size can only come from a damaged log, and cutting there would take committed rows:
 * it is refused, and nothing is changed.
 */
static bs_status cut_interrupted(bs_checkpoint *cp, char *first, const char *end,
                                 const char *history, int64_t *history_size, bs_error *err) {
    long long cut_to = -1;
    for (char *line = first; line < end; line += strlen(line) + 1) {
        unsigned long long batch;
        long long before;
        if (strncmp(line, "begin ", 6) != 0) continue; /* damage between begins: dropped too */
        if (!parse_begin(line, &batch, &before)) return unreadable(cp, line, err);
        if (before < cp->history_size)
            return bs_fail(err, BS_ERR_FORMAT,
                           "%s: batch %llu began at byte %lld, before the last commit's %lld (the "
                           "log is damaged; nothing was cut)",
                           cp->log_path, batch, before, (long long)cp->history_size);
        if (cut_to < 0 || before < cut_to) cut_to = before;
        if (cp->interrupted_batch == 0) cp->interrupted_batch = batch;
    }
    if (cut_to < 0 || *history_size <= cut_to) return BS_OK;
    bs_status st = bs_history_cut(history, cut_to, err);
    if (st != BS_OK) return st;
    cp->cut_bytes = *history_size - cut_to;
    *history_size = cut_to;
    return BS_OK;
}

/* Applies the recovery rules to the log text; `text` is modified. */
static bs_status recover(bs_checkpoint *cp, char *text, size_t len, const char *history,
                         bs_error *err) {
    size_t complete = len;
    while (complete > 0 && text[complete - 1] != '\n') complete--; /* torn tail */
    char *last_commit = NULL, *pending_begin = NULL;
    for (char *line = text; line < text + complete;) {
        char *nl = memchr(line, '\n', (size_t)(text + complete - line));
        *nl = '\0';
        if (strncmp(line, "commit ", 7) == 0) {
            last_commit = line;
            pending_begin = NULL;
        } else if (strncmp(line, "begin ", 6) == 0 && !pending_begin) {
            pending_begin = line; /* the first begin after the last commit */
        }
        line = nl + 1;
    }
    /* Everything is checked before anything is changed, so a damaged log is refused as it is. */
    if (last_commit) {
        unsigned long long batch;
        long long size;
        if (!parse_commit(last_commit, &batch, &size)) return unreadable(cp, last_commit, err);
        cp->last_batch = batch;
        cp->history_size = size;
        const char *position = strstr(last_commit, " J:");
        if (position) sscanf(position, " J:%" SCNu64, &cp->bus_seq);
    }
    int64_t history_size;
    bs_status st = file_size(history, &history_size, err);
    if (st == BS_OK && pending_begin)
        st = cut_interrupted(cp, pending_begin, text + complete, history, &history_size, err);
    size_t keep = pending_begin ? (size_t)(pending_begin - text) : complete;
    if (st == BS_OK && keep != len) st = cut_log(cp, (int64_t)keep, err);
    if (st != BS_OK || !last_commit) return st;
    if (history_size < cp->history_size)
        return bs_fail(err, BS_ERR_FORMAT,
                       "%s is %" PRId64
                       " bytes but batch %llu committed %lld: the history lost data "
                       "(restore it, or remove %s to start a new stream)",
                       history, history_size, (unsigned long long)cp->last_batch,
                       (long long)cp->history_size, cp->log_path);
    return replay_commits(cp, text, keep, err);
}

/* Creates an empty log and makes its name durable: a log lost in a crash would let the files
 * of its commits be read again. */
static bs_status create_log(const bs_checkpoint *cp, bs_error *err) {
    int fd = open(cp->log_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        return bs_fail(err, BS_ERR_IO, "%s: cannot create: %s", cp->log_path, strerror(e));
    }
    close(fd);
    return bs_sync_dir(cp->stream_dir, err);
}

/*
 * One stream processor per stream folder: two would read the same files and append them twice.
 * The lock is an flock on STREAM_DIR/_checkpoint.lock (not on the log, which compaction
 * replaces), so the kernel releases it whenever the holder dies, kill -9 included.
 */
static bs_status take_folder_lock(bs_checkpoint *cp, bs_error *err) {
    char path[8300];
    snprintf(path, sizeof path, "%s/_checkpoint.lock", cp->stream_dir);
    cp->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (cp->lock_fd < 0) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    if (flock(cp->lock_fd, LOCK_EX | LOCK_NB) == 0) return BS_OK;
    int busy = errno == EWOULDBLOCK;
    int e = errno;
    close(cp->lock_fd);
    cp->lock_fd = -1;
    if (busy)
        return bs_fail(err, BS_ERR_CONFIG, "%s: another stream processor is working on this folder",
                       cp->stream_dir);
    return bs_fail(err, BS_ERR_IO, "%s: cannot lock: %s", path, strerror(e));
}

bs_status bs_checkpoint_open(bs_checkpoint *cp, const char *stream_dir, const char *history_path,
                             bs_error *err) {
    memset(cp, 0, sizeof *cp);
    cp->lock_fd = -1;
    snprintf(cp->stream_dir, sizeof cp->stream_dir, "%s", stream_dir);
    if (snprintf(cp->log_path, sizeof cp->log_path, "%s/_checkpoint.log", stream_dir) >=
        (int)sizeof cp->log_path)
        return bs_fail(err, BS_ERR_ARG, "stream directory path too long");
    char sub[8192];
    const char *subdirs[] = {"_processed", "_quarantine"};
    for (int i = 0; i < 2; i++) {
        snprintf(sub, sizeof sub, "%s/%s", stream_dir, subdirs[i]);
        bs_status st = bs_mkdirs(sub, err);
        if (st != BS_OK) return st;
    }
    if (!realpath(stream_dir, cp->owner))
        return bs_fail(err, BS_ERR_IO, "%s: %s", stream_dir, strerror(errno));
    bs_status st = take_folder_lock(cp, err);
    if (st != BS_OK) return st;
    char *text;
    size_t len;
    st = read_whole(cp->log_path, &text, &len, err);
    if (st == BS_OK && text) st = recover(cp, text, len, history_path, err);
    else if (st == BS_OK) st = create_log(cp, err);
    free(text);
    if (st != BS_OK) bs_checkpoint_close(cp);
    return st;
}

void bs_checkpoint_close(bs_checkpoint *cp) {
    if (cp && cp->lock_fd >= 0) close(cp->lock_fd);
    if (cp) cp->lock_fd = -1;
}

bs_status bs_checkpoint_begin(bs_checkpoint *cp, uint64_t batch, int64_t history_size,
                              bs_error *err) {
    char line[96];
    int n = snprintf(line, sizeof line, "begin %llu %lld\n", (unsigned long long)batch,
                     (long long)history_size);
    return append_line(cp, line, (size_t)n, err);
}

/*
 * Rewrites the log as its last commit line alone, atomically. The lines dropped are the only
 * record of their files' moves, so those moves are made durable first (checkpoint.h).
 */
static bs_status compact(bs_checkpoint *cp, const char *line, size_t len, bs_error *err) {
    char sub[8300];
    bs_status st = BS_OK;
    const char *subdirs[] = {"_processed", "_quarantine"};
    for (int i = 0; i < 2 && st == BS_OK; i++) {
        snprintf(sub, sizeof sub, "%s/%s", cp->stream_dir, subdirs[i]);
        st = bs_sync_dir(sub, err);
    }
    if (st == BS_OK) st = bs_sync_dir(cp->stream_dir, err);
    if (st != BS_OK) return st;
    const char *slash = strrchr(cp->log_path, '/');
    st = bs_write_file_atomic(cp->stream_dir, slash ? slash + 1 : cp->log_path, line, len, 1, 0,
                              err);
    return st == BS_OK ? bs_sync_dir(cp->stream_dir, err) : st;
}

bs_status bs_checkpoint_commit(bs_checkpoint *cp, uint64_t batch, int64_t history_size,
                               uint64_t rows, const bs_checkpoint_file *files, size_t count,
                               bs_error *err) {
    return bs_checkpoint_commit_at(cp, batch, history_size, rows, files, count, NULL, err);
}

bs_status bs_checkpoint_commit_at(bs_checkpoint *cp, uint64_t batch, int64_t history_size,
                                  uint64_t rows, const bs_checkpoint_file *files, size_t count,
                                  const char *position, bs_error *err) {
    size_t cap = 128 + count * 48 + (position ? strlen(position) + 2 : 0);
    for (size_t i = 0; i < count; i++) cap += strlen(files[i].name);
    char *line = malloc(cap);
    if (!line) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    size_t n = (size_t)snprintf(line, cap, "commit %llu %lld %llu", (unsigned long long)batch,
                                (long long)history_size, (unsigned long long)rows);
    for (size_t i = 0; i < count; i++)
        n += (size_t)snprintf(line + n, cap - n, " %c:%llu:%lld:%s",
                              files[i].quarantine ? 'Q' : 'P', (unsigned long long)files[i].ino,
                              (long long)files[i].mtime_ns, files[i].name);
    if (position) n += (size_t)snprintf(line + n, cap - n, " %s", position);
    line[n++] = '\n';
    int64_t log_size;
    bs_status st = file_size(cp->log_path, &log_size, err);
    if (st == BS_OK)
        st = log_size > COMPACT_BYTES ? compact(cp, line, n, err) : append_line(cp, line, n, err);
    free(line);
    if (st == BS_OK) {
        cp->last_batch = batch;
        cp->history_size = history_size;
        if (position) sscanf(position, "J:%" SCNu64, &cp->bus_seq);
    }
    return st;
}
