"""Solara components of the main area: the run's title, headline figures, map and charts.

Each component gets what it shows and callbacks for what it changes; the page
(``app.py``) owns the state. ``t`` is a translator from :mod:`.i18n`. Layout and
sizes are in ``page.css`` (classes named here).

A month must redraw little: the page passes ``view``, a reactive holding a
:class:`~.session.View` (a copy of the runs' state, a new one each month),
and only the small components that show something of the month read
``view.value`` (the title line, the headline figures, the map and chart
images, the clicked cell), so only they run again each month; the tiles,
legends and buttons around them stay as they are. ``marks`` (what the charts
mark, :class:`~.charts.Marks`) changes only with a lever or the language. The
map and each chart keep their matplotlib figure for the life of the page and
only move their data (see :mod:`.charts`).
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Callable

import solara

from asmsim.present.dashboard import labels, numbers
from asmsim.present.dashboard.charts import (
    CHARTS,
    LIVE_PX,
    Chart,
    LiveChart,
    Marks,
    chart_png,
    series_colour,
)
from asmsim.present.dashboard.mapview import (
    LAYERS,
    LEGAL_NAMES,
    LiveMap,
    cell_at,
    cell_state,
    legend_entries,
    map_png,
    mercury_limits,
)
from asmsim.present.dashboard.session import View
from asmsim.present.dashboard.widgets import ClickImage, SizeReporter


@solara.component
def RunTitle(t, view: solara.Reactive[View]):
    """``All four reforms compared with status quo … Month 14 of 120``: redrawn every month."""
    shown = view.value
    with solara.Div(classes=["asmsim-title"]):
        solara.Text(labels.run_title(shown.controls, t), classes=["run-name"])
        # always there, shown at the end: the same widgets every month (none changes role)
        solara.Text(t("end_of_run"), classes=["end-of-run"],
                    style={"display": "inline" if shown.done else "none"})
        solara.Text(labels.month_text(shown, t), classes=["month-counter"])


@solara.component
def Headlines(t, view: solara.Reactive[View]):
    """The headline figures of the month with the counterfactual's: redrawn every month."""
    with solara.Div(classes=["asmsim-headlines"]):
        for item, (label, figure, versus) in zip(labels.HEADLINES,
                                                 labels.headline_texts(view.value, t),
                                                 strict=True):
            with solara.Div(classes=["headline-card", f"headline-{item.column}"]):
                solara.Text(label, classes=["headline-label"])
                solara.Text(figure, classes=["headline-value"])
                solara.Text(versus or " ", classes=["headline-versus"])


def use_saver(view: solara.Reactive[View], make: Callable[[View], bytes],
              dependencies: list) -> Callable[[], bytes]:
    """A callable for a download that makes the file of the month shown when it is clicked.

    It stays the same object from month to month: a new callable each month
    would make ``solara.FileDownload`` start a thread and redraw itself each
    month. It runs on the download's thread.
    """
    return solara.use_memo(lambda: lambda: make(view.peek()), dependencies)


def save_icon(save: Callable[[], bytes], filename: str, t) -> None:
    """The small "Save as PNG" button in a tile's head."""
    label = t("download_png")
    solara.FileDownload(save, filename=filename, mime_type="image/png", children=[
        solara.Button(icon_name="mdi-download", icon=True, classes=["save-png"],
                      attributes={"title": label, "aria-label": label})])


@contextlib.contextmanager
def tile(title: str, classes: list[str], head_extra: Callable[[], None] | None = None):
    """A tile of the grid with its title line; put the figure and legend inside."""
    with solara.Div(classes=["tile", *classes]):
        with solara.Div(classes=["tile-head"]):
            solara.Text(title, classes=["tile-title"])
            if head_extra is not None:
                head_extra()
        yield


def swatch(kind: str, colour: str = "", extra: str = "") -> None:
    """A small coloured mark for a legend entry (``line``, ``cell``, ``dot``, ``town``…)."""
    style = {"border-top-color": colour} if kind == "line" else {"background": colour}
    solara.HTML(tag="span", classes=["swatch", kind, *extra.split()],
                style=style if colour else {})


def legend_entry(label: str, kind: str, colour: str = "", extra: str = "",
                 wrap: bool = False) -> None:
    """One legend entry: swatch and dark text (readable on a projector), on one line unless ``wrap``."""
    with solara.Div(classes=["legend-entry"], style={"white-space": "normal" if wrap else "nowrap"}):
        swatch(kind, colour, extra)
        solara.Text(label)


@solara.component
def ChartImage(t, chart: Chart, view: solara.Reactive[View], marks: Marks):
    """One live chart as SVG: its kept figure gets the new month's data."""
    figure = solara.use_memo(lambda: LiveChart(chart), [])
    size = solara.use_reactive(LIVE_PX)  # the box it is shown in, once the browser says
    shown = view.value
    svg = solara.use_memo(lambda: figure.resize(*size.value).update(
        shown.table, shown.twin, marks, t, shown.months).svg(), [shown, marks, t, size.value])
    solara.Image(svg, format="svg+xml", classes=[f"chart-image-{chart.id}"])
    SizeReporter.element(on_size=lambda box: size.set(tuple(box)) if len(box) == 2 else None)


@solara.component
def ChartTile(t, chart: Chart, view: solara.Reactive[View], marks: Marks):
    """One chart: title with unit, live image, its series' legend, "Save as PNG"."""
    save = use_saver(view, lambda shown: chart_png(chart, shown.table, shown.twin, marks, t,
                                                   shown.months), [marks, t])
    title = f"{t(f'chart.{chart.id}')} ({t(chart.unit)})"
    with tile(title, [f"chart-{chart.id}"], lambda: save_icon(save, f"asmsim_{chart.id}.png", t)):
        with solara.Div(classes=["tile-figure"]):
            ChartImage(t, chart, view, marks)
        if len(chart.series) > 1:
            with solara.Div(classes=["tile-legend", "chart-legend"]):
                for i, column in enumerate(chart.series):
                    legend_entry(t(f"series.{column}"), "line", series_colour(i))


@solara.component
def MapImage(t, view: solara.Reactive[View], layer: str, on_cell: Callable[[int, int], None]):
    """The map as a clickable PNG: one kept figure per layer, its data moved each month."""
    figures = solara.use_memo(dict, [])  # layer -> LiveMap
    sites = view.value.sites

    def draw() -> str:
        if layer not in figures:
            figures[layer] = LiveMap(layer)
        png = figures[layer].update(sites, t).image()
        return "data:image/png;base64," + base64.b64encode(png).decode("ascii")

    def clicked(fx: float, fy: float) -> None:
        cell = cell_at(view.peek().sites, fx, fy)
        if cell is not None:
            on_cell(*cell)

    src = solara.use_memo(draw, [sites, layer, t])
    ClickImage.element(src=src, alt=t("map_title"), css_class="map-image", on_click=clicked)


@solara.component
def MercuryScale(t, view: solara.Reactive[View]):
    """The mercury layer's colour range as text: redrawn every month."""
    limits = mercury_limits(view.value.sites.mercury)
    low, high = limits if limits else (0.0, 0.0)
    legend_entry(t("mercury_scale", low=numbers.significant(low, t.lang),
                   high=numbers.significant(high, t.lang)),
                 "cell", "linear-gradient(90deg, #f0f0f0, #252525)", wrap=True)


@solara.component
def MapLegend(t, view: solara.Reactive[View], layer: str):
    """The map's legend beside it: dots, places, and the cells' colours."""
    with solara.Div(classes=["map-legend"]):
        for key, colour, shape in legend_entries(layer):
            legend_entry(t(key), shape, colour)
        if layer == "mercury":
            MercuryScale(t, view)


@solara.component
def CellInfo(t, view: solara.Reactive[View], cell: tuple[int, int] | None):
    """What the clicked cell holds this month (or how to click one): redrawn every month."""
    if cell is None:
        solara.Text(t("map_click"), classes=["map-cell"])
        return
    state = cell_state(view.value.sites, *cell)
    miners = ", ".join(f"{t(f'legal.{name}')} {count}"
                       for name, count in zip(LEGAL_NAMES, state.miners, strict=True) if count)
    parts = [t("cell_title", x=state.x, y=state.y, land=t(f"land.{state.land}"))]
    parts += [t("cell_town")] if state.town else []
    parts += [t("cell_point")] if state.buying_point else []
    parts += [t("cell_miners", miners=miners or "0"),
              t("cell_mercury", kg=numbers.significant(state.mercury_kg, t.lang),
                ore=numbers.percent(state.ore_left, t.lang))]
    solara.Text(" · ".join(parts), classes=["map-cell"])


@solara.component
def MapTile(t, view: solara.Reactive[View], layer: str, on_layer: Callable[[str], None]):
    """The map of sites with its layer switch, legend and the state of a clicked cell."""
    cell = solara.use_reactive(None)
    save = use_saver(view, lambda shown: map_png(shown.sites, layer, t), [layer, t])

    def head() -> None:
        with solara.Div(classes=["layer-switch"], style={"display": "flex"}):
            for name in LAYERS:
                solara.Button(t(f"layer_{name}"), small=True, outlined=name == layer,
                              text=name != layer, on_click=lambda name=name: on_layer(name))
        save_icon(save, "asmsim_map.png", t)

    with tile(t("map_title"), ["chart-map"], head):
        with solara.Div(classes=["map-body"]):
            with solara.Div(classes=["tile-figure"]):
                MapImage(t, view, layer, lambda x, y: cell.set((x, y)))
            MapLegend(t, view, layer)
        CellInfo(t, view, cell.value)


@solara.component
def FigureGrid(t, view: solara.Reactive[View], marks: Marks, layer: str, on_layer):
    """The map and the five charts, three by two."""
    with solara.Div(classes=["asmsim-grid"]):
        MapTile(t, view, layer, on_layer)
        for chart in CHARTS:
            ChartTile(t, chart, view, marks)


@solara.component
def PageLegend(t, marks: Marks):
    """What every chart's marks mean: this run, the faint counterfactual, changes, shocks."""
    with solara.Div(classes=["asmsim-legend"]):
        legend_entry(t("legend_run"), "line", "#333333")
        if marks.twin:
            legend_entry(t("legend_twin", name=marks.twin), "line", "#333333", "faint")
        legend_entry(t("policy_change"), "line", "#4d4d4d", "dashed")
        legend_entry(t("legend_shock"), "band")
