/*
 * lazy_mhd.c - libmicrohttpd, loaded the first time the dashboard starts (as lazy_zip.c does for
 * libzip).
 *
 * Linked, libmicrohttpd brings GnuTLS and eight more libraries into every btcstream process and
 * nearly tripled the start-up of a plain `btcstream --version` (5 ms to 14 ms here), though only
 * `serve` and `run --serve` use it. Each function http.c calls is defined here under its own
 * name and forwards to the real one; without the library they fail as libmicrohttpd reports
 * failure (NULL or MHD_NO), and serve_mhd_loaded() lets the caller say why.
 */
#include <dlfcn.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>

#include "../lazy_bind.h"
#include "serve_internal.h"

static struct {
    void *lib;
    __typeof__(MHD_start_daemon_va) *start_daemon_va;
    __typeof__(MHD_stop_daemon) *stop_daemon;
    __typeof__(MHD_get_daemon_info) *get_daemon_info;
    __typeof__(MHD_get_connection_info) *get_connection_info;
    __typeof__(MHD_lookup_connection_value) *lookup_connection_value;
    __typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
    __typeof__(MHD_create_response_from_callback) *create_response_from_callback;
    __typeof__(MHD_add_response_header) *add_response_header;
    __typeof__(MHD_queue_response) *queue_response;
    __typeof__(MHD_destroy_response) *destroy_response;
} mhd;

static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;

static void load_mhd(void) {
    void *lib = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return;
    int absent = 0;
#define BIND(field, name) LAZY_BIND(absent, lib, mhd.field, name)
    BIND(start_daemon_va, "MHD_start_daemon_va");
    BIND(stop_daemon, "MHD_stop_daemon");
    BIND(get_daemon_info, "MHD_get_daemon_info");
    BIND(get_connection_info, "MHD_get_connection_info");
    BIND(lookup_connection_value, "MHD_lookup_connection_value");
    BIND(create_response_from_buffer, "MHD_create_response_from_buffer");
    BIND(create_response_from_callback, "MHD_create_response_from_callback");
    BIND(add_response_header, "MHD_add_response_header");
    BIND(queue_response, "MHD_queue_response");
    BIND(destroy_response, "MHD_destroy_response");
#undef BIND
    if (absent == 0) mhd.lib = lib;
    else dlclose(lib);
}

int serve_mhd_loaded(void) {
    pthread_once(&mhd_once, load_mhd);
    return mhd.lib != NULL;
}

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls,
                                    ...) {
    if (!serve_mhd_loaded()) return NULL;
    va_list ap;
    va_start(ap, dh_cls);
    struct MHD_Daemon *d = mhd.start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return d;
}

void MHD_stop_daemon(struct MHD_Daemon *daemon) {
    if (serve_mhd_loaded()) mhd.stop_daemon(daemon);
}

/* The two info calls below are only asked for kinds that take no further argument. */
const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *daemon,
                                                enum MHD_DaemonInfoType info_type, ...) {
    return serve_mhd_loaded() ? mhd.get_daemon_info(daemon, info_type) : NULL;
}

const union MHD_ConnectionInfo *MHD_get_connection_info(struct MHD_Connection *connection,
                                                        enum MHD_ConnectionInfoType info_type,
                                                        ...) {
    return serve_mhd_loaded() ? mhd.get_connection_info(connection, info_type) : NULL;
}

const char *MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind,
                                        const char *key) {
    return serve_mhd_loaded() ? mhd.lookup_connection_value(connection, kind, key) : NULL;
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
                                                     enum MHD_ResponseMemoryMode mode) {
    return serve_mhd_loaded() ? mhd.create_response_from_buffer(size, buffer, mode) : NULL;
}

struct MHD_Response *MHD_create_response_from_callback(uint64_t size, size_t block_size,
                                                       MHD_ContentReaderCallback crc, void *crc_cls,
                                                       MHD_ContentReaderFreeCallback crfc) {
    return serve_mhd_loaded()
               ? mhd.create_response_from_callback(size, block_size, crc, crc_cls, crfc)
               : NULL;
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *response, const char *header,
                                        const char *content) {
    return serve_mhd_loaded() ? mhd.add_response_header(response, header, content) : MHD_NO;
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                                   struct MHD_Response *response) {
    return serve_mhd_loaded() ? mhd.queue_response(connection, status_code, response) : MHD_NO;
}

void MHD_destroy_response(struct MHD_Response *response) {
    if (serve_mhd_loaded()) mhd.destroy_response(response);
}
