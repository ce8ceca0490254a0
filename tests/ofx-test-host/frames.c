/* Host-side image buffers: bottom-up with positive rowBytes (padded rows), or MLT's top-down with negative
   rowBytes; filled from and read back to tightly packed top-down "canonical" buffers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "frames.h"

int depth_bytes(const char *depth)
{
    return !strcmp(depth, "OfxBitDepthByte") ? 1 : !strcmp(depth, "OfxBitDepthShort") ? 2 : !strcmp(depth, "OfxBitDepthFloat") ? 4 : 0;
}

Frame *frame_new(int x1, int y1, int x2, int y2, const char *depth, const char *components, int topDown)
{
    Frame *f = calloc(1, sizeof *f);
    int comps = !strcmp(components, "OfxImageComponentRGBA") ? 4 : 3;
    f->x1 = x1; f->y1 = y1; f->x2 = x2; f->y2 = y2;
    f->bpp = depth_bytes(depth) * comps;
    f->depth = depth;
    f->components = components;
    long stride = (long)(x2 - x1) * f->bpp + (topDown ? 0 : 32); /* padded rows: rowBytes != width * bpp */
    int h = y2 - y1;
    f->base = calloc((size_t)stride * h + 1, 1);
    if (topDown) { f->data = f->base + (long)(h - 1) * stride; f->rowBytes = -stride; }
    else { f->data = f->base; f->rowBytes = stride; }
    return f;
}

void frame_free(Frame *f) { if (f) { free(f->base); free(f); } }

unsigned char *frame_pixel(const Frame *f, int x, int y) { return f->data + (long)(y - f->y1) * f->rowBytes + (long)(x - f->x1) * f->bpp; }

/* canon: top-down, tight, covering the frame's bounds. */
void frame_fill(Frame *f, const unsigned char *canon)
{
    size_t row = (size_t)(f->x2 - f->x1) * f->bpp;
    for (int r = 0; r < f->y2 - f->y1; r++) memcpy(frame_pixel(f, f->x1, f->y2 - 1 - r), canon + r * row, row);
}

/* Reads rect (x1,y1,x2,y2) of the frame into a top-down tight buffer. */
unsigned char *frame_read(const Frame *f, int x1, int y1, int x2, int y2, size_t *size)
{
    size_t row = (size_t)(x2 - x1) * f->bpp;
    unsigned char *out = malloc(row * (y2 - y1) + 1);
    for (int r = 0; r < y2 - y1; r++) memcpy(out + r * row, frame_pixel(f, x1, y2 - 1 - r), row);
    *size = row * (y2 - y1);
    return out;
}

uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 1099511628211ull; }
    return h;
}

/* Converts 8-bit top-down pixels (3 or 4 channels) to a canonical buffer of the given depth and components. */
unsigned char *canon_from_png(const unsigned char *px, int w, int h, int channels, const char *depth, int comps)
{
    int db = depth_bytes(depth);
    unsigned char *out = malloc((size_t)w * h * comps * db);
    for (long i = 0; i < (long)w * h; i++)
        for (int c = 0; c < comps; c++) {
            unsigned v = c < channels ? px[i * channels + c] : 255;
            long o = (i * comps + c);
            if (db == 1) out[o] = (unsigned char)v;
            else if (db == 2) ((uint16_t *)out)[o] = (uint16_t)(v * 257);
            else ((float *)out)[o] = v / 255.0f;
        }
    return out;
}

/* Random bytes (any bit pattern, NaN floats included: a pass-through must keep them bit for bit). */
unsigned char *canon_random(size_t n, uint64_t seed)
{
    unsigned char *out = malloc(n + 1);
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    for (size_t i = 0; i < n; i++) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; out[i] = (unsigned char)(s >> 24); }
    return out;
}
