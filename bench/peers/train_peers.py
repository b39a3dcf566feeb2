#!/usr/bin/env python3
"""The training benchmark's peers, on the very features btcstream built (a float32 dump): Python
xgboost (DMatrix construction plus 100 hist rounds, the same parameters) and scikit-learn's
HistGradientBoostingRegressor with the same settings. Prints one line per peer: NAME seconds.

    train_peers.py DUMP ROWS COLS
"""
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.ensemble import HistGradientBoostingRegressor

dump, rows, cols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = np.fromfile(dump, dtype=np.float32)
x = data[: rows * cols].reshape(rows, cols)
y = data[rows * cols: rows * cols + rows]

start = time.perf_counter()
d = xgb.DMatrix(x, label=y)
xgb.train({"tree_method": "hist", "max_depth": 5, "max_bin": 32, "eta": 0.1, "lambda": 0,
           "min_child_weight": 1, "objective": "reg:squarederror", "verbosity": 0}, d, 100)
print("xgboost", f"{time.perf_counter() - start:.3f}")

start = time.perf_counter()
HistGradientBoostingRegressor(max_iter=100, max_depth=5, max_bins=32, learning_rate=0.1,
                              l2_regularization=0.0, min_samples_leaf=1,
                              early_stopping=False).fit(x, y)
print("sklearn_hgbr", f"{time.perf_counter() - start:.3f}")
