/*
 * archive.h - the ZIP of an output folder, as the course project zipped its predictions.
 */
#ifndef BTCSTREAM_ARCHIVE_H
#define BTCSTREAM_ARCHIVE_H

#include "btcstream/export.h"

#include "btcstream/status.h"

/* Zips the regular files of dir (at the archive's top level) into zip_path, atomically. */
BS_API bs_status bs_archive_zip_dir(const char *dir, const char *zip_path, bs_error *err);

#endif
