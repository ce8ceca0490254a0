/* Loading a plug-in binary and calling its actions. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "plugin.h"

static OfxHostS host_struct;

/* A .ofx file, or a NAME.ofx.bundle folder (Contents/Linux-x86-64/NAME.ofx). */
int binary_load(const char *path, Binary *b)
{
    char file[4096];
    size_t n = strlen(path);
    if (n > 11 && !strcmp(path + n - 11, ".ofx.bundle")) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        snprintf(file, sizeof file, "%s/Contents/Linux-x86-64/%.*s", path, (int)(strlen(base) - 7), base);
    } else snprintf(file, sizeof file, "%s", path);
    b->dl = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!b->dl) { fprintf(stderr, "dlopen %s: %s\n", file, dlerror()); return -1; }
    b->count = (int (*)(void))dlsym(b->dl, "OfxGetNumberOfPlugins");
    b->get = (OfxPluginS * (*)(int)) dlsym(b->dl, "OfxGetPlugin");
    if (!b->count || !b->get) { fprintf(stderr, "%s: no OfxGetNumberOfPlugins/OfxGetPlugin\n", file); return -1; }
    host_struct.host = host_props();
    host_struct.fetchSuite = fetch_suite;
    return 0;
}

OfxPluginS *binary_find(Binary *b, const char *id)
{
    for (int i = 0, n = b->count(); i < n; i++) {
        OfxPluginS *p = b->get(i);
        if (p && id && !strcmp(p->pluginIdentifier, id)) return p;
    }
    return NULL;
}

OfxStatus call(OfxPluginS *p, const char *action, void *handle, PropSet *in, PropSet *out)
{
    return p->mainEntry(action, handle, in, out);
}

/* setHost, Load, Describe and DescribeInContext; the descriptors are kept in the Loaded struct. */
int plugin_prepare(OfxPluginS *p, Loaded *l, const char *context)
{
    memset(l, 0, sizeof *l);
    l->plugin = p;
    p->setHost(&host_struct);
    l->load = call(p, "OfxActionLoad", NULL, NULL, NULL);
    l->descriptor = effect_new(0);
    l->describe = call(p, "OfxActionDescribe", l->descriptor, NULL, NULL);
    l->context = context;
    l->contextDescriptor = effect_new(0);
    props_free(l->contextDescriptor->props);
    l->contextDescriptor->props = props_clone(l->descriptor->props);
    PropSet *in = props_new();
    props_set_string(in, "OfxImageEffectPropContext", 0, context);
    l->describeInContext = call(p, "OfxImageEffectActionDescribeInContext", l->contextDescriptor, in, NULL);
    props_free(in);
    return l->load == kOk && l->describe == kOk && l->describeInContext == kOk ? 0 : -1;
}

Effect *instance_create(Loaded *l, OfxStatus *status)
{
    Effect *e = effect_instantiate(l->contextDescriptor, l->context);
    *status = call(l->plugin, "OfxActionCreateInstance", e, NULL, NULL);
    return e;
}

OfxStatus instance_destroy(Loaded *l, Effect *e)
{
    OfxStatus s = call(l->plugin, "OfxActionDestroyInstance", e, NULL, NULL);
    effect_free(e);
    return s;
}

PropSet *render_args(double time, const int window[4], double scale, int draft)
{
    PropSet *in = props_new();
    props_set_double(in, "OfxPropTime", 0, time);
    props_set_string(in, "OfxImageEffectPropFieldToRender", 0, "OfxFieldNone");
    for (int i = 3; i >= 0; i--) props_set_int(in, "OfxImageEffectPropRenderWindow", i, window[i]);
    props_set_double(in, "OfxImageEffectPropRenderScale", 1, scale);
    props_set_double(in, "OfxImageEffectPropRenderScale", 0, scale);
    props_set_int(in, "OfxImageEffectPropSequentialRenderStatus", 0, 0);
    props_set_int(in, "OfxImageEffectPropInteractiveRenderStatus", 0, 0);
    props_set_int(in, "OfxImageEffectPropRenderQualityDraft", 0, draft);
    return in;
}

long rss_kb(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = -1;
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}
