/*
 * config.c - environment variables with a .env file behind them.
 *
 * The .env file is read once, on first use, into a small list of KEY=VALUE pairs. A missing
 * file is not an error: most users configure through the environment or not at all.
 */
#include "btcstream/config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *key, *value;
} pair;

static pair *pairs;
static size_t pair_count;
static int loaded;
static char *dotenv_path;

void bs_config_reset(void) {
    for (size_t i = 0; i < pair_count; i++) {
        free(pairs[i].key);
        free(pairs[i].value);
    }
    free(pairs);
    pairs = NULL;
    pair_count = 0;
    loaded = 0;
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

static void load_dotenv(void) {
    loaded = 1;
    FILE *f = fopen(dotenv_path ? dotenv_path : ".env", "r");
    if (!f) return;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        char *s = trim(line);
        if (*s == '\0' || *s == '#') continue;
        if (strncmp(s, "export ", 7) == 0) s = trim(s + 7);
        char *eq = strchr(s, '=');
        if (!eq) continue;
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        size_t n = strlen(value);
        if (n >= 2 && (value[0] == '"' || value[0] == '\'') && value[n - 1] == value[0]) {
            value[n - 1] = '\0';
            value++;
        }
        add_pair(key, value);
    }
    fclose(f);
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
