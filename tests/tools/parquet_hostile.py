"""Writes hostile variants of a Parquet file btcstream wrote: the footer is re-encoded with
Thrift's compact protocol (written here independently of lib/thrift_compact.c) so that one
field is repeated, oversized or nested past reason. Usage: parquet_hostile.py SEED OUTDIR.

Each variant is OUTDIR/<name>/part-00000-hostile-c000.snappy.parquet, a predictions folder that
`btcstream plot --predictions` must refuse with a clean error (no crash, leak or huge allocation).
"""
import os
import struct
import sys


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n):
    return varint((n << 1) ^ (n >> 63))


def field_long(type_, id_):
    """A field header in the long form (delta 0): works whatever the previous id was."""
    return bytes([type_]) + zigzag(id_)


def split_footer(data):
    n = struct.unpack("<I", data[-8:-4])[0]
    return data[: -8 - n], data[-8 - n : -8]


def skip_list_of_structs(buf, pos):
    """Returns the end of the schema list starting at pos (its list header): each element is a
    struct, skipped field by field (only the types our writer uses)."""
    header = buf[pos]
    count = header >> 4
    pos += 1
    if count == 15:
        count, shift = 0, 0
        while True:
            b = buf[pos]
            pos += 1
            count |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
    for _ in range(count):
        pos = skip_struct(buf, pos)
    return pos


def skip_varint(buf, pos):
    while buf[pos] & 0x80:
        pos += 1
    return pos + 1


def skip_value(buf, pos, type_):
    if type_ in (1, 2):
        return pos
    if type_ in (3,):
        return pos + 1
    if type_ in (4, 5, 6):
        return skip_varint(buf, pos)
    if type_ == 7:
        return pos + 8
    if type_ == 8:
        n, shift, p = 0, 0, pos
        while True:
            b = buf[p]
            p += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        return p + n
    if type_ == 9:
        header = buf[pos]
        count, elem = header >> 4, header & 0x0F
        pos += 1
        assert count != 15
        for _ in range(count):
            pos = skip_value(buf, pos, 3 if elem == 1 else elem)
        return pos
    if type_ == 12:
        return skip_struct(buf, pos)
    raise ValueError("type %d" % type_)


def skip_struct(buf, pos):
    while True:
        b = buf[pos]
        pos += 1
        if b == 0:
            return pos
        if b >> 4 == 0:
            pos = skip_varint(buf, pos)
        pos = skip_value(buf, pos, b & 0x0F)


def footer_fields(footer):
    """(id, raw bytes of the value) for each top-level field of FileMetaData, in order."""
    fields, pos, last = [], 0, 0
    while footer[pos] != 0:
        b = footer[pos]
        pos += 1
        delta, type_ = b >> 4, b & 0x0F
        if delta:
            fid = last + delta
        else:
            raise ValueError("long-form field in our own footer")
        last = fid
        start = pos
        pos = skip_value(footer, pos, type_)
        fields.append((fid, type_, footer[start:pos]))
    return fields


def encode(fields):
    return b"".join(field_long(t, i) + v for i, t, v in fields) + b"\x00"


def schema_list(elements):
    return bytes([len(elements) << 4 | 12]) + b"".join(elements)


def column_element(name):
    # type DOUBLE (1: i32 5), repetition REQUIRED (3: i32 0), name (4: binary)
    return field_long(5, 1) + zigzag(5) + field_long(5, 3) + zigzag(0) + field_long(8, 4) + \
        varint(len(name)) + name + b"\x00"


def write(outdir, name, body, footer):
    folder = os.path.join(outdir, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "part-00000-hostile-c000.snappy.parquet"), "wb") as f:
        f.write(body + footer + struct.pack("<I", len(footer)) + b"PAR1")


def main():
    seed, outdir = sys.argv[1], sys.argv[2]
    data = open(seed, "rb").read()
    body, footer = split_footer(data)
    fields = footer_fields(footer)
    ids = [f[0] for f in fields]
    assert ids[:4] == [1, 2, 3, 4], ids
    write(outdir, "as_written", body, encode(fields))  # the re-encoding itself is sound

    # The schema twice, the second shorter: the reader once kept the first count and wrote past
    # the second, smaller array.
    short = schema_list([field_long(8, 4) + varint(6) + b"schema" + field_long(5, 5) +
                         zigzag(1) + b"\x00", column_element(b"timestamp")])
    twice = fields[:2] + [(2, 9, short)] + fields[2:]
    write(outdir, "schema_twice", body, encode(twice))

    # A row count no file of this size can hold (2^37 rows: a terabyte a column).
    rows = [(i, t, zigzag(1 << 37) if i == 3 else v) for i, t, v in fields]
    write(outdir, "huge_row_count", body, encode(rows))

    # The row count twice: the second would allocate the columns again.
    write(outdir, "row_count_twice", body, encode(fields[:3] + [fields[2]] + fields[3:]))

    # A column's name given twice in its schema element.
    named = schema_list([field_long(8, 4) + varint(6) + b"schema" + field_long(5, 5) +
                         zigzag(4) + b"\x00"] +
                        [column_element(n)[:-1] + field_long(8, 4) + varint(1) + b"x" + b"\x00"
                         for n in (b"timestamp", b"Close", b"prediction", b"baseline")])
    write(outdir, "name_twice", body, encode([fields[0], (2, 9, named)] + fields[2:]))

    # An unknown field holding lists nested 200,000 deep: one byte a level.
    depth = 200000
    bomb = bytes([0x19]) * depth + bytes([0x05]) + b""  # list<list<...<i32>>>, last one empty
    write(outdir, "nested_lists", body, encode(fields + [(9, 9, bomb)]))


if __name__ == "__main__":
    main()
