/*
 * png_gradient.c - png.h: an image of your own as a PNG file. Draws a WIDTH x HEIGHT picture
 * whose red channel grows left to right and green top to bottom (blue fixed at 128), into a
 * buffer you own, and writes it. The chart of `btcstream plot` is written the same way.
 *
 *   ./build/example_png_gradient out.png 64 32
 */
#include <stdio.h>
#include <stdlib.h>

#include <btcstream/png.h>

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s OUT.png WIDTH HEIGHT\n", argv[0]);
        return 2;
    }
    int width = atoi(argv[2]), height = atoi(argv[3]);
    if (width < 1 || height < 1) {
        fprintf(stderr, "width and height must be at least 1\n");
        return 2;
    }
    unsigned char *rgb = malloc((size_t)width * height * 3);
    if (!rgb) return 1;
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++) {
            unsigned char *p = rgb + ((size_t)y * width + x) * 3;
            p[0] = (unsigned char)(x * 255 / (width > 1 ? width - 1 : 1));
            p[1] = (unsigned char)(y * 255 / (height > 1 ? height - 1 : 1));
            p[2] = 128;
        }
    bs_error err = {{0}};
    bs_status st = bs_png_write_rgb(argv[1], rgb, width, height, &err);
    free(rgb);
    if (st != BS_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    printf("wrote %s (%dx%d)\n", argv[1], width, height);
    return 0;
}
