/*
 * lazy_bind.h (private) - how the lazy loaders (lazy_libs.c, lazy_zip.c, lazy_plplot.c) bind a
 * dlopen()ed library's functions: each LAZY_BIND stores dlsym()'s answer in a function-pointer
 * field and counts it when missing, so a loader keeps the library only when the count stays 0
 * and no field has to be named twice.
 */
#ifndef BTCSTREAM_LAZY_BIND_H
#define BTCSTREAM_LAZY_BIND_H

#include <dlfcn.h>

#define LAZY_BIND(absent, lib, field, name)                                                        \
    do {                                                                                           \
        *(void **)&(field) = dlsym((lib), (name));                                                 \
        if (!(field)) (absent)++;                                                                  \
    } while (0)

#endif
