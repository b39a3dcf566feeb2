/* predictions.c - see predictions.h. */
#include "btcstream/predictions.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/fsutil.h"
#include "btcstream/tick.h"
#include "btcstream/timeutil.h"

bs_status bs_predictions_alloc(bs_predictions *p, size_t rows, int with_baseline, bs_error *err) {
    memset(p, 0, sizeof *p);
    size_t n = rows ? rows : 1;
    p->rows = rows;
    p->timestamp_us = malloc(n * sizeof *p->timestamp_us);
    p->close = malloc(n * sizeof *p->close);
    p->prediction = malloc(n * sizeof *p->prediction);
    p->baseline = with_baseline ? malloc(n * sizeof *p->baseline) : NULL;
    if (p->timestamp_us && p->close && p->prediction && (!with_baseline || p->baseline)) return BS_OK;
    bs_predictions_free(p);
    return bs_fail(err, BS_ERR_NOMEM, "out of memory for %zu predictions", rows);
}

void bs_predictions_free(bs_predictions *p) {
    if (!p) return;
    free(p->timestamp_us);
    free(p->close);
    free(p->prediction);
    free(p->baseline);
    memset(p, 0, sizeof *p);
}

/* "2025-05-12 01:22:54.181814" from the ISO form. */
static void time_text(int64_t us, char out[BS_TIME_ISO_SIZE]) {
    bs_time_format_iso(us, out);
    out[10] = ' ';
    out[26] = '\0';
}

bs_status bs_predictions_write(const char *path, const bs_predictions *p, bs_error *err) {
    size_t cap = 64 + p->rows * 112, len = 0;
    char *text = malloc(cap);
    if (!text) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    len += (size_t)snprintf(text, cap, "timestamp,Close,prediction%s\n", p->baseline ? ",baseline" : "");
    for (size_t i = 0; i < p->rows; i++) {
        char when[BS_TIME_ISO_SIZE], c[32], pr[32], b[32] = "";
        time_text(p->timestamp_us[i], when);
        bs_number_format(p->close[i], c, sizeof c);
        bs_number_format(p->prediction[i], pr, sizeof pr);
        if (p->baseline) bs_number_format(p->baseline[i], b, sizeof b);
        len += (size_t)snprintf(text + len, cap - len, "%s,%s,%s%s%s\n", when, c, pr,
                                p->baseline ? "," : "", b);
    }
    char *copy = strdup(path), *copy2 = strdup(path);
    bs_status st = copy && copy2 ? bs_write_file_atomic(dirname(copy), basename(copy2), text, len, 1, 0, err)
                                 : bs_fail(err, BS_ERR_NOMEM, "out of memory");
    free(copy);
    free(copy2);
    free(text);
    return st;
}

static bs_status parse_row(char *line, int with_baseline, bs_predictions *p, size_t row) {
    char *fields[4] = {0};
    size_t count = 0;
    for (char *save = NULL, *f = strtok_r(line, ",\r\n", &save); f && count < 4;
         f = strtok_r(NULL, ",\r\n", &save))
        fields[count++] = f;
    if (count != (size_t)(3 + with_baseline)) return BS_ERR_PARSE;
    if (bs_time_parse(fields[0], strlen(fields[0]), &p->timestamp_us[row], NULL) != BS_OK) return BS_ERR_PARSE;
    double *cols[] = {p->close, p->prediction, p->baseline};
    for (size_t c = 1; c < count; c++)
        if (bs_number_parse(fields[c], strlen(fields[c]), &cols[c - 1][row]) != BS_OK) return BS_ERR_PARSE;
    return BS_OK;
}

bs_status bs_predictions_read(const char *path, bs_predictions *out, bs_error *err) {
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    char line[512];
    size_t rows = 0;
    int with_baseline = 0;
    if (!fgets(line, sizeof line, f) || strncmp(line, "timestamp,Close,prediction", 26) != 0) {
        fclose(f);
        return bs_fail(err, BS_ERR_FORMAT, "%s: not a predictions file (header)", path);
    }
    with_baseline = strstr(line, ",baseline") != NULL;
    while (fgets(line, sizeof line, f)) rows++;
    bs_status st = bs_predictions_alloc(out, rows, with_baseline, err);
    rewind(f);
    if (st == BS_OK && !fgets(line, sizeof line, f)) st = BS_ERR_IO;
    for (size_t r = 0; st == BS_OK && r < rows; r++) {
        if (!fgets(line, sizeof line, f) || parse_row(line, with_baseline, out, r) != BS_OK)
            st = bs_fail(err, BS_ERR_PARSE, "%s:%zu: bad predictions row", path, r + 2);
    }
    fclose(f);
    if (st != BS_OK) bs_predictions_free(out);
    return st;
}
