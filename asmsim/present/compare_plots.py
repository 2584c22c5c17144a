"""Figures of a scenario comparison: differences with intervals, trajectories with bands."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from asmsim.analysis.compare import KEY_OUTPUTS
from asmsim.present.plots import band

THOUSANDS = FuncFormatter(lambda x, _: f"{x:,.10g}")
VERDICT_COLOURS = {"better": "#1a9850", "worse": "#d73027", "no difference": "#878787"}


def _grid(title: str):
    fig, axes = plt.subplots(2, 4, figsize=(18, 8), constrained_layout=True)
    fig.suptitle(title)
    return fig, axes.ravel()


def outcomes_figure(table: pd.DataFrame, baseline: str):
    """One panel per key output: each scenario's difference from the baseline, 95 % CI bars.

    Differences are in display units (percentage points for shares); colour
    says whether the scenario is better, worse or not distinguishable from
    the baseline, given the output's direction.
    """
    n_rep = int(table["replicates"].iloc[0])
    fig, axes = _grid(f"Difference from '{baseline}' (last-12-month means, {n_rep} paired "
                      "replicates, 95 % intervals)")
    for ax, (output, key) in zip(axes, KEY_OUTPUTS.items(), strict=True):
        rows = table[(table["output"] == output) & (table["scenario"] != baseline)]
        y = np.arange(len(rows))[::-1]
        d = rows["diff"].to_numpy() * key.scale
        err = np.vstack([d - rows["diff_ci95_low"].to_numpy() * key.scale,
                         rows["diff_ci95_high"].to_numpy() * key.scale - d])
        for yi, di, lo, hi, v in zip(y, d, err[0], err[1], rows["verdict"], strict=True):
            ax.errorbar(di, yi, xerr=[[lo], [hi]], fmt="o", capsize=4, markersize=6,
                        color=VERDICT_COLOURS.get(v, "black"))
        ax.axvline(0, color="black", linewidth=1)
        ax.set_yticks(y, rows["scenario"])
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_title(f"{key.label}\n({'higher' if key.direction > 0 else 'lower'} is better)")
        ax.set_xlabel(f"difference ({key.diff_unit})")
        ax.grid(axis="x", alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.xaxis.set_major_formatter(THOUSANDS)
    handles = [Line2D([], [], marker="o", linestyle="", color=c, label=f"{v} (beyond noise)"
                      if v != "no difference" else "not beyond noise")
               for v, c in VERDICT_COLOURS.items()]
    handles.append(Line2D([], [], color="black", label=f"zero = {baseline}"))
    fig.legend(handles=handles, loc="lower center", ncol=4, bbox_to_anchor=(0.5, -0.06))
    return fig


def trajectories_figure(timeseries: pd.DataFrame, baseline: str):
    """One panel per key output over time: median and 90 % band per scenario."""
    names = list(dict.fromkeys(timeseries["scenario"]))
    colours = {n: f"C{i}" for i, n in enumerate(names)}
    n_rep = timeseries["replicate"].nunique()
    fig, axes = _grid(f"Key outputs over time (median of {n_rep} replicates, band: 5–95 %)")
    for ax, (output, key) in zip(axes, KEY_OUTPUTS.items(), strict=True):
        for name, group in timeseries.groupby("scenario", sort=False):
            b = band(group, output) * key.scale
            ax.plot(b.index, b["median"], color=colours[name], label=name,
                    linewidth=2.2 if name == baseline else 1.4,
                    linestyle="--" if name == baseline else "-")
            ax.fill_between(b.index, b["low"], b["high"], color=colours[name], alpha=0.15)
        ax.set_title(key.label)
        ax.set_xlabel("month")
        ax.set_ylabel(key.unit)
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax.grid(alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(names), bbox_to_anchor=(0.5, -0.05))
    return fig
