"""The live charts: which outputs each shows, and one kept matplotlib figure per chart.

Building a figure (axes, ticks, texts) costs most of a redraw, so each chart on
the page keeps one :class:`LiveChart` for the whole session and only moves its
data from month to month: ``Line2D.set_data`` for the series, a dashed vertical
line added per policy change, limits set from the data, texts set again only
when the language changes. The live view is SVG with text kept as text (sharp
at any size); its title and legend are page text (drawing them in every month's
figure cost a quarter of its time). "Save as PNG" draws a fresh figure with
title and legend at twice the resolution, for slides.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager, get_font
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

DPI = 80
LIVE_SIZE, LIVE_BOX = (5.0, 2.5), (0.13, 0.17, 0.84, 0.79)  # no title, no legend
SAVED_SIZE, SAVED_BOX = (5.0, 2.9), (0.14, 0.16, 0.82, 0.72)  # fixed: layout engines are slow
MIN_MONTHS = 12  # the month axis shows at least a year
SERIES_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c")  # matplotlib's first three
MARKER_COLOUR = "#4d4d4d"
MARKER_STYLE = {"color": MARKER_COLOUR, "linestyle": "--", "linewidth": 1.0}
SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "asmsim"}  # text as text; stable ids


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


def series_colour(i: int) -> str:
    """The colour of a chart's ``i``-th series."""
    return SERIES_COLOURS[i % len(SERIES_COLOURS)]


def compact(value: float, _pos=None) -> str:
    """A tick label: 350000 -> ``350k``, 2500000 -> ``2.5M``, 12.5 -> ``12.5``."""
    size = abs(value)
    if size >= 1e6:
        return f"{value / 1e6:g}M"
    if size >= 1e4:
        return f"{value / 1e3:g}k"
    return f"{value:g}"


def y_limits(values: list[np.ndarray], percent: bool) -> tuple[float, float]:
    """The y range for ``values``: 0-100 for shares, else the data with 5 % margins.

    The range starts at 0 when no value is negative, so that levels compare.
    """
    if percent:
        return 0.0, 100.0
    finite = [v[np.isfinite(v)] for v in values]
    finite = [v for v in finite if v.size]
    if not finite:
        return 0.0, 1.0
    low = min(float(v.min()) for v in finite)
    high = max(float(v.max()) for v in finite)
    span = high - low if high > low else max(abs(high), 1.0)
    bottom, top = low - 0.05 * span, high + 0.05 * span
    return (max(bottom, 0.0) if low >= 0 else bottom), top


def to_png(fig: Figure, dpi: float = DPI * 2) -> bytes:
    """The figure as PNG bytes (twice the screen resolution by default, for slides)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def to_svg(fig: Figure) -> bytes:
    """The figure as SVG with text kept as text (no date: the same figure gives the same bytes).

    Draws with :class:`_SVGRenderer`, whose text sizes are kept from one month to
    the next; with a matplotlib whose SVG classes differ, falls back to ``savefig``.
    """
    out = io.StringIO()
    dpi = fig.dpi
    with rc_context(SVG_RC):
        try:
            fig.dpi = 72  # as FigureCanvasSVG.print_svg: SVG user units are points
            width, height = fig.get_size_inches()
            renderer = MixedModeRenderer(
                fig, width, height, dpi,
                _SVGRenderer(width * 72, height * 72, out, image_dpi=dpi, metadata={"Date": None}))
            fig.draw(renderer)
            renderer.finalize()
        except TypeError:  # another matplotlib's signatures
            fig.dpi = dpi
            buf = io.BytesIO()
            fig.savefig(buf, format="svg", metadata={"Date": None})
            return buf.getvalue()
        finally:
            fig.dpi = dpi
    return out.getvalue().encode("utf-8")


@functools.lru_cache(maxsize=2048)
def _text_size(text: str, prop, ismath) -> tuple[float, float, float]:
    return _SVG_PROBE.get_text_width_height_descent(text, prop, ismath)


@functools.lru_cache(maxsize=64)
def _font_height(prop) -> tuple[float | None, float | None, float | None]:
    """Ascent, descent and line gap of ``prop``'s font in points, as ``Text`` computes them."""
    try:
        font = get_font(fontManager._find_fonts_by_props(prop))
        units = font.get_sfnt_table("head")["unitsPerEm"]
        for table_name, gap, ascent, descent in (
                ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                ("hhea", "lineGap", "ascent", "descent")):
            table = font.get_sfnt_table(table_name)
            if table is not None:
                scale = prop.get_size_in_points() / units
                return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    except (AttributeError, KeyError, TypeError):  # another matplotlib: let it measure
        pass
    return None, None, None


class _SVGRenderer(RendererSVG):
    """matplotlib's SVG renderer, with text measures cached for the whole process.

    matplotlib caches text sizes per renderer, and ``savefig`` makes a new one
    each time; and it reads a font's height from the font file for every text
    it lays out. Both were a third of a live chart's drawing time, for labels
    that are the same every month. Neither depends on the renderer (SVG
    measures text with the font files, in points), so one cache serves all.
    The SVG written is the same as ``savefig``'s (a test checks).
    """

    def get_text_width_height_descent(self, s, prop, ismath):
        return _text_size(s, prop.copy(), ismath)  # a copy: FontProperties is mutable

    def _get_font_height_metrics(self, prop):  # matplotlib's hook for backends (Text layout)
        return _font_height(prop.copy())


_SVG_PROBE = RendererSVG(72.0, 72.0, io.StringIO())


class LiveChart:
    """One chart's figure, kept between months; :meth:`update` moves its data.

    ``framed=True`` (the PNG download) adds the title and the legend to the
    figure; the live view shows them as page text. Not thread-safe: one page
    component owns it and updates it while rendering.
    """

    def __init__(self, chart: Chart, *, framed: bool = False):
        self.chart, self.framed = chart, framed
        self.fig = Figure(figsize=SAVED_SIZE if framed else LIVE_SIZE, dpi=DPI)
        ax = self.ax = self.fig.add_axes(SAVED_BOX if framed else LIVE_BOX)
        ax.tick_params(labelsize=8, length=0)
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True, steps=[1, 2, 3, 6, 10]))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
        ax.yaxis.set_major_formatter(FuncFormatter(compact))
        self.lines = {column: ax.plot([], [], linewidth=1.8, color=series_colour(i))[0]
                      for i, column in enumerate(chart.series)}
        self.markers: dict[int, Line2D] = {}  # policy-change month -> its dashed line
        self._texts_lang: str | None = None

    def update(self, table: pd.DataFrame, change_months, t) -> LiveChart:
        """Show ``table`` (monthly outputs) with a dashed line per month in ``change_months``."""
        ax, scale = self.ax, 100.0 if self.chart.percent else 1.0
        x = np.asarray(table.index, dtype=float)
        shown = []
        for column, line in self.lines.items():
            present = column in table.columns
            y = table[column].to_numpy(dtype=float) * scale if present else np.empty(0)
            line.set_data(x if present else np.empty(0), y)
            line.set_visible(present)
            if present:
                shown.append(y)
        months = sorted({int(m) for m in change_months})
        for month in [m for m in self.markers if m not in months]:
            self.markers.pop(month).remove()
        for month in months:
            if month not in self.markers:
                self.markers[month] = ax.axvline(month, **MARKER_STYLE)
        ax.set_xlim(0, max(MIN_MONTHS, int(x.max()) if x.size else 0))
        ax.set_ylim(*y_limits(shown, self.chart.percent))
        if self._texts_lang != t.lang:
            self._set_texts(t)
        if self.framed:
            self._set_legend(t, bool(months))
        return self

    def _set_texts(self, t) -> None:
        self.ax.set_xlabel(t("axis.month"), fontsize=9)
        self.ax.set_ylabel(t(self.chart.unit), fontsize=8)
        if self.framed:
            self.ax.set_title(t(f"chart.{self.chart.id}"), fontsize=11)
        for column, line in self.lines.items():
            line.set_label(t(f"series.{column}"))
        self._texts_lang = t.lang

    def _set_legend(self, t, with_marker: bool) -> None:
        visible = [c for c, line in self.lines.items() if line.get_visible()]
        handles: list = [self.lines[c] for c in visible]
        labels = [t(f"series.{c}") for c in visible]
        if with_marker:
            handles.append(Line2D([], [], **MARKER_STYLE))
            labels.append(t("policy_change"))
        if handles:
            self.ax.legend(handles, labels, fontsize=7, loc="upper left", framealpha=0.85)

    def svg(self) -> bytes:
        """The chart as it is now, as SVG (the live view)."""
        return to_svg(self.fig)

    def png(self) -> bytes:
        """The chart as it is now, as PNG at twice the screen resolution."""
        return to_png(self.fig)


def legend_entries(chart: Chart, with_marker: bool, t) -> list[tuple[str, str, bool]]:
    """The live chart's legend as page text: (label, colour, dashed) per entry."""
    entries = [(t(f"series.{column}"), series_colour(i), False)
               for i, column in enumerate(chart.series)]
    if with_marker:
        entries.append((t("policy_change"), MARKER_COLOUR, True))
    return entries


def chart_png(chart: Chart, table: pd.DataFrame, change_months, t) -> bytes:
    """A fresh figure of ``chart`` with title and legend, as PNG (the "Save as PNG" download)."""
    return LiveChart(chart, framed=True).update(table, change_months, t).png()


def chart_svg(chart: Chart, table: pd.DataFrame, change_months, t) -> bytes:
    """A fresh figure of ``chart`` with title and legend, as SVG."""
    return LiveChart(chart, framed=True).update(table, change_months, t).svg()
