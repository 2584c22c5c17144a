"""The live charts: which outputs each shows, and one kept matplotlib figure per chart.

Each chart shows the run (solid lines), its counterfactual (the same series as
faint lines: the status quo with the same random numbers), each policy change
as a dashed vertical line labelled with what changed ("royalty 7 % → 3 %") and
each shock as a shaded band with its name (:class:`Marks`).

Building a figure (axes, ticks, texts) costs most of a redraw, so each chart on
the page keeps one :class:`LiveChart` for the whole session and only moves its
data from month to month: ``Line2D.set_data`` for the series, marks redrawn
only when they change, limits set from the data, texts set again only when the
language changes. The live view is SVG with text kept as text (sharp at any
size); its title and legend are page text (drawing them in every month's
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
from matplotlib.transforms import blended_transform_factory

from asmsim.present.dashboard import numbers

DPI = 80
LIVE_PX = (440, 240)  # the live view's size until the page reports the box it is shown in
SAVED_SIZE, SAVED_BOX = (6.0, 4.0), (0.09, 0.25, 0.88, 0.65)  # fixed: layout engines are slow
TICK_SIZES = (14, 18)  # points (= CSS px on screen): in a small box, in a box ≥ 500 px wide
YEAR = 12  # the month axis shows whole years
SERIES_COLOURS = ("#1f77b4", "#d95f02", "#2ca02c")
TWIN_ALPHA, TWIN_WIDTH = 0.35, 1.6  # the counterfactual: faint
MARKER_COLOUR = "#4d4d4d"
MARKER_STYLE = {"color": MARKER_COLOUR, "linestyle": "--", "linewidth": 1.2}
BAND_COLOUR, BAND_ALPHA = "#f4a261", 0.25
MARK_COLOUR_TEXT, MARK_SIZE_FRAMED = "#1a1a1a", 8  # live: one point below the tick labels
SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "asmsim"}  # text as text; stable ids


@dataclass(frozen=True)
class Chart:
    """One chart: its id (title key ``chart.<id>``), series and y-axis unit key."""

    id: str
    series: tuple[str, ...]
    unit: str
    percent: bool = False


@dataclass(frozen=True)
class Marks:
    """What the charts mark besides the data, with its labels in the page's language."""

    events: tuple[tuple[int, str], ...] = ()  # (month, "royalty 7 % → 3 %"), one per month
    bands: tuple[tuple[float, float, str], ...] = ()  # (first month, end, "flood")
    twin: str = ""  # the counterfactual's name ("status quo"), "" if none


CHARTS = (
    Chart("formalization", ("licensed_share", "official_sales_share", "coop_share"),
          "unit.share", percent=True),
    Chart("income", ("women_income_mean_usd", "men_income_mean_usd"), "unit.usd_month"),
    Chart("mercury", ("mercury_kg",), "unit.kg_month"),
    Chart("budget", ("revenue_usd", "state_spending_usd"), "unit.usd_month"),
    Chart("illicit", ("trader_smuggled_kg", "trader_declared_kg", "official_buyer_kg",
                      "licensed_buyer_kg"), "unit.kg_month"),
)


def series_colour(i: int) -> str:
    """The colour of a chart's ``i``-th series."""
    return SERIES_COLOURS[i % len(SERIES_COLOURS)]


def x_limit(month: int, horizon: int | None) -> int:
    """The month axis's end: the end of the current year of months, at most the horizon."""
    end = max(YEAR, -(-month // YEAR) * YEAR)
    return min(end, horizon) if horizon else end


def text_width(label: str, size: float) -> float:
    """About how many points the longest line of ``label`` takes at font ``size``."""
    return 0.56 * size * max(len(line) for line in label.split("\n"))


def fitted(label: str, size: float, room: float, smallest: float = 8.0) -> float:
    """The font size, at most ``size``, at which ``label`` fits in ``room`` points (≥ ``smallest``)."""
    return max(smallest, min(size, size * room / max(text_width(label, size), 1.0)))


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

    ``framed=True`` (the PNG download, the summary page) adds the title and the
    legend to the figure; the live view shows them as page text. ``ax`` draws
    into an axes of another figure (the summary page). Not thread-safe: one page
    component owns it and updates it while rendering.
    """

    def __init__(self, chart: Chart, *, framed: bool = False, ax=None):
        self.chart, self.framed = chart, framed
        self._own_figure = ax is None  # False: drawn in the summary page's figure
        self.tick = TICK_SIZES[0]  # the live view's tick label size (grows with the box)
        if ax is None:
            self.fig = Figure(figsize=SAVED_SIZE, dpi=DPI)
            ax = self.fig.add_axes(SAVED_BOX)
        else:
            self.fig = ax.figure
        self.ax = ax
        if not framed:
            self.resize(*LIVE_PX)
        ax.tick_params(labelsize=10, length=0)
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True, steps=[1, 2, 3, 6, 10]))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
        self.twins = {column: ax.plot([], [], linewidth=TWIN_WIDTH, alpha=TWIN_ALPHA,
                                      color=series_colour(i))[0]
                      for i, column in enumerate(chart.series)}
        self.lines = {column: ax.plot([], [], linewidth=2.2, color=series_colour(i))[0]
                      for i, column in enumerate(chart.series)}
        self.markers: dict[int, Line2D] = {}  # policy-change month -> its dashed line
        self._marked: tuple | None = None  # the marks drawn: for which month, at which size
        self._mark_artists: list = []
        self._texts_lang: str | None = None

    def resize(self, width: int, height: int) -> LiveChart:
        """Draw at ``width`` × ``height`` CSS pixels (1 point of SVG = 1 pixel on screen).

        Tick labels grow with the box (14 to 18 px); the axes keep margins for them.
        """
        width, height = max(int(width), 120), max(int(height), 80)
        if self.fig.get_size_inches().tolist() != [width / 72, height / 72]:
            self.fig.set_size_inches(width / 72, height / 72)
            tick = self.tick = min(max(TICK_SIZES[0], width / 28), TICK_SIZES[1])
            self.ax.tick_params(labelsize=tick)
            left, right, top, bottom = 3.1 * tick, 10, 8, 1.7 * tick
            self.ax.set_position((left / width, bottom / height, 1 - (left + right) / width,
                                  1 - (top + bottom) / height))
        return self

    def update(self, table: pd.DataFrame, twin: pd.DataFrame | None, marks: Marks, t,
               horizon: int | None = None) -> LiveChart:
        """Show ``table`` (monthly outputs), ``twin`` (the counterfactual's) and ``marks``."""
        x = np.asarray(table.index, dtype=float)
        month = int(x.max()) if x.size else 0
        shown = self._set_series(self.lines, table) + self._set_series(self.twins, twin)
        if self._texts_lang != t.lang:
            self._set_texts(t)
        self.ax.set_xlim(0, x_limit(month, horizon))
        self.ax.set_ylim(*y_limits(shown, self.chart.percent))
        if self._marked != (marks, month, self.fig.get_size_inches().tolist()):
            self._set_marks(marks, month)
        if self.framed:
            self._set_legend(t, marks)
        return self

    def _set_series(self, lines: dict[str, Line2D], table: pd.DataFrame | None) -> list:
        """Move ``lines`` to ``table``'s columns; return the values shown."""
        scale = 100.0 if self.chart.percent else 1.0
        shown = []
        for column, line in lines.items():
            present = table is not None and column in table.columns
            if present:
                y = table[column].to_numpy(dtype=float) * scale
                line.set_data(np.asarray(table.index, dtype=float), y)
                shown.append(y)
            else:
                line.set_data(np.empty(0), np.empty(0))
            line.set_visible(present)
        return shown

    def _axes_points(self) -> tuple[float, float]:
        """The axes' width and height in points."""
        width, height = self.fig.get_size_inches() * 72
        box = self.ax.get_position()
        return box.width * width, box.height * height

    def _set_marks(self, marks: Marks, month: int) -> None:
        """Draw the policy changes and the shocks begun by ``month`` (again only when they change).

        Labels run along their line (rotated, on its left unless it is near the left
        edge) and shrink to fit the axes' height; a shock's name is written across its
        band if the band shows wide enough.
        """
        for artist in self._mark_artists:
            artist.remove()
        self.markers, self._mark_artists = {}, []
        ax, (width, height) = self.ax, self._axes_points()
        across = blended_transform_factory(ax.transData, ax.transAxes)
        size = MARK_SIZE_FRAMED if self.framed else self.tick - 1
        low, high = ax.get_xlim()
        for start, end, label in marks.bands:
            if start > month:
                continue
            shown = (min(end, high) - start) / (high - low) * width
            flat = text_width(label, size) < shown - 4
            self._mark_artists += [
                ax.axvspan(start, end, color=BAND_COLOUR, alpha=BAND_ALPHA, linewidth=0),
                ax.text(start + 0.3, 0.03, label, transform=across, ha="left", va="bottom",
                        rotation=0 if flat else 90, color=MARK_COLOUR_TEXT, clip_on=True,
                        fontsize=size if flat else fitted(label, size, 0.6 * height))]
        for when, label in marks.events:
            self.markers[when] = ax.axvline(when, **MARKER_STYLE)
            right = when - low < 0.15 * (high - low)  # no room on its left
            self._mark_artists += [self.markers[when], ax.text(
                when + (0.3 if right else -0.3), 0.97, label, transform=across, rotation=90,
                ha="left" if right else "right", va="top", color=MARK_COLOUR_TEXT, clip_on=True,
                fontsize=fitted(label, size, 0.92 * height),
                bbox={"facecolor": "white", "alpha": 0.75, "linewidth": 0, "pad": 1.0})]
        self._marked = (marks, month, self.fig.get_size_inches().tolist())

    def _set_texts(self, t) -> None:
        lang = t.lang
        self.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: numbers.compact(v, lang)))
        if self.framed:
            self.ax.set_title(f"{t(f'chart.{self.chart.id}')} ({t(self.chart.unit)})",
                              fontsize=12)
            self.ax.set_xlabel(t("axis.month"), fontsize=11)
        self._texts_lang = lang

    def _set_legend(self, t, marks: Marks) -> None:
        """The legend under the axes; in the summary's axes, the series only (a key says the rest)."""
        shared = not self._own_figure
        handles = [line for line in self.lines.values() if line.get_visible()]
        labels = [t(f"series.{c}") for c, line in self.lines.items() if line.get_visible()]
        if shared:  # under the axes, instead of the month label
            self.ax.set_xlabel("")
            if len(handles) > 1:
                self.ax.legend(handles, labels, fontsize=8, loc="upper center", ncol=len(handles),
                               bbox_to_anchor=(0.5, -0.1), frameon=False, handlelength=1.5,
                               columnspacing=1.0)
            return
        for handle, label, shown in (
                (Line2D([], [], color="#555555", alpha=TWIN_ALPHA, linewidth=TWIN_WIDTH),
                 marks.twin, bool(marks.twin)),
                (Line2D([], [], **MARKER_STYLE), t("policy_change"), bool(marks.events))):
            if shown:
                handles.append(handle)
                labels.append(label)
        if handles:
            self.ax.legend(handles, labels, fontsize=9, loc="upper center",
                           ncol=min(len(handles), 3), bbox_to_anchor=(0.5, -0.17), frameon=False,
                           handlelength=1.8,
                           columnspacing=1.2)

    def svg(self) -> bytes:
        """The chart as it is now, as SVG (the live view)."""
        return to_svg(self.fig)

    def png(self) -> bytes:
        """The chart as it is now, as PNG at twice the screen resolution."""
        return to_png(self.fig)


def chart_png(chart: Chart, table: pd.DataFrame, twin: pd.DataFrame | None, marks: Marks, t,
              horizon: int | None = None) -> bytes:
    """A fresh figure of ``chart`` with title and legend, as PNG (the "Save as PNG" download)."""
    return LiveChart(chart, framed=True).update(table, twin, marks, t, horizon).png()
