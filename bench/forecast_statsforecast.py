"""Nixtla's statsforecast on the series bench/forecast.py dumped: time and backtest error of its intermittent
demand models, to weigh against the numpy methods the product uses. Not a project dependency: run it with a
Python that has `statsforecast==2.1.1` (and pandas) installed, e.g. a scratch venv:

    python -m venv /tmp/sf && /tmp/sf/bin/pip install statsforecast==2.1.1
    /tmp/sf/bin/python bench/forecast_statsforecast.py series.npz [--models CrostonSBA TSB ADIDA]

Prints, per model: fit+predict seconds for all eligible products, WAPE and bias of the held-out days' total
(the same definitions as shopcrm/forecasting/backtest.py).
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("npz")
    parser.add_argument("--models", nargs="+", default=["CrostonSBA", "TSB", "ADIDA", "IMAPA"])
    parser.add_argument("--min-history", type=int, default=56)
    args = parser.parse_args()

    t = time.perf_counter()
    import pandas as pd
    import statsforecast
    from statsforecast import StatsForecast
    from statsforecast import models as sf_models

    print(f"statsforecast {statsforecast.__version__}: import {time.perf_counter() - t:.2f} s")
    data = np.load(args.npz)
    y, start, holdout = data["y"].astype(np.float64), data["start"], int(data["holdout"])
    train = y[:-holdout]
    eligible = (train.shape[0] - start) >= args.min_history
    actual = y[-holdout:].sum(axis=0)[eligible]
    cols = np.flatnonzero(eligible)
    # Long format: one row per (product, day) of its life before the held-out days.
    t = time.perf_counter()
    ids, days, values = [], [], []
    for c in cols:
        s = int(start[c])
        ids.append(np.full(train.shape[0] - s, c))
        days.append(np.arange(s, train.shape[0]))
        values.append(train[s:, c])
    frame = pd.DataFrame(
        {
            "unique_id": np.concatenate(ids),
            "ds": pd.Timestamp("2020-01-01") + pd.to_timedelta(np.concatenate(days), unit="D"),
            "y": np.concatenate(values),
        }
    )
    print(f"{len(cols):,} series, {len(frame):,} rows; frame built in {time.perf_counter() - t:.2f} s")
    for name in args.models:
        model = getattr(sf_models, name)(**({"alpha_d": 0.1, "alpha_p": 0.02} if name == "TSB" else {}))
        sf = StatsForecast(models=[model], freq="D", n_jobs=1)
        t = time.perf_counter()
        out = sf.forecast(df=frame, h=holdout)
        took = time.perf_counter() - t
        column = next(c for c in out.columns if c not in ("unique_id", "ds"))
        total = out.groupby("unique_id")[column].sum().reindex(cols).to_numpy()
        sold = actual.sum()
        wape = np.abs(total - actual).sum() / sold
        bias = (total.sum() - sold) / sold
        print(f"| statsforecast {name} | {wape:.1%} | {bias:+.1%} | {took:.2f} |")


if __name__ == "__main__":
    main()
