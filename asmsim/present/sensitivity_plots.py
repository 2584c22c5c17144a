"""Plots of a sensitivity study (matplotlib, Agg): one figure per kind, a panel per output.

- :func:`sobol_bars`: S1 and ST per parameter with their confidence intervals;
- :func:`morris_scatter`: Morris mu* against sigma (unit of the output);
- :func:`convergence_lines`: S1/ST (or mu*) against the sample size;
- :func:`study_figures`: the figures of a study's method, by file name.

Each takes the tidy index table of :mod:`asmsim.analysis.sensitivity.indices`
and returns a Figure; the caller saves it (atomically).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from asmsim.present.plots import panel_grid


def _grid(n: int):
    return panel_grid(n, 4.6, 3.4)


def _label(output: str, units: dict[str, str]) -> str:
    unit = units.get(output, "")
    return f"{output} [{unit}]" if unit and unit != "-" else output


def sobol_bars(indices: pd.DataFrame, units: dict[str, str]) -> plt.Figure:
    """First-order (S1) and total (ST) Sobol indices with intervals, a panel per output."""
    outputs = list(dict.fromkeys(indices["output"]))
    fig, axes = _grid(len(outputs))
    for ax, output in zip(axes, outputs, strict=False):  # the grid may have spare axes
        sub = indices[indices["output"] == output]
        params = list(dict.fromkeys(sub.loc[sub["index"] == "S1", "parameter"]))
        pos = np.arange(len(params))
        for shift, idx, colour in ((-0.2, "S1", "tab:blue"), (0.2, "ST", "tab:orange")):
            part = sub[sub["index"] == idx].set_index("parameter").reindex(params)
            ax.barh(pos + shift, part["value"], height=0.4, xerr=part["conf"], color=colour,
                    label=idx, capsize=2)
        ax.set_yticks(pos, [p.split(".")[-1] for p in params], fontsize=8)
        ax.invert_yaxis()
        ax.axvline(0, color="black", lw=0.5)
        ax.set_title(_label(output, units), fontsize=9)
        ax.set_xlabel("Sobol index (share of variance)")
    axes[0].legend(fontsize=8)
    fig.suptitle("Sobol indices: first-order (S1) and total (ST) share of each output's "
                 "variance, with bootstrap intervals")
    fig.tight_layout()
    return fig


MORRIS_LABELS = 8  # parameters named per panel: the largest mu*, so 200 points stay legible


def morris_scatter(indices: pd.DataFrame, units: dict[str, str]) -> plt.Figure:
    """Morris mu* against sigma, a panel per output; the ``MORRIS_LABELS`` points with the
    largest mu* labelled by parameter (all of them in a small study)."""
    outputs = list(dict.fromkeys(indices["output"]))
    fig, axes = _grid(len(outputs))
    for ax, output in zip(axes, outputs, strict=False):  # the grid may have spare axes
        sub = indices[indices["output"] == output].pivot(index="parameter", columns="index",
                                                         values="value")
        ax.scatter(sub["mu_star"], sub["sigma"], color="tab:blue", s=12,
                   label=f"a parameter ({min(MORRIS_LABELS, len(sub))} largest mu* named)")
        for name, row in sub.nlargest(MORRIS_LABELS, "mu_star").iterrows():
            ax.annotate(name.split(".")[-1], (row["mu_star"], row["sigma"]), fontsize=7,
                        xytext=(3, 3), textcoords="offset points")
        top = np.nanmax(sub[["mu_star", "sigma"]].to_numpy()) if len(sub) else 1.0
        top = top if np.isfinite(top) and top > 0 else 1.0
        ax.plot([0, top], [0, top], ls="--", color="grey", lw=0.7)
        unit = units.get(output, "")
        ax.set_xlabel(f"mu* [{unit}]" if unit and unit != "-" else "mu*")
        ax.set_ylabel("sigma")
        ax.set_title(_label(output, units), fontsize=9)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("Morris screening: mean absolute elementary effect (mu*) against its "
                 "spread (sigma)")
    fig.tight_layout()
    return fig


def convergence_lines(conv: pd.DataFrame, units: dict[str, str], index: str) -> plt.Figure:
    """One index (``ST`` or ``mu_star``) against the sample size, a line per parameter."""
    outputs = list(dict.fromkeys(conv["output"]))
    fig, axes = _grid(len(outputs))
    for ax, output in zip(axes, outputs, strict=False):  # the grid may have spare axes
        sub = conv[(conv["output"] == output) & (conv["index"] == index)]
        for name, part in sub.groupby("parameter", sort=False):
            ax.errorbar(part["n"], part["value"], yerr=part["conf"], marker="o", ms=3,
                        capsize=2, label=name.split(".")[-1])
        ax.set_xscale("log", base=2)
        ax.set_xlabel("base sample size N" if index != "mu_star" else "trajectories")
        ax.set_ylabel(index)
        ax.set_title(_label(output, units), fontsize=9)
    axes[0].legend(fontsize=7)
    name = "total Sobol index (ST)" if index == "ST" else "mu*" if index == "mu_star" else index
    fig.suptitle(f"Convergence: {name} on growing prefixes of the sample, with bootstrap "
                 "intervals")
    fig.tight_layout()
    return fig


def study_figures(method: str, indices: pd.DataFrame, conv: pd.DataFrame,
                  units: dict[str, str]) -> dict[str, plt.Figure]:
    """File name → figure for a finished ``sobol`` or ``morris`` study."""
    if method == "sobol":
        return {"sobol_indices.png": sobol_bars(indices, units),
                "convergence.png": convergence_lines(conv, units, "ST")}
    return {"morris_mu_star_sigma.png": morris_scatter(indices, units),
            "convergence.png": convergence_lines(conv, units, "mu_star")}
