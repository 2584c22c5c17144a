"""Figures of a robustness analysis: regret per policy, and PRIM's trade-off and box."""

from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from asmsim.present.plots import panel_grid

TITLE_CHARS = 60  # a PRIM panel's title lines: two panels' titles side by side must not overlap


def regret_figure(regrets: pd.DataFrame, units: dict[str, str]):
    """A panel per outcome: the distribution of each policy's regret over the futures."""
    outputs = list(dict.fromkeys(regrets["output"]))
    fig, axes = panel_grid(len(outputs), 4.6, 3.4)
    for ax, output in zip(axes, outputs, strict=False):
        part = regrets[regrets["output"] == output]
        policies = list(dict.fromkeys(part["policy"]))
        ax.boxplot([part.loc[part["policy"] == p, "regret"] for p in policies],
                   tick_labels=policies, showfliers=True)
        ax.set_title(f"Regret: {output.replace('_', ' ')}", fontsize=9)
        ax.set_ylabel(f"shortfall from the best policy [{units.get(output, '')}]", fontsize=8)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    fig.suptitle("Regret over the futures (0 = the best policy in that future); boxes: "
                 "quartiles, orange line: median, whiskers: 1.5 × the quartile range, "
                 "circles: futures beyond", fontsize=9)
    fig.tight_layout()
    return fig


def box_title(box) -> str:
    """"POLICY fails where:" and the box's description, wrapped to ``TITLE_CHARS`` a line."""
    return "\n".join([f"{box.policy} fails where:",
                      *textwrap.wrap(box.description, TITLE_CHARS)])


def prim_figure(boxes):
    """A panel per failing policy: PRIM's coverage–density trade-off along the peeling
    trajectory, the chosen box marked and described."""
    fig, axes = plt.subplots(1, len(boxes), figsize=(5.2 * len(boxes), 4.2), squeeze=False)
    for ax, box in zip(axes.flat, boxes, strict=True):
        t = box.trajectory
        points = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=18,
                            label="boxes along the peeling trajectory")
        ax.scatter([box.coverage], [box.density], s=120, facecolors="none", edgecolors="red",
                   label="chosen box")
        ax.set_xlabel("coverage (share of failing futures inside the box)", fontsize=8)
        ax.set_ylabel("density (share of futures in the box that fail)", fontsize=8)
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_title(box_title(box), fontsize=8)
        most = int(t["res_dim"].max()) if len(t) else 0
        fig.colorbar(points, ax=ax, label="factors the box restricts (count)",
                     ticks=range(most + 1))
        ax.legend(fontsize=7, loc="lower left")
    fig.suptitle("Scenario discovery (PRIM): where each policy fails its requirements")
    fig.tight_layout()
    return fig
