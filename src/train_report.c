/* train_report.c - see train_report.h. */
#include "train_report.h"

#include <math.h>
#include <stdio.h>

#include "btcstream/timeutil.h"

/* ---- text ----------------------------------------------------------------------------- */

static void print_row(const char *name, const bs_metrics *m) {
    printf("%-10s %14.6f %14.6f ", name, m->rmse, m->mae);
    if (isnan(m->r2)) printf("%10s ", "undefined");
    else printf("%10.6f ", m->r2);
    if (isnan(m->direction_acc)) printf("%10s\n", "-");
    else printf("%9.2f%%\n", 100 * m->direction_acc);
}

static void print_evidence(const bs_train_result *r, double level, const char *scope) {
    char verdict[400];
    if (isinf(r->halfwidth))
        printf("%g%% interval: too few held-out training rows to bound it\n", 100 * level);
    else
        printf("%g%% interval: coverage %.2f%% on the %stest rows, mean width %.2f\n", 100 * level,
               100 * r->interval.coverage, scope, r->interval.mean_width);
    if (r->dm.defined)
        printf("Diebold-Mariano (HLN-corrected, one-sided, t with %zu df): statistic %.4f, "
               "p = %.4g\n",
               r->dm.n - 1, r->dm.statistic, r->dm.p_value);
    bs_train_verdict(r, verdict, sizeof verdict);
    printf("verdict: %s\n", verdict);
}

/* Two tables a fold: its errors, then its evidence (one line each would not fit a terminal). */
static void print_fold_tables(const bs_walk_forward_result *wf) {
    printf("%4s  %-19s %6s %7s | %-29s | %-29s | %9s\n", "fold", "first test row", "rows", "train",
           "RMSE: model persistence drift", "MAE:  model persistence drift", "direction");
    for (int k = 0; k < wf->folds; k++) {
        const bs_train_result *r = &wf->fold[k];
        char from[BS_TIME_TEXT_SIZE];
        bs_time_format(wf->pooled.predictions.timestamp_us[wf->fold_offset[k]], from);
        printf("%4d  %-19s %6zu %7zu | %9.4f %9.4f %9.4f | %9.4f %9.4f %9.4f | %8.2f%%\n", k + 1,
               from, r->rows_test, r->rows_train, r->model.rmse, r->baseline.rmse,
               r->drift_only.rmse, r->model.mae, r->baseline.mae, r->drift_only.mae,
               100 * r->model.direction_acc);
    }
    printf("%4s  %10s %7s %9s %11s %10s %9s\n", "fold", "skill", "shrink", "coverage", "mean width",
           "DM", "p");
    for (int k = 0; k < wf->folds; k++) {
        const bs_train_result *r = &wf->fold[k];
        printf("%4d  %+10.6f %7.4f %8.2f%% %11.2f %10.4f %9.3g\n", k + 1, r->skill, r->shrink,
               100 * r->interval.coverage, r->interval.mean_width,
               r->dm.defined ? r->dm.statistic : NAN, r->dm.defined ? r->dm.p_value : NAN);
    }
}

void train_report_text(const train_report *t) {
    const bs_train_result *r = t->r;
    int forecast = r->mode == BS_MODE_FORECAST;
    if (t->wf) {
        printf("walk-forward, %d folds (%s), close %d tick%s ahead: %zu rows tested\n",
               t->wf->folds, t->window ? "sliding window" : "expanding window", r->horizon,
               r->horizon == 1 ? "" : "s", r->rows_test);
        print_fold_tables(t->wf);
        printf("pooled over every test row:\n");
    } else {
        printf("mode %s", bs_model_mode_name(r->mode));
        if (forecast) printf(" (close %d tick%s ahead)", r->horizon, r->horizon == 1 ? "" : "s");
        printf(": %zu rows to train, %zu to test\n", r->rows_train, r->rows_test);
    }
    printf("%-10s %14s %14s %10s %10s\n", "", "RMSE", "MAE", "R2", "direction");
    print_row("model", &r->model);
    if (!forecast) return;
    print_row("baseline", &r->baseline);
    print_row("drift only", &r->drift_only);
    if (isnan(r->skill)) printf("skill (1 - RMSE model / RMSE persistence): undefined\n");
    else printf("skill (1 - RMSE model / RMSE persistence): %+.6f\n", r->skill);
    if (r->calibrated && !t->wf)
        printf("calibration: the trees' part of the forecast is shrunk by %.4f (0: drift alone)\n",
               r->shrink);
    if (t->wf) {
        int zero = 0;
        for (int k = 0; k < t->wf->folds; k++)
            zero += t->wf->fold[k].calibrated && t->wf->fold[k].shrink == 0;
        printf("calibration shrank the trees to 0 (the drift alone) in %d of %d folds\n", zero,
               t->wf->folds);
    }
    print_evidence(r, t->level, t->wf ? "pooled " : "");
}

void train_report_summary_header(int walk_forward, int folds) {
    if (walk_forward) printf("walk-forward, %d folds; pooled over every test row\n", folds);
    printf("%7s %8s %12s %12s %10s %9s %9s %9s %9s  %s\n", "horizon", "rows", "RMSE model",
           "persistence", "skill", "DM", "p", "coverage", "width", "verdict");
}

void train_report_summary_row(const train_report *t) {
    const bs_train_result *r = t->r;
    char verdict[400];
    bs_train_verdict(r, verdict, sizeof verdict);
    printf("%7d %8zu %12.6f %12.6f %+10.6f %9.4f %9.3g %8.2f%% %9.2f  %s\n", r->horizon,
           r->rows_test, r->model.rmse, r->baseline.rmse, r->skill,
           r->dm.defined ? r->dm.statistic : NAN, r->dm.defined ? r->dm.p_value : NAN,
           100 * r->interval.coverage, r->interval.mean_width, verdict);
}

/* ---- JSON ----------------------------------------------------------------------------- */

static void json_number(const char *key, double v, const char *after) {
    if (!isfinite(v)) printf("\"%s\":null%s", key, after);
    else printf("\"%s\":%.17g%s", key, v, after);
}

static void json_string(const char *key, const char *v, const char *after) {
    printf("\"%s\":\"", key);
    for (; *v; v++) {
        if (*v == '"' || *v == '\\') putchar('\\');
        putchar(*v);
    }
    printf("\"%s", after);
}

static void json_metrics(const char *name, const bs_metrics *m, int forecast) {
    printf("\"%s\":{", name);
    json_number("rmse", m->rmse, ",");
    json_number("mae", m->mae, ",");
    json_number("r2", m->r2, forecast ? "," : "");
    if (forecast) json_number("direction_acc", m->direction_acc, "");
    printf("},");
}

/* The fields of one result (without braces), forecast evidence included in forecast mode. */
static void json_result(const bs_train_result *r, double level) {
    int forecast = r->mode == BS_MODE_FORECAST;
    printf("\"rows_train\":%zu,\"rows_test\":%zu,", r->rows_train, r->rows_test);
    json_metrics("model", &r->model, forecast);
    if (forecast) {
        json_metrics("baseline", &r->baseline, 1);
        json_metrics("drift_only", &r->drift_only, 1);
        json_number("skill", r->skill, ",");
        json_number("drift", r->drift, ",");
        json_number("shrink", r->shrink, ",");
        printf("\"calibrated\":%s,\"dm\":{", r->calibrated ? "true" : "false");
        json_number("statistic", r->dm.statistic, ",");
        json_number("p_value", r->dm.p_value, ",");
        printf("\"hln\":true,\"n\":%zu,", r->dm.n);
        if (r->dm.defined) printf("\"reason\":null},");
        else json_string("reason", r->dm.reason, "},");
        printf("\"interval\":{");
        json_number("level", level, ",");
        json_number("coverage", r->interval.coverage, ",");
        json_number("mean_width", r->interval.mean_width, "},");
    }
    char verdict[400];
    bs_train_verdict(r, verdict, sizeof verdict);
    json_string("verdict", verdict, "");
}

void train_report_json(const train_report *t) {
    const bs_train_result *r = t->r;
    printf("{\"mode\":\"%s\",\"horizon\":%d,\"evaluate\":\"%s\",", bs_model_mode_name(r->mode),
           r->horizon, t->wf ? "walk-forward" : "split");
    if (t->wf) {
        printf("\"window\":%zu,\"folds\":[", t->window);
        for (int k = 0; k < t->wf->folds; k++) {
            const bs_train_result *f = &t->wf->fold[k];
            size_t at = t->wf->fold_offset[k];
            char from[BS_TIME_TEXT_SIZE], to[BS_TIME_TEXT_SIZE];
            bs_time_format(t->wf->pooled.predictions.timestamp_us[at], from);
            bs_time_format(t->wf->pooled.predictions.timestamp_us[at + f->rows_test - 1], to);
            printf("%s{\"fold\":%d,\"test_from\":\"%s\",\"test_to\":\"%s\",", k ? "," : "", k + 1,
                   from, to);
            json_result(f, t->level);
            printf("}");
        }
        printf("],");
    }
    json_result(r, t->level);
    printf("}\n");
}
