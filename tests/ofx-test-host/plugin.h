#ifndef OFX_TEST_HOST_PLUGIN_H
#define OFX_TEST_HOST_PLUGIN_H
#include "host.h"
typedef struct Binary { void *dl; int (*count)(void); OfxPluginS *(*get)(int); } Binary;
typedef struct Loaded {
    OfxPluginS *plugin;
    Effect *descriptor, *contextDescriptor;
    const char *context;
    OfxStatus load, describe, describeInContext;
} Loaded;
int binary_load(const char *path, Binary *b);
OfxPluginS *binary_find(Binary *b, const char *id);
OfxStatus call(OfxPluginS *p, const char *action, void *handle, PropSet *in, PropSet *out);
int plugin_prepare(OfxPluginS *p, Loaded *l, const char *context);
Effect *instance_create(Loaded *l, OfxStatus *status);
OfxStatus instance_destroy(Loaded *l, Effect *e);
PropSet *render_args(double time, const int window[4], double scale, int draft);
long rss_kb(void);
#endif
