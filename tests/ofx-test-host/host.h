/*
 * A small OpenFX 1.5 host for tests, written for this project from the OpenFX specification (no OpenFX header or
 * host code is used: the few structs and names it needs are declared here). It loads a plug-in binary, implements
 * the property, image effect, parameter (with keyframes), memory, multithread, message, progress and time line
 * suites, and renders frames; --mlt imitates MLT's habits (an instance per frame, never unloaded, top-down images
 * with negative rowBytes, time ignored by param and image fetches).
 */
#ifndef OFX_TEST_HOST_H
#define OFX_TEST_HOST_H

#include <stddef.h>
#include <stdio.h>

typedef int OfxStatus;
enum {
    kOk = 0, kFailed = 1, kErrFatal = 2, kErrUnknown = 3, kErrMissingHostFeature = 4, kErrUnsupported = 5,
    kErrExists = 6, kErrFormat = 7, kErrMemory = 8, kErrBadHandle = 9, kErrBadIndex = 10, kErrValue = 11,
    kReplyYes = 12, kReplyNo = 13, kReplyDefault = 14
};

typedef struct { double x1, y1, x2, y2; } RectD;

typedef struct OfxHostS {
    void *host;
    const void *(*fetchSuite)(void *host, const char *name, int version);
} OfxHostS;

typedef struct OfxPluginS {
    const char *pluginApi;
    int apiVersion;
    const char *pluginIdentifier;
    unsigned int versionMajor, versionMinor;
    void (*setHost)(OfxHostS *host);
    OfxStatus (*mainEntry)(const char *action, const void *handle, void *inArgs, void *outArgs);
} OfxPluginS;

/* ---- handles: every object the host gives out is registered, so a bad handle is refused, not dereferenced ---- */
void handle_add(const void *p);
void handle_remove(const void *p);
int handle_valid(const void *p);

/* ---- property sets (props.c) ---- */
enum { P_INT, P_DOUBLE, P_STRING, P_POINTER };
typedef struct Prop {
    char *name;
    int type, dim;
    union { int *i; double *d; char **s; void **p; } v;
} Prop;
typedef struct PropSet {
    unsigned magic;
    int count, cap;
    Prop *props;
} PropSet;

PropSet *props_new(void);
void props_free(PropSet *ps);
PropSet *props_clone(const PropSet *ps);
void props_set_int(PropSet *ps, const char *name, int index, int v);
void props_set_double(PropSet *ps, const char *name, int index, double v);
void props_set_string(PropSet *ps, const char *name, int index, const char *v);
void props_set_pointer(PropSet *ps, const char *name, int index, void *v);
Prop *props_find(const PropSet *ps, const char *name);
int props_get_int(const PropSet *ps, const char *name, int index, int fallback);
double props_get_double(const PropSet *ps, const char *name, int index, double fallback);
const char *props_get_string(const PropSet *ps, const char *name, int index, const char *fallback);
void props_json(FILE *f, const PropSet *ps);
extern const void *g_property_suite[];

/* ---- parameters (params.c) ---- */
typedef struct Key { double time; double v[4]; } Key;
typedef struct Param {
    unsigned magic;
    char *name, *type;
    PropSet *props;
    double v[4];
    char *s;
    Key *keys;
    int nkeys;
} Param;
typedef struct ParamSet {
    unsigned magic;
    PropSet *props;
    Param **list;
    int count, cap;
} ParamSet;

ParamSet *params_new(void);
ParamSet *params_instantiate(const ParamSet *descriptor);
void params_free(ParamSet *set);
Param *params_find(const ParamSet *set, const char *name);
int params_assign(ParamSet *set, const char *name, const char *value);            /* name=value */
int params_add_key(ParamSet *set, const char *name, double time, double value);   /* name@time=value */
void params_json(FILE *f, const ParamSet *set);
extern const void *g_parameter_suite[];
extern int g_mlt_ignore_time;
extern double g_current_time;

/* ---- image effects, clips, images (effect.c) ---- */
typedef struct Frame {              /* a host-side image buffer */
    unsigned char *base;            /* malloc'd block */
    unsigned char *data;            /* pixel (x1, y1) */
    int x1, y1, x2, y2;             /* bounds */
    long rowBytes;
    int bpp;
    const char *depth, *components;
} Frame;

typedef struct Clip {
    char *name;
    PropSet *props;
    Frame *frame;                   /* instance clips: the image clipGetImage returns */
} Clip;

typedef struct Effect {
    unsigned magic;
    int isInstance;
    PropSet *props;
    ParamSet *params;
    Clip clips[4];
    int nclips;
} Effect;

Effect *effect_new(int isInstance);
Effect *effect_instantiate(const Effect *descriptor, const char *context);
void effect_free(Effect *e);
Clip *effect_clip(Effect *e, const char *name);
extern const void *g_image_effect_suite[];
extern int g_images_out;            /* images fetched and not released */

/* ---- the other suites (suites.c) ---- */
extern int g_no_persistent;         /* offer message suite V1 only */
extern int g_messages, g_clears;
void messages_json(FILE *f);
const void *fetch_suite(void *host, const char *name, int version);
PropSet *host_props(void);

/* ---- PNG (png.c): 8-bit RGB / RGBA, non-interlaced ---- */
unsigned char *png_read(const char *path, int *w, int *h, int *channels);
int png_write(const char *path, const unsigned char *rgba, int w, int h, int channels);

#endif
