"""Figures of a calibration (matplotlib, Agg): the posterior predictive check and the
posterior's marginals against their priors. The caller saves them (atomically)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd

from asmsim.present.plots import panel_grid


def _grid(n: int):
    return panel_grid(n, 4.2, 3.0)


def predictive_figure(frame: pd.DataFrame, table: pd.DataFrame, units: dict[str, str]):
    """A panel per target: the simulated values over posterior draws (histogram) and the
    field's band (shaded); targets not fitted (held out) are marked."""
    fig, axes = _grid(len(table))
    for ax, row in zip(axes, table.itertuples(), strict=False):
        x = frame.loc[frame["target"] == row.target, "value"].to_numpy()
        x = x[np.isfinite(x)]
        ax.axvspan(row.band_low, row.band_high, color="tab:green", alpha=0.25,
                   label="field band")
        ax.hist(x, bins=20, color="tab:blue", alpha=0.8, label="simulated (posterior draws)")
        kind = "not fitted" if row.held_out else "fitted"
        ax.set_title(f"{row.target} ({kind})\n{row.share_inside:.0%} of draws in band",
                     fontsize=9)
        ax.set_xlabel(units.get(row.target, "value"), fontsize=8)
        ax.set_ylabel("draws", fontsize=8)
    axes[0].legend(fontsize=7, loc="best")
    fig.suptitle("Posterior predictive check: simulated statistics against the field's bands")
    fig.tight_layout()
    return fig


def marginals_figure(post: pd.DataFrame, summary: pd.DataFrame, units: dict[str, str]):
    """A panel per calibrated parameter: the weighted posterior (histogram) on its prior
    range (the prior is uniform over the whole x axis), with the median."""
    fig, axes = _grid(len(summary))
    w = post["weight"].to_numpy()
    for ax, row in zip(axes, summary.itertuples(), strict=False):
        ax.hist(post[row.parameter], bins=20, weights=w, density=True, color="tab:purple",
                alpha=0.8, label="posterior (weighted)",
                range=(row.prior_low, row.prior_high))
        ax.axhline(1.0 / (row.prior_high - row.prior_low), color="grey", ls="--",
                   label="prior (uniform)")
        ax.axvline(row.median, color="black", lw=1, label="posterior median")
        ax.set_xlim(row.prior_low, row.prior_high)
        ax.set_title(row.parameter, fontsize=9)
        ax.set_xlabel(units.get(row.parameter, ""), fontsize=8)
        ax.set_ylabel("density", fontsize=8)
    axes[0].legend(fontsize=7, loc="best")
    fig.suptitle("Calibrated parameters: posterior against prior")
    fig.tight_layout()
    return fig
