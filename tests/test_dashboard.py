"""Python-level tests of the dashboard: translations, levers, charts, CLI, and the page.

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
import pytest
import solara
from matplotlib import rc_context

from asmsim.config import Config, ConfigError, leaf_fields
from asmsim.present.dashboard import app, assets, i18n, server
from asmsim.present.dashboard.charts import CHARTS, SVG_RC, LiveChart, chart_png, y_limits
from asmsim.present.dashboard.levers import get_value, lever, levers
from asmsim.present.dashboard.mapview import LiveMap, map_data, map_png
from asmsim.present.dashboard.session import model_class, new_model, outputs, view

PNG = b"\x89PNG"
DASHED = "stroke-dasharray"  # how matplotlib's SVG writes a dashed line


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_every_text_with_the_same_placeholders():
    english = i18n.catalogue("en")
    for lang in i18n.LANGS:
        texts = i18n.catalogue(lang)
        assert set(texts) == set(english), lang
        for key, text in texts.items():
            assert text.strip(), (lang, key)
            assert _fields(text) == _fields(english[key]), (lang, key)


def test_every_lever_and_chart_is_labelled_and_french_differs_from_english():
    for item in levers():
        labels = {i18n.translate(lang, f"lever.{item.key}") for lang in i18n.LANGS}
        assert len(labels) == 3, item.key  # a distinct label in each language
        assert "(" in i18n.translate("en", f"lever.{item.key}")  # unit in the label
    for chart in CHARTS:
        assert i18n.translate("fr", f"chart.{chart.id}") != i18n.translate("en",
                                                                           f"chart.{chart.id}")


def test_lever_ranges_come_from_the_schema():
    fields = leaf_fields()
    royalty = lever("policy.market.royalty_rate")
    assert (royalty.lo, royalty.hi, royalty.percent) == (0.0, 100.0, True)
    assert royalty.to_config(royalty.to_control(0.07)) == pytest.approx(0.07)
    for item in levers():
        assert item.key in fields
        default = get_value(Config(), item.key)
        if item.kind != "bool":
            assert item.lo <= item.to_control(default) <= item.hi, item.key
    assert len(levers()) == 12


def test_chart_png_marks_policy_changes():
    model = new_model(Config(miners=200), seed=1)
    model.set_policy("policy.market.royalty_rate", 0.03)
    for _ in range(3):
        model.step()
    table = outputs(model)
    t = i18n.translator("es")
    for chart in CHARTS:
        assert chart_png(chart, table, [1], t).startswith(PNG)
        saved = LiveChart(chart, framed=True).update(table, [1], t)
        assert saved.ax.get_title() == t(f"chart.{chart.id}")
        legend = [text.get_text() for text in saved.ax.get_legend().get_texts()]
        assert legend[-1] == t("policy_change")  # the dashed line is in the legend


def test_live_chart_keeps_its_figure_and_moves_its_data():
    model = new_model(Config(miners=200), seed=1)
    t = i18n.translator("en")
    chart = LiveChart(CHARTS[1])  # income: women, men
    figure, lines = chart.fig, dict(chart.lines)
    for month in range(1, 15):
        if month == 5:
            model.set_policy("policy.market.royalty_rate", 0.03)
        model.step()
        table = outputs(model)
        chart.update(table, [m for m, _, _ in model.policy_changes], t)
        assert chart.fig is figure and chart.lines == lines  # nothing rebuilt
        for column, line in lines.items():  # N months stepped: N + 1 points (month 0 too)
            assert list(line.get_xdata()) == list(range(month + 1))
            assert list(line.get_ydata()) == pytest.approx(list(table[column]))
        low, high = chart.ax.get_ylim()
        assert low <= table[list(lines)].min().min() and table[list(lines)].max().max() <= high
        assert chart.ax.get_xlim() == (0, max(12, month))
        assert list(chart.markers) == ([4] if month >= 5 else [])  # a lever change, a line
        assert chart.svg().decode().count(DASHED) == (1 if month >= 5 else 0)
    chart.update(table.iloc[:3], [], t)  # a reset: shorter data, no change
    assert list(lines["men_income_mean_usd"].get_xdata()) == [0, 1, 2] and not chart.markers


def test_live_svg_is_what_savefig_writes():
    model = new_model(Config(miners=200), seed=1)
    for _ in range(4):
        model.step()
    for lang in ("en", "fr"):
        for chart in CHARTS:
            live = LiveChart(chart).update(outputs(model), [2], i18n.translator(lang))
            expected = io.BytesIO()
            with rc_context(SVG_RC):
                live.fig.savefig(expected, format="svg", metadata={"Date": None})
            assert live.svg() == expected.getvalue(), (lang, chart.id)


def test_y_limits_start_at_zero_unless_negative():
    import numpy as np

    assert y_limits([np.array([80.0, 240.0])], False) == pytest.approx((72.0, 248.0))
    assert y_limits([np.array([0.0, 10.0])], False) == pytest.approx((0.0, 10.5))
    assert y_limits([np.array([-10.0, 10.0])], False) == pytest.approx((-11.0, 11.0))
    assert y_limits([np.array([np.nan])], False) == (0.0, 1.0)
    assert y_limits([np.array([0.5])], True) == (0.0, 100.0)


def test_live_map_moves_its_dots():
    model = new_model(Config(miners=200), seed=1)
    t = i18n.translator("en")
    for layer in ("land", "mercury"):
        live = LiveMap(layer)
        for _ in range(3):
            model.step()
            data = map_data(model)
            assert live.update(data, t).image().startswith(PNG)
            assert live.dots.get_offsets().shape == (len(data.x), 2)
            assert len(live.fig.axes) == (2 if layer == "mercury" else 1)  # no colour bar piling up
        assert map_png(data, layer, t).startswith(PNG)


def _royalty_text(rc) -> str:
    """The line showing the royalty rate the model uses."""
    return rc.find(v.Html, class_="royalty-in-use").widget.children[0]


def _render_page():
    from asmsim.present.dashboard.app import Page

    @solara.component
    def Wrapped():
        with solara.AppLayout():
            Page()

    return solara.render(Wrapped(), handle_error=False)


def _button(rc, label):
    matches = [w for w in rc.find(v.Btn).widgets if w.children and w.children[-1] == label]
    assert len(matches) == 1, label
    return matches[0]


def _month(rc) -> int:
    return int(re.fullmatch(r"Month (\d+)", rc.find(v.Html, class_="month-counter")
                            .widget.children[0]).group(1))


def _chart_svg(rc, chart_id: str) -> str:
    image = rc.find(ipywidgets.Image).widgets
    shown = [w for w in image if f"chart-image-{chart_id}" in w._dom_classes]
    assert len(shown) == 1
    return bytes(shown[0].value).decode()


def _wait(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_page_builds_steps_and_applies_a_lever_without_reset():
    _, rc = _render_page()
    assert rc.find(v.Html, children=["Month 0"]).widget is not None
    _button(rc, "Step").click()
    rc.find(v.Html, children=["Month 1"]).assert_single()
    royalty = rc.find(v.Slider).widgets  # all sliders
    assert len(royalty) == 9
    assert _royalty_text(rc) == "Royalty rate the model uses: 7 %"
    # move the royalty slider (shown in %): 7 % -> 3 %
    slider = next(w for w in royalty if w.v_model == pytest.approx(7.0))
    slider.v_model = 3.0
    _button(rc, "Step").click()
    rc.find(v.Html, children=["Month 2"]).assert_single()  # not reset
    assert _royalty_text(rc) == "Royalty rate the model uses: 3 %"
    # the lever change at month 1 is a dashed line on every chart the browser gets
    assert all(_chart_svg(rc, chart.id).count(DASHED) == 1 for chart in CHARTS)
    headline = rc.find(v.Html, class_="headline-mercury_kg").widget.children[0]
    assert headline == f"{outputs(_page_model()).mercury_kg.iloc[-1]:,.2f}"
    _button(rc, "Reset").click()
    rc.find(v.Html, children=["Month 0"]).assert_single()
    assert _royalty_text(rc) == "Royalty rate the model uses: 7 %"  # the preset again
    assert all(_chart_svg(rc, chart.id).count(DASHED) == 0 for chart in CHARTS)
    saves = [w for w in rc.find(v.Btn).widgets if w.children[-1] == "Save as PNG"]
    assert len(saves) == 6  # map + 5 charts
    rc.close()


_PAGE_MODELS: list = []


def _page_model():
    """The model the page built last (the one it shows)."""
    return _PAGE_MODELS[-1]


@pytest.fixture(autouse=True)
def _record_models(monkeypatch):
    """Remember the models the page builds, to compare what it shows with them."""
    build = app.new_model

    def recording(config, seed=0):
        model = build(config, seed)
        _PAGE_MODELS.append(model)
        return model

    monkeypatch.setattr(app, "new_model", recording)
    yield
    _PAGE_MODELS.clear()


def _timer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if isinstance(t, threading.Timer) and t.is_alive()]


def test_play_advances_the_months_until_pause_and_leaves_nothing_running(monkeypatch):
    monkeypatch.setattr(app, "PLAY_INTERVAL_S", 0.05)
    monkeypatch.setattr(app, "PAUSE_MIN_S", 0.01)
    _, rc = _render_page()
    _button(rc, "Play").click()
    _wait(lambda: _month(rc) >= 3)  # drawn month after month, each one on the page
    assert _button(rc, "Step").disabled
    _button(rc, "Pause").click()
    paused_at = _month(rc)
    time.sleep(0.5)
    assert _month(rc) in (paused_at, paused_at + 1)  # a month already under way may land
    stopped = _month(rc)
    time.sleep(0.5)
    assert _month(rc) == stopped == _page_model().month
    _wait(lambda: not _timer_threads(), 5)
    # months stepped = points on the charts: the table the charts draw has one row per month
    assert len(view(_page_model()).table) == stopped + 1
    _button(rc, "Play").click()
    _wait(lambda: _month(rc) >= stopped + 1)
    rc.close()  # closing the page (as when its tab closes) stops playing
    closed_at = _page_model().month
    time.sleep(0.5)
    assert _page_model().month <= closed_at + 1
    _wait(lambda: not _timer_threads(), 5)
    time.sleep(0.3)
    assert _page_model().month <= closed_at + 1


def test_play_stops_when_the_page_is_gone(monkeypatch):
    monkeypatch.setattr(app, "PAUSE_MIN_S", 0.01)
    monkeypatch.setattr(app, "page_open", lambda: False)
    _, rc = _render_page()
    _button(rc, "Play").click()
    _wait(lambda: "Play" in [w.children[-1] for w in rc.find(v.Btn).widgets if w.children])
    _wait(lambda: not _timer_threads(), 5)  # the month's own thread ends
    assert _month(rc) == 0 and _page_model().month == 0
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
