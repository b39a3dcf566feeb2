/* bus_nats.c - see bus_nats.h. */
#include "bus_nats.h"

#include <dlfcn.h>
#include <pthread.h>

#include "../lazy_bind.h"

bus_nats_api bus_nats;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;

static void load(void) {
    void *lib = dlopen("libnats.so.3.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return;
    int absent = 0;
#define BIND(fn) LAZY_BIND(absent, lib, bus_nats.fn, #fn);
    BUS_NATS_FUNCTIONS(BIND)
#undef BIND
    loaded = absent == 0;
}

bs_status bus_nats_load(bs_error *err) {
    pthread_once(&once, load);
    if (loaded) return BS_OK;
    return bs_fail(err, BS_ERR_UNSUPPORTED,
                   "the NATS client library (libnats.so.3.4, Debian package libnats3.4) is not "
                   "installed; --bus needs it");
}
