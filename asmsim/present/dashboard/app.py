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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import reacton.core
import solara

from asmsim.config import ConfigError, group_options
from asmsim.present.dashboard import labels
from asmsim.present.dashboard.components import FigureGrid, Headlines, PageLegend, RunTitle
from asmsim.present.dashboard.controls import ControlPanel, PanelActions, RunActions, TopBar
from asmsim.present.dashboard.i18n import DEFAULT_LANG, LANGS, translator
from asmsim.present.dashboard.levers import override_text
from asmsim.present.dashboard.session import Controls, Run, Settings, View, check_setting
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


@dataclass(frozen=True)
class Dashboard:
    """One tab's page state (reactive values) and what its controls do to it."""

    lang: solara.Reactive[str]
    presenting: solara.Reactive[bool]
    run: solara.Reactive[Run]
    shown: solara.Reactive[View]  # read by the parts that change every month
    controls: solara.Reactive[Controls]  # changes only with a lever or a new run
    playing: solara.Reactive[bool]
    speed: solara.Reactive[str]
    layer: solara.Reactive[str]
    errors: solara.Reactive[dict]  # lever or setting key ("" for the page) -> the message
    restored: solara.Reactive[bool]  # the address the page was opened with has been read
    # Held to batch updates: a dozen components read `shown`, and outside a batch each one's
    # update would be drawn by a render of its own (a click is not batched, nor a timer).
    render_context: Any
    # Held by a playing month from its "still playing?" check to its redraw, and by Pause:
    # once Pause has returned, no month lands (a month under way finishes first).
    stepping: Any

    def publish(self) -> None:
        """Copy the runs' state (under their lock) to what the page shows: one redraw."""
        new = self.run.value.view()
        with self.render_context:
            self.controls.value = new.controls
            self.shown.value = new

    def advance(self, step: Callable[[Run], int]) -> None:
        """Step the runs (a month, or to the end of the year) and show them."""
        with self.render_context:
            step(self.run.value)
            if self.run.value.done:
                self.playing.value = False
            self.publish()

    def play_month(self) -> None:
        """One month of Play, on a timer thread (the redraw runs on it too)."""
        with self.stepping:
            self._play_month()

    def _play_month(self) -> None:
        if not self.playing.value:
            return
        if not page_open():
            self.playing.value = False
            return
        try:
            self.advance(Run.step)
        except Exception as exc:  # noqa: BLE001 - a failing month stops play, says why
            traceback.print_exc()
            with self.render_context:
                self.playing.value = False
                self.errors.value = {"": f"{type(exc).__name__}: {exc}"}

    def toggle_play(self) -> None:
        """Play or Pause (not past the horizon); Pause waits for a month under way."""
        with self.stepping:
            self.playing.set(not self.playing.value and not self.run.value.done)

    def start(self, settings: Settings, log=(), month: int = 0) -> None:
        """A new run: a preset, a comparison, a setting, Reset, or the address's state."""
        with self.stepping, self.render_context:
            self.playing.value = False
            try:
                new = Run(settings)
                new.replay(log, month)
            except ConfigError as exc:
                self.errors.value = {"": str(exc)}
                return
            self.run.value = new
            self.errors.value = {}
            self.publish()

    def change_lever(self, key: str, text: str) -> None:
        """A lever moved: applied from next month, or refused with the command line's message."""
        errors = {k: v for k, v in self.errors.value.items() if k != key}
        with self.render_context:
            try:
                self.run.value.change(key, text)
            except ConfigError as exc:
                errors[key] = str(exc)
            self.errors.value = errors
            self.publish()

    def change_setting(self, key: str, text: str) -> None:
        """Run length, miners or seed typed: a new run, or the refusal's message."""
        try:
            settings = check_setting(self.run.value.settings, key, text)
        except ConfigError as exc:
            self.errors.value = {**self.errors.value, key: str(exc)}
            return
        self.start(settings)

    def restore(self, query: str) -> None:
        """The address the page was opened with: its state, if it holds one."""
        try:
            state = decode(query)
            if state is not None:
                with self.render_context:
                    self.lang.value, self.presenting.value = state.lang, state.presenting
                    self.start(state.settings, state.log, state.month)
        except (ValueError, ConfigError) as exc:
            self.errors.value = {"": str(exc)}
        self.restored.value = True

    def run_actions(self) -> RunActions:
        """What the bar's run buttons do."""
        return RunActions(play_pause=self.toggle_play, step=lambda: self.advance(Run.step),
                          end_of_year=lambda: self.advance(Run.to_end_of_year),
                          reset=lambda: self.start(self.run.value.settings))

    def panel_actions(self) -> PanelActions:
        """What the lever panel changes."""
        return PanelActions(settings=self.start, setting=self.change_setting,
                            lever=self.change_lever)


def use_dashboard() -> Dashboard:
    """The page's state, kept between renders (a hook: call it once per render of Page)."""
    first = solara.use_memo(lambda: Run(Settings(scenario=initial_scenario())), [])
    first_view = solara.use_memo(first.view, [])
    return Dashboard(
        lang=solara.use_reactive(initial_lang()), presenting=solara.use_reactive(False),
        run=solara.use_reactive(first), shown=solara.use_reactive(first_view),
        controls=solara.use_reactive(first_view.controls), playing=solara.use_reactive(False),
        speed=solara.use_reactive("normal"), layer=solara.use_reactive("land"),
        errors=solara.use_reactive({}), restored=solara.use_reactive(False),
        render_context=solara.use_memo(reacton.core.get_render_context, []),
        stepping=solara.use_memo(threading.RLock, []))


@solara.component
def Page():
    """The whole dashboard."""
    page = use_dashboard()
    t = translator(page.lang.value)
    marks = solara.use_memo(lambda: labels.chart_marks(page.controls.value, t),
                            [page.controls.value, t])
    scenarios = solara.use_memo(lambda: group_options("scenario"), [])
    presenting, errors = page.presenting.value, page.errors.value
    solara.Title(t("title"))
    solara.Style(CSS)
    Player(page.playing, page.shown, page.play_month, page.speed.value)
    UrlKeeper(page.shown, page.run.value, page.lang.value, presenting, page.restored.value,
              page.restore)
    with solara.Div(classes=["asmsim-root", *(["presenting"] if presenting else [])]):
        TopBar(t, page.controls, page.playing.value, page.run_actions(), page.speed.value,
               page.speed.set, page.lang.value, page.lang.set, presenting, page.presenting.set)
        with solara.Div(classes=["asmsim-body"]):
            if not presenting:
                ControlPanel(t, scenarios, page.controls, page.shown, page.panel_actions(),
                             errors)
            with solara.Div(classes=["asmsim-main"]):
                if errors.get(""):
                    solara.Error(t("lever_error", error=errors[""]), dense=True)
                RunTitle(t, page.shown)
                Headlines(t, page.shown)
                FigureGrid(t, page.shown, marks, page.layer.value, page.layer.set)
                PageLegend(t, marks)
