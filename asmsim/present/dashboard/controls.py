"""Solara components of the controls: the bar of run buttons and the lever panel.

The bar (always shown, presentation mode too) plays, steps, runs to the end of
the year, resets, sets the speed, the language and presentation mode. The
panel (hidden in presentation mode) chooses the scenario and what it is
compared with, the run's size, horizon and seed before it starts, the policy
levers (a slider over the policy range and a number field taking any value the
command line takes, a short explanation and a real-world example each), the
log of lever changes and the exports. ``t`` is a translator; the page
(``app.py``) owns the state and passes callbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import solara

from asmsim.present.dashboard import exports, labels
from asmsim.present.dashboard.components import use_saver
from asmsim.present.dashboard.i18n import LANG_NAMES, LANGS
from asmsim.present.dashboard.levers import DIMENSIONS, Lever, config_text, levers
from asmsim.present.dashboard.session import Controls, Settings, View

SPEEDS = ("slow", "normal", "fast")  # months per second: 1, 2, 4 (see app.SPEED_FACTORS)
SPEED_MARKS = {"slow": "½×", "normal": "1×", "fast": "2×"}
SETTINGS = ("months", "miners", "seed")


def css_class(key: str) -> str:
    """The CSS class marking the control of a lever, e.g. ``lever-policy-market-royalty_rate``."""
    return "lever-" + key.replace(".", "-")


@dataclass(frozen=True)
class RunActions:
    """What the bar's buttons do (callbacks owned by the page)."""

    play_pause: Callable[[], None]
    step: Callable[[], None]
    end_of_year: Callable[[], None]
    reset: Callable[[], None]


@solara.component
def RunButtons(t, playing: bool, done: bool, actions: RunActions):
    """Play / Pause, Step, End of year, Reset: nothing steps past the horizon."""
    with solara.Div(classes=["bar-group", "run-controls"]):
        solara.Button(t("pause") if playing else t("play"), text=True,
                      icon_name="mdi-pause" if playing else "mdi-play",
                      on_click=actions.play_pause, disabled=done and not playing)
        solara.Button(t("step"), text=True, icon_name="mdi-skip-next", on_click=actions.step,
                      disabled=playing or done)
        solara.Button(t("end_of_year"), text=True, icon_name="mdi-fast-forward",
                      on_click=actions.end_of_year, disabled=playing or done)
        solara.Button(t("reset"), text=True, icon_name="mdi-restore", on_click=actions.reset)


@solara.component
def Toggle(label: str, options: list[tuple[str, str, str]], current: str, on_pick,
           classes: list[str]):
    """A labelled row of short buttons (value, text, full name) of which one is chosen."""
    with solara.Div(classes=["bar-group", *classes]):
        if label:
            solara.Text(label, classes=["bar-label"])
        for value, text, name in options:
            solara.Button(text, text=value != current, outlined=value == current,
                          attributes={"title": name, "aria-label": name},
                          on_click=lambda value=value: on_pick(value))


@solara.component
def TopBar(t, controls: solara.Reactive[Controls], playing: bool, actions: RunActions,
           speed: str, on_speed, lang: str, on_lang, presenting: bool, on_present):
    """The bar: run buttons, speed, language and presentation mode."""
    with solara.Div(classes=["asmsim-bar"]):
        RunButtons(t, playing, controls.value.done, actions)
        Toggle(t("speed"), [(s, SPEED_MARKS[s], t(f"speed.{s}")) for s in SPEEDS], speed,
               on_speed, ["speed"])
        solara.Div(classes=["bar-spacer"])
        Toggle("", [(code, code.upper(), LANG_NAMES[code]) for code in LANGS], lang, on_lang,
               ["language-switch"])
        solara.Button(t("controls") if presenting else t("presentation"), text=not presenting,
                      outlined=presenting, classes=["presentation-toggle"],
                      icon_name="mdi-tune" if presenting else "mdi-projector-screen",
                      on_click=lambda: on_present(not presenting))


def _select(label: str, items: list[tuple[str, str]], value: str, on_value, classes: list[str]):
    """A labelled drop-down whose shown texts differ from its values."""
    solara.Text(label, classes=["field-label"])
    solara.v.Select(items=[{"text": text, "value": key} for key, text in items], v_model=value,
                    on_v_model=on_value, hide_details=True, dense=True, class_=" ".join(classes))


@solara.component
def ScenarioChoice(t, scenarios: list[str], settings: Settings, on_settings):
    """The scenario preset and the preset it is compared with (each change restarts the run)."""
    names = [(name, labels.scenario_name(name, t)) for name in scenarios]
    _select(t("scenario"), names, settings.scenario,
            lambda name: on_settings(replace(settings, scenario=name)),
            ["scenario-select"])
    solara.Text(labels.scenario_description(settings.scenario, t), classes=["help"],
                style={"display": "block", "margin": "4px 0 8px 0"})
    _select(t("compare"), [("", t("compare_none")), *names], settings.compare,
            lambda name: on_settings(replace(settings, compare=name or "")),
            ["compare-select"])


@solara.component
def RunSettings(t, settings: Settings, months: int, miners: int, started: bool,
                on_setting: Callable[[str, str], None], errors: dict[str, str]):
    """Run length, miners and seed: set before the run starts."""
    shown = {"months": months, "miners": miners, "seed": settings.seed}
    solara.Text(t("run_setup"), classes=["panel-heading"], style={"font-weight": "700",
                                                                  "display": "block",
                                                                  "margin-top": "12px"})
    for key in SETTINGS:
        with solara.Div(classes=["setting-field"]):
            solara.Text(t(f"setting.{key}"), classes=["field-label"])
            solara.InputText("", value=str(shown[key]), disabled=started,
                             on_value=lambda text, key=key: on_setting(key, text),
                             classes=[f"setting-{key}"], error=bool(errors.get(key)))
        if errors.get(key):
            solara.Text(t("lever_error", error=errors[key]), classes=["lever-error"],
                        style={"display": "block"})
    solara.Text(t("setup_help"), classes=["help"], style={"display": "block"})


def _number_field(t, item: Lever, value, on_change, error: str) -> None:
    solara.InputText("", value=item.field_text(value, t.lang),
                     on_value=lambda text: on_change(item.key, item.cli_text(text)),
                     classes=["lever-field"], error=bool(error))


@solara.component
def LeverSlider(item: Lever, value, on_change):
    """The slider over the lever's policy range; acts when released (or on a key press)."""
    slider = solara.v.Slider(v_model=item.to_control(value), min=item.lo, max=item.hi,
                             step=item.step, hide_details=True, thumb_label=True,
                             class_="lever-slider")
    solara.v.use_event(slider, "change", lambda *args: on_change(
        item.key, config_text(item.to_config(float(args[-1])))))


@solara.component
def LeverControl(t, item: Lever, value, on_change: Callable[[str, object], None], error: str):
    """One lever: its name, slider and number field (or a switch), what it does, an example."""
    open_example = solara.use_reactive(False)
    with solara.Div(classes=["lever", css_class(item.key)]):
        solara.Text(t(f"lever.{item.key}"), classes=["lever-name"], style={"display": "block"})
        with solara.Div(classes=["lever-row"]):
            if item.kind == "bool":
                solara.Switch(label=t("on") if value else t("off"), value=bool(value),
                              on_value=lambda on: on_change(item.key, "true" if on else "false"))
            else:
                LeverSlider(item, value, on_change)
                _number_field(t, item, value, on_change, error)
        if error:
            solara.Text(t("lever_error", error=error), classes=["lever-error"],
                        style={"display": "block"})
        solara.Text(t(f"explain.{item.key}"), classes=["lever-explain"], style={"display": "block"})
        solara.Button(t("example"), text=True, small=True, classes=["example-toggle"],
                      icon_name="mdi-chevron-up" if open_example.value else "mdi-chevron-down",
                      on_click=lambda: open_example.set(not open_example.value))
        if open_example.value:
            solara.Text(t(f"example.{item.key}"), classes=["lever-example"],
                        style={"display": "block"})


@solara.component
def LeverPanel(t, controls: Controls, on_change, errors: dict[str, str]):
    """The levers of one dimension at a time (legal, market, social, finance)."""
    dimension = solara.use_reactive(DIMENSIONS[0])
    solara.Text(t("levers"), classes=["panel-heading"], style={"font-weight": "700",
                                                               "display": "block",
                                                               "margin-top": "12px"})
    solara.Text(t("levers_help"), classes=["help"], style={"display": "block"})
    with solara.Div(classes=["dimension-tabs"]):
        for name in DIMENSIONS:
            solara.Button(t(f"dim_{name}"), small=True, outlined=name == dimension.value,
                          text=name != dimension.value, classes=[f"dimension-{name}"],
                          on_click=lambda name=name: dimension.set(name))
    for item in levers():
        if item.dimension == dimension.value:
            LeverControl(t, item, controls.value(item.key), on_change, errors.get(item.key, ""))


@solara.component
def LeverLog(t, controls: Controls):
    """The policy changes so far, one line each: ``month 3: royalty 7 % → 3 %``."""
    solara.Text(t("changes"), classes=["panel-heading"], style={"font-weight": "700",
                                                                "display": "block",
                                                                "margin-top": "12px"})
    with solara.Div(classes=["lever-log"]):
        if not controls.events:
            solara.Text(t("no_changes"), style={"display": "block"})
        for event in controls.events:
            solara.Text(t("change_item", month=event.month, change=labels.event_label(event, t)),
                        style={"display": "block"})


@solara.component
def Exports(t, view: solara.Reactive[View], scenario: str):
    """Download the run (CSV), the lever log (CSV) and a one-page summary (PNG)."""
    run_csv = use_saver(view, exports.run_csv, [])
    log_csv = use_saver(view, lambda shown: exports.lever_log_csv(shown, t), [t])
    summary = use_saver(view, lambda shown: exports.summary_png(shown, t), [t])
    solara.Text(t("export"), classes=["panel-heading"], style={"font-weight": "700",
                                                               "display": "block",
                                                               "margin-top": "12px"})
    with solara.Div(classes=["exports"]):
        for save, name, label, mime in (
                (run_csv, f"asmsim_{scenario}_run.csv", t("export_csv"), "text/csv"),
                (log_csv, f"asmsim_{scenario}_levers.csv", t("export_log"), "text/csv"),
                (summary, f"asmsim_{scenario}_summary.png", t("export_summary"), "image/png")):
            solara.FileDownload(save, filename=name, label=label, mime_type=mime)


@dataclass(frozen=True)
class PanelActions:
    """What the panel changes (callbacks owned by the page)."""

    settings: Callable[[Settings], None]
    setting: Callable[[str, str], None]
    lever: Callable[[str, str], None]


@solara.component
def ControlPanel(t, scenarios: list[str], controls: solara.Reactive[Controls],
                 view: solara.Reactive[View], actions: PanelActions, errors: dict[str, str]):
    """The panel beside the figures: scenario, run settings, levers, log, exports, help."""
    shown = controls.value
    with solara.Div(classes=["asmsim-panel"]):
        ScenarioChoice(t, scenarios, shown.settings, actions.settings)
        RunSettings(t, shown.settings, shown.months, shown.miners, shown.started,
                    actions.setting, errors)
        LeverPanel(t, shown, actions.lever, errors)
        LeverLog(t, shown)
        Exports(t, view, shown.settings.scenario)
        with solara.Details(t("help_title")):
            solara.Text(t("help_text"), classes=["help"])
