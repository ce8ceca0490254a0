#!/usr/bin/env python3
"""Draws the two OFX effect icons (64x64 RGBA PNGs) with the standard library only.
Run once; the PNGs are committed beside this script. Usage: installer/ofx/draw-icons.py [out_dir]"""
import math, os, struct, sys, zlib

N = 64

def png(path, pixels):
    raw = b"".join(b"\x00" + bytes(v for px in row for v in px) for row in pixels)
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))

def oval(x, y, cx, cy, rx, ry):
    """Coverage (0..1) of an ellipse at pixel (x, y), with a one-pixel soft edge."""
    d = math.hypot((x + 0.5 - cx) / rx, (y + 0.5 - cy) / ry)
    return max(0.0, min(1.0, (1.0 - d) * min(rx, ry)))

def over(dst, color, a):
    return tuple(int(round(d * (1 - a) + c * a)) for d, c in zip(dst, color))

def face(x, y, cx, fg, bg):
    """A face: oval head, two eyes, a mouth."""
    px = bg
    px = over(px, fg, oval(x, y, cx, 32, 17, 22))
    for ex in (cx - 7, cx + 7):
        px = over(px, bg[:3] + (255,), oval(x, y, ex, 27, 2.6, 3.2))
    px = over(px, bg[:3] + (255,), oval(x, y, cx, 42, 6, 1.8))
    return px

def swap_icon():
    rows = []
    for y in range(N):
        row = []
        for x in range(N):
            px = (0, 0, 0, 0)
            px = over(px, (40, 44, 52, 255), oval(x, y, 32, 32, 31, 31))
            left = face(x, y, 24, (235, 150, 60, 255), px) if x < 32 else px
            right = face(x, y, 40, (70, 150, 235, 255), px) if x >= 32 else px
            row.append(left if x < 32 else right)
        rows.append(row)
    return rows

def matte_icon():
    rows = []
    for y in range(N):
        row = []
        for x in range(N):
            px = (0, 0, 0, 0)
            px = over(px, (10, 10, 10, 255), oval(x, y, 32, 32, 31, 31))
            px = over(px, (245, 245, 245, 255), oval(x, y, 32, 32, 17, 22))
            row.append(px)
        rows.append(row)
    return rows

if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    png(os.path.join(out, "org.dflcomposite.faceswap.png"), swap_icon())
    png(os.path.join(out, "org.dflcomposite.facematte.png"), matte_icon())
