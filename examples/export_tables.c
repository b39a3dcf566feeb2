/*
 * export_tables.c - table_parquet.h, parquet.h, archive.h, fsutil.h and config.h: the tables as
 * files to ship. Aggregates a price file, writes its daily table as DIR/daily.parquet, reads the
 * file back and prints it, writes a README.txt beside it atomically, zips DIR into ZIP, and says
 * which S3 bucket (S3_BUCKET_NAME, from the environment or ./.env) an upload would go to.
 *
 *   ./build/example_export_tables ticks.csv tables tables.zip
 */
#include <stdio.h>
#include <string.h>

#include <btcstream/aggregate.h>
#include <btcstream/archive.h>
#include <btcstream/config.h>
#include <btcstream/fsutil.h>
#include <btcstream/table_parquet.h>
#include <btcstream/timeutil.h>

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s PRICE_FILE DIR ZIP\n", argv[0]);
        return 2;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/daily.parquet", argv[2]);
    bs_error err = {{0}};
    bs_aggregate *agg = NULL;
    bs_table daily = {0};
    bs_parquet_table back = {0};
    int rc = 1;
    if (bs_aggregate_file(argv[1], NULL, NULL, 1, &agg, NULL, &err) != BS_OK) goto fail;
    if (bs_aggregate_table(agg, BS_TABLE_DAILY, &daily, &err) != BS_OK) goto fail;
    if (bs_mkdirs(argv[2], &err) != BS_OK) goto fail;
    if (bs_table_write_parquet(&daily, path, NULL, &err) != BS_OK) goto fail;
    if (bs_parquet_read(path, &back, &err) != BS_OK) goto fail;

    /* Print it back as read, whatever types the file holds. */
    for (size_t c = 0; c < back.columns; c++) printf("%s%s", c ? "," : "", back.column[c].name);
    printf("\n");
    for (size_t r = 0; r < back.rows; r++) {
        for (size_t c = 0; c < back.columns; c++) {
            const bs_parquet_column_data *col = &back.column[c];
            printf("%s", c ? "," : "");
            if (col->type == BS_PARQUET_DOUBLE) printf("%.17g", col->values.f64[r]);
            else if (col->type == BS_PARQUET_STRING) printf("%s", col->values.str[r]);
            else printf("%lld", (long long)col->values.i64[r]);
        }
        printf("\n");
    }
    const char *note = "daily.parquet: the daily table, written by example_export_tables\n";
    if (bs_write_file_atomic(argv[2], "README.txt", note, strlen(note), 1, 0, &err) != BS_OK)
        goto fail;
    if (bs_archive_zip_dir(argv[2], argv[3], &err) != BS_OK) goto fail;
    const char *bucket = bs_config_get("S3_BUCKET_NAME"); /* the module's string: not freed */
    printf("zipped %s into %s; upload bucket: %s\n", argv[2], argv[3], bucket ? bucket : "(none)");
    rc = 0;
fail:
    if (rc) fprintf(stderr, "%s\n", err.msg);
    bs_parquet_table_free(&back);
    bs_table_free(&daily);
    bs_aggregate_free(agg);
    bs_config_reset();
    return rc;
}
