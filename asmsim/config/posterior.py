"""A shipped posterior as parameter sets for other commands: ``compare posterior=...``,
``asmsim.simulate(..., posterior=..., draw=k)``.

A posterior is the ``posterior.parquet`` of a calibration folder (one column per
calibrated config key, ``weight``). Draw ``k`` is the ``k``-th of a fixed weighted
resample (seed :data:`DRAW_SEED`, prefix-stable: draw 3 is the same parameter set
whether 5 or 50 draws are taken), so a comparison's replicate ``k``, a study and a
notebook using draw ``k`` run the same parameters.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from asmsim.config.validate import ConfigError

DRAW_SEED = 20240601
MAX_DRAWS = 100_000


def calibration_dir() -> Path:
    """``results/calibration/`` of the working folder if present, else beside the package."""
    here = Path.cwd() / "results" / "calibration"
    return here if here.is_dir() else Path(__file__).resolve().parents[2] / "results" / \
        "calibration"


def resolve_posterior(ref: str | Path) -> Path:
    """``posterior=`` value -> a ``posterior.parquet``: a file, a calibration folder, or the
    name of a folder under ``results/calibration/``."""
    path = Path(ref)
    for candidate in (path, path / "posterior.parquet",
                      calibration_dir() / str(ref) / "posterior.parquet"):
        if candidate.is_file():
            return candidate
    folder = calibration_dir()
    names = sorted(p.parent.name for p in folder.glob("*/posterior.parquet")) \
        if folder.is_dir() else []
    raise ConfigError(f"posterior={str(ref)!r} is unknown; available: "
                      f"{', '.join(names) or '(none shipped)'} or a calibration folder or "
                      "posterior.parquet path")


def load_posterior(ref: str | Path) -> pd.DataFrame:
    """The weighted particles of a posterior, their keys checked against the schema."""
    from asmsim.config.validate import leaf_fields

    path = resolve_posterior(ref)
    try:
        post = pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one line
        raise ConfigError(f"posterior {path}: not a readable Parquet file "
                          f"({type(exc).__name__})") from None
    fields = leaf_fields()
    keys = [c for c in post.columns if c != "weight"]
    if "weight" not in post.columns or not keys or len(post) == 0:
        raise ConfigError(f"posterior {path}: expected parameter columns and a weight column")
    unknown = [k for k in keys if k not in fields]
    if unknown:
        raise ConfigError(f"posterior {path}: column {unknown[0]!r} is not a config key")
    weights = post["weight"].to_numpy(dtype=float)
    if not np.all(np.isfinite(weights)) or weights.min() < 0 or weights.sum() <= 0:
        raise ConfigError(f"posterior {path}: weights must be finite, non-negative and not all 0")
    return post


def draws(post: pd.DataFrame, count: int) -> list[dict[str, float]]:
    """The first ``count`` draws of the posterior's fixed weighted resample (config key ->
    value each)."""
    if not 1 <= count <= MAX_DRAWS:
        raise ConfigError(f"draws={count} is not allowed; expected a whole number in "
                          f"[1, {MAX_DRAWS}]")
    weights = post["weight"].to_numpy(dtype=float)
    uniforms = np.random.default_rng(DRAW_SEED).random(count)
    rows = np.searchsorted(np.cumsum(weights) / weights.sum(), uniforms, side="right")
    rows = np.minimum(rows, len(post) - 1)
    keys = [c for c in post.columns if c != "weight"]
    table = post[keys].to_numpy(dtype=float)
    return [dict(zip(keys, table[row].tolist(), strict=True)) for row in rows]


def draw(post: pd.DataFrame, index: int) -> dict[str, float]:
    """Draw ``index`` (0-based) of the posterior."""
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or index < 0:
        raise ConfigError(f"draw={index!r} is not allowed; expected a whole number >= 0")
    return draws(post, int(index) + 1)[-1]


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q``-quantile of ``values`` with ``weights``."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    cumulative /= cumulative[-1]
    return float(np.interp(q, cumulative, values[order]))


def marginal(post: pd.DataFrame, key: str) -> tuple[float, float, float]:
    """The weighted 5 %, 50 % and 95 % quantiles of calibrated key ``key`` (its unit)."""
    x, w = post[key].to_numpy(dtype=float), post["weight"].to_numpy(dtype=float)
    return tuple(weighted_quantile(x, w, q) for q in (0.05, 0.5, 0.95))
