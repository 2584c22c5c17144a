"""Drawing the sample with SALib and deriving every run's seed.

Sobol: ``SALib.sample.sobol`` (scrambled Sobol' sequence seeded by the study
seed), N(2D+2) rows with second-order indices, N(D+2) without; the rows come in
blocks of one base point each, so the first k blocks are the sample for N = k
(used for convergence plots). Morris: ``SALib.sample.morris``, N trajectories
of D+1 rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .study import ENSEMBLE, Study


def ensemble_design(study: Study) -> np.ndarray:
    """A robustness ensemble: ``study.n`` futures by Latin hypercube over the uncertain
    parameters (all but the first two), each run under every policy. Columns: policy
    index, future index, then the uncertain parameters; rows future by future."""
    from scipy.stats import qmc

    uncertain = study.parameters[2:]
    unit = qmc.LatinHypercube(d=len(uncertain), seed=study.seed).random(study.n)
    low = np.array([p.low for p in uncertain])
    high = np.array([p.high for p in uncertain])
    futures = low + unit * (high - low)
    k = len(study.policies)
    rows = np.empty((study.n * k, 2 + len(uncertain)))
    rows[:, 0] = np.tile(np.arange(k), study.n)
    rows[:, 1] = np.repeat(np.arange(study.n), k)
    rows[:, 2:] = np.repeat(futures, k, axis=0)
    return rows


def block_size(study: Study) -> int:
    """Rows per base point (Sobol) or per trajectory (Morris)."""
    d = study.dimension
    if study.method == "sobol":
        return 2 * d + 2 if study.second_order else d + 2
    return d + 1


def draw(study: Study) -> np.ndarray:
    """The sample matrix, shape (n_points, D), in SALib's units (ints not yet rounded)."""
    if study.method == ENSEMBLE:
        return ensemble_design(study)
    problem = study.problem()
    if study.method == "sobol":
        from SALib.sample import sobol

        x = sobol.sample(problem, study.n, calc_second_order=study.second_order,
                         seed=study.seed)
    else:
        from SALib.sample import morris

        x = morris.sample(problem, study.n, num_levels=study.num_levels, seed=study.seed)
    if x.shape != (study.n_points, study.dimension):
        raise RuntimeError(f"SALib returned {x.shape} rows, expected {study.n_points}")
    return x


def samples_frame(study: Study, x: np.ndarray) -> pd.DataFrame:
    """The sample as a table: ``point`` then one column per parameter (typed values)."""
    columns = {"point": np.arange(len(x), dtype=np.int64)}
    for j, p in enumerate(study.parameters):
        column = x[:, j]
        if p.kind == "int":
            columns[p.key] = np.clip(np.floor(column), p.low, p.high).astype(np.int64)
        elif p.kind == "bool":
            columns[p.key] = column >= 0.5
        else:
            columns[p.key] = column
    return pd.DataFrame(columns)  # at once: column by column fragments a wide design


def run_seed(study_seed: int, point: int, replicate: int) -> int:
    """Seed of one run: ``SeedSequence(study_seed, spawn_key=(point, replicate))``.

    Depends only on the study seed and the run's place in the design, so the
    results are the same whatever ran where and in what order. A 63-bit int.
    """
    state = np.random.SeedSequence(study_seed, spawn_key=(point, replicate)).generate_state(
        2, dtype=np.uint32)
    return int((int(state[0]) << 31) ^ int(state[1]))
