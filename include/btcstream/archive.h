/*
 * archive.h - outputs in the shapes the course project produced: the predictions folder in
 * Spark's layout (DESIGN.md, contract) and its ZIP.
 *
 *   DIR/part-00000-<uuid>-c000.snappy.parquet   columns timestamp, Close, prediction[, baseline]
 *   DIR/_SUCCESS                                empty
 */
#ifndef BTCSTREAM_ARCHIVE_H
#define BTCSTREAM_ARCHIVE_H

#include "btcstream/predictions.h"
#include "btcstream/status.h"

/*
 * Writes p as the folder dir, replacing any folder there whole: the new one is written beside
 * it and renamed into place, so a crash leaves the old folder or the new one, never half of one.
 */
bs_status bs_predictions_write_parquet_dir(const char *dir, const bs_predictions *p, bs_error *err);

/* Zips the regular files of dir (at the archive's top level) into zip_path, atomically. */
bs_status bs_archive_zip_dir(const char *dir, const char *zip_path, bs_error *err);

#endif
