/*
 * ofx-test-host: drives an OpenFX plug-in binary for tests and prints JSON on stdout.
 *
 *   ofx-test-host describe BINARY
 *   ofx-test-host render BINARY --plugin ID [options]
 *   ofx-test-host cycles BINARY --plugin ID --n N [options]    (an instance per frame, RSS sampled)
 *   ofx-test-host badhandles BINARY --plugin ID
 *
 * options: --context filter|general  --depth byte|short|float  --components RGBA|RGB  --input FILE.png
 *          --size WxH  --frames A-B  --mlt  --scale S  --bounds X1,Y1,X2,Y2 (output image and render window)
 *          (--input may be a printf pattern, frames/%06d.png, for one file per frame)
 *          --draft  --no-persistent  --param NAME=VALUE  --key NAME@TIME=VALUE  --press PARAM  --out-dir DIR
 *          --video CLIP (decode the clip with ffmpeg, frame N at time N, as an editor's timeline does)
 *          --encode OUT.mp4 (encode the output with ffmpeg, libx264 crf 18 veryfast as dflc merge does, and print
 *          no per-frame hashes: the speed benchmark's mode)
 * BINARY is a .ofx file or a NAME.ofx.bundle folder.
 */
#include <stdlib.h>
#include <string.h>
#include "frames.h"
#include "plugin.h"

typedef struct Options {
    const char *command, *binary, *plugin, *context, *depth, *components, *input, *outDir, *press, *video, *encode;
    int width, height, first, last, mlt, draft, n, hasBounds, bounds[4];
    double scale;
    const char *params[64], *keys[64];
    int nparams, nkeys;
} Options;

static const char *full_depth(const char *d)
{
    return !strcmp(d, "short") ? "OfxBitDepthShort" : !strcmp(d, "float") ? "OfxBitDepthFloat" : "OfxBitDepthByte";
}

static int parse(int argc, char **argv, Options *o)
{
    memset(o, 0, sizeof *o);
    o->context = "OfxImageEffectContextFilter"; o->depth = "OfxBitDepthByte"; o->components = "OfxImageComponentRGBA";
    o->width = 64; o->height = 48; o->scale = 1; o->n = 100;
    if (argc < 3) return -1;
    o->command = argv[1];
    o->binary = argv[2];
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--mlt")) { o->mlt = 1; continue; }
        if (!strcmp(a, "--draft")) { o->draft = 1; continue; }
        if (!strcmp(a, "--no-persistent")) { g_no_persistent = 1; continue; }
        if (!v) return -1;
        i++;
        if (!strcmp(a, "--plugin")) o->plugin = v;
        else if (!strcmp(a, "--context")) o->context = !strcmp(v, "general") ? "OfxImageEffectContextGeneral" : "OfxImageEffectContextFilter";
        else if (!strcmp(a, "--depth")) o->depth = full_depth(v);
        else if (!strcmp(a, "--components")) o->components = !strcmp(v, "RGB") ? "OfxImageComponentRGB" : "OfxImageComponentRGBA";
        else if (!strcmp(a, "--input")) o->input = v;
        else if (!strcmp(a, "--size")) sscanf(v, "%dx%d", &o->width, &o->height);
        else if (!strcmp(a, "--frames")) { if (sscanf(v, "%d-%d", &o->first, &o->last) == 1) o->last = o->first; }
        else if (!strcmp(a, "--scale")) o->scale = atof(v);
        else if (!strcmp(a, "--bounds")) o->hasBounds = sscanf(v, "%d,%d,%d,%d", &o->bounds[0], &o->bounds[1], &o->bounds[2], &o->bounds[3]) == 4;
        else if (!strcmp(a, "--param") && o->nparams < 64) o->params[o->nparams++] = v;
        else if (!strcmp(a, "--key") && o->nkeys < 64) o->keys[o->nkeys++] = v;
        else if (!strcmp(a, "--press")) o->press = v;
        else if (!strcmp(a, "--out-dir")) o->outDir = v;
        else if (!strcmp(a, "--video")) o->video = v;
        else if (!strcmp(a, "--encode")) o->encode = v;
        else if (!strcmp(a, "--n")) o->n = atoi(v);
        else return -1;
    }
    return 0;
}

/* ---- describe ---- */
static int describe(Binary *b)
{
    int n = b->count();
    printf("{\"count\":%d,\"plugins\":[", n);
    for (int i = 0; i < n; i++) {
        OfxPluginS *p = b->get(i);
        Loaded l;
        plugin_prepare(p, &l, "OfxImageEffectContextFilter");
        OfxStatus load2 = call(p, "OfxActionLoad", NULL, NULL, NULL);
        Effect *again = effect_new(0);
        OfxStatus describe2 = call(p, "OfxActionDescribe", again, NULL, NULL);
        printf("%s{\"id\":\"%s\",\"api\":\"%s\",\"apiVersion\":%d,\"version\":[%u,%u],\"load\":%d,\"load2\":%d,\"describe\":%d,\"describe2\":%d,\"props\":",
               i ? "," : "", p->pluginIdentifier, p->pluginApi, p->apiVersion, p->versionMajor, p->versionMinor, l.load, load2, l.describe, describe2);
        props_json(stdout, l.descriptor->props);
        printf(",\"contexts\":{");
        Prop *contexts = props_find(l.descriptor->props, "OfxImageEffectPropSupportedContexts");
        for (int c = 0; contexts && c < contexts->dim; c++) {
            Loaded lc;
            plugin_prepare(p, &lc, contexts->v.s[c]);
            printf("%s\"%s\":{\"status\":%d,\"clips\":{", c ? "," : "", contexts->v.s[c], lc.describeInContext);
            for (int k = 0; k < lc.contextDescriptor->nclips; k++) {
                printf("%s\"%s\":", k ? "," : "", lc.contextDescriptor->clips[k].name);
                props_json(stdout, lc.contextDescriptor->clips[k].props);
            }
            printf("},\"params\":");
            params_json(stdout, lc.contextDescriptor->params);
            printf("}");
        }
        printf("}}");
    }
    printf("]}\n");
    return 0;
}

/* ---- render ---- */
typedef struct Source { unsigned char *canon; int w, h; } Source;

static Source make_source(const Options *o, int time)
{
    Source s = {0};
    int comps = !strcmp(o->components, "OfxImageComponentRGBA") ? 4 : 3;
    if (o->video) {
        s.canon = clip_next(time, &s.w, &s.h, comps);
        if (!s.canon) { fprintf(stderr, "cannot decode frame %d of %s\n", time, o->video); exit(2); }
    } else if (o->input) {
        int ch = 0;
        /* a pattern such as frames/%06d.png names one file per frame (a clip), else the same picture every frame */
        char path[4096];
        if (strchr(o->input, '%')) snprintf(path, sizeof path, o->input, time);
        else snprintf(path, sizeof path, "%s", o->input);
        unsigned char *px = png_read(path, &s.w, &s.h, &ch);
        if (!px) { fprintf(stderr, "cannot read %s\n", path); exit(2); }
        s.canon = canon_from_png(px, s.w, s.h, ch, o->depth, comps);
        free(px);
    } else {
        s.w = o->width; s.h = o->height;
        s.canon = canon_random((size_t)s.w * s.h * comps * depth_bytes(o->depth), (uint64_t)time + 7);
    }
    return s;
}

static void apply_params(const Options *o, Effect *e)
{
    for (int i = 0; i < o->nparams; i++) {
        char name[256];
        const char *eq = strchr(o->params[i], '=');
        if (!eq) continue;
        snprintf(name, sizeof name, "%.*s", (int)(eq - o->params[i]), o->params[i]);
        params_assign(e->params, name, eq + 1);
    }
    for (int i = 0; i < o->nkeys; i++) {
        char name[256];
        double t = 0, v = 0;
        const char *at = strchr(o->keys[i], '@');
        if (!at || sscanf(at + 1, "%lf=%lf", &t, &v) != 2) continue;
        snprintf(name, sizeof name, "%.*s", (int)(at - o->keys[i]), o->keys[i]);
        params_add_key(e->params, name, t, v);
    }
}

/* Renders one frame of an existing instance; prints its JSON object. */
static void render_frame(const Options *o, Loaded *l, Effect *e, int time, int first)
{
    Source s = make_source(o, time);
    Frame *src = frame_new(0, 0, s.w, s.h, o->depth, o->components, o->mlt);
    frame_fill(src, s.canon);
    int win[4] = {0, 0, s.w, s.h};
    if (o->hasBounds) memcpy(win, o->bounds, sizeof win);
    Frame *dst = frame_new(win[0], win[1], win[2], win[3], o->depth, o->components, o->mlt);
    memset(dst->base, 0xCD, (size_t)labs(dst->rowBytes) * (win[3] - win[1]));
    effect_clip(e, "Source")->frame = src;
    effect_clip(e, "Output")->frame = dst;
    g_current_time = time;
    PropSet *in = render_args(time, win, o->scale, o->draft);
    OfxStatus status = call(l->plugin, "OfxImageEffectActionRender", e, in, NULL);
    props_free(in);
    size_t n1, n2;
    if (o->encode) {
        /* the benchmark's mode: the output goes to the encoder, as an editor's render does; no hashing */
        clip_encode(dst, win);
        printf("%s{\"time\":%d,\"status\":%d}", first ? "" : ",", time, status);
        effect_clip(e, "Source")->frame = NULL;
        effect_clip(e, "Output")->frame = NULL;
        free(s.canon);
        frame_free(src); frame_free(dst);
        return;
    }
    unsigned char *out = frame_read(dst, win[0], win[1], win[2], win[3], &n1);
    unsigned char *ref = frame_read(src, win[0], win[1], win[2], win[3], &n2);
    size_t diff = 0;
    for (size_t i = 0; i < n1; i++) diff += out[i] != ref[i];
    printf("%s{\"time\":%d,\"status\":%d,\"identical\":%s,\"differentBytes\":%zu,\"inputHash\":\"%016llx\",\"outputHash\":\"%016llx\"}",
           first ? "" : ",", time, status, diff == 0 ? "true" : "false", diff,
           (unsigned long long)fnv1a(ref, n2), (unsigned long long)fnv1a(out, n1));
    if (o->outDir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/output_%d.raw", o->outDir, time);
        FILE *f = fopen(path, "wb"); if (f) { fwrite(out, 1, n1, f); fclose(f); }
        snprintf(path, sizeof path, "%s/input_%d.raw", o->outDir, time);
        f = fopen(path, "wb"); if (f) { fwrite(ref, 1, n2, f); fclose(f); }
        if (depth_bytes(o->depth) == 1) {
            snprintf(path, sizeof path, "%s/output_%d.png", o->outDir, time);
            png_write(path, out, win[2] - win[0], win[3] - win[1], dst->bpp);
        }
    }
    effect_clip(e, "Source")->frame = NULL;
    effect_clip(e, "Output")->frame = NULL;
    free(out); free(ref); free(s.canon);
    frame_free(src); frame_free(dst);
}

static int render(const Options *o, Loaded *l)
{
    if (o->video && clip_open(o->video, o->encode, o->depth, o->components) != 0) return 2;
    printf("{\"plugin\":\"%s\",\"mlt\":%s,\"frames\":[", o->plugin, o->mlt ? "true" : "false");
    OfxStatus created = kOk, destroyed = kOk;
    if (o->mlt) {
        /* MLT: a new instance for every frame, no sequence or instance-changed actions, never unloaded. */
        g_mlt_ignore_time = 1;
        for (int t = o->first; t <= o->last; t++) {
            OfxStatus c;
            Effect *e = instance_create(l, &c);
            created = c != kOk ? c : created;
            apply_params(o, e);
            render_frame(o, l, e, t, t == o->first);
            OfxStatus d = instance_destroy(l, e);
            destroyed = d != kOk ? d : destroyed;
        }
        printf("]");
    } else {
        Effect *e = instance_create(l, &created);
        apply_params(o, e);
        if (o->press) {
            PropSet *in = props_new();
            props_set_string(in, "OfxPropType", 0, "OfxTypeParameter");
            props_set_string(in, "OfxPropName", 0, o->press);
            props_set_string(in, "OfxPropChangeReason", 0, "OfxChangeUserEdited");
            props_set_double(in, "OfxPropTime", 0, o->first);
            props_set_double(in, "OfxImageEffectPropRenderScale", 1, 1);
            props_set_double(in, "OfxImageEffectPropRenderScale", 0, 1);
            call(l->plugin, "OfxActionInstanceChanged", e, in, NULL);
            props_free(in);
        }
        PropSet *seq = props_new();
        props_set_double(seq, "OfxImageEffectPropFrameRange", 1, o->last);
        props_set_double(seq, "OfxImageEffectPropFrameRange", 0, o->first);
        props_set_double(seq, "OfxImageEffectPropFrameStep", 0, 1);
        props_set_int(seq, "OfxPropIsInteractive", 0, 0);
        props_set_double(seq, "OfxImageEffectPropRenderScale", 1, o->scale);
        props_set_double(seq, "OfxImageEffectPropRenderScale", 0, o->scale);
        PropSet *prefs = props_new();
        call(l->plugin, "OfxImageEffectActionGetClipPreferences", e, NULL, prefs);
        call(l->plugin, "OfxImageEffectActionBeginSequenceRender", e, seq, NULL);
        for (int t = o->first; t <= o->last; t++) render_frame(o, l, e, t, t == o->first);
        call(l->plugin, "OfxImageEffectActionEndSequenceRender", e, seq, NULL);
        props_free(seq);
        printf("],\"clipPreferences\":");
        props_json(stdout, prefs);
        props_free(prefs);
        destroyed = instance_destroy(l, e);
        call(l->plugin, "OfxActionUnload", NULL, NULL, NULL);
    }
    printf(",\"create\":%d,\"destroy\":%d,\"imagesNotReleased\":%d,\"clears\":%d,\"messages\":", created, destroyed, g_images_out, g_clears);
    messages_json(stdout);
    printf("}\n");
    return o->video ? clip_close() : 0;
}

/* ---- create/render/destroy cycles, MLT style, with resident memory sampled ---- */
static int cycles(const Options *o, Loaded *l)
{
    Source s = make_source(o, 0);
    Frame *src = frame_new(0, 0, s.w, s.h, o->depth, o->components, 1);
    Frame *dst = frame_new(0, 0, s.w, s.h, o->depth, o->components, 1);
    frame_fill(src, s.canon);
    int win[4] = {0, 0, s.w, s.h}, failures = 0;
    printf("{\"cycles\":%d,\"rssKb\":[", o->n);
    for (int i = 1; i <= o->n; i++) {
        OfxStatus c;
        Effect *e = instance_create(l, &c);
        effect_clip(e, "Source")->frame = src;
        effect_clip(e, "Output")->frame = dst;
        PropSet *in = render_args(i, win, 1, 0);
        OfxStatus r = call(l->plugin, "OfxImageEffectActionRender", e, in, NULL);
        props_free(in);
        OfxStatus d = instance_destroy(l, e);
        failures += c != kOk || r != kOk || d != kOk;
        if (i == 1 || i % 100 == 0) printf("%s[%d,%ld]", i == 1 ? "" : ",", i, rss_kb());
        fflush(stdout);
    }
    printf("],\"failures\":%d,\"imagesNotReleased\":%d,\"messages\":%d}\n", failures, g_images_out, g_messages);
    free(s.canon);
    frame_free(src); frame_free(dst);
    return 0;
}

int badhandles(Binary *b, const void *o, Loaded *l);

int main(int argc, char **argv)
{
    Options o;
    Binary b;
    if (parse(argc, argv, &o) != 0) { fprintf(stderr, "usage: see the header of main.c\n"); return 2; }
    if (binary_load(o.binary, &b) != 0) return 3;
    if (!strcmp(o.command, "describe")) return describe(&b);
    OfxPluginS *p = binary_find(&b, o.plugin);
    if (!p) { fprintf(stderr, "no plug-in %s\n", o.plugin ? o.plugin : "(none)"); return 4; }
    Loaded l;
    if (plugin_prepare(p, &l, o.context) != 0) {
        fprintf(stderr, "load %d describe %d describeInContext %d\n", l.load, l.describe, l.describeInContext);
        return 5;
    }
    if (!strcmp(o.command, "render")) return render(&o, &l);
    if (!strcmp(o.command, "cycles")) return cycles(&o, &l);
    if (!strcmp(o.command, "badhandles")) return badhandles(&b, &o, &l);
    fprintf(stderr, "unknown command %s\n", o.command);
    return 2;
}
