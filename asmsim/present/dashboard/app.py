"""The dashboard page: ``solara run asmsim.present.dashboard.app`` serves ``Page``.

State per browser tab: the language, the scenario, the model and a lock around
it, whether it is playing, and what is shown: after every month or lever change
the model's state is copied under the lock into a :class:`~.session.View` (the
model is mutated in place; a new View is what tells Solara to redraw) and its
:class:`~.session.Controls`. Start-up scenario and language come from
``$ASMSIM_DASHBOARD_SCENARIO`` and ``$ASMSIM_DASHBOARD_LANG`` (set by
``asmsim dashboard``).

Playing is a chain, one month at a time (:func:`Player`): a month is stepped on
a timer thread, which then redraws the page; only once that redraw is done (an
effect of it runs) is the timer of the next month started. No month waits to be
drawn, and between months no render runs, so clicks (Pause, a lever) are
handled at once. A loop stepping on its own clock (as before, in a
``use_task``, which runs a coroutine on a thread of its own) kept changing the
state while the redraw of the previous month was still rendering on the thread
that handled the Play click: Solara renders again, before sending anything,
as long as the state changes during a render, so once a redraw took longer
than the clock the browser got no month at all, and the Pause click, queued
behind that render, was never handled.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable

import reacton.core
import solara

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
from asmsim.present.dashboard.session import new_model, scenario_config, view

PLAY_INTERVAL_S = 0.5  # at least this long from one month's start to the next, to follow it
PAUSE_MIN_S = 0.15  # idle time after each drawn month: clicks are handled then


def initial_scenario() -> str:
    """The start-up scenario preset (``$ASMSIM_DASHBOARD_SCENARIO``, default baseline)."""
    return os.environ.get("ASMSIM_DASHBOARD_SCENARIO", "baseline")


def initial_lang() -> str:
    """The start-up language (``$ASMSIM_DASHBOARD_LANG``, default English)."""
    lang = os.environ.get("ASMSIM_DASHBOARD_LANG", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def page_open() -> bool:
    """Whether a browser still shows this page (False once its tab is closed or gone).

    Outside solara-server (tests, ``solara.render``) there is no page to lose: True.
    """
    try:
        from solara.server import kernel_context

        context = kernel_context.get_current_context()
    except Exception:  # noqa: BLE001 - no server, no kernel context
        return True
    if context.closed_event.is_set():
        return False
    statuses = list(context.page_status.values())
    return not statuses or kernel_context.PageStatus.CONNECTED in statuses


def next_delay(last_start: float, now: float) -> float:
    """Seconds to wait before the next month, given when the last one started."""
    return max(PAUSE_MIN_S, PLAY_INTERVAL_S - (now - last_start))


@solara.component
def Player(playing: solara.Reactive[bool], view: solara.Reactive, play_month: Callable[[], None]):
    """Plays the months: after each month has been drawn, starts the timer of the next one.

    Shows nothing. Its effect runs when a render that changed ``view`` (a new
    month, or a lever change) or ``playing`` is done, i.e. once that month's
    widgets were updated and sent; the timer is cancelled when the next month,
    a Pause, or the page's closing comes first.
    """
    started = solara.use_ref(0.0)

    def schedule_next_month():
        if not playing.value:
            return None

        def month():
            started.current = time.perf_counter()
            play_month()

        timer = threading.Timer(next_delay(started.current, time.perf_counter()), month)
        timer.daemon = True
        timer.start()
        return timer.cancel

    solara.use_effect(schedule_next_month, [playing.value, view.value])


@solara.component
def Page():
    """The whole dashboard."""
    lang = solara.use_reactive(initial_lang())
    t = translator(lang.value)
    scenario = solara.use_reactive(initial_scenario())
    lock = solara.use_memo(threading.RLock, [])  # steps, lever changes and reads of the model
    first = solara.use_memo(lambda: new_model(scenario_config(scenario.value)), [])
    model = solara.use_reactive(first)
    first_view = solara.use_memo(lambda: view(first), [])
    shown = solara.use_reactive(first_view)  # read by the parts that change every month
    controls = solara.use_reactive(first_view.controls)  # changes only with a lever
    playing = solara.use_reactive(False)
    layer = solara.use_reactive("land")
    error = solara.use_reactive("")
    # Held to batch updates: a dozen components read `shown`, and outside a batch each one's
    # update would be drawn by a render of its own (a click is not batched, nor a timer).
    render_context = solara.use_memo(reacton.core.get_render_context, [])

    def publish():
        """Copy the model's state (under the lock) to what the page shows: one redraw."""
        with lock:
            new = view(model.value)
        with render_context:
            controls.value = new.controls
            shown.value = new

    def advance():
        with lock:
            current = model.value
            current.step()
            done = current.month >= current.config.months
        with render_context:
            if done:
                playing.value = False
            publish()

    def play_month():
        # on a timer thread; the redraw runs on it too (unless a click is being drawn)
        if not playing.value:
            return
        if not page_open():
            playing.value = False
            return
        try:
            advance()
        except Exception as exc:  # noqa: BLE001 - a failing month stops play, says why
            traceback.print_exc()
            with render_context:
                playing.value = False
                error.value = translator(lang.peek())("lever_error",
                                                      error=f"{type(exc).__name__}: {exc}")

    def load(name: str):
        with render_context:
            playing.value = False
            try:
                config = scenario_config(name)
            except ConfigError as exc:
                error.value = t("lever_error", error=str(exc))
                return
            scenario.value = name
            model.value = new_model(config)
            error.value = ""
            publish()

    def change_lever(key: str, value):
        with render_context:
            try:
                with lock:
                    model.value.set_policy(key, value)
                error.value = ""
            except (ConfigError, ValueError) as exc:
                error.value = t("lever_error", error=str(exc))
            publish()

    solara.Title(t("title"))
    Player(playing, shown, play_month)
    with solara.AppBar():
        solara.AppBarTitle(t("title"))
        LanguageSwitch(lang.value, lang.set)
    with solara.Sidebar():
        RunControls(t, group_options("scenario"), scenario.value, shown, playing.value, load,
                    lambda: playing.set(not playing.value), advance,
                    lambda: load(scenario.value))
        LeverPanel(t, controls, change_lever, error.value)
        with solara.Details(t("help_title")):
            solara.Text(t("help_text"), style={"font-size": "0.85em"})
    with solara.Column(gap="12px"):
        Headlines(t, shown)
        with solara.Row(gap="12px", style={"flex-wrap": "wrap"}):
            MapCard(t, shown, layer.value, layer.set)
            ChartGrid(t, shown, controls)
