/* Property sets and the property suite (OfxPropertySuiteV1). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "host.h"

#define PROPS_MAGIC 0x50524f50u

/* ---- handle registry: an open-addressing set of pointers ---- */
static const void **slots;
static size_t nslots, used;

static size_t slot_of(const void *p, size_t n) { return ((uintptr_t)p >> 4) * 2654435761u % n; }

void handle_add(const void *p)
{
    if ((used + 1) * 2 > nslots) {
        size_t n = nslots ? nslots * 2 : 1024;
        const void **s = calloc(n, sizeof *s);
        for (size_t i = 0; i < nslots; i++)
            if (slots[i] && slots[i] != (void *)1) {
                size_t j = slot_of(slots[i], n);
                while (s[j]) j = (j + 1) % n;
                s[j] = slots[i];
            }
        free(slots);
        slots = s;
        nslots = n;
        used = 0;
        for (size_t i = 0; i < n; i++) used += s[i] != NULL;
    }
    size_t j = slot_of(p, nslots);
    while (slots[j] && slots[j] != (void *)1) j = (j + 1) % nslots;
    if (!slots[j]) used++;
    slots[j] = p;
}

static size_t handle_index(const void *p)
{
    if (!p || !nslots) return SIZE_MAX;
    size_t j = slot_of(p, nslots);
    for (size_t k = 0; k < nslots && slots[j]; k++, j = (j + 1) % nslots)
        if (slots[j] == p) return j;
    return SIZE_MAX;
}

void handle_remove(const void *p) { size_t j = handle_index(p); if (j != SIZE_MAX) slots[j] = (void *)1; }
int handle_valid(const void *p) { return handle_index(p) != SIZE_MAX; }

/* ---- property sets ---- */
PropSet *props_new(void)
{
    PropSet *ps = calloc(1, sizeof *ps);
    ps->magic = PROPS_MAGIC;
    handle_add(ps);
    return ps;
}

static void prop_clear(Prop *p)
{
    if (p->type == P_STRING)
        for (int i = 0; i < p->dim; i++) free(p->v.s[i]);
    free(p->v.p);
    free(p->name);
}

void props_free(PropSet *ps)
{
    if (!ps) return;
    handle_remove(ps);
    for (int i = 0; i < ps->count; i++) prop_clear(&ps->props[i]);
    free(ps->props);
    ps->magic = 0;
    free(ps);
}

Prop *props_find(const PropSet *ps, const char *name)
{
    for (int i = 0; i < ps->count; i++)
        if (strcmp(ps->props[i].name, name) == 0) return &ps->props[i];
    return NULL;
}

static size_t elem_size(int type)
{
    return type == P_INT ? sizeof(int) : type == P_DOUBLE ? sizeof(double) : sizeof(void *);
}

/* The property, created or retyped as needed, with at least index+1 values. */
static Prop *prop_slot(PropSet *ps, const char *name, int type, int index)
{
    Prop *p = props_find(ps, name);
    if (p && p->type != type) {
        prop_clear(p);
        p->name = strdup(name);
        p->dim = 0;
        p->v.p = NULL;
        p->type = type;
    }
    if (!p) {
        if (ps->count == ps->cap) {
            ps->cap = ps->cap ? ps->cap * 2 : 16;
            ps->props = realloc(ps->props, ps->cap * sizeof *ps->props);
        }
        p = &ps->props[ps->count++];
        memset(p, 0, sizeof *p);
        p->name = strdup(name);
        p->type = type;
    }
    if (index >= p->dim) {
        size_t es = elem_size(type);
        p->v.p = realloc(p->v.p, (size_t)(index + 1) * es);
        memset((char *)p->v.p + (size_t)p->dim * es, 0, (size_t)(index + 1 - p->dim) * es);
        p->dim = index + 1;
    }
    return p;
}

void props_set_int(PropSet *ps, const char *name, int index, int v) { prop_slot(ps, name, P_INT, index)->v.i[index] = v; }
void props_set_double(PropSet *ps, const char *name, int index, double v) { prop_slot(ps, name, P_DOUBLE, index)->v.d[index] = v; }
void props_set_pointer(PropSet *ps, const char *name, int index, void *v) { prop_slot(ps, name, P_POINTER, index)->v.p[index] = v; }

void props_set_string(PropSet *ps, const char *name, int index, const char *v)
{
    Prop *p = prop_slot(ps, name, P_STRING, index);
    free(p->v.s[index]);
    p->v.s[index] = strdup(v ? v : "");
}

PropSet *props_clone(const PropSet *src)
{
    PropSet *ps = props_new();
    for (int i = 0; i < src->count; i++) {
        const Prop *p = &src->props[i];
        for (int k = p->dim - 1; k >= 0; k--) {
            if (p->type == P_INT) props_set_int(ps, p->name, k, p->v.i[k]);
            else if (p->type == P_DOUBLE) props_set_double(ps, p->name, k, p->v.d[k]);
            else if (p->type == P_STRING) props_set_string(ps, p->name, k, p->v.s[k]);
            else props_set_pointer(ps, p->name, k, p->v.p[k]);
        }
    }
    return ps;
}

int props_get_int(const PropSet *ps, const char *name, int index, int fallback)
{
    Prop *p = props_find(ps, name);
    return p && p->type == P_INT && index < p->dim ? p->v.i[index] : fallback;
}

double props_get_double(const PropSet *ps, const char *name, int index, double fallback)
{
    Prop *p = props_find(ps, name);
    if (p && index < p->dim) return p->type == P_DOUBLE ? p->v.d[index] : p->type == P_INT ? p->v.i[index] : fallback;
    return fallback;
}

const char *props_get_string(const PropSet *ps, const char *name, int index, const char *fallback)
{
    Prop *p = props_find(ps, name);
    return p && p->type == P_STRING && index < p->dim ? p->v.s[index] : fallback;
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\') fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20) fprintf(f, "\\u%04x", *s);
        else fputc(*s, f);
    }
    fputc('"', f);
}

void props_json(FILE *f, const PropSet *ps)
{
    fputc('{', f);
    for (int i = 0; i < ps->count; i++) {
        const Prop *p = &ps->props[i];
        fprintf(f, "%s", i ? "," : "");
        json_string(f, p->name);
        fputs(":[", f);
        for (int k = 0; k < p->dim; k++) {
            if (k) fputc(',', f);
            if (p->type == P_INT) fprintf(f, "%d", p->v.i[k]);
            else if (p->type == P_DOUBLE) fprintf(f, "%.17g", p->v.d[k]);
            else if (p->type == P_STRING) json_string(f, p->v.s[k]);
            else fprintf(f, "\"%p\"", p->v.p[k]);
        }
        fputc(']', f);
    }
    fputc('}', f);
}

/* ---- the suite ---- */
#define CHECK_SET(ps) if (!handle_valid(ps) || ((PropSet *)(ps))->magic != PROPS_MAGIC) return kErrBadHandle; \
                      if (!property) return kErrValue;

static OfxStatus setPointer(void *ps, const char *property, int i, void *v) { CHECK_SET(ps); if (i < 0) return kErrBadIndex; props_set_pointer(ps, property, i, v); return kOk; }
static OfxStatus setString(void *ps, const char *property, int i, const char *v) { CHECK_SET(ps); if (i < 0 || !v) return kErrBadIndex; props_set_string(ps, property, i, v); return kOk; }
static OfxStatus setDouble(void *ps, const char *property, int i, double v) { CHECK_SET(ps); if (i < 0) return kErrBadIndex; props_set_double(ps, property, i, v); return kOk; }
static OfxStatus setInt(void *ps, const char *property, int i, int v) { CHECK_SET(ps); if (i < 0) return kErrBadIndex; props_set_int(ps, property, i, v); return kOk; }

static OfxStatus setPointerN(void *ps, const char *property, int n, void *const *v) { CHECK_SET(ps); for (int i = n - 1; i >= 0; i--) props_set_pointer(ps, property, i, v[i]); return kOk; }
static OfxStatus setStringN(void *ps, const char *property, int n, const char *const *v) { CHECK_SET(ps); for (int i = n - 1; i >= 0; i--) props_set_string(ps, property, i, v[i]); return kOk; }
static OfxStatus setDoubleN(void *ps, const char *property, int n, const double *v) { CHECK_SET(ps); for (int i = n - 1; i >= 0; i--) props_set_double(ps, property, i, v[i]); return kOk; }
static OfxStatus setIntN(void *ps, const char *property, int n, const int *v) { CHECK_SET(ps); for (int i = n - 1; i >= 0; i--) props_set_int(ps, property, i, v[i]); return kOk; }

static OfxStatus lookup(void *ps, const char *property, int type, int index, Prop **out)
{
    CHECK_SET(ps);
    Prop *p = props_find(ps, property);
    if (!p) return kErrUnknown;
    if (p->type != type) return kErrValue;
    if (index < 0 || index >= p->dim) return kErrBadIndex;
    *out = p;
    return kOk;
}

static OfxStatus getPointer(void *ps, const char *property, int i, void **v) { Prop *p; OfxStatus s = lookup(ps, property, P_POINTER, i, &p); if (s == kOk) *v = p->v.p[i]; return s; }
static OfxStatus getString(void *ps, const char *property, int i, char **v) { Prop *p; OfxStatus s = lookup(ps, property, P_STRING, i, &p); if (s == kOk) *v = p->v.s[i]; return s; }
static OfxStatus getDouble(void *ps, const char *property, int i, double *v) { Prop *p; OfxStatus s = lookup(ps, property, P_DOUBLE, i, &p); if (s == kOk) *v = p->v.d[i]; return s; }
static OfxStatus getInt(void *ps, const char *property, int i, int *v) { Prop *p; OfxStatus s = lookup(ps, property, P_INT, i, &p); if (s == kOk) *v = p->v.i[i]; return s; }

static OfxStatus getPointerN(void *ps, const char *property, int n, void **v) { for (int i = 0; i < n; i++) { OfxStatus s = getPointer(ps, property, i, &v[i]); if (s) return s; } return kOk; }
static OfxStatus getStringN(void *ps, const char *property, int n, char **v) { for (int i = 0; i < n; i++) { OfxStatus s = getString(ps, property, i, &v[i]); if (s) return s; } return kOk; }
static OfxStatus getDoubleN(void *ps, const char *property, int n, double *v) { for (int i = 0; i < n; i++) { OfxStatus s = getDouble(ps, property, i, &v[i]); if (s) return s; } return kOk; }
static OfxStatus getIntN(void *ps, const char *property, int n, int *v) { for (int i = 0; i < n; i++) { OfxStatus s = getInt(ps, property, i, &v[i]); if (s) return s; } return kOk; }

static OfxStatus reset(void *ps, const char *property) { CHECK_SET(ps); return props_find(ps, property) ? kOk : kErrUnknown; }
static OfxStatus getDimension(void *ps, const char *property, int *count)
{
    CHECK_SET(ps);
    Prop *p = props_find(ps, property);
    if (!p) return kErrUnknown;
    *count = p->dim;
    return kOk;
}

const void *g_property_suite[] = {
    (void *)setPointer, (void *)setString, (void *)setDouble, (void *)setInt,
    (void *)setPointerN, (void *)setStringN, (void *)setDoubleN, (void *)setIntN,
    (void *)getPointer, (void *)getString, (void *)getDouble, (void *)getInt,
    (void *)getPointerN, (void *)getStringN, (void *)getDoubleN, (void *)getIntN,
    (void *)reset, (void *)getDimension,
};
