"""The dashboard page: ``solara run asmsim.present.dashboard.app`` serves ``Page``.

State per browser tab: the language, the scenario, the model, whether it is
playing, and a tick counter bumped after every month or lever change (the
model is mutated in place, so the tick is what tells Solara to redraw).
Start-up scenario and language come from ``$ASMSIM_DASHBOARD_SCENARIO`` and
``$ASMSIM_DASHBOARD_LANG`` (set by ``asmsim dashboard``).
"""

from __future__ import annotations

import asyncio
import os
import time
import traceback

import solara
import solara.lab

from asmsim.config import ConfigError, group_options
from asmsim.present.dashboard.components import (
    ChartGrid,
    Headlines,
    LanguageSwitch,
    LeverPanel,
    MapCard,
    RunControls,
)
from asmsim.present.dashboard.i18n import DEFAULT_LANG, LANGS, translator
from asmsim.present.dashboard.session import new_model, outputs, scenario_config

# Bumped after every month or lever change (the model is mutated in place). A
# module-level reactive is per browser tab under solara-server; like Mesa's
# ``update_counter`` it also redraws when set from the play task.
TICK = solara.reactive(0)
PLAY_INTERVAL_S = 0.5  # at least this long per month while playing, so people can follow
PAUSE_MIN_S = 0.25  # idle time after each month so the server can send the redraw


def initial_scenario() -> str:
    """The start-up scenario preset (``$ASMSIM_DASHBOARD_SCENARIO``, default baseline)."""
    return os.environ.get("ASMSIM_DASHBOARD_SCENARIO", "baseline")


def initial_lang() -> str:
    """The start-up language (``$ASMSIM_DASHBOARD_LANG``, default English)."""
    lang = os.environ.get("ASMSIM_DASHBOARD_LANG", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


@solara.component
def Page():
    """The whole dashboard."""
    lang = solara.use_reactive(initial_lang())
    t = translator(lang.value)
    scenario = solara.use_reactive(initial_scenario())
    first = solara.use_memo(lambda: new_model(scenario_config(scenario.value)), [])
    model = solara.use_reactive(first)
    tick = TICK
    playing = solara.use_reactive(False)
    layer = solara.use_reactive("land")
    error = solara.use_reactive("")

    def redraw():
        tick.value += 1

    def advance():
        current = model.value
        current.step()
        if current.month >= current.config.months:
            playing.value = False
        redraw()

    async def play_loop():
        # On the server's event loop, not a thread: renders made from a worker
        # thread did not reach the browser (checked in Chromium).
        try:
            while playing.value:
                started = time.perf_counter()
                advance()
                await asyncio.sleep(max(PAUSE_MIN_S, PLAY_INTERVAL_S - (time.perf_counter() - started)))
        except Exception as exc:  # noqa: BLE001 - a failing month stops play, says why
            playing.value = False
            error.value = t("lever_error", error=f"{type(exc).__name__}: {exc}")
            traceback.print_exc()

    solara.lab.use_task(play_loop, dependencies=[playing.value])

    def load(name: str):
        playing.value = False
        try:
            config = scenario_config(name)
        except ConfigError as exc:
            error.value = t("lever_error", error=str(exc))
            return
        scenario.value = name
        model.value = new_model(config)
        error.value = ""
        redraw()

    def change_lever(key: str, value):
        try:
            model.value.set_policy(key, value)
            error.value = ""
        except (ConfigError, ValueError) as exc:
            error.value = t("lever_error", error=str(exc))
        redraw()

    current = model.value
    table = outputs(current)
    change_months = [month for month, _, _ in getattr(current, "policy_changes", [])]

    solara.Title(t("title"))
    with solara.AppBar():
        solara.AppBarTitle(t("title"))
        LanguageSwitch(lang.value, lang.set)
    with solara.Sidebar():
        RunControls(t, group_options("scenario"), scenario.value, current.config.description,
                    current.month, playing.value, load,
                    lambda: playing.set(not playing.value), advance,
                    lambda: load(scenario.value))
        LeverPanel(t, current, change_lever, error.value, tick.value)
        with solara.Details(t("help_title")):
            solara.Text(t("help_text"), style={"font-size": "0.85em"})
    with solara.Column(gap="12px"):
        Headlines(t, table)
        with solara.Row(gap="12px", style={"flex-wrap": "wrap"}):
            MapCard(t, current, layer.value, layer.set, tick.value)
            ChartGrid(t, table, change_months, tick.value, id(current))
