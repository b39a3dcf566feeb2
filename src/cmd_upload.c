/* cmd_upload.c - `btcstream upload FILE`: a file to S3, signed with SigV4. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btcstream/s3.h"
#include "cli.h"

static const char usage_text[] =
    "usage: btcstream upload FILE [--bucket B] [--key K]\n\n"
    "Uploads FILE to S3 (or to S3_ENDPOINT_URL, an S3-compatible server, path-style), in one\n"
    "PUT or, above 16 MiB, as a multipart upload that is aborted if it fails. Failed requests\n"
    "(network errors, 5xx, 429) are retried with backoff. The default key is S3_PREFIX plus the\n"
    "file's name. Credentials and settings come from the environment or .env: AWS_ACCESS_KEY_ID,\n"
    "AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_DEFAULT_REGION (us-east-2), S3_BUCKET_NAME,\n"
    "S3_ENDPOINT_URL, S3_PREFIX. Without credentials or a bucket the upload is skipped (exit 0);\n"
    "a FILE that is missing or unreadable is an error (exit 1) either way.\n";

static void show_progress(void *ctx, uint64_t sent, uint64_t total) {
    (void)ctx;
    fprintf(stderr, "\ruploaded %llu of %llu MiB", (unsigned long long)(sent >> 20),
            (unsigned long long)(total >> 20));
    if (sent == total) fputc('\n', stderr);
}

int cmd_upload(int argc, char **argv) {
    static const struct option options[] = {{"bucket", required_argument, 0, 'b'},
                                            {"key", required_argument, 0, 'k'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    const char *bucket = NULL, *key = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'b') bucket = optarg;
        else if (c == 'k') key = optarg;
        else if (c == 'h') return fputs(usage_text, stdout), CLI_OK;
        else return cli_option_error(argv[0], c, argv);
    }
    if (optind != argc - 1)
        return cli_usage_error(argv[0], optind >= argc ? "missing FILE" : "expected one FILE");
    /* A file that is not there is an error whatever the settings: only the upload itself is
     * skipped when S3 is not configured (not asked), never the user's mistake. */
    struct stat st;
    errno = 0;
    if (stat(argv[optind], &st) != 0 || access(argv[optind], R_OK) != 0 || !S_ISREG(st.st_mode)) {
        cli_errorf(argv[0], "%s: %s", argv[optind], errno ? strerror(errno) : "not a regular file");
        return CLI_FAIL;
    }
    bs_s3_config config;
    bs_s3_config_load(&config, bucket);
    char reason[160], used[1024];
    if (!bs_s3_config_ready(&config, reason, sizeof reason)) {
        printf("upload skipped: %s\n", reason);
        return CLI_OK;
    }
    bs_error err = {{0}};
    if (bs_s3_upload_file(&config, argv[optind], key, isatty(STDERR_FILENO) ? show_progress : NULL,
                          NULL, used, &err) != BS_OK)
        return cli_fail(argv[0], &err);
    printf("uploaded %s to s3://%s/%s\n", argv[optind], config.bucket, used);
    return CLI_OK;
}
