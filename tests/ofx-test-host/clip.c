/* A clip decoded and an output encoded through ffmpeg pipes, as an editor's timeline render does: the decoder is read
   ahead and the encoder fed from queues on threads of their own (a pipe holds 64 KiB, a 720p frame 3.6 MB: written
   inline, every frame would wait for x264), so the benchmark measures the effect, not the host's file handling.
   Frames are read in order (a render of a range); a time that goes back is an error. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "frames.h"

#define QUEUE 8

typedef struct Queue {
    unsigned char *items[QUEUE];
    int head, count, closed;
    pthread_mutex_t lock;
    pthread_cond_t changed;
} Queue;

static FILE *g_decode, *g_encode;
static int g_w, g_h, g_next, g_comps, g_failed;
static const char *g_depth, *g_path;
static char g_fps[64] = "25";
static size_t g_in_size, g_out_size;
static Queue g_decoded, g_encoding;
static pthread_t g_reader, g_writer;
static int g_has_writer;

static void queue_init(Queue *q) { memset(q, 0, sizeof *q); pthread_mutex_init(&q->lock, NULL); pthread_cond_init(&q->changed, NULL); }

static void queue_put(Queue *q, unsigned char *item) /* NULL closes the queue */
{
    pthread_mutex_lock(&q->lock);
    while (item && q->count == QUEUE) pthread_cond_wait(&q->changed, &q->lock);
    if (item) { q->items[(q->head + q->count) % QUEUE] = item; q->count++; }
    else q->closed = 1;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
}

static unsigned char *queue_take(Queue *q) /* NULL when closed and empty */
{
    pthread_mutex_lock(&q->lock);
    while (q->count == 0 && !q->closed) pthread_cond_wait(&q->changed, &q->lock);
    unsigned char *item = NULL;
    if (q->count) { item = q->items[q->head]; q->head = (q->head + 1) % QUEUE; q->count--; }
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
    return item;
}

static void *read_ahead(void *unused)
{
    (void)unused;
    for (;;) {
        unsigned char *px = malloc(g_in_size);
        if (fread(px, 1, g_in_size, g_decode) != g_in_size) { free(px); break; }
        queue_put(&g_decoded, px);
    }
    queue_put(&g_decoded, NULL);
    return NULL;
}

static void *write_behind(void *unused)
{
    (void)unused;
    unsigned char *px;
    while ((px = queue_take(&g_encoding))) {
        if (fwrite(px, 1, g_out_size, g_encode) != g_out_size) g_failed = 1;
        free(px);
    }
    return NULL;
}

static int probe(const char *clip)
{
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "ffprobe -v error -select_streams v:0 -show_entries stream=width,height,r_frame_rate -of csv=p=0 '%s'", clip);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    char fps[64] = "";
    int ok = fscanf(p, "%d,%d,%63s", &g_w, &g_h, fps) == 3;
    pclose(p);
    if (ok) snprintf(g_fps, sizeof g_fps, "%s", fps);
    return ok && g_w > 0 && g_h > 0 ? 0 : -1;
}

int clip_open(const char *clip, const char *encode, const char *depth, const char *components)
{
    if (strchr(clip, '\'') || (encode && strchr(encode, '\''))) { fprintf(stderr, "--video/--encode: no quotes in paths\n"); return -1; }
    if (probe(clip) != 0) { fprintf(stderr, "ffprobe cannot read %s\n", clip); return -1; }
    g_comps = !strcmp(components, "OfxImageComponentRGBA") ? 4 : 3;
    g_depth = depth;
    g_path = clip;
    g_in_size = (size_t)g_w * g_h * 4;
    g_out_size = (size_t)g_w * g_h * g_comps;
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "ffmpeg -v error -nostdin -i '%s' -f rawvideo -pix_fmt rgba -", clip);
    g_decode = popen(cmd, "r");
    if (!g_decode) return -1;
    queue_init(&g_decoded);
    queue_init(&g_encoding);
    pthread_create(&g_reader, NULL, read_ahead, NULL);
    if (encode) {
        if (depth_bytes(depth) != 1) { fprintf(stderr, "--encode needs --depth byte\n"); return -1; }
        snprintf(cmd, sizeof cmd,
                 "ffmpeg -v error -y -f rawvideo -pix_fmt %s -s %dx%d -r %s -i - -c:v libx264 -crf 18 -preset veryfast -pix_fmt yuv420p '%s'",
                 g_comps == 4 ? "rgba" : "rgb24", g_w, g_h, g_fps, encode);
        g_encode = popen(cmd, "w");
        if (!g_encode) return -1;
        pthread_create(&g_writer, NULL, write_behind, NULL);
        g_has_writer = 1;
    }
    return 0;
}

unsigned char *clip_next(int time, int *w, int *h, int comps)
{
    if (!g_decode || time != g_next) { fprintf(stderr, "--video renders frames in order from 0 (asked for %d, next is %d)\n", time, g_next); return NULL; }
    unsigned char *px = queue_take(&g_decoded);
    if (!px) return NULL;
    g_next++;
    *w = g_w; *h = g_h;
    if (comps == 4 && depth_bytes(g_depth) == 1) return px; /* already the canonical layout */
    unsigned char *canon = canon_from_png(px, g_w, g_h, 4, g_depth, comps);
    free(px);
    return canon;
}

void clip_encode(const Frame *f, const int win[4])
{
    if (!g_encode) return;
    size_t row = (size_t)(win[2] - win[0]) * f->bpp;
    unsigned char *px = malloc(g_out_size), *at = px;
    for (int y = win[3] - 1; y >= win[1] && at + row <= px + g_out_size; y--, at += row) memcpy(at, frame_pixel(f, win[0], y), row);
    queue_put(&g_encoding, px);
}

int clip_close(void)
{
    int rc = 0;
    if (g_has_writer) { queue_put(&g_encoding, NULL); pthread_join(g_writer, NULL); g_has_writer = 0; }
    if (g_encode) { rc |= pclose(g_encode) != 0 || g_failed; g_encode = NULL; }
    if (g_decode) {
        /* frames not rendered are drained so the decoder ends */
        unsigned char *px;
        while ((px = queue_take(&g_decoded))) free(px);
        pthread_join(g_reader, NULL);
        rc |= pclose(g_decode) != 0 && g_next == 0;
        g_decode = NULL;
    }
    if (rc) fprintf(stderr, "ffmpeg failed on %s\n", g_path);
    return rc ? 2 : 0;
}
