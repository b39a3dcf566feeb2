#!/usr/bin/env python3
"""Reads a PNG with the standard library only (zlib) and prints its size and how many pixels
are clearly blue and clearly red in its right half (away from a top-left legend), so tests can
check a chart without trusting our own code.

    png_check.py FILE  ->  "WIDTH HEIGHT BLUE_PIXELS RED_PIXELS"
    png_check.py FILE --count R,G,B  ->  how many pixels of the whole image are exactly that colour
"""
import struct
import sys
import zlib


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def main(path, exact=None):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and color in (2, 6), (depth, color)
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    blue = red = same = 0
    i = 0
    for _ in range(height):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            line[x] = (line[x] + (0, a, b, (a + b) // 2, paeth(a, b, c))[f]) & 255
        if exact:
            same += sum(tuple(line[x:x + 3]) == exact for x in range(0, stride, bpp))
        for x in range(stride // 2 // bpp * bpp, stride, bpp):
            r, g, bl = line[x], line[x + 1], line[x + 2]
            if bl > 180 and r < 80 and g < 80:
                blue += 1
            elif r > 180 and bl < 80 and g < 80:
                red += 1
        prev = line
    print(same if exact else f"{width} {height} {blue} {red}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[2] == "--count":
        main(sys.argv[1], tuple(int(v) for v in sys.argv[3].split(",")))
    else:
        main(sys.argv[1])
