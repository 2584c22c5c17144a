"""Summaries across replicates: mean and 95 % interval of last-12-month averages."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from asmsim.model.recorder import OUTPUTS
from asmsim.run.api import OUTCOME_WINDOW_MONTHS


def replicate_outcomes(timeseries: pd.DataFrame, window: int = OUTCOME_WINDOW_MONTHS,
                       columns: list[str] | None = None) -> pd.DataFrame:
    """One row per replicate: each output's (or each of ``columns``') mean over the last
    ``window`` months."""
    body = timeseries[timeseries["month"] > 0]
    last = body["month"].max()
    tail = body[body["month"] > last - window]
    columns = [c for c in OUTPUTS if c != "month"] if columns is None else columns
    return tail.groupby("replicate")[columns].mean()


def mean_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """(mean, low, high): Student-t interval of the mean; NaN bounds with one value."""
    values = np.asarray(values, dtype=float)
    mean = float(values.mean())
    if len(values) < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.5 + level / 2, len(values) - 1) * values.std(ddof=1)
                 / np.sqrt(len(values)))
    return mean, mean - half, mean + half


def summarise(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Per output: unit, mean, 95 % interval of the mean and replicate spread."""
    per_rep = replicate_outcomes(timeseries)
    rows = []
    for name in per_rep.columns:
        values = per_rep[name].to_numpy()
        mean, low, high = mean_interval(values)
        rows.append({"output": name, "unit": OUTPUTS[name][0], "mean": mean,
                     "ci95_low": low, "ci95_high": high,
                     "sd_across_replicates": float(values.std(ddof=1)) if len(values) > 1
                     else float("nan"),
                     "replicates": len(values), "meaning": OUTPUTS[name][1]})
    return pd.DataFrame(rows)
