/* Bad calls a careless or buggy host could make: each must come back as a status, never a crash. */
#include <stdlib.h>
#include <string.h>
#include "frames.h"
#include "plugin.h"

static int first = 1;

static void report(const char *name, OfxStatus s)
{
    printf("%s{\"case\":\"%s\",\"status\":%d}", first ? "" : ",", name, s);
    first = 0;
    fflush(stdout);
}

int badhandles(Binary *b, const void *unused, Loaded *l);

static PropSet *window_args(double time)
{
    int win[4] = {0, 0, 8, 8};
    return render_args(time, win, 1, 0);
}

int badhandles(Binary *b, const void *unused, Loaded *l)
{
    (void)unused;
    OfxPluginS *p = l->plugin;
    printf("{\"cases\":[");
    report("load again", call(p, "OfxActionLoad", NULL, NULL, NULL));
    report("null action", call(p, NULL, l->descriptor, NULL, NULL));
    report("describe with null handle", call(p, "OfxActionDescribe", NULL, NULL, NULL));
    report("describe with unknown handle", call(p, "OfxActionDescribe", (void *)0x1234, NULL, NULL));
    report("create with unknown handle", call(p, "OfxActionCreateInstance", (void *)0x1234, NULL, NULL));

    PropSet *in = window_args(0);
    report("render with null handle", call(p, "OfxImageEffectActionRender", NULL, in, NULL));
    report("render with unknown handle", call(p, "OfxImageEffectActionRender", (void *)0x1234, in, NULL));
    Effect *never = effect_instantiate(l->contextDescriptor, l->context);
    report("render an instance never created", call(p, "OfxImageEffectActionRender", never, in, NULL));
    effect_free(never);

    OfxStatus c;
    Effect *e = instance_create(l, &c);
    report("create", c);
    report("unknown action", call(p, "OfxActionNoSuchThing", e, NULL, NULL));
    report("render with null inArgs", call(p, "OfxImageEffectActionRender", e, NULL, NULL));
    PropSet *timeOnly = props_new();
    props_set_double(timeOnly, "OfxPropTime", 0, 0);
    report("render without a render window", call(p, "OfxImageEffectActionRender", e, timeOnly, NULL));
    props_free(timeOnly);
    report("render without images", call(p, "OfxImageEffectActionRender", e, in, NULL));
    Frame *src = frame_new(0, 0, 8, 8, "OfxBitDepthByte", "OfxImageComponentRGBA", 0);
    Frame *dst = frame_new(0, 0, 8, 8, "OfxBitDepthFloat", "OfxImageComponentRGBA", 0);
    effect_clip(e, "Source")->frame = src;
    effect_clip(e, "Output")->frame = dst;
    report("render with source and output of different depths", call(p, "OfxImageEffectActionRender", e, in, NULL));
    effect_clip(e, "Source")->frame = NULL;
    effect_clip(e, "Output")->frame = NULL;
    report("get region of definition with null args", call(p, "OfxImageEffectActionGetRegionOfDefinition", e, NULL, NULL));
    report("is identity with null args", call(p, "OfxImageEffectActionIsIdentity", e, NULL, NULL));
    report("instance changed with null args", call(p, "OfxActionInstanceChanged", e, NULL, NULL));

    /* An instance of one plug-in handed to the other plug-in's entry point. */
    for (int i = 0, n = b->count(); i < n; i++) {
        OfxPluginS *other = b->get(i);
        if (other && other != p) {
            Loaded lo;
            plugin_prepare(other, &lo, l->context);
            report("instance of another plug-in", call(other, "OfxImageEffectActionRender", e, in, NULL));
        }
    }

    report("destroy", call(p, "OfxActionDestroyInstance", e, NULL, NULL));
    report("destroy again", call(p, "OfxActionDestroyInstance", e, NULL, NULL));
    report("render after destroy", call(p, "OfxImageEffectActionRender", e, in, NULL));
    effect_free(e);
    props_free(in);
    report("OfxGetPlugin(-1) is null", b->get(-1) == NULL ? kOk : kFailed);
    report("OfxGetPlugin(99) is null", b->get(99) == NULL ? kOk : kFailed);
    frame_free(src);
    frame_free(dst);
    printf("],\"survived\":true}\n");
    return 0;
}
