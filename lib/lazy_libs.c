/*
 * lazy_libs.c - libcurl, XGBoost and OpenSSL's SHA256, loaded the first time they are used
 * (libzip and PLplot likewise, in lazy_zip.c and lazy_plplot.c).
 *
 * Linking them made every btcstream process pay ~7 ms of dynamic loading (libcurl pulls in some
 * twenty libraries, XGBoost its C++ runtime and static initialisers) even for `--version` or
 * `aggregate`, which use neither. Here the functions the library calls are defined under their
 * own names and forward to the real ones, which dlopen() brings in once, on the first call.
 *
 * curl_easy_setopt and curl_easy_getinfo are variadic: their third argument's type follows from
 * the option's number range (libcurl's own CURLOPTTYPE_* and CURLINFO_* ranges), which is how the
 * argument is taken from the va_list and passed on with its true type.
 */
#define CURL_DISABLE_TYPECHECK /* curl.h would otherwise wrap curl_easy_setopt in a macro */
#include <curl/curl.h>
#include <dlfcn.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <xgboost/c_api.h>

#include "lazy_bind.h"

/* ---- libcurl ------------------------------------------------------------------------------ */

static struct {
    void *lib;
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    char *(*easy_escape)(CURL *, const char *, int);
    void (*free)(void *);
    time_t (*getdate)(const char *, const time_t *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl_fns;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void load_curl(void) {
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return;
    int absent = 0;
#define BIND(field, name) LAZY_BIND(absent, lib, curl_fns.field, name)
    BIND(global_init, "curl_global_init");
    BIND(easy_init, "curl_easy_init");
    BIND(easy_setopt, "curl_easy_setopt");
    BIND(easy_perform, "curl_easy_perform");
    BIND(easy_getinfo, "curl_easy_getinfo");
    BIND(easy_cleanup, "curl_easy_cleanup");
    BIND(easy_strerror, "curl_easy_strerror");
    BIND(easy_escape, "curl_easy_escape");
    BIND(free, "curl_free");
    BIND(getdate, "curl_getdate");
    BIND(slist_append, "curl_slist_append");
    BIND(slist_free_all, "curl_slist_free_all");
#undef BIND
    if (absent == 0) curl_fns.lib = lib;
}

static int have_curl(void) {
    pthread_once(&curl_once, load_curl);
    return curl_fns.lib != NULL;
}

CURLcode curl_global_init(long flags) {
    return have_curl() ? curl_fns.global_init(flags) : CURLE_FAILED_INIT;
}

/* NULL without libcurl: callers already treat a failed init as an error. */
CURL *curl_easy_init(void) { return have_curl() ? curl_fns.easy_init() : NULL; }

CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...) {
    if (!have_curl()) return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, option);
    CURLcode rc;
    if (option < CURLOPTTYPE_OBJECTPOINT) rc = curl_fns.easy_setopt(curl, option, va_arg(ap, long));
    else if (option < CURLOPTTYPE_FUNCTIONPOINT)
        rc = curl_fns.easy_setopt(curl, option, va_arg(ap, void *));
    else if (option < CURLOPTTYPE_OFF_T)
        rc = curl_fns.easy_setopt(curl, option, va_arg(ap, void (*)(void)));
    else if (option < CURLOPTTYPE_BLOB)
        rc = curl_fns.easy_setopt(curl, option, va_arg(ap, curl_off_t));
    else rc = curl_fns.easy_setopt(curl, option, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...) {
    if (!have_curl()) return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, info);
    CURLcode rc = curl_fns.easy_getinfo(curl, info, va_arg(ap, void *)); /* always a pointer */
    va_end(ap);
    return rc;
}

CURLcode curl_easy_perform(CURL *curl) {
    return have_curl() ? curl_fns.easy_perform(curl) : CURLE_FAILED_INIT;
}
void curl_easy_cleanup(CURL *curl) {
    if (have_curl()) curl_fns.easy_cleanup(curl);
}

const char *curl_easy_strerror(CURLcode code) {
    return have_curl() ? curl_fns.easy_strerror(code) : "libcurl (libcurl.so.4) is not installed";
}

char *curl_easy_escape(CURL *curl, const char *s, int len) {
    return have_curl() ? curl_fns.easy_escape(curl, s, len) : NULL;
}

void curl_free(void *p) {
    if (have_curl()) curl_fns.free(p);
}
time_t curl_getdate(const char *s, const time_t *now) {
    return have_curl() ? curl_fns.getdate(s, now) : -1;
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *s) {
    return have_curl() ? curl_fns.slist_append(list, s) : NULL;
}

void curl_slist_free_all(struct curl_slist *list) {
    if (have_curl()) curl_fns.slist_free_all(list);
}

/* ---- XGBoost ------------------------------------------------------------------------------ */

static struct {
    void *lib;
    char error[512]; /* why loading failed, for XGBGetLastError */
    const char *(*last_error)(void);
    int (*matrix_from_mat)(const float *, bst_ulong, bst_ulong, float, DMatrixHandle *);
    int (*matrix_from_mat_omp)(const float *, bst_ulong, bst_ulong, float, DMatrixHandle *, int);
    int (*matrix_set_float_info)(DMatrixHandle, const char *, const float *, bst_ulong);
    int (*matrix_free)(DMatrixHandle);
    int (*booster_create)(const DMatrixHandle[], bst_ulong, BoosterHandle *);
    int (*booster_free)(BoosterHandle);
    int (*booster_set_param)(BoosterHandle, const char *, const char *);
    int (*booster_update)(BoosterHandle, int, DMatrixHandle);
    int (*booster_predict)(BoosterHandle, DMatrixHandle, int, unsigned, int, bst_ulong *,
                           const float **);
    int (*booster_set_attr)(BoosterHandle, const char *, const char *);
    int (*booster_get_attr)(BoosterHandle, const char *, const char **, int *);
    int (*booster_save)(BoosterHandle, const char *);
    int (*booster_load)(BoosterHandle, const char *);
    int (*matrix_slice)(DMatrixHandle, const int *, bst_ulong, DMatrixHandle *);
    int (*booster_save_buffer)(BoosterHandle, const char *, bst_ulong *, const char **);
    int (*booster_load_buffer)(BoosterHandle, const void *, bst_ulong);
    int (*proxy_create)(DMatrixHandle *);
    int (*proxy_set_dense)(DMatrixHandle, const char *);
    int (*quantile_from_callback)(DataIterHandle, DMatrixHandle, DataIterHandle,
                                  DataIterResetCallback *, XGDMatrixCallbackNext *, const char *,
                                  DMatrixHandle *);
} xgb;

static pthread_once_t xgb_once = PTHREAD_ONCE_INIT;

static void load_xgboost(void) {
    void *lib = dlopen("libxgboost.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(xgb.error, sizeof xgb.error, "cannot load XGBoost (install libxgboost0): %s",
                 dlerror());
        return;
    }
    int absent = 0;
#define BIND(field, name) LAZY_BIND(absent, lib, xgb.field, name)
    BIND(last_error, "XGBGetLastError");
    BIND(matrix_from_mat, "XGDMatrixCreateFromMat");
    BIND(matrix_from_mat_omp, "XGDMatrixCreateFromMat_omp");
    BIND(matrix_set_float_info, "XGDMatrixSetFloatInfo");
    BIND(matrix_free, "XGDMatrixFree");
    BIND(booster_create, "XGBoosterCreate");
    BIND(booster_free, "XGBoosterFree");
    BIND(booster_set_param, "XGBoosterSetParam");
    BIND(booster_update, "XGBoosterUpdateOneIter");
    BIND(booster_predict, "XGBoosterPredict");
    BIND(booster_set_attr, "XGBoosterSetAttr");
    BIND(booster_get_attr, "XGBoosterGetAttr");
    BIND(booster_save, "XGBoosterSaveModel");
    BIND(booster_load, "XGBoosterLoadModel");
    BIND(matrix_slice, "XGDMatrixSliceDMatrix");
    BIND(booster_save_buffer, "XGBoosterSaveModelToBuffer");
    BIND(booster_load_buffer, "XGBoosterLoadModelFromBuffer");
    BIND(proxy_create, "XGProxyDMatrixCreate");
    BIND(proxy_set_dense, "XGProxyDMatrixSetDataDense");
    BIND(quantile_from_callback, "XGQuantileDMatrixCreateFromCallback");
#undef BIND
    if (absent == 0) xgb.lib = lib;
    else snprintf(xgb.error, sizeof xgb.error, "libxgboost.so.0 lacks a function btcstream needs");
}

static int have_xgb(void) {
    pthread_once(&xgb_once, load_xgboost);
    return xgb.lib != NULL;
}

const char *XGBGetLastError(void) { return have_xgb() ? xgb.last_error() : xgb.error; }

int XGDMatrixCreateFromMat(const float *data, bst_ulong nrow, bst_ulong ncol, float missing,
                           DMatrixHandle *out) {
    return have_xgb() ? xgb.matrix_from_mat(data, nrow, ncol, missing, out) : -1;
}

int XGDMatrixCreateFromMat_omp(const float *data, bst_ulong nrow, bst_ulong ncol, float missing,
                               DMatrixHandle *out, int nthread) {
    return have_xgb() ? xgb.matrix_from_mat_omp(data, nrow, ncol, missing, out, nthread) : -1;
}

int XGDMatrixSetFloatInfo(DMatrixHandle handle, const char *field, const float *array,
                          bst_ulong len) {
    return have_xgb() ? xgb.matrix_set_float_info(handle, field, array, len) : -1;
}

int XGDMatrixFree(DMatrixHandle handle) { return have_xgb() ? xgb.matrix_free(handle) : -1; }

int XGBoosterCreate(const DMatrixHandle dmats[], bst_ulong len, BoosterHandle *out) {
    return have_xgb() ? xgb.booster_create(dmats, len, out) : -1;
}

int XGBoosterFree(BoosterHandle handle) { return have_xgb() ? xgb.booster_free(handle) : -1; }

int XGBoosterSetParam(BoosterHandle handle, const char *name, const char *value) {
    return have_xgb() ? xgb.booster_set_param(handle, name, value) : -1;
}

int XGBoosterUpdateOneIter(BoosterHandle handle, int iter, DMatrixHandle dtrain) {
    return have_xgb() ? xgb.booster_update(handle, iter, dtrain) : -1;
}

int XGBoosterPredict(BoosterHandle handle, DMatrixHandle dmat, int option_mask,
                     unsigned ntree_limit, int training, bst_ulong *out_len,
                     const float **out_result) {
    return have_xgb() ? xgb.booster_predict(handle, dmat, option_mask, ntree_limit, training,
                                            out_len, out_result)
                      : -1;
}

int XGBoosterSetAttr(BoosterHandle handle, const char *key, const char *value) {
    return have_xgb() ? xgb.booster_set_attr(handle, key, value) : -1;
}

int XGBoosterGetAttr(BoosterHandle handle, const char *key, const char **out, int *success) {
    return have_xgb() ? xgb.booster_get_attr(handle, key, out, success) : -1;
}

int XGBoosterSaveModel(BoosterHandle handle, const char *fname) {
    return have_xgb() ? xgb.booster_save(handle, fname) : -1;
}

int XGBoosterLoadModel(BoosterHandle handle, const char *fname) {
    return have_xgb() ? xgb.booster_load(handle, fname) : -1;
}

int XGDMatrixSliceDMatrix(DMatrixHandle handle, const int *idxset, bst_ulong len,
                          DMatrixHandle *out) {
    return have_xgb() ? xgb.matrix_slice(handle, idxset, len, out) : -1;
}

int XGBoosterSaveModelToBuffer(BoosterHandle handle, const char *config, bst_ulong *out_len,
                               const char **out_dptr) {
    return have_xgb() ? xgb.booster_save_buffer(handle, config, out_len, out_dptr) : -1;
}

int XGBoosterLoadModelFromBuffer(BoosterHandle handle, const void *buf, bst_ulong len) {
    return have_xgb() ? xgb.booster_load_buffer(handle, buf, len) : -1;
}

int XGProxyDMatrixCreate(DMatrixHandle *out) { return have_xgb() ? xgb.proxy_create(out) : -1; }

int XGProxyDMatrixSetDataDense(DMatrixHandle handle, const char *c_interface_str) {
    return have_xgb() ? xgb.proxy_set_dense(handle, c_interface_str) : -1;
}

int XGQuantileDMatrixCreateFromCallback(DataIterHandle iter, DMatrixHandle proxy,
                                        DataIterHandle ref, DataIterResetCallback *reset,
                                        XGDMatrixCallbackNext *next, char const *config,
                                        DMatrixHandle *out) {
    return have_xgb() ? xgb.quantile_from_callback(iter, proxy, ref, reset, next, config, out) : -1;
}

/* ---- OpenSSL libcrypto: SHA256 for S3 request signing ------------------------------------- */

static struct {
    void *lib;
    __typeof__(SHA256) *sha256;
} crypto;

static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;

static void load_crypto(void) {
    void *lib = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return;
    *(void **)&crypto.sha256 = dlsym(lib, "SHA256");
    if (crypto.sha256) crypto.lib = lib;
}

/* Without libcrypto, NULL and a zeroed digest (libcurl, which S3 needs too, depends on it). */
unsigned char *SHA256(const unsigned char *d, size_t n, unsigned char *md) {
    pthread_once(&crypto_once, load_crypto);
    if (crypto.lib) return crypto.sha256(d, n, md);
    memset(md, 0, SHA256_DIGEST_LENGTH);
    return NULL;
}
