/*
 * lazy_zip.c - libzip, loaded the first time archive.c uses it (as lazy_libs.c does for libcurl
 * and XGBoost).
 *
 * Linked, libzip and the OpenSSL libcrypto it depends on cost every btcstream process ~3 ms of
 * loading and OpenSSL start-up, though only the ZIP step uses them. Each function archive.c
 * calls is defined here under its own name and forwards to the real one. Without libzip every
 * call fails the way libzip reports failure (NULL or -1), and zip_error_strerror says why.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>
#include <zip.h>

#include "lazy_bind.h"

static struct {
    void *lib;
    __typeof__(zip_close) *close;
    __typeof__(zip_discard) *discard;
    __typeof__(zip_error_fini) *error_fini;
    __typeof__(zip_error_init) *error_init;
    __typeof__(zip_error_strerror) *error_strerror;
    __typeof__(zip_file_add) *file_add;
    __typeof__(zip_open_from_source) *open_from_source;
    __typeof__(zip_set_file_compression) *set_file_compression;
    __typeof__(zip_source_buffer_create) *source_buffer_create;
    __typeof__(zip_source_close) *source_close;
    __typeof__(zip_source_file) *source_file;
    __typeof__(zip_source_free) *source_free;
    __typeof__(zip_source_keep) *source_keep;
    __typeof__(zip_source_open) *source_open;
    __typeof__(zip_source_read) *source_read;
    __typeof__(zip_source_stat) *source_stat;
    __typeof__(zip_stat_init) *stat_init;
    __typeof__(zip_strerror) *strerror;
} zl;

static pthread_once_t zip_once = PTHREAD_ONCE_INIT;

static void load_zip(void) {
    void *lib = dlopen("libzip.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return;
    int absent = 0;
#define BIND(field, name) LAZY_BIND(absent, lib, zl.field, name)
    BIND(close, "zip_close");
    BIND(discard, "zip_discard");
    BIND(error_fini, "zip_error_fini");
    BIND(error_init, "zip_error_init");
    BIND(error_strerror, "zip_error_strerror");
    BIND(file_add, "zip_file_add");
    BIND(open_from_source, "zip_open_from_source");
    BIND(set_file_compression, "zip_set_file_compression");
    BIND(source_buffer_create, "zip_source_buffer_create");
    BIND(source_close, "zip_source_close");
    BIND(source_file, "zip_source_file");
    BIND(source_free, "zip_source_free");
    BIND(source_keep, "zip_source_keep");
    BIND(source_open, "zip_source_open");
    BIND(source_read, "zip_source_read");
    BIND(source_stat, "zip_source_stat");
    BIND(stat_init, "zip_stat_init");
    BIND(strerror, "zip_strerror");
#undef BIND
    if (absent == 0) zl.lib = lib;
}

static int have_zip(void) {
    pthread_once(&zip_once, load_zip);
    return zl.lib != NULL;
}

static const char missing[] = "libzip (libzip.so.4) is not installed";

int zip_close(zip_t *z) { return have_zip() ? zl.close(z) : -1; }
void zip_discard(zip_t *z) {
    if (have_zip()) zl.discard(z);
}
void zip_error_fini(zip_error_t *e) {
    if (have_zip()) zl.error_fini(e);
}
/* Without libzip the error still starts out zeroed, as zip_error_init leaves it. */
void zip_error_init(zip_error_t *e) {
    if (have_zip()) zl.error_init(e);
    else memset(e, 0, sizeof *e);
}
const char *zip_error_strerror(zip_error_t *e) {
    return have_zip() ? zl.error_strerror(e) : missing;
}
zip_int64_t zip_file_add(zip_t *z, const char *name, zip_source_t *src, zip_flags_t flags) {
    return have_zip() ? zl.file_add(z, name, src, flags) : -1;
}
zip_t *zip_open_from_source(zip_source_t *src, int flags, zip_error_t *e) {
    return have_zip() ? zl.open_from_source(src, flags, e) : NULL;
}
int zip_set_file_compression(zip_t *z, zip_uint64_t index, zip_int32_t method, zip_uint32_t flags) {
    return have_zip() ? zl.set_file_compression(z, index, method, flags) : -1;
}
zip_source_t *zip_source_buffer_create(const void *data, zip_uint64_t len, int freep,
                                       zip_error_t *e) {
    return have_zip() ? zl.source_buffer_create(data, len, freep, e) : NULL;
}
int zip_source_close(zip_source_t *src) { return have_zip() ? zl.source_close(src) : -1; }
zip_source_t *zip_source_file(zip_t *z, const char *path, zip_uint64_t start, zip_int64_t len) {
    return have_zip() ? zl.source_file(z, path, start, len) : NULL;
}
void zip_source_free(zip_source_t *src) {
    if (have_zip()) zl.source_free(src);
}
void zip_source_keep(zip_source_t *src) {
    if (have_zip()) zl.source_keep(src);
}
int zip_source_open(zip_source_t *src) { return have_zip() ? zl.source_open(src) : -1; }
zip_int64_t zip_source_read(zip_source_t *src, void *data, zip_uint64_t len) {
    return have_zip() ? zl.source_read(src, data, len) : -1;
}
int zip_source_stat(zip_source_t *src, zip_stat_t *st) {
    return have_zip() ? zl.source_stat(src, st) : -1;
}
void zip_stat_init(zip_stat_t *st) {
    if (have_zip()) zl.stat_init(st);
    else memset(st, 0, sizeof *st);
}
const char *zip_strerror(zip_t *z) { return have_zip() ? zl.strerror(z) : missing; }
