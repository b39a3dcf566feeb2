#!/usr/bin/env python3
"""The course project's batch pipeline in pandas, scikit-learn and matplotlib: the peer that
`bench/run.sh` times btcstream against (workload 1). It does the same work as btcstream's batch
stages: read the tick history, compute the four tables, train gradient-boosted trees in seed mode
(features timestamp, hour, dayofweek; random 80/20 split; 100 trees of depth 5, step 0.1), print
RMSE and R2, write the predictions (CSV: Debian 12 has no pyarrow), zip them and plot.

    course_pipeline.py HISTORY OUT_DIR
"""
import os
import sys
import zipfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.ensemble import GradientBoostingRegressor  # noqa: E402
from sklearn.metrics import mean_squared_error, r2_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402


def tables(df):
    ts = df["Datetime"]
    close = df["Close"]
    hour_of_day = close.groupby(ts.dt.hour).agg(["mean", "min", "max"])
    g = df.groupby(ts.dt.floor("H"))
    hourly = g.agg(Open=("Open", "first"), High=("High", "max"), Low=("Low", "min"),
                   Close=("Close", "last"), Avg_Close=("Close", "mean"), Count=("Close", "size"))
    daily = close.groupby(ts.dt.floor("D")).agg(["mean", "min", "max"])
    # Spark window(ts, "1 hour", "30 minutes"): each tick in the two windows that hold it.
    starts = ts.dt.floor("30min")
    both = pd.concat([pd.DataFrame({"Start": starts, "Close": close}),
                      pd.DataFrame({"Start": starts - pd.Timedelta("30min"), "Close": close})])
    moving = both.groupby("Start")["Close"].mean()
    return hour_of_day, hourly, daily, moving


def main(history, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    df = pd.read_json(history, lines=True, convert_dates=False, dtype={"Volume": str})
    df["Datetime"] = pd.to_datetime(df["Datetime"], utc=True)
    df = df.sort_values("Datetime", kind="stable").reset_index(drop=True)
    for t in tables(df):
        t.to_string()

    ts = df["Datetime"]
    features = pd.DataFrame({"timestamp": ts.astype("int64") // 10**9, "hour": ts.dt.hour,
                             "dayofweek": (ts.dt.dayofweek + 1) % 7 + 1})
    x_train, x_test, y_train, y_test, t_train, t_test = train_test_split(
        features.values, df["Close"].values, ts.values, test_size=0.2, random_state=42)
    model = GradientBoostingRegressor(n_estimators=100, max_depth=5, learning_rate=0.1,
                                      min_samples_leaf=1, random_state=42)
    model.fit(x_train, y_train)
    pred = model.predict(x_test)
    print(f"RMSE: {np.sqrt(mean_squared_error(y_test, pred)):.4f}  R2: {r2_score(y_test, pred):.4f}")

    out = pd.DataFrame({"timestamp": t_test, "Close": y_test, "prediction": pred})
    out = out.sort_values("timestamp")
    folder = os.path.join(out_dir, "bitcoin_predictions")
    os.makedirs(folder, exist_ok=True)
    out.to_csv(os.path.join(folder, "part-00000.csv"), index=False)
    with zipfile.ZipFile(os.path.join(out_dir, "bitcoin_predictions.zip"), "w",
                         zipfile.ZIP_DEFLATED) as z:
        z.write(os.path.join(folder, "part-00000.csv"), "part-00000.csv")

    fig = plt.figure(figsize=(12, 6), dpi=100)
    plt.plot(out["timestamp"], out["Close"], color="blue", label="Actual")
    plt.plot(out["timestamp"], out["prediction"], color="red", label="Predicted")
    plt.title("Actual vs Predicted Bitcoin Close Price (GBTRegressor)")
    plt.xlabel("Datetime")
    plt.ylabel("Close Price (USD)")
    plt.legend()
    plt.grid(True)
    fig.savefig(os.path.join(out_dir, "output_plot.png"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
