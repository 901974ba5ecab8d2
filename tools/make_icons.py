#!/usr/bin/env python3
"""Draws Sourcebar's toolbar icons (a rounded indigo square with a white bar
on its right, the sidebar) as PNGs, with the standard library only."""
import struct
import sys
import zlib
from pathlib import Path

INDIGO = (67, 56, 202, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def pixel(x: int, y: int, n: int):
    r = n * 0.2  # corner radius
    cx = min(max(x + 0.5, r), n - r)
    cy = min(max(y + 0.5, r), n - r)
    if (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 > r * r:
        return CLEAR
    bar_left, bar_right = n * 0.58, n * 0.78
    if bar_left <= x < bar_right and n * 0.2 <= y < n * 0.8:
        return WHITE
    if n * 0.22 <= x < n * 0.48 and y in range(int(n * 0.3), int(n * 0.38)):
        return WHITE
    if n * 0.22 <= x < n * 0.42 and y in range(int(n * 0.46), int(n * 0.54)):
        return WHITE
    return INDIGO


def png(n: int) -> bytes:
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y, n)) for x in range(n)) for y in range(n)
    )

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "static/icons")
    out.mkdir(parents=True, exist_ok=True)
    for size in (16, 32, 48, 128):
        (out / f"icon-{size}.png").write_bytes(png(size))
