"""The dashboard page: ``solara run asmsim.present.dashboard.app`` serves ``Page``.

One screen for a room (``page.css``): a bar of run buttons, the lever panel
(hidden in presentation mode) and the main area — the run's title and month,
headline figures with the counterfactual's beside them, and the map and five
charts in a grid filling the rest. ``Layout`` replaces Solara's app bar and
sidebar with nothing: the page draws its own.

State per browser tab: the language, presentation mode, the :class:`~.session.Run`
(the run shown and its counterfactual, and a lock around them), whether it is
playing and at what speed, and what is shown: after every month or lever
change the runs' state is copied under the lock into a
:class:`~.session.View` (the models are mutated in place; a new View is what
tells Solara to redraw) and its :class:`~.session.Controls`. The state is kept
in the page's address (:mod:`.state`, :class:`~.widgets.UrlState`), so a reload
opens the same session. Start-up scenario and language come from
``$ASMSIM_DASHBOARD_SCENARIO`` and ``$ASMSIM_DASHBOARD_LANG`` (set by
``asmsim dashboard``), unless the address says otherwise.

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
from pathlib import Path

import reacton.core
import solara

from asmsim.config import ConfigError, group_options
from asmsim.present.dashboard import labels
from asmsim.present.dashboard.components import FigureGrid, Headlines, PageLegend, RunTitle
from asmsim.present.dashboard.controls import ControlPanel, PanelActions, RunActions, TopBar
from asmsim.present.dashboard.i18n import DEFAULT_LANG, LANGS, translator
from asmsim.present.dashboard.levers import override_text
from asmsim.present.dashboard.session import Run, Settings, View, check_setting
from asmsim.present.dashboard.state import PageState, decode, encode
from asmsim.present.dashboard.widgets import UrlState

PLAY_INTERVAL_S = 0.5  # at normal speed, at least this long from one month's start to the next
PAUSE_MIN_S = 0.15  # idle time after each drawn month: clicks are handled then
SPEED_FACTORS = {"slow": 0.5, "normal": 1.0, "fast": 2.0}  # months per PLAY_INTERVAL_S
CSS = Path(__file__).with_name("page.css")


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


def next_delay(last_start: float, now: float, speed: str = "normal") -> float:
    """Seconds to wait before the next month, given when the last one started."""
    interval = PLAY_INTERVAL_S / SPEED_FACTORS.get(speed, 1.0)
    return max(PAUSE_MIN_S, interval - (now - last_start))


@solara.component
def Player(playing: solara.Reactive[bool], view: solara.Reactive, play_month: Callable[[], None],
           speed: str):
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

        timer = threading.Timer(next_delay(started.current, time.perf_counter(), speed), month)
        timer.daemon = True
        timer.start()
        return timer.cancel

    solara.use_effect(schedule_next_month, [playing.value, view.value])


@solara.component
def UrlKeeper(view: solara.Reactive[View], run: Run, lang: str, presenting: bool,
              restored: bool, on_restore: Callable[[str], None]):
    """Keeps the page's state in its address (once the address it was opened with is read)."""
    state = PageState(settings=run.settings, month=view.value.month, lang=lang,
                      presenting=presenting,
                      log=tuple((m, key, override_text(value)) for m, key, value in run.log))
    UrlState.element(query=encode(state) if restored else None, on_restore=on_restore)


@solara.component
def Layout(children=[]):  # noqa: B006 - Solara's signature for a module's Layout
    """No app bar, no sidebar: the page draws its own bar and panel."""
    return solara.Div(children=children)


@solara.component
def Page():
    """The whole dashboard."""
    lang = solara.use_reactive(initial_lang())
    t = translator(lang.value)
    presenting = solara.use_reactive(False)
    first = solara.use_memo(lambda: Run(Settings(scenario=initial_scenario())), [])
    run = solara.use_reactive(first)
    first_view = solara.use_memo(first.view, [])
    shown = solara.use_reactive(first_view)  # read by the parts that change every month
    controls = solara.use_reactive(first_view.controls)  # changes only with a lever or a run
    playing = solara.use_reactive(False)
    speed = solara.use_reactive("normal")
    layer = solara.use_reactive("land")
    errors = solara.use_reactive({})  # lever or setting key -> the refusal's message
    restored = solara.use_reactive(False)
    marks = solara.use_memo(lambda: labels.chart_marks(controls.value, t), [controls.value, t])
    # Held to batch updates: a dozen components read `shown`, and outside a batch each one's
    # update would be drawn by a render of its own (a click is not batched, nor a timer).
    render_context = solara.use_memo(reacton.core.get_render_context, [])

    def publish():
        """Copy the runs' state (under their lock) to what the page shows: one redraw."""
        new = run.value.view()
        with render_context:
            controls.value = new.controls
            shown.value = new

    def advance(step: Callable[[Run], int]):
        with render_context:
            step(run.value)
            if run.value.done:
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
            advance(Run.step)
        except Exception as exc:  # noqa: BLE001 - a failing month stops play, says why
            traceback.print_exc()
            with render_context:
                playing.value = False
                errors.value = {"": f"{type(exc).__name__}: {exc}"}

    def start(settings: Settings, log=(), month: int = 0):
        """A new run (a preset, a comparison, a setting, Reset, or the address's state)."""
        with render_context:
            playing.value = False
            try:
                new = Run(settings)
                new.replay(log, month)
            except ConfigError as exc:
                errors.value = {"": str(exc)}
                return
            run.value = new
            errors.value = {}
            publish()

    def change_lever(key: str, text: str):
        with render_context:
            try:
                run.value.change(key, text)
                errors.value = {k: v for k, v in errors.value.items() if k != key}
            except ConfigError as exc:
                errors.value = {**errors.value, key: str(exc)}
            publish()

    def change_setting(key: str, text: str):
        try:
            settings = check_setting(run.value.settings, key, text)
        except ConfigError as exc:
            errors.value = {**errors.value, key: str(exc)}
            return
        start(settings)

    def restore(query: str):
        """The address the page was opened with: its state, if it holds one."""
        try:
            state = decode(query)
            if state is not None:
                with render_context:
                    lang.value, presenting.value = state.lang, state.presenting
                    start(state.settings, state.log, state.month)
        except (ValueError, ConfigError) as exc:
            errors.value = {"": str(exc)}
        restored.value = True

    def toggle_play():
        playing.set(not playing.value and not run.value.done)

    actions = RunActions(play_pause=toggle_play, step=lambda: advance(Run.step),
                         end_of_year=lambda: advance(Run.to_end_of_year),
                         reset=lambda: start(run.value.settings))
    panel = PanelActions(settings=start, setting=change_setting, lever=change_lever)
    solara.Title(t("title"))
    solara.Style(CSS)
    Player(playing, shown, play_month, speed.value)
    UrlKeeper(shown, run.value, lang.value, presenting.value, restored.value, restore)
    with solara.Div(classes=["asmsim-root", *(["presenting"] if presenting.value else [])]):
        TopBar(t, controls, playing.value, actions, speed.value, speed.set, lang.value, lang.set,
               presenting.value, presenting.set)
        with solara.Div(classes=["asmsim-body"]):
            if not presenting.value:
                ControlPanel(t, group_options("scenario"), controls, shown, panel, errors.value)
            with solara.Div(classes=["asmsim-main"]):
                if errors.value.get(""):
                    solara.Error(t("lever_error", error=errors.value[""]), dense=True)
                RunTitle(t, shown)
                Headlines(t, shown)
                FigureGrid(t, shown, marks, layer.value, layer.set)
                PageLegend(t, marks)

