#ifndef OFX_TEST_HOST_FRAMES_H
#define OFX_TEST_HOST_FRAMES_H
#include <stdint.h>
#include "host.h"
int depth_bytes(const char *depth);
Frame *frame_new(int x1, int y1, int x2, int y2, const char *depth, const char *components, int topDown);
void frame_free(Frame *f);
unsigned char *frame_pixel(const Frame *f, int x, int y);
void frame_fill(Frame *f, const unsigned char *canon);
unsigned char *frame_read(const Frame *f, int x1, int y1, int x2, int y2, size_t *size);
uint64_t fnv1a(const unsigned char *p, size_t n);
unsigned char *canon_from_png(const unsigned char *px, int w, int h, int channels, const char *depth, int comps);
unsigned char *canon_random(size_t n, uint64_t seed);
int clip_open(const char *clip, const char *encode, const char *depth, const char *components);
unsigned char *clip_next(int time, int *w, int *h, int comps);
void clip_encode(const Frame *f, const int win[4]);
int clip_close(void);
#endif
