/* Effects, clips, images and the image effect suite (OfxImageEffectSuiteV1). */
#include <stdlib.h>
#include <string.h>
#include "host.h"

#define EFFECT_MAGIC 0x45464658u
#define MEMORY_MAGIC 0x4d454d4fu

int g_images_out;

Effect *effect_new(int isInstance)
{
    Effect *e = calloc(1, sizeof *e);
    e->magic = EFFECT_MAGIC;
    e->isInstance = isInstance;
    e->props = props_new();
    e->params = params_new();
    props_set_string(e->props, "OfxPropType", 0, isInstance ? "OfxTypeImageEffectInstance" : "OfxTypeImageEffect");
    handle_add(e);
    return e;
}

Effect *effect_instantiate(const Effect *d, const char *context)
{
    Effect *e = effect_new(1);
    props_free(e->props);
    params_free(e->params);
    e->props = props_clone(d->props);
    props_set_string(e->props, "OfxPropType", 0, "OfxTypeImageEffectInstance");
    props_set_string(e->props, "OfxImageEffectPropContext", 0, context);
    props_set_pointer(e->props, "OfxPropInstanceData", 0, NULL);
    props_set_int(e->props, "OfxPropIsInteractive", 0, 0);
    e->params = params_instantiate(d->params);
    for (int i = 0; i < d->nclips; i++) {
        e->clips[i].name = strdup(d->clips[i].name);
        e->clips[i].props = props_clone(d->clips[i].props);
        props_set_string(e->clips[i].props, "OfxPropType", 0, "OfxTypeClip");
        props_set_int(e->clips[i].props, "OfxImageClipPropConnected", 0, 1);
        handle_add(&e->clips[i]);
    }
    e->nclips = d->nclips;
    return e;
}

void effect_free(Effect *e)
{
    if (!e) return;
    for (int i = 0; i < e->nclips; i++) {
        handle_remove(&e->clips[i]);
        props_free(e->clips[i].props);
        free(e->clips[i].name);
    }
    handle_remove(e);
    props_free(e->props);
    params_free(e->params);
    e->magic = 0;
    free(e);
}

Clip *effect_clip(Effect *e, const char *name)
{
    for (int i = 0; i < e->nclips; i++)
        if (!strcmp(e->clips[i].name, name)) return &e->clips[i];
    return NULL;
}

#define VALID_EFFECT(h) (handle_valid(h) && ((Effect *)(h))->magic == EFFECT_MAGIC)

static OfxStatus getPropertySet(void *effect, void **props)
{
    if (!VALID_EFFECT(effect) || !props) return kErrBadHandle;
    *props = ((Effect *)effect)->props;
    return kOk;
}

static OfxStatus getParamSet(void *effect, void **set)
{
    if (!VALID_EFFECT(effect) || !set) return kErrBadHandle;
    *set = ((Effect *)effect)->params;
    return kOk;
}

static OfxStatus clipDefine(void *effect, const char *name, void **props)
{
    if (!VALID_EFFECT(effect) || !name) return kErrBadHandle;
    Effect *e = effect;
    if (e->isInstance) return kErrBadHandle;
    Clip *c = effect_clip(e, name);
    if (!c) {
        if (e->nclips == 4) return kErrMemory;
        c = &e->clips[e->nclips++];
        c->name = strdup(name);
        c->props = props_new();
        props_set_string(c->props, "OfxPropName", 0, name);
        props_set_string(c->props, "OfxPropType", 0, "OfxTypeClip");
    }
    if (props) *props = c->props;
    return kOk;
}

static OfxStatus clipGetHandle(void *effect, const char *name, void **clip, void **props)
{
    if (!VALID_EFFECT(effect) || !name) return kErrBadHandle;
    Clip *c = effect_clip(effect, name);
    if (!c) return kErrUnknown;
    if (clip) *clip = c;
    if (props) *props = c->props;
    return kOk;
}

static OfxStatus clipGetPropertySet(void *clip, void **props)
{
    if (!handle_valid(clip)) return kErrBadHandle;
    *props = ((Clip *)clip)->props;
    return kOk;
}

/* An image property set over the clip's current frame (time is ignored: the test renders one frame at a time). */
static OfxStatus clipGetImage(void *clip, double time, const RectD *region, void **image)
{
    (void)time; (void)region;
    if (!handle_valid(clip) || !image) return kErrBadHandle;
    Clip *c = clip;
    if (!c->frame) return kFailed;
    Frame *f = c->frame;
    PropSet *ps = props_new();
    props_set_string(ps, "OfxPropType", 0, "OfxTypeImage");
    props_set_pointer(ps, "OfxImagePropData", 0, f->data);
    int bounds[4] = {f->x1, f->y1, f->x2, f->y2};
    for (int i = 3; i >= 0; i--) props_set_int(ps, "OfxImagePropBounds", i, bounds[i]);
    for (int i = 3; i >= 0; i--) props_set_int(ps, "OfxImagePropRegionOfDefinition", i, bounds[i]);
    props_set_int(ps, "OfxImagePropRowBytes", 0, (int)f->rowBytes);
    props_set_string(ps, "OfxImageEffectPropPixelDepth", 0, f->depth);
    props_set_string(ps, "OfxImageEffectPropComponents", 0, f->components);
    props_set_string(ps, "OfxImageEffectPropPreMultiplication", 0, "OfxImageAlphaPremultiplied");
    props_set_double(ps, "OfxImagePropPixelAspectRatio", 0, 1.0);
    props_set_string(ps, "OfxImagePropField", 0, "OfxFieldNone");
    props_set_string(ps, "OfxImagePropUniqueIdentifier", 0, c->name);
    *image = ps;
    g_images_out++;
    return kOk;
}

static OfxStatus clipReleaseImage(void *image)
{
    if (!handle_valid(image)) return kErrBadHandle;
    props_free(image);
    g_images_out--;
    return kOk;
}

static OfxStatus clipGetRegionOfDefinition(void *clip, double time, RectD *bounds)
{
    (void)time;
    if (!handle_valid(clip) || !bounds) return kErrBadHandle;
    Frame *f = ((Clip *)clip)->frame;
    if (!f) return kFailed;
    bounds->x1 = f->x1; bounds->y1 = f->y1; bounds->x2 = f->x2; bounds->y2 = f->y2;
    return kOk;
}

static int abort_(void *effect) { (void)effect; return 0; }

typedef struct Memory { unsigned magic; void *data; int locks; } Memory;

static OfxStatus imageMemoryAlloc(void *effect, size_t n, void **handle)
{
    (void)effect;
    Memory *m = calloc(1, sizeof *m);
    m->magic = MEMORY_MAGIC;
    m->data = malloc(n ? n : 1);
    if (!m->data) { free(m); return kErrMemory; }
    handle_add(m);
    *handle = m;
    return kOk;
}

static OfxStatus imageMemoryFree(void *handle)
{
    if (!handle_valid(handle)) return kErrBadHandle;
    Memory *m = handle;
    handle_remove(m);
    free(m->data);
    free(m);
    return kOk;
}

static OfxStatus imageMemoryLock(void *handle, void **p)
{
    if (!handle_valid(handle)) return kErrBadHandle;
    ((Memory *)handle)->locks++;
    *p = ((Memory *)handle)->data;
    return kOk;
}

static OfxStatus imageMemoryUnlock(void *handle)
{
    if (!handle_valid(handle)) return kErrBadHandle;
    ((Memory *)handle)->locks--;
    return kOk;
}

const void *g_image_effect_suite[] = {
    (void *)getPropertySet, (void *)getParamSet, (void *)clipDefine, (void *)clipGetHandle,
    (void *)clipGetPropertySet, (void *)clipGetImage, (void *)clipReleaseImage, (void *)clipGetRegionOfDefinition,
    (void *)abort_, (void *)imageMemoryAlloc, (void *)imageMemoryFree, (void *)imageMemoryLock, (void *)imageMemoryUnlock,
};
