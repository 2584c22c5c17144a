"""Figures for run folders: key outputs over time with replicate bands."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from asmsim.model.recorder import OUTPUTS


def panel_grid(n: int, width: float, height: float):
    """A figure of ``n`` panels, at most 3 a row (the unused ones hidden); (figure, axes)."""
    import math

    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, axes.flat


#: panel title -> list of (column, legend label)
OVERVIEW_PANELS: dict[str, list[tuple[str, str]]] = {
    "Formalization (share of miners / of gold sold)": [
        ("licensed_share", "licensed (legal)"), ("official_sales_share", "official sales (market)"),
        ("coop_share", "in a cooperative (social)")],
    "Net income (USD/month)": [("women_income_mean_usd", "women"),
                               ("men_income_mean_usd", "men")],
    "Mercury released (kg/month)": [("mercury_kg", "mercury")],
    "State budget (USD/month)": [("state_revenue_usd", "revenue"),
                                 ("state_spending_usd", "spending")],
    "Where the gold goes (kg/month)": [("trader_smuggled_kg", "smuggled by traders"),
                                       ("trader_declared_kg", "declared by traders"),
                                       ("official_buyer_kg", "official buyer"),
                                       ("licensed_buyer_kg", "licensed buyers")],
    "Miners (people)": [("active_miners", "active")],
}


def band(timeseries: pd.DataFrame, column: str, low: float = 0.05, high: float = 0.95
         ) -> pd.DataFrame:
    """Median and a [low, high] quantile band of ``column`` across replicates, by month."""
    grouped = timeseries.groupby("month")[column]
    return pd.DataFrame({"median": grouped.median(), "low": grouped.quantile(low),
                         "high": grouped.quantile(high)})


def overview_figure(timeseries: pd.DataFrame, title: str):
    """A 2×3 grid of the key outputs: medians with 90 % replicate bands."""
    n_rep = timeseries["replicate"].nunique() if "replicate" in timeseries else 1
    fig, axes = plt.subplots(2, 3, figsize=(15, 8), constrained_layout=True)
    for ax, (panel, series) in zip(axes.ravel(), OVERVIEW_PANELS.items(), strict=True):
        for column, label in series:
            b = band(timeseries, column)
            line, = ax.plot(b.index, b["median"], label=label)
            if n_rep > 1:
                ax.fill_between(b.index, b["low"], b["high"], color=line.get_color(), alpha=0.2)
        ax.set_title(panel)
        ax.set_xlabel("month")
        ax.set_ylabel(OUTPUTS[series[0][0]][0])
        ax.grid(alpha=0.3)
        ax.legend(loc="best", fontsize="small")
    note = f"median of {n_rep} replicates, band: 5–95 %" if n_rep > 1 else "one replicate"
    fig.suptitle(f"{title} ({note})")
    return fig


def close(figures) -> None:
    """Free saved figures (pyplot keeps every figure open until closed)."""
    for figure in figures:
        plt.close(figure)
