/*
 * export.h - BS_API marks the library's public functions.
 *
 * The library is compiled with -fvisibility=hidden, so only what carries BS_API is visible from a
 * shared library, and the static archive keeps only those names global (see
 * scripts/localize-archive.sh). Every function declared in the public headers carries it;
 * one that does not is invisible to programs, which then fail to link against it.
 */
#ifndef BTCSTREAM_EXPORT_H
#define BTCSTREAM_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define BS_API __attribute__((visibility("default")))
#else
#define BS_API
#endif

#endif
