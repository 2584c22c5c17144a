"""Sensitivity indices with SALib, and their convergence as the sample grows.

Tidy tables, one row per (output, parameter, index):

- Sobol: ``S1``, ``ST`` (and ``S2`` for pairs ``a:b`` when asked), ``conf`` =
  half-width of the bootstrap interval at the study's ``conf_level``;
- Morris: ``mu_star`` (with ``conf``), ``mu``, ``sigma`` in the output's unit.

The bootstrap is seeded by the study seed, so the same runs always give the
same ``indices.csv``. An output that does not vary gets NaN indices.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .sampling import block_size
from .study import Study

COLUMNS = ["output", "parameter", "index", "value", "conf"]


def point_means(study: Study, runs: pd.DataFrame) -> np.ndarray:
    """Runs -> outputs averaged over replicates, shape (n_points, n_outputs).

    Raises ``ValueError`` if any point lacks a replicate.
    """
    names = [col for col, _ in study.outputs]
    counts = runs.groupby("point").size().reindex(range(study.n_points), fill_value=0)
    missing = counts.index[counts.to_numpy() < study.replicates]
    if len(missing):
        raise ValueError(f"{len(missing)} sample points have unfinished runs "
                         f"(first: {int(missing[0])}); run the study again to finish them")
    means = runs.groupby("point", sort=True)[names].mean()
    return means.to_numpy(dtype=float)


def _sobol(study: Study, y: np.ndarray, output: str) -> list[tuple]:
    from SALib.analyze import sobol

    names = [p.key for p in study.parameters]
    if np.ptp(y) == 0:
        rows = [(output, n, i, np.nan, np.nan) for i in ("S1", "ST") for n in names]
        return rows
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = sobol.analyze(study.problem(), y, calc_second_order=study.second_order,
                            num_resamples=study.num_resamples, conf_level=study.conf_level,
                            seed=study.seed)
    rows = [(output, n, idx, float(res[idx][j]), float(res[f"{idx}_conf"][j]))
            for idx in ("S1", "ST") for j, n in enumerate(names)]
    if study.second_order:
        d = len(names)
        rows += [(output, f"{names[a]}:{names[b]}", "S2", float(res["S2"][a, b]),
                  float(res["S2_conf"][a, b])) for a in range(d) for b in range(a + 1, d)]
    return rows


def _morris(study: Study, x: np.ndarray, y: np.ndarray, output: str) -> list[tuple]:
    from SALib.analyze import morris

    names = [p.key for p in study.parameters]
    if np.ptp(y) == 0:
        return [(output, n, i, np.nan, np.nan) for i in ("mu_star", "mu", "sigma")
                for n in names]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = morris.analyze(study.problem(), x, y, num_resamples=study.num_resamples,
                             conf_level=study.conf_level, num_levels=study.num_levels,
                             seed=study.seed)
    rows = [(output, n, "mu_star", float(res["mu_star"][j]), float(res["mu_star_conf"][j]))
            for j, n in enumerate(names)]
    rows += [(output, n, idx, float(res[idx][j]), np.nan)
             for idx in ("mu", "sigma") for j, n in enumerate(names)]
    return rows


def analyse(study: Study, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """Indices of every output: ``x`` the sample (n_points, D), ``y`` (n_points, n_outputs)."""
    rows: list[tuple] = []
    for k, (output, _) in enumerate(study.outputs):
        if study.method == "sobol":
            rows += _sobol(study, y[:, k], output)
        else:
            rows += _morris(study, x, y[:, k], output)
    return pd.DataFrame(rows, columns=COLUMNS)


def prefix_sizes(study: Study) -> list[int]:
    """Sample sizes for the convergence curve: N/16, N/8, ..., N (prefixes of >= 4 blocks)."""
    sizes, k = [study.n], study.n // 2
    while k >= max(4, study.n // 16):
        sizes.append(k)
        k //= 2
    return sorted(set(sizes))


def convergence(study: Study, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """Indices computed on growing prefixes of the design (first k base points / trajectories).

    Columns: ``n`` (base sample size or trajectories) then :data:`COLUMNS`.
    """
    import dataclasses

    block = block_size(study)
    frames = []
    for k in prefix_sizes(study):
        sub = dataclasses.replace(study, n=k)
        frame = analyse(sub, x[:k * block], y[:k * block])
        frame.insert(0, "n", k)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
