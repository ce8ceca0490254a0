/* Parameter sets and the parameter suite (OfxParameterSuiteV1), keyframes interpolated linearly. */
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "host.h"

#define PARAM_MAGIC 0x50415241u
#define PSET_MAGIC 0x50534554u

int g_mlt_ignore_time;
double g_current_time;

ParamSet *params_new(void)
{
    ParamSet *s = calloc(1, sizeof *s);
    s->magic = PSET_MAGIC;
    s->props = props_new();
    handle_add(s);
    return s;
}

static Param *param_add(ParamSet *set, const char *type, const char *name)
{
    Param *p = calloc(1, sizeof *p);
    p->magic = PARAM_MAGIC;
    p->name = strdup(name);
    p->type = strdup(type);
    if (set->count == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 32;
        set->list = realloc(set->list, set->cap * sizeof *set->list);
    }
    set->list[set->count++] = p;
    handle_add(p);
    return p;
}

static int dimension(const char *type)
{
    if (!strcmp(type, "OfxParamTypeDouble2D") || !strcmp(type, "OfxParamTypeInteger2D")) return 2;
    if (!strcmp(type, "OfxParamTypeDouble3D") || !strcmp(type, "OfxParamTypeInteger3D") || !strcmp(type, "OfxParamTypeRGB")) return 3;
    if (!strcmp(type, "OfxParamTypeRGBA")) return 4;
    return 1;
}

static int is_int(const char *t) { return strstr(t, "Integer") || !strcmp(t, "OfxParamTypeBoolean") || !strcmp(t, "OfxParamTypeChoice"); }
static int is_double(const char *t) { return strstr(t, "Double") || strstr(t, "RGB"); }
static int is_string(const char *t) { return !strcmp(t, "OfxParamTypeString") || !strcmp(t, "OfxParamTypeCustom") || !strcmp(t, "OfxParamTypeStrChoice"); }

ParamSet *params_instantiate(const ParamSet *d)
{
    ParamSet *s = params_new();
    props_free(s->props);
    s->props = props_clone(d->props);
    for (int i = 0; i < d->count; i++) {
        Param *p = param_add(s, d->list[i]->type, d->list[i]->name);
        p->props = props_clone(d->list[i]->props);
        props_set_string(p->props, "OfxPropType", 0, "OfxTypeParameterInstance");
        if (is_string(p->type)) p->s = strdup(props_get_string(p->props, "OfxParamPropDefault", 0, ""));
        else for (int k = 0; k < dimension(p->type); k++) p->v[k] = props_get_double(p->props, "OfxParamPropDefault", k, 0);
    }
    return s;
}

void params_free(ParamSet *set)
{
    if (!set) return;
    for (int i = 0; i < set->count; i++) {
        Param *p = set->list[i];
        handle_remove(p);
        props_free(p->props);
        free(p->name); free(p->type); free(p->s); free(p->keys);
        p->magic = 0;
        free(p);
    }
    handle_remove(set);
    props_free(set->props);
    free(set->list);
    set->magic = 0;
    free(set);
}

Param *params_find(const ParamSet *set, const char *name)
{
    for (int i = 0; i < set->count; i++)
        if (!strcmp(set->list[i]->name, name)) return set->list[i];
    return NULL;
}

int params_assign(ParamSet *set, const char *name, const char *value)
{
    Param *p = params_find(set, name);
    if (!p) return kErrUnknown;
    if (is_string(p->type)) { free(p->s); p->s = strdup(value); return kOk; }
    p->v[0] = atof(value);
    return kOk;
}

int params_add_key(ParamSet *set, const char *name, double time, double value)
{
    Param *p = params_find(set, name);
    if (!p || is_string(p->type)) return kErrUnknown;
    int i = 0;
    while (i < p->nkeys && p->keys[i].time < time) i++;
    if (i < p->nkeys && p->keys[i].time == time) { p->keys[i].v[0] = value; return kOk; }
    p->keys = realloc(p->keys, (size_t)(p->nkeys + 1) * sizeof *p->keys);
    memmove(&p->keys[i + 1], &p->keys[i], (size_t)(p->nkeys - i) * sizeof *p->keys);
    memset(&p->keys[i], 0, sizeof p->keys[i]);
    p->keys[i].time = time;
    p->keys[i].v[0] = value;
    p->nkeys++;
    return kOk;
}

/* The value of dimension k at a time: linear between keys, held before the first and after the last;
   integers are rounded, booleans and choices step. */
static double value_at(const Param *p, double time, int k)
{
    if (g_mlt_ignore_time) time = g_current_time;
    if (p->nkeys == 0) return p->v[k];
    if (time <= p->keys[0].time) return p->keys[0].v[k];
    if (time >= p->keys[p->nkeys - 1].time) return p->keys[p->nkeys - 1].v[k];
    int i = 1;
    while (p->keys[i].time < time) i++;
    const Key *a = &p->keys[i - 1], *b = &p->keys[i];
    if (!strcmp(p->type, "OfxParamTypeBoolean") || !strcmp(p->type, "OfxParamTypeChoice")) return a->v[k];
    double v = a->v[k] + (b->v[k] - a->v[k]) * (time - a->time) / (b->time - a->time);
    return is_int(p->type) ? floor(v + 0.5) : v;
}

void params_json(FILE *f, const ParamSet *set)
{
    fputc('{', f);
    for (int i = 0; i < set->count; i++) {
        fprintf(f, "%s\"%s\":{\"type\":\"%s\",\"props\":", i ? "," : "", set->list[i]->name, set->list[i]->type);
        props_json(f, set->list[i]->props);
        fputc('}', f);
    }
    fputc('}', f);
}

/* ---- the suite ---- */
#define VALID_SET(s) (handle_valid(s) && ((ParamSet *)(s))->magic == PSET_MAGIC)
#define VALID_PARAM(p) (handle_valid(p) && ((Param *)(p))->magic == PARAM_MAGIC)

static OfxStatus paramDefine(void *set, const char *type, const char *name, void **props)
{
    if (!VALID_SET(set)) return kErrBadHandle;
    if (!type || !name) return kErrValue;
    if (params_find(set, name)) return kErrExists;
    Param *p = param_add(set, type, name);
    p->props = props_new();
    props_set_string(p->props, "OfxPropType", 0, "OfxTypeParameter");
    props_set_string(p->props, "OfxParamPropType", 0, type);
    props_set_string(p->props, "OfxPropName", 0, name);
    if (props) *props = p->props;
    return kOk;
}

static OfxStatus paramGetHandle(void *set, const char *name, void **param, void **props)
{
    if (!VALID_SET(set)) return kErrBadHandle;
    Param *p = name ? params_find(set, name) : NULL;
    if (!p) return kErrUnknown;
    if (param) *param = p;
    if (props) *props = p->props;
    return kOk;
}

static OfxStatus paramSetGetPropertySet(void *set, void **props)
{
    if (!VALID_SET(set)) return kErrBadHandle;
    *props = ((ParamSet *)set)->props;
    return kOk;
}

static OfxStatus paramGetPropertySet(void *param, void **props)
{
    if (!VALID_PARAM(param)) return kErrBadHandle;
    *props = ((Param *)param)->props;
    return kOk;
}

static OfxStatus get_at(Param *p, double time, va_list ap)
{
    if (is_string(p->type)) { *va_arg(ap, const char **) = p->s ? p->s : ""; return kOk; }
    int n = dimension(p->type);
    if (is_int(p->type)) { for (int k = 0; k < n; k++) *va_arg(ap, int *) = (int)value_at(p, time, k); return kOk; }
    if (is_double(p->type)) { for (int k = 0; k < n; k++) *va_arg(ap, double *) = value_at(p, time, k); return kOk; }
    return kErrBadHandle; /* groups, pages, push buttons have no value */
}

static OfxStatus paramGetValue(void *param, ...)
{
    if (!VALID_PARAM(param)) return kErrBadHandle;
    va_list ap;
    va_start(ap, param);
    OfxStatus s = get_at(param, g_current_time, ap);
    va_end(ap);
    return s;
}

static OfxStatus paramGetValueAtTime(void *param, double time, ...)
{
    if (!VALID_PARAM(param)) return kErrBadHandle;
    va_list ap;
    va_start(ap, time);
    OfxStatus s = get_at(param, time, ap);
    va_end(ap);
    return s;
}

static OfxStatus paramGetDerivative(void *param, double time, ...)
{
    if (!VALID_PARAM(param)) return kErrBadHandle;
    Param *p = param;
    if (!is_double(p->type)) return kErrBadHandle;
    va_list ap;
    va_start(ap, time);
    for (int k = 0; k < dimension(p->type); k++) *va_arg(ap, double *) = (value_at(p, time + 0.5, k) - value_at(p, time - 0.5, k));
    va_end(ap);
    return kOk;
}

static OfxStatus paramGetIntegral(void *param, double t1, double t2, ...)
{
    if (!VALID_PARAM(param)) return kErrBadHandle;
    Param *p = param;
    if (!is_double(p->type)) return kErrBadHandle;
    va_list ap;
    va_start(ap, t2);
    for (int k = 0; k < dimension(p->type); k++) {
        double sum = 0;
        for (int i = 0; i < 100; i++) sum += value_at(p, t1 + (t2 - t1) * (i + 0.5) / 100, k);
        *va_arg(ap, double *) = sum * (t2 - t1) / 100;
    }
    va_end(ap);
    return kOk;
}

static OfxStatus set_from(Param *p, double time, int keyed, va_list ap)
{
    if (is_string(p->type)) { const char *v = va_arg(ap, const char *); free(p->s); p->s = strdup(v ? v : ""); return kOk; }
    double v[4] = {0};
    int n = dimension(p->type);
    if (is_int(p->type)) for (int k = 0; k < n; k++) v[k] = va_arg(ap, int);
    else if (is_double(p->type)) for (int k = 0; k < n; k++) v[k] = va_arg(ap, double);
    else return kErrBadHandle;
    if (!keyed) { memcpy(p->v, v, sizeof v); return kOk; }
    int i = 0;
    while (i < p->nkeys && p->keys[i].time < time) i++;
    if (i == p->nkeys || p->keys[i].time != time) {
        p->keys = realloc(p->keys, (size_t)(p->nkeys + 1) * sizeof *p->keys);
        memmove(&p->keys[i + 1], &p->keys[i], (size_t)(p->nkeys - i) * sizeof *p->keys);
        p->nkeys++;
    }
    p->keys[i].time = time;
    memcpy(p->keys[i].v, v, sizeof v);
    return kOk;
}

static OfxStatus paramSetValue(void *param, ...)
{
    if (!VALID_PARAM(param)) return kErrBadHandle;
    va_list ap;
    va_start(ap, param);
    OfxStatus s = set_from(param, 0, 0, ap);
    va_end(ap);
    return s;
}

static OfxStatus paramSetValueAtTime(void *param, double time, ...)
{
    if (!VALID_PARAM(param)) return kErrBadHandle;
    va_list ap;
    va_start(ap, time);
    OfxStatus s = set_from(param, time, 1, ap);
    va_end(ap);
    return s;
}

static OfxStatus paramGetNumKeys(void *param, unsigned int *n) { if (!VALID_PARAM(param)) return kErrBadHandle; *n = (unsigned)((Param *)param)->nkeys; return kOk; }
static OfxStatus paramGetKeyTime(void *param, unsigned int nth, double *t)
{
    if (!VALID_PARAM(param)) return kErrBadHandle;
    Param *p = param;
    if (nth >= (unsigned)p->nkeys) return kErrBadIndex;
    *t = p->keys[nth].time;
    return kOk;
}
static OfxStatus paramGetKeyIndex(void *param, double time, int direction, int *index)
{
    if (!VALID_PARAM(param)) return kErrBadHandle;
    Param *p = param;
    for (int i = 0; i < p->nkeys; i++) {
        if (direction == 0 && p->keys[i].time == time) { *index = i; return kOk; }
        if (direction > 0 && p->keys[i].time > time) { *index = i; return kOk; }
        if (direction < 0 && p->keys[i].time < time && (i + 1 == p->nkeys || p->keys[i + 1].time >= time)) { *index = i; return kOk; }
    }
    return kFailed;
}
static OfxStatus paramDeleteKey(void *param, double time)
{
    if (!VALID_PARAM(param)) return kErrBadHandle;
    Param *p = param;
    for (int i = 0; i < p->nkeys; i++)
        if (p->keys[i].time == time) {
            memmove(&p->keys[i], &p->keys[i + 1], (size_t)(p->nkeys - i - 1) * sizeof *p->keys);
            p->nkeys--;
            return kOk;
        }
    return kErrBadIndex;
}
static OfxStatus paramDeleteAllKeys(void *param) { if (!VALID_PARAM(param)) return kErrBadHandle; ((Param *)param)->nkeys = 0; return kOk; }
static OfxStatus paramCopy(void *to, void *from, double offset, const void *range)
{
    (void)offset; (void)range;
    if (!VALID_PARAM(to) || !VALID_PARAM(from)) return kErrBadHandle;
    memcpy(((Param *)to)->v, ((Param *)from)->v, sizeof ((Param *)to)->v);
    return kOk;
}
static OfxStatus paramEditBegin(void *set, const char *name) { (void)name; return VALID_SET(set) ? kOk : kErrBadHandle; }
static OfxStatus paramEditEnd(void *set) { return VALID_SET(set) ? kOk : kErrBadHandle; }

const void *g_parameter_suite[] = {
    (void *)paramDefine, (void *)paramGetHandle, (void *)paramSetGetPropertySet, (void *)paramGetPropertySet,
    (void *)paramGetValue, (void *)paramGetValueAtTime, (void *)paramGetDerivative, (void *)paramGetIntegral,
    (void *)paramSetValue, (void *)paramSetValueAtTime, (void *)paramGetNumKeys, (void *)paramGetKeyTime,
    (void *)paramGetKeyIndex, (void *)paramDeleteKey, (void *)paramDeleteAllKeys, (void *)paramCopy,
    (void *)paramEditBegin, (void *)paramEditEnd,
};
