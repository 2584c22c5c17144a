"""Python-level tests of the dashboard: texts, numbers, levers, runs, charts, map, exports, page.

The page is built with ``solara.render`` as Mesa's own example tests build
SolaraViz pages, then driven through its buttons and lever callbacks; what it
shows is read back from its widgets (texts, and the SVG the browser gets).
"""

from __future__ import annotations

import io
import re
import string
import threading
import time

import ipyvuetify as v
import ipywidgets
import numpy as np
import pandas as pd
import pytest
import solara
from matplotlib import rc_context

from asmsim.config import Config, ConfigError, group_options, leaf_fields, load_config
from asmsim.model import OUTPUTS
from asmsim.present.dashboard import app, assets, exports, i18n, labels, numbers, server, session
from asmsim.present.dashboard.charts import (
    CHARTS,
    SVG_RC,
    LiveChart,
    Marks,
    chart_png,
    x_limit,
    y_limits,
)
from asmsim.present.dashboard.levers import check_value, get_value, lever, levers, override_text
from asmsim.present.dashboard.mapview import LiveMap, cell_at, cell_state, map_data, map_png
from asmsim.present.dashboard.session import (
    Event,
    Run,
    Settings,
    check_setting,
    events,
    model_class,
    new_model,
    outputs,
)
from asmsim.present.dashboard.state import PageState, decode, encode

PNG = b"\x89PNG"
DASHED = "stroke-dasharray"  # how matplotlib's SVG writes a dashed line
FAINT = "stroke-opacity: 0.35"  # the counterfactual's lines
SMALL = Settings(scenario="baseline", compare="baseline", miners=200, months=30)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# ---------------------------------------------------------------- texts and numbers

def test_every_language_has_every_text_with_the_same_placeholders():
    english = i18n.catalogue("en")
    for lang in i18n.LANGS:
        texts = i18n.catalogue(lang)
        assert set(texts) == set(english), lang
        for key, text in texts.items():
            assert text.strip(), (lang, key)
            assert _fields(text) == _fields(english[key]), (lang, key)


def test_every_lever_preset_and_chart_is_explained_in_each_language():
    for item in levers():
        for part in ("lever", "short", "explain", "example"):
            texts = {i18n.translate(lang, f"{part}.{item.key}") for lang in i18n.LANGS}
            assert len(texts) >= 2, (part, item.key)  # at least French or Spanish differs
        assert "(" in i18n.translate("en", f"lever.{item.key}")  # unit in the label
    for name in group_options("scenario"):
        for lang in i18n.LANGS:
            t = i18n.translator(lang)
            description = labels.scenario_description(name, t)
            assert labels.scenario_name(name, t) != name and description, (lang, name)
            assert "§" not in description and "domain-facts" not in description  # no internals
            assert "pattern" not in description
    for chart in CHARTS:
        assert i18n.translate("fr", f"chart.{chart.id}") != i18n.translate("en", f"chart.{chart.id}")


def test_numbers_are_written_as_each_language_writes_them():
    assert numbers.number(1500.5, "en", 1) == "1,500.5"
    assert numbers.number(1500.5, "fr", 1) == "1\u202f500,5"
    assert numbers.number(1500, "es") == "1500" and numbers.number(15000, "es") == "15.000"
    assert numbers.percent(0.46, "en") == "46%"
    assert numbers.percent(0.46, "fr") == numbers.percent(0.46, "es") == "46\u00a0%"
    assert numbers.compact(2_500_000, "fr") == "2,5M" and numbers.compact(12_000, "en") == "12k"
    assert numbers.plain(2.5, "fr") == "2,5" and numbers.plain(600.0, "en") == "600"
    assert [numbers.significant(x, "fr") for x in (0.2934, 0.001, 1e-6, 0.0)] == [
        "0,29", "0,001", "<0,001", "0"]
    for text, value in (("2,5", 2.5), ("2.5", 2.5), ("1 500", 1500), ("1,500.5", 1500.5),
                        ("1.500,5", 1500.5), ("−3", -3)):
        assert numbers.parse(text) == value, text
    with pytest.raises(ValueError):
        numbers.parse("abc")


# ---------------------------------------------------------------- levers

def test_lever_ranges_are_the_policy_ranges_of_the_schema():
    fields = leaf_fields()
    royalty = lever("policy.market.royalty_rate")
    assert (royalty.lo, royalty.hi, royalty.percent) == (0.0, 15.0, True)  # not 0-100 %
    assert royalty.to_config(royalty.to_control(0.07)) == pytest.approx(0.07)
    assert lever("policy.legal.asm_zone_share").hi == 50.0  # not 100 %, which land caps anyway
    for item in levers():
        assert item.key in fields
        if item.kind != "bool":
            span = fields[item.key].metadata["policy_range"]
            scale = 100.0 if item.percent else 1.0
            assert (item.lo, item.hi) == (span[0] * scale, span[1] * scale), item.key
            assert item.lo <= item.to_control(get_value(Config(), item.key)) <= item.hi, item.key
    assert len(levers()) == 14


@pytest.mark.parametrize("key, typed", [
    ("policy.market.royalty_rate", "150"),  # 1.5: above 100 %
    ("policy.legal.asm_zone_share", "100"),  # the land shares would sum to more than 1
    ("policy.legal.licence_processing_months", "2,5"),  # not a whole number
    ("policy.market.royalty_rate", "abc"),
    ("policy.legal.licence_fee_usd", "-5"),
])
def test_a_value_the_command_line_refuses_is_refused_with_its_message(key, typed):
    text = lever(key).cli_text(typed)
    with pytest.raises(ConfigError) as cli:
        load_config(["scenario=baseline", f"{key}={text}"])
    with pytest.raises(ConfigError) as page:
        check_value(load_config(["scenario=baseline"]), key, text)
    assert str(page.value) == str(cli.value)


def test_run_settings_are_checked_as_the_command_line_checks_them():
    for key, text in (("miners", "0"), ("months", "-3"), ("seed", "1.5")):
        with pytest.raises(ConfigError) as cli:
            load_config(["scenario=baseline", f"{key}={text}"])
        with pytest.raises(ConfigError) as page:
            check_setting(Settings(), key, text)
        assert str(page.value) == str(cli.value)
    assert check_setting(Settings(), "miners", "500").miners == 500
    with pytest.raises(ConfigError, match="asmsim run"):
        check_setting(Settings(), "miners", "1000000")  # the CLI takes it; the live page not


def test_events_are_one_per_month_and_key_with_the_value_before():
    config = Config()
    changes = [(1, "policy.market.royalty_rate", 0.05), (1, "policy.market.royalty_rate", 0.03),
               (4, "policy.market.royalty_rate", 0.06), (4, "policy.market.royalty_rate", 0.03),
               (6, "policy.market.official_buyer.enabled", True)]
    assert events(config, changes) == (
        Event(1, "policy.market.royalty_rate", 0.07, 0.03),  # one label: 7 % → 3 %
        Event(6, "policy.market.official_buyer.enabled", False, True))  # month 4: no change
    t = i18n.translator("fr")
    assert labels.event_label(events(config, changes)[0], t) == "redevance 7\u00a0% → 3\u00a0%"
    assert labels.event_label(events(config, changes)[1], t) == "acheteur officiel → oui"


# ---------------------------------------------------------------- runs

def test_the_counterfactual_draws_the_same_random_numbers():
    run = Run(SMALL)  # the status quo against itself: identical, month after month
    run.step(6)
    shown = run.view()
    pd.testing.assert_frame_equal(shown.table, shown.twin)
    run.change("policy.market.royalty_rate", "0.02")
    run.step(6)
    shown = run.view()
    assert (shown.table.loc[:6] == shown.twin.loc[:6]).all().all()  # same until the change acts
    assert not shown.table.loc[7:].equals(shown.twin.loc[7:])
    assert [e.after for e in shown.controls.events] == [0.02]


def test_no_step_goes_past_the_horizon():
    run = Run(Settings(miners=200, months=14, compare=""))
    assert run.view().twin is None
    assert run.to_end_of_year() == 12 and run.month == 12
    assert run.to_end_of_year() == 2 and run.done
    assert run.step() == 0 and run.month == 14 and run.view().done


def test_a_replayed_session_is_the_same_run():
    run = Run(SMALL)
    run.step(2)
    run.change("policy.market.royalty_rate", "0.03")
    run.step(3)
    run.change("policy.market.official_buyer.enabled", "true")
    run.step(4)
    state = PageState(settings=SMALL, month=run.month, lang="fr",
                      log=tuple((m, k, override_text(x)) for m, k, x in run.log))
    query = encode(state)
    assert decode(query) == state
    again = Run(decode(query).settings)
    again.replay(decode(query).log, decode(query).month)
    pd.testing.assert_frame_equal(again.view().table, run.view().table)
    assert again.view().controls == run.view().controls
    assert decode("") is None and decode("lang=fr") is None


# ---------------------------------------------------------------- charts

def _marks() -> Marks:
    return Marks(events=((2, "royalty 7% → 3%"),), bands=((1.0, 4.0, "flood −30%"),),
                 twin="status quo")


def test_chart_png_has_title_legend_twin_and_marks():
    run = Run(SMALL)
    run.step(5)
    shown = run.view()
    t = i18n.translator("es")
    for chart in CHARTS:
        assert chart_png(chart, shown.table, shown.twin, _marks(), t, 120).startswith(PNG)
        saved = LiveChart(chart, framed=True).update(shown.table, shown.twin, _marks(), t)
        assert saved.ax.get_title().startswith(t(f"chart.{chart.id}"))
        legend = [text.get_text() for text in saved.ax.get_legend().get_texts()]
        assert legend[-2:] == ["status quo", t("policy_change")]


def test_live_chart_keeps_its_figure_moves_its_data_and_labels_its_marks():
    run = Run(SMALL)
    t = i18n.translator("en")
    chart = LiveChart(CHARTS[1])  # income: women, men
    figure, lines = chart.fig, dict(chart.lines)
    for month in range(1, 15):
        if month == 5:
            run.change("policy.market.royalty_rate", "0.03")
        run.step()
        shown = run.view()
        marks = labels.chart_marks(shown.controls, t)
        svg = chart.update(shown.table, shown.twin, marks, t, 30).svg().decode()
        assert chart.fig is figure and chart.lines == lines  # nothing rebuilt
        for column, line in lines.items():  # N months stepped: N + 1 points (month 0 too)
            assert list(line.get_xdata()) == list(range(month + 1))
            assert list(line.get_ydata()) == pytest.approx(list(shown.table[column]))
            assert list(chart.twins[column].get_ydata()) == pytest.approx(list(shown.twin[column]))
        assert svg.count(FAINT) == 2  # the status quo, faint, for both series
        assert chart.ax.get_xlim() == (0, 12 if month <= 12 else 24)
        assert list(chart.markers) == ([4] if month >= 5 else [])  # a lever change, a line
        assert svg.count(DASHED) == (1 if month >= 5 else 0)
        assert ("royalty 7% → 3%" in svg) == (month >= 5)  # labelled, as text
    chart.update(shown.table.iloc[:3], None, Marks(), t)  # a reset: shorter data, nothing else
    assert list(lines["men_income_mean_usd"].get_xdata()) == [0, 1, 2] and not chart.markers
    assert not chart.twins["men_income_mean_usd"].get_visible()


def test_a_shock_is_a_named_band():
    run = Run(Settings(scenario="pandemic_shock", compare="baseline", miners=200))
    run.step(31)
    t = i18n.translator("fr")
    marks = labels.chart_marks(run.view().controls, t)
    assert marks.bands == ((30, 36, "fermeture des marchés"),)
    svg = LiveChart(CHARTS[0]).update(run.view().table, None, marks, t).svg().decode()
    assert "fermeture des marchés" in svg
    boom = labels.shock_label(session.ShockBand("price_spike", 24, 36, 0.6), t)
    assert boom == "prix de l'or +60\u00a0%"


def test_live_chart_is_drawn_at_the_size_it_is_shown():
    chart = LiveChart(CHARTS[2])
    chart.resize(600, 300)
    assert chart.fig.get_size_inches().tolist() == [600 / 72, 300 / 72]
    svg = chart.update(pd.DataFrame({"mercury_kg": [1.0, 2.0]}), None, Marks(),
                       i18n.translator("en")).svg().decode()
    assert 'width="600pt" height="300pt"' in svg


def test_live_svg_is_what_savefig_writes():
    run = Run(SMALL)
    run.step(4)
    shown = run.view()
    for lang in ("en", "fr"):
        for chart in CHARTS:
            live = LiveChart(chart).update(shown.table, shown.twin, _marks(),
                                           i18n.translator(lang))
            expected = io.BytesIO()
            with rc_context(SVG_RC):
                live.fig.savefig(expected, format="svg", metadata={"Date": None})
            assert live.svg() == expected.getvalue(), (lang, chart.id)


def test_axes_limits():
    assert y_limits([np.array([80.0, 240.0])], False) == pytest.approx((72.0, 248.0))
    assert y_limits([np.array([0.0, 10.0])], False) == pytest.approx((0.0, 10.5))
    assert y_limits([np.array([-10.0, 10.0])], False) == pytest.approx((-11.0, 11.0))
    assert y_limits([np.array([np.nan])], False) == (0.0, 1.0)
    assert y_limits([np.array([0.5])], True) == (0.0, 100.0)
    assert [x_limit(m, 120) for m in (0, 5, 12, 13, 119)] == [12, 12, 12, 24, 120]
    assert x_limit(3, 6) == 6


# ---------------------------------------------------------------- map

def test_live_map_moves_its_dots_and_shows_towns_and_buying_points():
    run = Run(Settings(scenario="official_buying", compare="", miners=400))
    t = i18n.translator("en")
    for layer in ("land", "mercury"):
        live = LiveMap(layer)
        for _ in range(3):
            run.step()
            data = run.view().sites
            assert live.update(data, t).image().startswith(PNG)
            assert live.dots.get_offsets().shape == (len(data.x), 2)
            assert len(live.towns.get_offsets()) == len(data.towns) > 0
            assert len(live.points.get_offsets()) == len(data.buying_points) > 0
        assert map_png(data, layer, t).startswith(PNG)
    baseline = map_data(new_model(load_config(["scenario=baseline", "miners=400"])))
    assert baseline.buying_points.size == 0  # no programme, no buying point drawn


def test_a_click_on_the_map_finds_the_cell_and_its_state():
    model = new_model(load_config(["scenario=baseline", "miners=400"]))
    model.step()
    data = map_data(model)
    assert cell_at(data, 0.0, 0.999) == (0, 0)  # bottom left (the grid's origin is low)
    assert cell_at(data, 0.999, 0.0) == (data.width - 1, data.height - 1)
    assert cell_at(data, 1.2, 0.5) is None
    town = int(data.towns[0])
    state = cell_state(data, town % data.width, town // data.width)
    assert state.town and not state.buying_point
    busiest = int(np.bincount(data.cell).argmax())
    state = cell_state(data, busiest % data.width, busiest // data.width)
    assert sum(state.miners) == int(np.bincount(data.cell).max()) > 0
    assert 0.0 <= state.ore_left <= 1.0 and state.mercury_kg >= 0.0


# ---------------------------------------------------------------- exports

def test_exports_hold_the_run_its_counterfactual_the_levers_and_a_summary():
    run = Run(SMALL)
    run.step(2)
    run.change("policy.market.royalty_rate", "0.03")
    run.step(2)
    shown = run.view()
    table = pd.read_csv(io.BytesIO(exports.run_csv(shown)))
    assert set(OUTPUTS) <= set(table.columns) and {"run", "scenario"} <= set(table.columns)
    assert table.groupby("run").size().to_dict() == {"comparison": 5, "shown": 5}
    log = pd.read_csv(io.BytesIO(exports.lever_log_csv(shown, i18n.translator("es"))))
    assert log.to_dict("records") == [{"month": 2, "key": "policy.market.royalty_rate",
                                       "lever": "regalía", "before": 0.07, "after": 0.03,
                                       "change": "regalía 7\u00a0% → 3\u00a0%"}]
    png = exports.summary_png(shown, i18n.translator("fr"))
    assert png.startswith(PNG) and len(png) > 50_000


# ---------------------------------------------------------------- the page

def _render_page():
    from asmsim.present.dashboard.app import Page

    return solara.render(Page(), handle_error=False)


def _buttons(rc, label) -> list:
    return [w for w in rc.find(v.Btn).widgets if w.children and w.children[-1] == label]


def _button(rc, label):
    matches = _buttons(rc, label)
    assert len(matches) == 1, label
    return matches[0]


def _text(rc, css_class: str) -> str:
    return rc.find(v.Html, class_=css_class).widget.children[0]


def _month(rc) -> int:
    return int(re.fullmatch(r"Month (\d+) of \d+", _text(rc, "month-counter")).group(1))


def _chart_svg(rc, chart_id: str) -> str:
    image = rc.find(ipywidgets.Image).widgets
    shown = [w for w in image if f"chart-image-{chart_id}" in w._dom_classes]
    assert len(shown) == 1
    return bytes(shown[0].value).decode()


def _royalty_field(rc):
    return rc.find(v.TextField, class_="lever-field").widgets


def _wait(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


_RUNS: list[Run] = []


def _page_run() -> Run:
    """The run the page built last (the one it shows)."""
    return _RUNS[-1]


@pytest.fixture(autouse=True)
def _small_runs(monkeypatch):
    """Pages run 300 miners (fast) and remember their runs, to compare what they show."""
    class Recorded(Run):
        def __init__(self, settings):
            super().__init__(settings if settings.miners else
                             Settings(**{**settings.__dict__, "miners": 300}))
            _RUNS.append(self)

    monkeypatch.setattr(app, "Run", Recorded)
    yield
    _RUNS.clear()


def test_page_steps_applies_a_lever_without_reset_and_marks_it():
    _, rc = _render_page()
    assert _month(rc) == 0
    _button(rc, "Step").click()
    assert _month(rc) == 1
    _button(rc, "Market").click()
    royalty = next(w for w in rc.find(v.Slider).widgets if w.v_model == pytest.approx(7.0))
    royalty.fire_event("change", 3.0)  # released at 3 %
    _button(rc, "Step").click()
    assert _month(rc) == 2  # not reset
    assert _page_run().model.config.policy.market.royalty_rate == pytest.approx(0.03)
    for chart in CHARTS:  # the change at month 1 is a labelled dashed line on every chart
        svg = _chart_svg(rc, chart.id)
        assert svg.count(DASHED) == 1 and "royalty 7% → 3%" in svg and FAINT in svg
    figure = f"{outputs(_page_run().model).mercury_kg.iloc[-1]:,.2f}"
    assert rc.find(v.Html, class_="headline-value").widgets[3].children[0] == figure
    versus = rc.find(v.Html, class_="headline-versus").widgets[3].children[0]
    assert versus == f"(status quo {outputs(_page_run().twin).mercury_kg.iloc[-1]:,.2f})"
    _button(rc, "Reset").click()
    assert _month(rc) == 0
    assert _page_run().model.config.policy.market.royalty_rate == pytest.approx(0.07)
    assert all(_chart_svg(rc, chart.id).count(DASHED) == 0 for chart in CHARTS)
    rc.close()


def test_page_number_field_takes_a_value_and_refuses_with_the_cli_message():
    _, rc = _render_page()
    _button(rc, "Market").click()
    field = next(w for w in rc.find(v.TextField, class_="lever-field").widgets if w.v_model == "7")
    field.v_model = "150"
    field.fire_event("focusout", None)
    _wait(lambda: rc.find(v.Html, class_="lever-error").widgets)
    message = rc.find(v.Html, class_="lever-error").widget.children[0]
    assert message == ("Not applied: policy.market.royalty_rate=1.5 is out of range; "
                       "expected a number in [0, 1]")
    field.v_model = "2.5"
    field.fire_event("focusout", None)
    _wait(lambda: _page_run().model.config.policy.market.royalty_rate == pytest.approx(0.025))
    assert not rc.find(v.Html, class_="lever-error").widgets
    rc.close()


def _timer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if isinstance(t, threading.Timer) and t.is_alive()]


def test_play_advances_the_months_until_pause_and_leaves_nothing_running(monkeypatch):
    monkeypatch.setattr(app, "PLAY_INTERVAL_S", 0.05)
    monkeypatch.setattr(app, "PAUSE_MIN_S", 0.01)
    _, rc = _render_page()
    _button(rc, "Play").click()
    _wait(lambda: _month(rc) >= 3)  # drawn month after month, each one on the page
    assert _button(rc, "Step").disabled
    _button(rc, "Pause").click()  # returns once a month under way has landed
    stopped = _month(rc)
    time.sleep(0.5)
    assert _month(rc) == stopped == _page_run().month
    _wait(lambda: not _timer_threads(), 5)
    # months stepped = points on the charts: the table the charts draw has one row per month
    assert len(_page_run().view().table) == stopped + 1
    _button(rc, "Play").click()
    _wait(lambda: _month(rc) >= stopped + 1)
    rc.close()  # closing the page (as when its tab closes) stops playing
    closed_at = _page_run().month
    time.sleep(0.5)
    assert _page_run().month <= closed_at + 1
    _wait(lambda: not _timer_threads(), 5)
    time.sleep(0.3)
    assert _page_run().month <= closed_at + 1


def test_play_stops_at_the_horizon_with_a_message(monkeypatch):
    monkeypatch.setattr(app, "PLAY_INTERVAL_S", 0.01)
    monkeypatch.setattr(app, "PAUSE_MIN_S", 0.01)
    _, rc = _render_page()
    field = rc.find(v.TextField, class_="setting-months").widget
    field.v_model = "5"
    field.fire_event("focusout", None)
    _wait(lambda: _text(rc, "month-counter") == "Month 0 of 5")
    _button(rc, "Play").click()
    # stopped, and cannot go on (the widgets are read while a render may be updating them)
    _wait(lambda: any(w.disabled for w in _buttons(rc, "Play")) and _month(rc) == 5)
    time.sleep(0.3)
    assert _month(rc) == 5 == _page_run().month  # and not one more
    assert _text(rc, "end-of-run").startswith("End of the run")
    assert _button(rc, "Step").disabled and _button(rc, "End of year").disabled
    rc.close()


def test_speed_sets_the_pace_of_play():
    paces = [app.next_delay(0.0, 0.0, speed) for speed in ("slow", "normal", "fast")]
    assert paces == [2 * app.PLAY_INTERVAL_S, app.PLAY_INTERVAL_S, app.PLAY_INTERVAL_S / 2]
    assert app.next_delay(0.0, 10.0, "fast") == app.PAUSE_MIN_S  # a slow month: a short pause


def test_play_stops_when_the_page_is_gone(monkeypatch):
    monkeypatch.setattr(app, "PAUSE_MIN_S", 0.01)
    monkeypatch.setattr(app, "page_open", lambda: False)
    _, rc = _render_page()
    _button(rc, "Play").click()
    _wait(lambda: _buttons(rc, "Play"))
    _wait(lambda: not _timer_threads(), 5)  # the month's own thread ends
    assert _month(rc) == 0 and _page_run().month == 0
    rc.close()


def test_the_page_runs_the_asmsim_model():
    from asmsim.model import ASMModel

    assert model_class() is ASMModel


def test_cli_refuses_bad_arguments_in_one_line():
    from asmsim.cli.dashboard import parse

    assert parse(["scenario=integrated", "lang=fr", "port=9000"]) == {
        "scenario": "integrated", "lang": "fr", "port": 9000}
    for bad in (["scenario=nope"], ["lang=de"], ["port=x"], ["colour=red"]):
        with pytest.raises(ConfigError) as info:
            parse(bad)
        assert "\n" not in str(info.value)


def test_server_runs_offline_in_production_on_loopback(tmp_path):
    env = server.server_env(tmp_path, scenario="legal", lang="es", base={})
    assert env["SOLARA_ASSETS_PROXY_CACHE_DIR"] == str(tmp_path)
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert env["SOLARA_ASSETS_CDN"].startswith("http://127.0.0.1")
    assert env["SOLARA_THEME_SHOW_BANNER"] == "False"  # no corner banner over the page
    assert env["PYTHONWARNINGS"] == server.NO_COOKIE_WARNING  # no cookie warning per page load
    kept = server.server_env(tmp_path, scenario="legal", lang="es",
                             base={"PYTHONWARNINGS": "error"})["PYTHONWARNINGS"]
    assert kept == f"error,{server.NO_COOKIE_WARNING}"
    command = server.server_command(8765)
    assert "--production" in command and command[command.index("--host") + 1] == "127.0.0.1"
    assert assets.missing(tmp_path) == list(assets.PACKAGES)
