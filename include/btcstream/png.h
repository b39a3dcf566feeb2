/*
 * png.h - writes an 8-bit RGB image as a PNG file, tuned for speed on charts.
 *
 * The chart (plot.c) is rendered into memory and written here rather than by cairo's own PNG
 * writer, which tries every PNG filter on every row and compresses at zlib's default level: on a
 * 1200x600 chart that took about 40 ms, half the time of `btcstream plot`. Charts are mostly
 * runs of background colour, so one fixed filter (Up: each byte minus the one above) and zlib's
 * fastest level give a file a little larger (about 90 kB rather than 80 kB) in a few milliseconds.
 */
#ifndef BTCSTREAM_PNG_H
#define BTCSTREAM_PNG_H

#include "btcstream/export.h"

#include <stdint.h>

#include "btcstream/status.h"

/*
 * Writes rgb (height rows of width pixels, 3 bytes each, R G B, no padding; caller-owned) to
 * path as a non-interlaced 8-bit truecolour PNG, creating or truncating it. width and height
 * must be at least 1. On an error the file may be left partial: callers that replace a file
 * write to a temporary name and rename it.
 */
BS_API bs_status bs_png_write_rgb(const char *path, const uint8_t *rgb, uint32_t width,
                                  uint32_t height, bs_error *err);

#endif
