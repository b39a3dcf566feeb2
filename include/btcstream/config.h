/*
 * config.h - settings from the environment and a .env file.
 *
 * Precedence (README.md, Configuration): command-line flags beat environment variables, which
 * beat a `.env` file in the working directory. Flags are the CLI's business; this module answers
 * the other two.
 * Values may be secrets (AWS_SECRET_ACCESS_KEY, COINGECKO_API_KEY): callers must never print them.
 */
#ifndef BTCSTREAM_CONFIG_H
#define BTCSTREAM_CONFIG_H

#include "btcstream/export.h"

#include "btcstream/status.h"

/* The longest .env line accepted, in bytes (without its newline). */
#define BS_CONFIG_MAX_LINE 65536

/*
 * Reads the .env file now (it is otherwise read on the first bs_config_get()) and says whether
 * it is usable: BS_ERR_CONFIG names the file and line when a line is longer than
 * BS_CONFIG_MAX_LINE or holds a NUL byte, BS_ERR_IO when it cannot be read. A refused file
 * contributes no value at all to bs_config_get(). A missing file is BS_OK.
 */
BS_API bs_status bs_config_load(bs_error *err);

/*
 * The value of key from the environment, else from ./.env, else NULL. Empty values count as
 * unset. The returned string is owned by the module and lives until bs_config_reset().
 */
BS_API const char *bs_config_get(const char *key);

/* The value of key, or fallback when it is unset. */
BS_API const char *bs_config_get_or(const char *key, const char *fallback);

/*
 * Reads .env files from path instead of ./.env (NULL restores the default) and forgets what was
 * read before. Lines are KEY=VALUE; `export ` prefixes, blank lines and # comments are allowed,
 * and values may be wrapped in single or double quotes.
 */
BS_API void bs_config_set_dotenv_path(const char *path);

/* Frees what was read from the .env file. */
BS_API void bs_config_reset(void);

#endif
