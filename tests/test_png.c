/*
 * The PNG writer: files that a reader built here from the PNG specification and zlib's own
 * inflate decode to exactly the pixels written (chunk by chunk, CRC by CRC), in one IDAT chunk
 * or many, and the errors a caller can provoke.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "btcstream/png.h"

static uint32_t get_u32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint8_t *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    uint8_t *data = malloc(*len);
    assert_int_equal(fread(data, 1, *len, f), *len);
    fclose(f);
    return data;
}

static int paeth(int a, int b, int c) {
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undoes any of the five PNG filters on the inflated rows; returns the RGB pixels. */
static uint8_t *unfilter(const uint8_t *raw, uint32_t w, uint32_t h) {
    size_t stride = (size_t)w * 3;
    uint8_t *px = calloc(stride * h, 1);
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *in = raw + y * (stride + 1);
        uint8_t *row = px + y * stride, *up = y ? row - stride : NULL;
        assert_true(in[0] <= 4);
        for (size_t x = 0; x < stride; x++) {
            int a = x >= 3 ? row[x - 3] : 0, b = up ? up[x] : 0, c = up && x >= 3 ? up[x - 3] : 0;
            int pred[5] = {0, a, b, (a + b) / 2, paeth(a, b, c)};
            row[x] = (uint8_t)(in[x + 1] + pred[in[0]]);
        }
    }
    return px;
}

/*
 * Decodes path: checks the signature, every chunk's CRC, IHDR (8-bit RGB, not interlaced) and
 * that IEND comes last; returns the pixels and how many IDAT chunks held them.
 */
static uint8_t *decode(const char *path, uint32_t *w, uint32_t *h, int *idat_chunks) {
    size_t len, pos = 8, idat_len = 0;
    uint8_t *data = read_all(path, &len), *idat = NULL;
    assert_memory_equal(data, "\x89PNG\r\n\x1a\n", 8);
    int ended = 0;
    *idat_chunks = 0;
    while (pos < len) {
        assert_false(ended);
        uint32_t n = get_u32(data + pos);
        assert_true(pos + 12 + n <= len);
        const uint8_t *type = data + pos + 4, *body = data + pos + 8;
        assert_int_equal(get_u32(body + n), (uint32_t)crc32(0L, type, n + 4));
        if (memcmp(type, "IHDR", 4) == 0) {
            assert_int_equal(n, 13);
            *w = get_u32(body);
            *h = get_u32(body + 4);
            assert_memory_equal(body + 8, "\x08\x02\x00\x00\x00", 5);
        } else if (memcmp(type, "IDAT", 4) == 0) {
            idat = realloc(idat, idat_len + n + 1);
            memcpy(idat + idat_len, body, n);
            idat_len += n;
            (*idat_chunks)++;
        } else {
            assert_memory_equal(type, "IEND", 4);
            assert_int_equal(n, 0);
            ended = 1;
        }
        pos += 12 + n;
    }
    assert_true(ended);
    uLongf raw_len = (uLongf)((size_t)*w * 3 + 1) * *h;
    uint8_t *raw = malloc(raw_len);
    assert_int_equal(uncompress(raw, &raw_len, idat, idat_len), Z_OK);
    assert_int_equal(raw_len, ((size_t)*w * 3 + 1) * *h);
    uint8_t *px = unfilter(raw, *w, *h);
    free(raw);
    free(idat);
    free(data);
    return px;
}

static void temp_path(char *buf, size_t cap) {
    snprintf(buf, cap, "test_png_%ld.png", (long)getpid());
}

static void check_round_trip(const uint8_t *px, uint32_t w, uint32_t h, int *idat_chunks) {
    char path[64];
    temp_path(path, sizeof path);
    bs_error err = {{0}};
    assert_int_equal(bs_png_write_rgb(path, px, w, h, &err), BS_OK);
    uint32_t rw = 0, rh = 0;
    uint8_t *back = decode(path, &rw, &rh, idat_chunks);
    assert_int_equal(rw, w);
    assert_int_equal(rh, h);
    assert_memory_equal(back, px, (size_t)w * h * 3);
    free(back);
    remove(path);
}

static void test_chart_like_image_decodes_to_the_same_pixels(void **state) {
    (void)state;
    uint32_t w = 300, h = 200;
    uint8_t *px = malloc((size_t)w * h * 3);
    memset(px, 255, (size_t)w * h * 3); /* white, a grey grid, a blue diagonal */
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            uint8_t *p = px + ((size_t)y * w + x) * 3;
            if (x % 50 == 0 || y % 40 == 0) p[0] = p[1] = p[2] = 200;
            if (x / 3 == y / 2) p[0] = 0, p[1] = 0, p[2] = 255;
        }
    int chunks;
    check_round_trip(px, w, h, &chunks);
    assert_int_equal(chunks, 1);
    free(px);
}

static void test_noise_too_large_for_one_chunk_spans_several_idat_chunks(void **state) {
    (void)state;
    uint32_t w = 400, h = 300; /* 360 kB of noise: deflate cannot shrink it below 64 kB */
    size_t n = (size_t)w * h * 3;
    uint8_t *px = malloc(n);
    uint64_t s = 88172645463325252u;
    for (size_t i = 0; i < n; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        px[i] = (uint8_t)(s >> 24);
    }
    int chunks;
    check_round_trip(px, w, h, &chunks);
    assert_true(chunks >= 5);
    free(px);
}

static void test_one_pixel_image(void **state) {
    (void)state;
    uint8_t px[3] = {12, 34, 56};
    int chunks;
    check_round_trip(px, 1, 1, &chunks);
}

static void test_zero_size_is_an_argument_error(void **state) {
    (void)state;
    uint8_t px[3] = {0};
    bs_error err = {{0}};
    assert_int_equal(bs_png_write_rgb("never.png", px, 0, 1, &err), BS_ERR_ARG);
    assert_int_equal(bs_png_write_rgb("never.png", px, 1, 0, &err), BS_ERR_ARG);
    assert_int_equal(access("never.png", F_OK), -1);
}

static void test_unwritable_path_is_an_io_error_naming_it(void **state) {
    (void)state;
    uint8_t px[3] = {0};
    bs_error err = {{0}};
    assert_int_equal(bs_png_write_rgb("/nonexistent/dir/x.png", px, 1, 1, &err), BS_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/dir/x.png"));
}

static void test_full_disk_is_an_io_error(void **state) {
    (void)state;
    if (access("/dev/full", W_OK) != 0) skip();
    uint8_t px[300] = {0};
    bs_error err = {{0}};
    assert_int_equal(bs_png_write_rgb("/dev/full", px, 10, 10, &err), BS_ERR_IO);
    assert_non_null(strstr(err.msg, "/dev/full"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chart_like_image_decodes_to_the_same_pixels),
        cmocka_unit_test(test_noise_too_large_for_one_chunk_spans_several_idat_chunks),
        cmocka_unit_test(test_one_pixel_image),
        cmocka_unit_test(test_zero_size_is_an_argument_error),
        cmocka_unit_test(test_unwritable_path_is_an_io_error_naming_it),
        cmocka_unit_test(test_full_disk_is_an_io_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
