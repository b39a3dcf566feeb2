/*
 * serve_internal.h (private) - the server object shared by serve.c (start, stop, the follower
 * thread) and http.c (routes), and the embedded page assets (assets.c).
 */
#ifndef BTCSTREAM_SERVE_INTERNAL_H
#define BTCSTREAM_SERVE_INTERNAL_H

#include <pthread.h>
#include <stddef.h>

#include "btcstream/serve.h"
#include "committed.h"
#include "state.h"

struct MHD_Daemon;

struct bs_serve {
    serve_state state;
    serve_paths paths;
    int poll;
    struct MHD_Daemon *daemon;
    pthread_t follower;
    int follower_started;
    int wake[2]; /* the follower's wake pipe: written once, at stop */
    char address[80];
    int loopback_only; /* bound to a loopback address: requests must name a loopback Host */
};

/* Loads libmicrohttpd on first use (lazy_mhd.c); 0 when it is not installed. */
int serve_mhd_loaded(void);

/* Starts the HTTP daemon on the parsed address (fills srv->address); BS_ERR_NET on failure. */
bs_status serve_http_start(bs_serve *srv, const char *listen, bs_error *err);
void serve_http_stop(bs_serve *srv);

typedef struct {
    const char *path; /* the URL path that serves it */
    const char *content_type;
    const unsigned char *data;
    size_t size;
} serve_asset;

/* Fills out with the embedded asset for path, 0 when there is none: only these paths exist. */
int serve_asset_find(const char *path, serve_asset *out);
/* Bytes of all assets a first page load fetches (the page weight, without API responses). */
size_t serve_assets_total(void);

#endif
