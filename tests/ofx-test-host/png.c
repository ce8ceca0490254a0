/* Minimal PNG reader and writer over zlib: 8-bit grey, RGB and RGBA, non-interlaced. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "host.h"

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static unsigned char *slurp(const char *path, long *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)*n);
    if (fread(b, 1, (size_t)*n, f) != (size_t)*n) { free(b); b = NULL; }
    fclose(f);
    return b;
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Returns top-down pixels with *channels = 3 or 4 (grey becomes RGB). */
unsigned char *png_read(const char *path, int *w, int *h, int *channels)
{
    long n;
    unsigned char *file = slurp(path, &n), *idat = NULL, *raw = NULL, *out = NULL;
    size_t nidat = 0;
    int depth = 0, type = -1, interlace = 0;
    if (!file || n < 33 || memcmp(file, "\x89PNG\r\n\x1a\n", 8)) goto done;
    for (long pos = 8; pos + 12 <= n;) {
        uint32_t len = be32(file + pos);
        const unsigned char *kind = file + pos + 4, *data = file + pos + 8;
        if (pos + 12 + (long)len > n) goto done;
        if (!memcmp(kind, "IHDR", 4)) {
            *w = (int)be32(data); *h = (int)be32(data + 4);
            depth = data[8]; type = data[9]; interlace = data[12];
        } else if (!memcmp(kind, "IDAT", 4)) {
            idat = realloc(idat, nidat + len);
            memcpy(idat + nidat, data, len);
            nidat += len;
        } else if (!memcmp(kind, "IEND", 4)) break;
        pos += 12 + (long)len;
    }
    int bpp = type == 0 ? 1 : type == 2 ? 3 : type == 6 ? 4 : type == 4 ? 2 : 0;
    if (depth != 8 || bpp == 0 || interlace || *w <= 0 || *h <= 0) goto done;
    size_t stride = (size_t)*w * bpp, size = (stride + 1) * (size_t)*h;
    uLongf got = (uLongf)size;
    raw = malloc(size);
    if (uncompress(raw, &got, idat, (uLong)nidat) != Z_OK || got != size) goto done;
    unsigned char *prev = calloc(stride, 1), *cur;
    for (int y = 0; y < *h; y++) {
        unsigned char f = raw[y * (stride + 1)];
        cur = raw + y * (stride + 1) + 1;
        for (size_t x = 0; x < stride; x++) {
            int a = x >= (size_t)bpp ? cur[x - bpp] : 0, b = prev[x], c = x >= (size_t)bpp ? prev[x - bpp] : 0;
            cur[x] = (unsigned char)(cur[x] + (f == 1 ? a : f == 2 ? b : f == 3 ? (a + b) / 2 : f == 4 ? paeth(a, b, c) : 0));
        }
        if (y == 0) free(prev);
        prev = cur;
    }
    *channels = type == 6 || type == 4 ? 4 : 3;
    out = malloc((size_t)*w * *h * *channels);
    for (int y = 0; y < *h; y++)
        for (int x = 0; x < *w; x++) {
            const unsigned char *s = raw + y * (stride + 1) + 1 + (size_t)x * bpp;
            unsigned char *d = out + ((size_t)y * *w + x) * *channels;
            if (type == 0 || type == 4) { d[0] = d[1] = d[2] = s[0]; if (type == 4) d[3] = s[1]; }
            else memcpy(d, s, (size_t)bpp);
        }
done:
    free(file); free(idat); free(raw);
    return out;
}

static void put32(FILE *f, uint32_t v) { unsigned char b[4] = {v >> 24, v >> 16, v >> 8, v}; fwrite(b, 1, 4, f); }

static void chunk(FILE *f, const char *kind, const unsigned char *data, uint32_t len)
{
    put32(f, len);
    fwrite(kind, 1, 4, f);
    if (len) fwrite(data, 1, len, f);
    uLong crc = crc32(crc32(0, (const Bytef *)kind, 4), data, len);
    put32(f, (uint32_t)crc);
}

/* Writes top-down 8-bit pixels (channels 3 or 4). */
int png_write(const char *path, const unsigned char *px, int w, int h, int channels)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t stride = (size_t)w * channels, size = (stride + 1) * (size_t)h;
    unsigned char *raw = malloc(size);
    for (int y = 0; y < h; y++) { raw[y * (stride + 1)] = 0; memcpy(raw + y * (stride + 1) + 1, px + y * stride, stride); }
    uLongf zn = compressBound((uLong)size);
    unsigned char *z = malloc(zn);
    compress2(z, &zn, raw, (uLong)size, 6);
    unsigned char ihdr[13] = {w >> 24, w >> 16, w >> 8, w, h >> 24, h >> 16, h >> 8, h, 8, channels == 4 ? 6 : 2, 0, 0, 0};
    fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
    chunk(f, "IHDR", ihdr, 13);
    chunk(f, "IDAT", z, (uint32_t)zn);
    chunk(f, "IEND", NULL, 0);
    fclose(f);
    free(raw); free(z);
    return 0;
}
