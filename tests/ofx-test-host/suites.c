/* The host's other suites: memory, multithread, message (recorded), progress, time line; fetchSuite. */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "host.h"

/* ---- memory ---- */
static OfxStatus memoryAlloc(void *handle, size_t n, void **data) { (void)handle; *data = malloc(n ? n : 1); return *data ? kOk : kErrMemory; }
static OfxStatus memoryFree(void *data) { free(data); return kOk; }
static const void *memory_suite[] = { (void *)memoryAlloc, (void *)memoryFree };

/* ---- multithread: real threads, joined before returning ---- */
typedef void (*ThreadFn)(unsigned int index, unsigned int max, void *arg);
typedef struct { ThreadFn fn; unsigned index, max; void *arg; } ThreadJob;
static __thread int spawned;
static __thread unsigned thread_index;

static void *thread_main(void *p)
{
    ThreadJob *j = p;
    spawned = 1;
    thread_index = j->index;
    j->fn(j->index, j->max, j->arg);
    return NULL;
}

static OfxStatus multiThread(ThreadFn fn, unsigned int n, void *arg)
{
    if (!fn) return kErrValue;
    if (n == 0) n = 1;
    pthread_t *t = calloc(n, sizeof *t);
    ThreadJob *jobs = calloc(n, sizeof *jobs);
    for (unsigned i = 0; i < n; i++) {
        jobs[i] = (ThreadJob){fn, i, n, arg};
        pthread_create(&t[i], NULL, thread_main, &jobs[i]);
    }
    for (unsigned i = 0; i < n; i++) pthread_join(t[i], NULL);
    free(t);
    free(jobs);
    return kOk;
}
static OfxStatus multiThreadNumCPUs(unsigned int *n) { long c = sysconf(_SC_NPROCESSORS_ONLN); *n = c > 0 ? (unsigned)c : 1; return kOk; }
static OfxStatus multiThreadIndex(unsigned int *i) { *i = thread_index; return kOk; }
static int multiThreadIsSpawnedThread(void) { return spawned; }
static OfxStatus mutexCreate(void **m, int lockCount)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_t *mx = malloc(sizeof *mx);
    pthread_mutex_init(mx, &a);
    for (int i = 0; i < lockCount; i++) pthread_mutex_lock(mx);
    *m = mx;
    return kOk;
}
static OfxStatus mutexDestroy(void *m) { pthread_mutex_destroy(m); free(m); return kOk; }
static OfxStatus mutexLock(void *m) { return pthread_mutex_lock(m) ? kFailed : kOk; }
static OfxStatus mutexUnLock(void *m) { return pthread_mutex_unlock(m) ? kFailed : kOk; }
static OfxStatus mutexTryLock(void *m) { return pthread_mutex_trylock(m) ? kFailed : kOk; }
static const void *multithread_suite[] = {
    (void *)multiThread, (void *)multiThreadNumCPUs, (void *)multiThreadIndex, (void *)multiThreadIsSpawnedThread,
    (void *)mutexCreate, (void *)mutexDestroy, (void *)mutexLock, (void *)mutexUnLock, (void *)mutexTryLock,
};

/* ---- message: every message is recorded and printed at the end ---- */
typedef struct { char *type, *id, *text; int persistent; } Message;
static Message *messages;
int g_messages, g_clears, g_no_persistent;

static OfxStatus record(void *handle, const char *type, const char *id, int persistent, const char *format, va_list ap)
{
    (void)handle;
    if (!type || !format) return kErrValue;
    char text[4096];
    vsnprintf(text, sizeof text, format, ap);
    messages = realloc(messages, (size_t)(g_messages + 1) * sizeof *messages);
    messages[g_messages++] = (Message){strdup(type), strdup(id ? id : ""), strdup(text), persistent};
    return kOk;
}

static OfxStatus message(void *handle, const char *type, const char *id, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    OfxStatus s = record(handle, type, id, 0, format, ap);
    va_end(ap);
    return s;
}

static OfxStatus setPersistentMessage(void *handle, const char *type, const char *id, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    OfxStatus s = record(handle, type, id, 1, format, ap);
    va_end(ap);
    return s;
}

static OfxStatus clearPersistentMessage(void *handle) { (void)handle; g_clears++; return kOk; }
static const void *message_suite[] = { (void *)message, (void *)setPersistentMessage, (void *)clearPersistentMessage };

static void json_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20) fprintf(f, "\\u%04x", *s);
        else fputc(*s, f);
    }
    fputc('"', f);
}

void messages_json(FILE *f)
{
    fputc('[', f);
    for (int i = 0; i < g_messages; i++) {
        fprintf(f, "%s{\"type\":", i ? "," : "");
        json_text(f, messages[i].type);
        fputs(",\"id\":", f);
        json_text(f, messages[i].id);
        fputs(",\"text\":", f);
        json_text(f, messages[i].text);
        fprintf(f, ",\"persistent\":%s}", messages[i].persistent ? "true" : "false");
    }
    fputc(']', f);
}

/* ---- progress and time line ---- */
static OfxStatus progressStart(void *e, const char *label, const char *id) { (void)e; (void)label; (void)id; return kOk; }
static OfxStatus progressUpdate(void *e, double p) { (void)e; (void)p; return kOk; }
static OfxStatus progressEnd(void *e) { (void)e; return kOk; }
static const void *progress_suite[] = { (void *)progressStart, (void *)progressUpdate, (void *)progressEnd };

static OfxStatus getTime(void *e, double *t) { (void)e; *t = g_current_time; return kOk; }
static OfxStatus gotoTime(void *e, double t) { (void)e; g_current_time = t; return kOk; }
static OfxStatus getTimeBounds(void *e, double *a, double *b) { (void)e; *a = 0; *b = 1000; return kOk; }
static const void *timeline_suite[] = { (void *)getTime, (void *)gotoTime, (void *)getTimeBounds };

/* ---- the host ---- */
static PropSet *host;

PropSet *host_props(void)
{
    if (!host) {
        host = props_new();
        props_set_string(host, "OfxPropType", 0, "OfxTypeImageEffectHost");
        props_set_string(host, "OfxPropName", 0, "org.dflcomposite.testhost");
        props_set_string(host, "OfxPropLabel", 0, "DFLComposite test host");
        props_set_int(host, "OfxPropAPIVersion", 0, 1);
        props_set_int(host, "OfxPropAPIVersion", 1, 5);
        props_set_int(host, "OfxImageEffectHostPropIsBackground", 0, 1);
        props_set_int(host, "OfxImageEffectPropSupportsOverlays", 0, 0);
        props_set_int(host, "OfxImageEffectPropSupportsMultiResolution", 0, 1);
        props_set_int(host, "OfxImageEffectPropSupportsTiles", 0, 1);
        props_set_int(host, "OfxImageEffectPropTemporalClipAccess", 0, 0);
        props_set_string(host, "OfxImageEffectPropSupportedComponents", 0, "OfxImageComponentRGBA");
        props_set_string(host, "OfxImageEffectPropSupportedComponents", 1, "OfxImageComponentRGB");
        props_set_string(host, "OfxImageEffectPropSupportedContexts", 0, "OfxImageEffectContextFilter");
        props_set_string(host, "OfxImageEffectPropSupportedContexts", 1, "OfxImageEffectContextGeneral");
        props_set_int(host, "OfxParamHostPropMaxParameters", 0, -1);
        props_set_int(host, "OfxParamHostPropMaxPages", 0, 0);
        props_set_string(host, "OfxImageEffectPluginRenderThreadSafety", 0, "OfxImageEffectRenderInstanceSafe");
    }
    return host;
}

const void *fetch_suite(void *h, const char *name, int version)
{
    if (h != host || !name) return NULL;
    if (!strcmp(name, "OfxPropertySuite") && version == 1) return g_property_suite;
    if (!strcmp(name, "OfxImageEffectSuite") && version == 1) return g_image_effect_suite;
    if (!strcmp(name, "OfxParameterSuite") && version == 1) return g_parameter_suite;
    if (!strcmp(name, "OfxMemorySuite") && version == 1) return memory_suite;
    if (!strcmp(name, "OfxMultiThreadSuite") && version == 1) return multithread_suite;
    if (!strcmp(name, "OfxMessageSuite") && (version == 1 || (version == 2 && !g_no_persistent))) return message_suite;
    if (!strcmp(name, "OfxProgressSuite") && version == 2) return progress_suite;
    if (!strcmp(name, "OfxTimeLineSuite") && version == 1) return timeline_suite;
    return NULL;
}
