"""Solara components of the page: run controls, levers, headline figures, map, charts.

Each component gets what it shows and callbacks for what it changes; the page
(``app.py``) owns the state. ``t`` is a translator from :mod:`.i18n`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import solara

from asmsim.present.dashboard.charts import CHARTS, Chart, chart_png, chart_svg, to_png, to_svg
from asmsim.present.dashboard.i18n import LANG_NAMES, LANGS
from asmsim.present.dashboard.levers import DIMENSIONS, Lever, lever, levers
from asmsim.present.dashboard.mapview import (
    LAND_COLOURS,
    LAND_NAMES,
    LAYERS,
    LEGAL_COLOURS,
    LEGAL_NAMES,
    draw_map,
)
from asmsim.present.dashboard.session import lever_value


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
def RunControls(t, scenarios: list[str], scenario: str, description: str, month: int,
                playing: bool, on_scenario, on_play_pause, on_step, on_reset):
    """Scenario preset selector and play / pause / step / reset."""
    with solara.Card(t("scenario")):
        solara.Select(label=t("scenario"), values=scenarios, value=scenario,
                      on_value=on_scenario)
        if description:
            solara.Text(description, style={"font-size": "0.85em"})
        solara.Text(t("scenario_help"), style={"font-size": "0.8em", "color": "#666"})
        with solara.Row(gap="6px", classes=["run-controls"]):
            solara.Button(t("pause") if playing else t("play"), color="primary",
                          icon_name="mdi-pause" if playing else "mdi-play",
                          on_click=on_play_pause)
            solara.Button(t("step"), icon_name="mdi-skip-next", on_click=on_step,
                          disabled=playing)
            solara.Button(t("reset"), icon_name="mdi-restore", on_click=on_reset)
        solara.Text(t("month", month=month), classes=["month-counter"],
                    style={"font-size": "1.3em", "font-weight": "bold"})


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
def LeverPanel(t, model, on_change, error: str, tick: int):
    """All levers grouped by dimension, the royalty in use, and the list of changes.

    ``tick`` changes after every month or lever change: the model is mutated in
    place, so it is what tells Solara this panel must be redrawn.
    """
    with solara.Card(t("levers")):
        solara.Text(t("levers_help"), style={"font-size": "0.8em", "color": "#666"})
        if error:
            solara.Error(error, dense=True)
        for dimension in DIMENSIONS:
            solara.Text(t("dim_" + dimension), style={"font-weight": "bold", "display": "block",
                                                      "margin-top": "8px"})
            for item in levers():
                if item.dimension == dimension:
                    LeverControl(t, item, lever_value(model, item.key), on_change)
        royalty = lever("policy.market.royalty_rate")
        solara.Text(t("royalty_in_use",
                      value=royalty.format(model.config.policy.market.royalty_rate)),
                    classes=["royalty-in-use"], style={"font-size": "0.85em"})
        ChangeList(t, list(getattr(model, "policy_changes", [])))


@solara.component
def ChangeList(t, changes: list[tuple[int, str, object]]):
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


def _last(table: pd.DataFrame, column: str) -> float:
    if column not in table.columns or table.empty:
        return math.nan
    return float(table[column].iloc[-1])


@solara.component
def Headlines(t, table: pd.DataFrame):
    """The row of headline figures for the latest month."""
    figures = (
        ("headline_licensed", f"{_last(table, 'licensed_share') * 100:.1f} %"),
        ("headline_official", f"{_last(table, 'official_sales_share') * 100:.1f} %"),
        ("headline_income", f"{_last(table, 'income_mean_usd'):,.0f}"),
        ("headline_mercury", f"{_last(table, 'mercury_kg'):,.2f}"),
    )
    with solara.Row(gap="12px", classes=["headlines"]):
        for key, text in figures:
            with solara.Card(style={"min-width": "180px", "flex": "1"}):
                solara.Text(t(key), style={"font-size": "0.85em", "color": "#555"})
                solara.Text(text, style={"font-size": "1.8em", "font-weight": "bold",
                                         "display": "block"})


@solara.component
def FigureCard(image: bytes, image_format: str, png, filename: str, t, classes: list[str]):
    """A figure (PNG or SVG bytes) with a button saving it as PNG (bytes or a callable)."""
    with solara.Card(classes=classes, style={"flex": "1 1 420px", "max-width": "560px"}):
        solara.Image(image, width="100%", format=image_format)
        solara.FileDownload(png, filename=filename, label=t("download_png"),
                            mime_type="image/png")


@solara.component
def MapCard(t, model, layer: str, on_layer, tick: int):
    """The map of sites with its layer choice."""
    live = solara.use_memo(lambda: to_svg(draw_map(model, layer, t, legend=False)),
                           [id(model), tick, layer])
    with solara.Column(gap="4px", style={"flex": "1 1 420px", "max-width": "560px"}):
        with solara.Row(gap="4px", classes=["map-layer"]):
            solara.Text(t("map_layer"), style={"font-size": "0.85em"})
            for name in LAYERS:
                solara.Button(t(f"layer_{name}"), small=True, outlined=name == layer,
                              text=name != layer, on_click=lambda name=name: on_layer(name))
        solara.Text(t("map_title"), style={"font-weight": "bold"})
        FigureCard(live, "svg+xml", lambda: to_png(draw_map(model, layer, t)), "asmsim_map.png",
                   t, ["chart-map"])
        legend = [(t(f"legal.{n}"), c) for n, c in zip(LEGAL_NAMES, LEGAL_COLOURS, strict=True)]
        if layer == "land":
            legend += [(t(f"land.{n}"), c) for n, c in zip(LAND_NAMES, LAND_COLOURS, strict=True)]
        with solara.Row(gap="8px", style={"flex-wrap": "wrap", "font-size": "0.8em"}):
            for label, colour in legend:
                solara.Text(f"■ {label}", style={"color": colour, "text-shadow": "0 0 1px #555"})
        solara.Text(t("map_help"), style={"font-size": "0.8em", "color": "#666"})


@solara.component
def ChartGrid(t, table: pd.DataFrame, change_months: list[int], tick: int, model_id: int):
    """Every live chart, each with its PNG download."""
    for chart in CHARTS:
        ChartCard(t, chart, table, change_months, tick, model_id)


@solara.component
def ChartCard(t, chart: Chart, table, change_months, tick: int, model_id: int):
    """One live chart, redrawn when the month, the model or the language changes."""
    svg = solara.use_memo(lambda: chart_svg(chart, table, change_months, t),
                          [model_id, tick, tuple(change_months), t.lang])
    FigureCard(svg, "svg+xml", lambda: chart_png(chart, table, change_months, t),
               f"asmsim_{chart.id}.png", t, [f"chart-{chart.id}"])
