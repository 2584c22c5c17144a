"""Solara components of the page: run controls, levers, headline figures, map, charts.

Each component gets what it shows and callbacks for what it changes; the page
(``app.py``) owns the state. ``t`` is a translator from :mod:`.i18n`.

A month must redraw little: the page passes ``view``, a reactive holding a
:class:`~.session.View` (a copy of the model's state, a new one each month),
and only the small components that show something of the month read
``view.value`` (the month counter, the headline numbers, the map and chart
images), so only they run again each month; the cards, lever controls and
buttons around them stay as they are. The lever panel reads ``controls``, which
changes only when a lever does. The map and each chart keep their matplotlib
figure for the life of the page and only move its data (see :mod:`.charts`).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable

import solara

from asmsim.present.dashboard.charts import CHARTS, Chart, LiveChart, chart_png, legend_entries
from asmsim.present.dashboard.i18n import LANG_NAMES, LANGS
from asmsim.present.dashboard.levers import DIMENSIONS, Lever, lever, levers
from asmsim.present.dashboard.mapview import (
    LAND_COLOURS,
    LAND_NAMES,
    LAYERS,
    LEGAL_COLOURS,
    LEGAL_NAMES,
    LiveMap,
    map_png,
)
from asmsim.present.dashboard.session import Controls, View

SMALL_GREY = {"font-size": "0.8em", "color": "#666", "display": "block"}
# A legend row wraps to the card's width instead of widening the card (and pushing
# the charts below the map): its own width does not count when the card is sized.
NO_WIDEN = {"contain": "inline-size"}


def css_class(key: str) -> str:
    """The CSS class marking the control of a lever, e.g. ``lever-policy-market-royalty_rate``."""
    return "lever-" + key.replace(".", "-")


@solara.component
def LanguageSwitch(lang: str, on_lang: Callable[[str], None]):
    """One button per language; the current one is outlined."""
    with solara.Row(gap="4px", classes=["language-switch"]):
        for code in LANGS:
            solara.Button(LANG_NAMES[code], text=code != lang, outlined=code == lang,
                          color="white" if code == lang else None,
                          on_click=lambda code=code: on_lang(code))


@solara.component
def MonthCounter(t, view: solara.Reactive[View]):
    """``Month N``: redrawn every month."""
    solara.Text(t("month", month=view.value.month), classes=["month-counter"],
                style={"font-size": "1.3em", "font-weight": "bold"})


@solara.component
def ScenarioDescription(view: solara.Reactive[View]):
    """The description of the scenario preset in use (from its YAML, not translated)."""
    description = view.value.description
    solara.Text(description, style={"font-size": "0.85em", "display": "block",
                                    "margin-bottom": "4px"})


@solara.component
def RunControls(t, scenarios: list[str], scenario: str, view: solara.Reactive[View],
                playing: bool, on_scenario, on_play_pause, on_step, on_reset):
    """Scenario preset selector and play / pause / step / reset."""
    with solara.Card(t("scenario")):
        solara.Select(label=t("scenario"), values=scenarios, value=scenario,
                      on_value=on_scenario)
        ScenarioDescription(view)
        solara.Text(t("scenario_help"), style=SMALL_GREY)
        with solara.Row(gap="6px", classes=["run-controls"]):
            solara.Button(t("pause") if playing else t("play"), color="primary",
                          icon_name="mdi-pause" if playing else "mdi-play",
                          on_click=on_play_pause)
            solara.Button(t("step"), icon_name="mdi-skip-next", on_click=on_step,
                          disabled=playing)
            solara.Button(t("reset"), icon_name="mdi-restore", on_click=on_reset)
        MonthCounter(t, view)


@solara.component
def LeverControl(t, item: Lever, value, on_change: Callable[[str, object], None]):
    """The control of one lever (switch or slider) with its translated, unit-bearing label."""
    label = t(f"lever.{item.key}")
    shown = item.to_control(value)
    with solara.Column(gap="0px", classes=[css_class(item.key)]):
        if item.kind == "bool":
            solara.Switch(label=label, value=shown,
                          on_value=lambda v: on_change(item.key, item.to_config(v)))
            return
        solara.Text(f"{label}: {item.format(value, t('on'), t('off'))}",
                    style={"font-size": "0.85em"})
        slider = solara.SliderInt if item.kind == "int" and not item.percent else solara.SliderFloat
        extra = {} if slider is solara.SliderInt else {"step": item.step}
        slider(label="", value=shown, min=item.lo, max=item.hi,
               on_value=lambda v: on_change(item.key, item.to_config(v)), **extra)


@solara.component
def LeverPanel(t, controls: solara.Reactive[Controls], on_change, error: str):
    """All levers grouped by dimension, the royalty in use, and the list of changes."""
    shown = controls.value
    with solara.Card(t("levers")):
        solara.Text(t("levers_help"), style=SMALL_GREY)
        if error:
            solara.Error(error, dense=True)
        for dimension in DIMENSIONS:
            solara.Text(t("dim_" + dimension), style={"font-weight": "bold", "display": "block",
                                                      "margin-top": "8px"})
            for item in levers():
                if item.dimension == dimension:
                    LeverControl(t, item, shown.value(item.key), on_change)
        royalty = lever("policy.market.royalty_rate")
        solara.Text(t("royalty_in_use", value=royalty.format(shown.royalty_rate)),
                    classes=["royalty-in-use"], style={"font-size": "0.85em"})
        ChangeList(t, shown.changes)


@solara.component
def ChangeList(t, changes: tuple[tuple[int, str, object], ...]):
    """The policy changes asked for so far, last value per month and lever."""
    solara.Text(t("changes"), style={"font-weight": "bold", "display": "block",
                                     "margin-top": "8px"})
    latest: dict[tuple[int, str], object] = {}
    for month, key, value in changes:
        latest[(month, key)] = value
    if not latest:
        solara.Text(t("no_changes"), style={"font-size": "0.8em"})
    for (month, key), value in latest.items():
        item = lever(key) if any(x.key == key for x in levers()) else None
        shown = item.format(value, t("on"), t("off")) if item else str(value)
        name = t(f"lever.{key}") if item else key
        solara.Text(t("change_item", month=month, lever=name, value=shown),
                    style={"font-size": "0.8em", "display": "block"})


HEADLINES = (  # text key, output column, format
    ("headline_licensed", "licensed_share", "{:.1f} %", 100.0),
    ("headline_official", "official_sales_share", "{:.1f} %", 100.0),
    ("headline_income", "income_mean_usd", "{:,.0f}", 1.0),
    ("headline_mercury", "mercury_kg", "{:,.2f}", 1.0),
)


@solara.component
def HeadlineValue(view: solara.Reactive[View], column: str, fmt: str, scale: float):
    """One headline number for the latest month: redrawn every month."""
    table = view.value.table
    value = float(table[column].iloc[-1]) if column in table.columns and len(table) else math.nan
    solara.Text(fmt.format(value * scale), classes=[f"headline-{column}"],
                style={"font-size": "1.8em", "font-weight": "bold", "display": "block"})


@solara.component
def Headlines(t, view: solara.Reactive[View]):
    """The row of headline figures for the latest month."""
    with solara.Row(gap="12px", classes=["headlines"]):
        for key, column, fmt, scale in HEADLINES:
            with solara.Card(style={"min-width": "180px", "flex": "1"}):
                solara.Text(t(key), style={"font-size": "0.85em", "color": "#555"})
                HeadlineValue(view, column, fmt, scale)


def use_saver(view: solara.Reactive[View], make_png: Callable[[View], bytes],
              dependencies: list) -> Callable[[], bytes]:
    """A callable for "Save as PNG" that draws the month shown when it is clicked.

    It stays the same object from month to month: a new callable each month
    would make ``solara.FileDownload`` start a thread and redraw itself each
    month. It runs on the download's thread and draws a fresh figure.
    """
    return solara.use_memo(lambda: lambda: make_png(view.peek()), dependencies)


@contextlib.contextmanager
def figure_card(title: str, classes: list[str]):
    """A titled card for a figure: put its image, legend and "Save as PNG" inside."""
    with solara.Card(classes=classes, style={"flex": "1 1 420px", "max-width": "560px"}):
        solara.Text(title, classes=["figure-title"],
                    style={"font-weight": "bold", "display": "block", "text-align": "center"})
        yield


def save_button(save: Callable[[], bytes], filename: str, t) -> None:
    """The "Save as PNG" button of a figure card."""
    solara.FileDownload(save, filename=filename, label=t("download_png"), mime_type="image/png")


@solara.component
def MapImage(t, view: solara.Reactive[View], layer: str):
    """The map as a PNG: one kept figure per layer, its data moved each month."""
    figures = solara.use_memo(dict, [])  # layer -> LiveMap
    sites = view.value.sites

    def draw() -> bytes:
        if layer not in figures:
            figures[layer] = LiveMap(layer)
        return figures[layer].update(sites, t).image()

    image = solara.use_memo(draw, [sites, layer, t])
    solara.Image(image, width="100%", format="png", classes=["map-image"])


@solara.component
def MapLegend(t, layer: str):
    """The colours of the map as page text."""
    entries = [(t(f"legal.{n}"), c) for n, c in zip(LEGAL_NAMES, LEGAL_COLOURS, strict=True)]
    if layer == "land":
        entries += [(t(f"land.{n}"), c) for n, c in zip(LAND_NAMES, LAND_COLOURS, strict=True)]
    with solara.Row(gap="8px", style={"flex-wrap": "wrap", "font-size": "0.8em", **NO_WIDEN}):
        for label, colour in entries:
            solara.Text(f"■ {label}", style={"color": colour, "text-shadow": "0 0 1px #555"})


@solara.component
def MapCard(t, view: solara.Reactive[View], layer: str, on_layer):
    """The map of sites with its layer choice and legend."""
    save = use_saver(view, lambda shown: map_png(shown.sites, layer, t), [layer, t])
    with solara.Column(gap="4px", style={"flex": "1 1 420px", "max-width": "560px"}):
        with solara.Row(gap="4px", classes=["map-layer"]):
            solara.Text(t("map_layer"), style={"font-size": "0.85em"})
            for name in LAYERS:
                solara.Button(t(f"layer_{name}"), small=True, outlined=name == layer,
                              text=name != layer, on_click=lambda name=name: on_layer(name))
        with figure_card(t("map_title"), ["chart-map"]):
            MapImage(t, view, layer)
            MapLegend(t, layer)
            save_button(save, "asmsim_map.png", t)
        solara.Text(t("map_help"), style=SMALL_GREY)


@solara.component
def ChartImage(t, chart: Chart, view: solara.Reactive[View]):
    """One live chart as SVG: its kept figure gets the new month's data."""
    figure = solara.use_memo(lambda: LiveChart(chart), [])
    shown = view.value
    svg = solara.use_memo(
        lambda: figure.update(shown.table, shown.controls.change_months, t).svg(), [shown, t])
    solara.Image(svg, width="100%", format="svg+xml", classes=[f"chart-image-{chart.id}"])


@solara.component
def ChartLegend(t, chart: Chart, with_marker: bool):
    """A chart's legend as page text: a line per series, a dashed one for policy changes."""
    with solara.Row(gap="12px", style={"flex-wrap": "wrap", "font-size": "0.8em",
                                       "justify-content": "center", **NO_WIDEN},
                    classes=["chart-legend"]):
        for label, colour, dashed in legend_entries(chart, with_marker, t):
            style = "dashed" if dashed else "solid"
            solara.HTML(tag="span", unsafe_innerHTML=(
                f'<span style="display:inline-block;width:22px;margin:0 4px 3px 0;'
                f'border-top:{"1px" if dashed else "2px"} {style} {colour}"></span>'
                f"{_escape(label)}"))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@solara.component
def ChartCard(t, chart: Chart, view: solara.Reactive[View], with_marker: bool):
    """One chart: title, live image, legend and its PNG download."""
    save = use_saver(view, lambda shown: chart_png(chart, shown.table,
                                                    shown.controls.change_months, t), [t])
    with figure_card(t(f"chart.{chart.id}"), [f"chart-{chart.id}"]):
        ChartImage(t, chart, view)
        ChartLegend(t, chart, with_marker)
        save_button(save, f"asmsim_{chart.id}.png", t)


@solara.component
def ChartGrid(t, view: solara.Reactive[View], controls: solara.Reactive[Controls]):
    """Every live chart, each with its PNG download."""
    with_marker = bool(controls.value.changes)
    for chart in CHARTS:
        ChartCard(t, chart, view, with_marker)
