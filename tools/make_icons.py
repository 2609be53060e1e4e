"""Draw the app icons (a white "V" on the brand's dark blue) as PNG files without any image library:
static/img/icon-192.png, icon-512.png (web app manifest) and apple-touch-icon.png (180 px).

Run once when the logo changes: `.venv/bin/python tools/make_icons.py`; the PNGs are committed.
static/img/icon.svg is the same drawing as a vector (favicon and logo)."""

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "img"
BACKGROUND = (0x13, 0x23, 0x3D)
FOREGROUND = (0xFF, 0xFF, 0xFF)
# the V: two strokes meeting at the bottom, in units of the icon's side
STROKES = [((0.27, 0.28), (0.5, 0.74)), ((0.5, 0.74), (0.73, 0.28))]
WIDTH = 0.11


def _distance(px: float, py: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _pixel(x: int, y: int, size: int) -> tuple[int, int, int]:
    px, py = (x + 0.5) / size, (y + 0.5) / size
    edge = min(_distance(px, py, a, b) for a, b in STROKES) - WIDTH / 2
    cover = max(0.0, min(1.0, 0.5 - edge * size))  # one pixel of anti-aliasing
    return tuple(round(bg + (fg - bg) * cover) for bg, fg in zip(BACKGROUND, FOREGROUND, strict=True))  # type: ignore[return-value]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(size: int) -> bytes:
    rows = b"".join(b"\x00" + bytes(c for x in range(size) for c in _pixel(x, y, size)) for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    for name, size in [("icon-192.png", 192), ("icon-512.png", 512), ("apple-touch-icon.png", 180)]:
        (OUT / name).write_bytes(png(size))
        print(OUT / name)
