"""Python-level tests of the dashboard: translations, levers, charts, CLI, and the page.

The page is built with ``solara.render`` as Mesa's own example tests build
SolaraViz pages, then driven through its buttons and lever callbacks.
"""

from __future__ import annotations

import string

import ipyvuetify as v
import pytest
import solara

from asmsim.config import Config, ConfigError, leaf_fields
from asmsim.present.dashboard import assets, i18n, server
from asmsim.present.dashboard.charts import CHARTS, chart_png
from asmsim.present.dashboard.levers import get_value, lever, levers
from asmsim.present.dashboard.session import model_class, new_model, outputs

PNG = b"\x89PNG"


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
    _button(rc, "Reset").click()
    rc.find(v.Html, children=["Month 0"]).assert_single()
    saves = [w for w in rc.find(v.Btn).widgets if w.children[-1] == "Save as PNG"]
    assert len(saves) == 6  # map + 5 charts


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
    command = server.server_command(8765)
    assert "--production" in command and command[command.index("--host") + 1] == "127.0.0.1"
    assert assets.missing(tmp_path) == list(assets.PACKAGES)
