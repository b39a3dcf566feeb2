#!/usr/bin/env bash
# localize-archive.sh ARCHIVE LD OBJCOPY AR - makes a static library export only bs_* names.
#
# -fvisibility=hidden marks what is private, but visibility means nothing inside a static
# archive: its objects are linked into the program as they are, so a private global (our lazy
# loaders' curl_easy_init, SHA256, zip_open, XGBoosterCreate, c_plinit; helpers such as
# json_skip_ws or tc_read_int) still takes part in symbol resolution. A program that links the
# archive and the real libcurl/libcrypto/libzip then calls our shims instead of the library, or
# fails with a duplicate definition when it has a helper of the same name.
#
# Two cures exist: prefix every private cross-file name (and rename every third-party name the
# loaders define, through macros over the vendors' headers, fighting curl's own setopt macro), or
# link the archive's objects into one relocatable object and make every symbol but the public
# ones local, the way a shared library's version script would. We do the second: it needs no
# renaming in the sources, cannot be forgotten by the next file added, and its result is checked
# (tests/it_symbols.sh). --localize-hidden localizes what is not marked BS_API; the keep-global
# list also localizes the loaders' third-party names, whose vendor headers mark them default
# visibility (XGB_DLL, ZIP_EXTERN). The objects keep their global names, so tests and fuzz
# harnesses that need a private helper link the objects, not the archive.
set -euo pipefail
archive=$1 ld=$2 objcopy=$3 ar=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$ld" -r --whole-archive "$archive" -o "$tmp/btcstream.o"
"$objcopy" --localize-hidden --wildcard --keep-global-symbol='bs_*' "$tmp/btcstream.o"
rm -f "$archive"
"$ar" rcs "$archive" "$tmp/btcstream.o"
