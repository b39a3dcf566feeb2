/*
 * config.c - environment variables with a .env file behind them.
 *
 * The .env file is read once, on first use, into a small list of KEY=VALUE pairs. A missing
 * file is not an error: most users configure through the environment or not at all.
 *
 * Lines are read whole (getline), never in fixed-size pieces: a reader that split a long line
 * parsed its tail as a setting of its own, so a long value could smuggle in another key
 * (S3_BUCKET_NAME=...). A line over BS_CONFIG_MAX_LINE bytes, or holding a NUL byte, makes the
 * whole file refused with its line number, and then no value at all is taken from it.
 */
#include "btcstream/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

typedef struct {
    char *key, *value;
} pair;

static pair *pairs;
static size_t pair_count;
static int loaded;
static char *dotenv_path;
static bs_status load_status; /* why the file was refused, when it was */
static bs_error load_error;

void bs_config_reset(void) {
    for (size_t i = 0; i < pair_count; i++) {
        free(pairs[i].key);
        free(pairs[i].value);
    }
    free(pairs);
    pairs = NULL;
    pair_count = 0;
    loaded = 0;
    load_status = BS_OK;
    load_error.msg[0] = '\0';
}

void bs_config_set_dotenv_path(const char *path) {
    bs_config_reset();
    free(dotenv_path);
    dotenv_path = path ? strdup(path) : NULL;
}

static char *trim(char *s) {
    while (isspace((unsigned char)*s)) s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1])) *--end = '\0';
    return s;
}

static void add_pair(const char *key, const char *value) {
    pair *grown = realloc(pairs, (pair_count + 1) * sizeof *pairs);
    if (!grown) return;
    pairs = grown;
    pairs[pair_count].key = strdup(key);
    pairs[pair_count].value = strdup(value);
    if (!pairs[pair_count].key || !pairs[pair_count].value) {
        free(pairs[pair_count].key);
        free(pairs[pair_count].value);
        return;
    }
    pair_count++;
}

/* Parses one line (NUL-terminated, newline removed) into a pair, if it holds one. */
static void parse_line(char *line) {
    char *s = trim(line);
    if (*s == '\0' || *s == '#') return;
    if (strncmp(s, "export ", 7) == 0) s = trim(s + 7);
    char *eq = strchr(s, '=');
    if (!eq) return;
    *eq = '\0';
    char *key = trim(s), *value = trim(eq + 1);
    size_t n = strlen(value);
    if (n >= 2 && (value[0] == '"' || value[0] == '\'') && value[n - 1] == value[0]) {
        value[n - 1] = '\0';
        value++;
    }
    add_pair(key, value);
}

static void load_dotenv(void) {
    loaded = 1;
    const char *path = dotenv_path ? dotenv_path : ".env";
    FILE *f = fopen(path, "r");
    if (!f) return;
    char *line = NULL;
    size_t cap = 0, number = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        number++;
        size_t n = (size_t)len;
        if (n > 0 && line[n - 1] == '\n') line[--n] = '\0';
        if (n > BS_CONFIG_MAX_LINE) {
            load_status =
                bs_fail(&load_error, BS_ERR_CONFIG, "%s:%zu: line is longer than %d bytes", path,
                        number, BS_CONFIG_MAX_LINE);
            break;
        }
        if (memchr(line, '\0', n)) {
            load_status =
                bs_fail(&load_error, BS_ERR_CONFIG, "%s:%zu: line holds a NUL byte", path, number);
            break;
        }
        parse_line(line);
    }
    if (load_status == BS_OK && ferror(f))
        load_status = bs_fail(&load_error, BS_ERR_IO, "%s: %s", path, strerror(errno));
    free(line);
    fclose(f);
    if (load_status != BS_OK) {
        /* Nothing from a refused file counts: keep only the error. */
        bs_status st = load_status;
        bs_error why = load_error;
        bs_config_reset();
        loaded = 1;
        load_status = st;
        load_error = why;
    }
}

bs_status bs_config_load(bs_error *err) {
    if (!loaded) load_dotenv();
    if (load_status != BS_OK) return bs_fail(err, load_status, "%s", load_error.msg);
    return BS_OK;
}

const char *bs_config_get(const char *key) {
    const char *env = getenv(key);
    if (env && *env) return env;
    if (!loaded) load_dotenv();
    /* The last assignment in the file wins, as when a shell sources it. */
    for (size_t i = pair_count; i-- > 0;)
        if (strcmp(pairs[i].key, key) == 0) return *pairs[i].value ? pairs[i].value : NULL;
    return NULL;
}

const char *bs_config_get_or(const char *key, const char *fallback) {
    const char *v = bs_config_get(key);
    return v ? v : fallback;
}
