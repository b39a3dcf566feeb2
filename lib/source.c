/* source.c - picks a source by its name; each source lives in its own source_<name>.c. */
#include "btcstream/source.h"

#include <string.h>

bs_source_options bs_source_defaults(void) {
    bs_source_options o = {"bitcoin", "usd", NULL, 10000, 42};
    return o;
}

bs_status bs_source_open(const char *spec, const bs_source_options *opts, bs_source **out,
                         bs_error *err) {
    bs_source_options defaults = bs_source_defaults();
    if (!opts) opts = &defaults;
    if (strcmp(spec, "coingecko") == 0) return bs_source_coingecko_open(opts, out, err);
    if (strcmp(spec, "sim") == 0) return bs_source_sim_open(opts, out, err);
    if (strncmp(spec, "replay:", 7) == 0 && spec[7])
        return bs_source_replay_open(spec + 7, out, err);
    return bs_fail(err, BS_ERR_ARG, "unknown source \"%s\" (use coingecko, sim or replay:FILE)",
                   spec);
}

void bs_source_free(bs_source *src) {
    if (src) src->free(src);
}
