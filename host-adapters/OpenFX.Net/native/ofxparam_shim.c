/*
 * Fixed-signature wrappers around the variadic functions of the OpenFX C API.
 *
 * The parameter suite's value functions (paramGetValue, paramGetValueAtTime, paramGetDerivative,
 * paramGetIntegral, paramSetValue, paramSetValueAtTime) and the message suite's message functions are C
 * variadics. .NET calls variadic functions only on Windows, so OpenFX.Net calls these wrappers instead: each
 * takes the host's function pointer, plus the values as a contiguous array of 1..4 ints or doubles (a param's
 * dimension), and makes the variadic call with the right argument types. Written for this project from the
 * OpenFX 1.5 specification; it includes no OpenFX header (the handful of types it needs are plain pointers).
 *
 * Built into a static library by host-adapters/OpenFX.Net/native/OfxShim.targets and linked into the NativeAOT
 * library (DirectPInvoke "ofxparam_shim").
 */
#if !defined(_WIN32) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* dladdr */
#endif
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#include <windows.h>
#else
#include <dlfcn.h>
#endif

#define STAT_OK 0
#define STAT_BAD_HANDLE 9
#define STAT_ERR_VALUE 11

typedef int (*get_fn)(void *param, ...);
typedef int (*get_at_fn)(void *param, double time, ...);
typedef int (*integral_fn)(void *param, double time1, double time2, ...);
typedef int (*message_fn)(void *handle, const char *type, const char *id, const char *format, ...);

#define CHECK(fn, out, n) \
    if ((fn) == NULL) return STAT_BAD_HANDLE; \
    if ((out) == NULL || (n) < 1 || (n) > 4) return STAT_ERR_VALUE;

/* ---- paramGetValue: int / bool / choice (int*), double (double*), string (char**) ---- */

int ofxshim_get_ints(void *fn, void *param, int *out, int n)
{
    get_fn f = (get_fn)fn;
    CHECK(f, out, n);
    switch (n) {
    case 1: return f(param, &out[0]);
    case 2: return f(param, &out[0], &out[1]);
    case 3: return f(param, &out[0], &out[1], &out[2]);
    default: return f(param, &out[0], &out[1], &out[2], &out[3]);
    }
}

int ofxshim_get_doubles(void *fn, void *param, double *out, int n)
{
    get_fn f = (get_fn)fn;
    CHECK(f, out, n);
    switch (n) {
    case 1: return f(param, &out[0]);
    case 2: return f(param, &out[0], &out[1]);
    case 3: return f(param, &out[0], &out[1], &out[2]);
    default: return f(param, &out[0], &out[1], &out[2], &out[3]);
    }
}

int ofxshim_get_string(void *fn, void *param, const char **out)
{
    get_fn f = (get_fn)fn;
    CHECK(f, out, 1);
    return f(param, out);
}

/* ---- paramGetValueAtTime and paramGetDerivative (same shape: param, time, outputs...) ---- */

int ofxshim_get_ints_at(void *fn, void *param, double time, int *out, int n)
{
    get_at_fn f = (get_at_fn)fn;
    CHECK(f, out, n);
    switch (n) {
    case 1: return f(param, time, &out[0]);
    case 2: return f(param, time, &out[0], &out[1]);
    case 3: return f(param, time, &out[0], &out[1], &out[2]);
    default: return f(param, time, &out[0], &out[1], &out[2], &out[3]);
    }
}

int ofxshim_get_doubles_at(void *fn, void *param, double time, double *out, int n)
{
    get_at_fn f = (get_at_fn)fn;
    CHECK(f, out, n);
    switch (n) {
    case 1: return f(param, time, &out[0]);
    case 2: return f(param, time, &out[0], &out[1]);
    case 3: return f(param, time, &out[0], &out[1], &out[2]);
    default: return f(param, time, &out[0], &out[1], &out[2], &out[3]);
    }
}

int ofxshim_get_string_at(void *fn, void *param, double time, const char **out)
{
    get_at_fn f = (get_at_fn)fn;
    CHECK(f, out, 1);
    return f(param, time, out);
}

/* ---- paramGetIntegral (param, time1, time2, outputs...) ---- */

int ofxshim_get_doubles_integral(void *fn, void *param, double time1, double time2, double *out, int n)
{
    integral_fn f = (integral_fn)fn;
    CHECK(f, out, n);
    switch (n) {
    case 1: return f(param, time1, time2, &out[0]);
    case 2: return f(param, time1, time2, &out[0], &out[1]);
    case 3: return f(param, time1, time2, &out[0], &out[1], &out[2]);
    default: return f(param, time1, time2, &out[0], &out[1], &out[2], &out[3]);
    }
}

/* ---- paramSetValue: values are passed by value (int, double or const char*) ---- */

int ofxshim_set_ints(void *fn, void *param, const int *v, int n)
{
    get_fn f = (get_fn)fn;
    CHECK(f, v, n);
    switch (n) {
    case 1: return f(param, v[0]);
    case 2: return f(param, v[0], v[1]);
    case 3: return f(param, v[0], v[1], v[2]);
    default: return f(param, v[0], v[1], v[2], v[3]);
    }
}

int ofxshim_set_doubles(void *fn, void *param, const double *v, int n)
{
    get_fn f = (get_fn)fn;
    CHECK(f, v, n);
    switch (n) {
    case 1: return f(param, v[0]);
    case 2: return f(param, v[0], v[1]);
    case 3: return f(param, v[0], v[1], v[2]);
    default: return f(param, v[0], v[1], v[2], v[3]);
    }
}

int ofxshim_set_string(void *fn, void *param, const char *v)
{
    get_fn f = (get_fn)fn;
    CHECK(f, v, 1);
    return f(param, v);
}

/* ---- paramSetValueAtTime ---- */

int ofxshim_set_ints_at(void *fn, void *param, double time, const int *v, int n)
{
    get_at_fn f = (get_at_fn)fn;
    CHECK(f, v, n);
    switch (n) {
    case 1: return f(param, time, v[0]);
    case 2: return f(param, time, v[0], v[1]);
    case 3: return f(param, time, v[0], v[1], v[2]);
    default: return f(param, time, v[0], v[1], v[2], v[3]);
    }
}

int ofxshim_set_doubles_at(void *fn, void *param, double time, const double *v, int n)
{
    get_at_fn f = (get_at_fn)fn;
    CHECK(f, v, n);
    switch (n) {
    case 1: return f(param, time, v[0]);
    case 2: return f(param, time, v[0], v[1]);
    case 3: return f(param, time, v[0], v[1], v[2]);
    default: return f(param, time, v[0], v[1], v[2], v[3]);
    }
}

int ofxshim_set_string_at(void *fn, void *param, double time, const char *v)
{
    get_at_fn f = (get_at_fn)fn;
    CHECK(f, v, 1);
    return f(param, time, v);
}

/* ---- message suite: message / setPersistentMessage take a printf format; the text goes through "%s" ---- */

int ofxshim_message(void *fn, void *handle, const char *type, const char *id, const char *text)
{
    message_fn f = (message_fn)fn;
    if (f == NULL) return STAT_BAD_HANDLE;
    if (type == NULL || text == NULL) return STAT_ERR_VALUE;
    return f(handle, type, id, "%s", text);
}

/* ---- where this library was loaded from (the .ofx inside its bundle) ---- */

int ofxshim_module_path(char *buffer, int size)
{
    if (buffer == NULL || size < 2) return STAT_ERR_VALUE;
#if defined(_WIN32)
    HMODULE module = NULL;
    if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCSTR)(void *)&ofxshim_module_path, &module))
        return 1;
    DWORD n = GetModuleFileNameA(module, buffer, (DWORD)size);
    if (n == 0 || n >= (DWORD)size) return 1;
    return STAT_OK;
#else
    Dl_info info;
    if (dladdr((void *)&ofxshim_module_path, &info) == 0 || info.dli_fname == NULL) return 1;
    size_t i = 0;
    for (; info.dli_fname[i] != '\0'; i++) {
        if (i + 1 >= (size_t)size) return 1;
        buffer[i] = info.dli_fname[i];
    }
    buffer[i] = '\0';
    return STAT_OK;
#endif
}

/* ---- files removed when the host process exits ----
 * A plug-in cannot rely on kOfxActionUnload (MLT never sends it) and a NativeAOT library gets no managed
 * process-exit event, so files it keeps for the life of the process (shared-memory frames) are registered here
 * and unlinked by an atexit handler. A crash or kill skips it; the next process removes such leftovers. */

#define TRACKED_MAX 64
#define TRACKED_PATH 1024
static char tracked[TRACKED_MAX][TRACKED_PATH];
static atomic_flag tracked_lock = ATOMIC_FLAG_INIT;
static int tracked_hooked;

static void tracked_remove_all(void)
{
    for (int i = 0; i < TRACKED_MAX; i++)
        if (tracked[i][0] != '\0') remove(tracked[i]);
}

/* track = 1 registers path, 0 forgets it. Returns 0, or 1 when the table is full or the path too long. */
int ofxshim_track_file(const char *path, int track)
{
    if (path == NULL || strlen(path) >= TRACKED_PATH) return 1;
    while (atomic_flag_test_and_set(&tracked_lock)) { }
    int status = track ? 1 : 0;
    if (track && !tracked_hooked) tracked_hooked = atexit(tracked_remove_all) == 0;
    for (int i = 0; i < TRACKED_MAX; i++) {
        if (track && tracked[i][0] == '\0') { strcpy(tracked[i], path); status = 0; break; }
        if (!track && strcmp(tracked[i], path) == 0) { tracked[i][0] = '\0'; break; }
    }
    atomic_flag_clear(&tracked_lock);
    return status;
}
