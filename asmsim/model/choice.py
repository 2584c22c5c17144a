"""Discrete choice: binary and multinomial logit, the rule behind every decision (ODD 4).

Miners choose by logit on monthly values in USD: the probability of an option
rises with its value, with rationality ``λ`` (``context.logit_scale_per_usd``,
1/USD). At λ → ∞ the best option is taken; at λ = 0 choice is random.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def choose(values: np.ndarray, scale: float, draws: np.ndarray) -> np.ndarray:
    """Binary logit: True with probability 1 / (1 + exp(−λ·V)) for values ``V`` (USD/month),
    each decider's uniform in [0, 1) given in ``draws`` (one per value)."""
    with np.errstate(over="ignore"):
        prob = 1.0 / (1.0 + np.exp(-scale * values))
    return draws < prob


def _count_true(mask: np.ndarray) -> np.ndarray:
    """Per miner (column), how many rows of a boolean (options, miners) array hold."""
    return mask.view(np.int8).sum(axis=0, dtype=np.int8)


def cumulate_options(weights: np.ndarray) -> np.ndarray:
    """``np.cumsum(weights, axis=0)`` of an (options, miners) array, in place, one option
    (row) at a time: the same additions in the same order, so the same bits. Why: numpy
    accumulates along axis 0 of a C-ordered array with a short strided loop per column,
    ≈ 5× slower than a few passes over contiguous rows at ~15,000 miners."""
    for option in range(1, len(weights)):
        weights[option] += weights[option - 1]
    return weights


def inverse_cdf(cumulative: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Per miner (column), the option drawn by inverse CDF: how many of the cumulative
    weights of all but the last option (rows) lie below ``target`` (int64; the same as
    ``(cumulative[:-1] < target).sum(axis=0)``)."""
    below = cumulative[:-1] < target
    if len(below) > np.iinfo(np.int8).max:  # an int8 count could overflow
        return below.sum(axis=0)
    return _count_true(below).astype(np.int64)


def _only_and_several(ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per miner: the first open option (channel code), and the miners with more than one."""
    only = np.zeros(ok.shape[1], dtype=np.int8)
    for option in range(len(ok) - 1, -1, -1):
        only[ok[option]] = option
    several = np.flatnonzero(_count_true(ok) > 1)
    return only, several


def _weights(scored: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """exp(λU − max λU) per option and the max λU, per miner (column), from ``scored`` = λU
    (−inf where an option is closed; overwritten)."""
    top = scored.max(axis=0)
    scored -= top
    return np.exp(scored, out=scored), top


def logit_choice(per_unit: np.ndarray, units: np.ndarray, ok: np.ndarray, scale: float,
                 uniform: np.ndarray | Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Multinomial-logit choice among the open options on values ``per_unit × units``.

    ``per_unit`` and ``ok`` have shape (options, miners); ``units`` one entry per miner.
    Inverse-CDF draw with one ``uniform`` per miner, so a miner's draw does not depend on
    how many options it (or anyone else) has: common random numbers across scenarios.
    ``uniform`` is one draw per miner, or a function giving the draws of the miners
    (indices) it is passed: then only the miners with a choice to make are drawn for.
    Miners with a single open option take it without any arithmetic.
    """
    choice, several = _only_and_several(ok)
    if len(several):
        scored = scale * (per_unit[:, several] * units[several])
        scored[~ok[:, several]] = -np.inf
        weights, _ = _weights(scored)
        cumulative = cumulate_options(weights)
        u = uniform(several) if callable(uniform) else uniform[several]
        target = u * cumulative[-1]
        choice[several] = _count_true(cumulative[:-1] < target)
    return choice


def inclusive_value(values: np.ndarray, channels: list[int], scale: float) -> np.ndarray:
    """Expected maximum utility (USD) over the open ``channels``: (1/λ)·log Σ exp(λ U), per miner.

    ``values`` has one row per channel (shape (3, miners)); with one open channel it is
    that channel's value.
    """
    if len(channels) == 1:
        return values[channels[0]]
    chosen = values[channels]
    if scale <= 0:
        return chosen.max(axis=0)
    weights, top = _weights(scale * chosen)
    return (top + np.log(weights.sum(axis=0))) / scale
