"""The live charts: which outputs each shows, drawn with matplotlib to PNG.

The page shows the chart as SVG (cheap to redraw every month); the download
draws the same figure again as a PNG at twice the resolution, for slides. Policy changes are dashed vertical lines.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure

FIGSIZE = (5.0, 2.9)
DPI = 80


@dataclass(frozen=True)
class Chart:
    """One chart: its id (title key ``chart.<id>``), series and y-axis unit key."""

    id: str
    series: tuple[str, ...]
    unit: str
    percent: bool = False


CHARTS = (
    Chart("formalization", ("licensed_share", "official_sales_share", "coop_share"),
          "unit.share", percent=True),
    Chart("income", ("women_income_mean_usd", "men_income_mean_usd"), "unit.usd_month"),
    Chart("mercury", ("mercury_kg",), "unit.kg_month"),
    Chart("budget", ("revenue_usd", "state_spending_usd"), "unit.usd_month"),
    Chart("illicit", ("illicit_flow_usd",), "unit.usd_month"),
)


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes (for the slide download)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI * 2)
    return buf.getvalue()


def to_svg(fig: Figure) -> bytes:
    """The figure as SVG with text kept as text: about half the cost of a PNG to draw."""
    buf = io.BytesIO()
    with rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg")
    return buf.getvalue()


def draw_chart(chart: Chart, table: pd.DataFrame, change_months: list[int], t) -> Figure:
    """A figure of ``chart`` from the output table; ``t`` translates labels."""
    fig = Figure(figsize=FIGSIZE)
    ax = fig.add_axes((0.14, 0.16, 0.82, 0.72))  # fixed: layout engines cost ~100 ms
    for column in chart.series:
        if column in table.columns:
            values = table[column] * (100.0 if chart.percent else 1.0)
            ax.plot(table.index, values, label=t(f"series.{column}"), linewidth=1.8)
    for i, month in enumerate(sorted(set(change_months))):
        ax.axvline(month, color="0.3", linestyle="--", linewidth=1,
                   label=t("policy_change") if i == 0 else None)
    ax.set_title(t(f"chart.{chart.id}"), fontsize=11)
    ax.set_xlabel(t("axis.month"), fontsize=9)
    ax.set_ylabel(t(chart.unit), fontsize=8)
    ax.set_xlim(0, max(12, int(table.index.max()) if len(table) else 12))
    if chart.percent:
        ax.set_ylim(0, 100)
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="upper left")
    return fig


def chart_png(chart: Chart, table: pd.DataFrame, change_months: list[int], t) -> bytes:
    """:func:`draw_chart` rendered to PNG."""
    return to_png(draw_chart(chart, table, change_months, t))


def chart_svg(chart: Chart, table: pd.DataFrame, change_months: list[int], t) -> bytes:
    """:func:`draw_chart` rendered to SVG (the live view)."""
    return to_svg(draw_chart(chart, table, change_months, t))
