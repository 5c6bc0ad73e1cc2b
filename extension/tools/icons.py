"""keyferry's icons, drawn from a few shapes with the Python standard library.

   python3 extension/tools/icons.py           write extension/icons/keyferry-<size>.png
   python3 extension/tools/icons.py --check   fail if a committed icon's pixels differ from
                                              what this script draws (or one is missing)

The drawing uses only IEEE-754 + - * / and comparisons (4x4 supersampling per
pixel, no math library calls), so the pixels are the same on every machine. The PNG bytes also
depend on zlib, so --check compares decoded pixels, not files.
"""
import os
import struct
import sys
import zlib

SIZES = [16, 24, 32, 48, 96, 128]
OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "icons")
SS = 4  # samples per pixel along each axis

BLUE = (11, 92, 173)     # tile
WHITE = (255, 255, 255)  # key


def in_round_rect(x, y, x0, y0, x1, y1, r):
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def shape(x, y):
    """Colour at (x, y) in a 128x128 design space, or None (transparent)."""
    if not in_round_rect(x, y, 4, 4, 124, 124, 26):
        return None
    # The key: a ring at the left, a shaft to the right, two teeth below it.
    d2 = (x - 42) ** 2 + (y - 64) ** 2
    if 11 ** 2 <= d2 <= 26 ** 2:
        return WHITE
    if 62 <= x <= 108 and 57 <= y <= 71:
        return WHITE
    if (84 <= x <= 94 and 71 <= y <= 88) or (98 <= x <= 108 and 71 <= y <= 82):
        return WHITE
    return BLUE


def draw(size):
    """RGBA rows (bytes per row, without the PNG filter byte)."""
    rows = []
    n = SS * SS
    for py in range(size):
        row = bytearray()
        for px in range(size):
            acc = [0, 0, 0]
            hits = 0
            for sy in range(SS):
                for sx in range(SS):
                    # Sample centres in design units (128 / size per pixel).
                    x = (px * SS + sx + 0.5) * 128 / (size * SS)
                    y = (py * SS + sy + 0.5) * 128 / (size * SS)
                    c = shape(x, y)
                    if c is not None:
                        hits += 1
                        acc[0] += c[0]
                        acc[1] += c[1]
                        acc[2] += c[2]
            if hits:
                row += bytes((acc[0] // hits, acc[1] // hits, acc[2] // hits, (255 * hits + n // 2) // n))
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return rows


def png(size, rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def decode(data):
    """(width, height, rows) of an 8-bit RGBA, non-interlaced PNG with filter type 0 rows."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    w, h, depth, colour, _, _, interlace = ihdr
    assert (depth, colour, interlace) == (8, 6, 0), f"unexpected PNG format {ihdr}"
    raw = zlib.decompress(idat)
    stride = 1 + 4 * w
    rows = []
    for i in range(h):
        line = raw[i * stride:(i + 1) * stride]
        assert line[0] == 0, "unexpected PNG filter"
        rows.append(line[1:])
    return w, h, rows


def path(size):
    return os.path.join(OUT, f"keyferry-{size}.png")


def main(argv):
    if argv == ["--check"]:
        bad = []
        for size in SIZES:
            try:
                with open(path(size), "rb") as f:
                    w, h, rows = decode(f.read())
            except (OSError, AssertionError) as e:
                bad.append(f"{path(size)}: {e}")
                continue
            if (w, h) != (size, size) or rows != draw(size):
                bad.append(f"{path(size)}: differs from what extension/tools/icons.py draws (run it)")
        for b in bad:
            print(b, file=sys.stderr)
        if not bad:
            print(f"icons: {len(SIZES)} sizes match extension/tools/icons.py")
        return 1 if bad else 0
    os.makedirs(OUT, exist_ok=True)
    for size in SIZES:
        with open(path(size), "wb") as f:
            f.write(png(size, draw(size)))
        print(path(size))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
