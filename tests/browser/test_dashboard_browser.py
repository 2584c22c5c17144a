"""The dashboard in Chromium with every non-loopback request blocked, as a room would see it."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from asmsim.config import ConfigError, load_config
from asmsim.model import OUTPUTS
from asmsim.present.dashboard.charts import CHARTS
from asmsim.present.dashboard.session import Run, Settings
from tests.browser.pagecheck import (
    chart_svg,
    contrasts,
    font_sizes,
    image_box,
    layout_problems,
    small_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]
SCREENSHOT_DIR = Path(os.environ.get("ASMSIM_SCREENSHOT_DIR", ".asmsim-assets/screenshots"))
SIZES = ((1280, 720), (1920, 1080))
LANG_BUTTONS = {"en": "English", "fr": "Français", "es": "Español"}
MONTH = re.compile(r"^(?:Month|Mois|Mes) (\d+) (?:of|sur|de) (\d+)$")
FAINT = "stroke-opacity: 0.35"


def _month(page) -> int:
    return int(MONTH.match(page.locator(".month-counter").inner_text()).group(1))


def _wait_month(page, text: str) -> None:
    page.locator(".month-counter", has_text=re.compile(f"^{re.escape(text)}$")).wait_for()


def _shoot(page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / name
    page.screenshot(path=str(path))
    return path


def _set_field(page, selector: str, text: str) -> None:
    field = page.locator(f"{selector} input")
    field.fill(text)
    field.press("Enter")


def _cli_message(key: str, text: str) -> str:
    with pytest.raises(ConfigError) as refused:
        load_config(["scenario=baseline", f"{key}={text}"])
    return str(refused.value)


def _eventually(page, failures, timeout_ms: int = 10_000) -> None:
    """Wait until ``failures()`` (what is still wrong, a list) is empty; assert it is.

    A redraw reaches the browser text by text and image by image, after the month
    counter, so what the page shows is polled (every 200 ms) rather than read once.
    """
    for _ in range(timeout_ms // 200):
        if not failures():
            return
        page.wait_for_timeout(200)
    assert failures() == []


def _every_chart_says(page, text: str) -> None:
    """Each chart's SVG, as the browser shows it, has ``text`` (a label, as text)."""
    _eventually(page, lambda: [chart.id for chart in CHARTS
                               if text not in chart_svg(page, chart.id)])


def _clean(offline) -> None:
    assert offline.console_errors == []
    assert offline.failed == []
    assert offline.blocked == []  # nothing even tried to leave the machine


def test_page_loads_offline_without_errors_or_cookie_warnings(dashboard, server_log):
    page = dashboard.page
    page.locator(".chart-image-illicit").wait_for()
    assert page.locator(".tile").count() == 6  # the map and five charts
    page.wait_for_timeout(800)  # let the page's fade-in transitions finish
    assert _shoot(page, "dashboard.png").stat().st_size > 20_000
    assert [u for u in dashboard.failed if "/_solara/cdn/" in u] == []
    _clean(dashboard)
    assert "Cookie" not in server_log.read_text()  # none for this page load, nor any other


def _lever_change(page, value: str = "3") -> None:
    page.locator(".dimension-market").click()
    _set_field(page, ".lever-policy-market-royalty_rate .lever-field", value)
    page.locator(".lever-log", has_text="royalty 7% → ").wait_for()


def test_one_screen_in_every_language_at_both_sizes(dashboard):
    page = dashboard.page
    _lever_change(page)
    page.get_by_role("button", name="Step").click()
    _wait_month(page, "Month 1 of 120")
    for lang, button in LANG_BUTTONS.items():
        page.get_by_role("button", name=button).click()
        page.locator(".language-switch .v-btn--outlined", has_text=lang.upper()).wait_for()
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            for presenting in (False, True):
                page.wait_for_timeout(700)  # sizes reported, charts redrawn at their size
                where = f"{lang} {width}x{height}{' presentation' if presenting else ''}"
                assert layout_problems(page) == [], where
                assert small_text(page) == [], where
                assert min(font_sizes(page, ".headline-value")) >= 2 * 16, where
                _shoot(page, f"dashboard-{lang}-{width}{'-presentation' if presenting else ''}.png")
                page.locator(".presentation-toggle").click()
                page.locator(".asmsim-panel").wait_for(state="visible" if presenting else "detached")
    _clean(dashboard)


def test_status_quo_is_a_faint_line_on_every_chart_and_beside_each_figure(dashboard):
    page = dashboard.page
    page.get_by_role("button", name="End of year").click()
    _wait_month(page, "Month 12 of 120")
    _eventually(page, lambda: [chart.id for chart in CHARTS
                               if chart_svg(page, chart.id).count(FAINT) != len(chart.series)])
    from playwright.sync_api import expect  # installed with the browser tests' fixture

    versus = page.locator(".headline-versus")
    expect(versus).to_have_text([re.compile(r"^\(status quo [\d.,]+%?\)$")] * 4)
    # the page's figures are the runs' (same seed, same months): status quo against itself;
    # awaited, as the figures' texts may reach the browser after the month counter's
    twins = [v.removeprefix("(status quo ").removesuffix(")") for v in versus.all_inner_texts()]
    expect(page.locator(".headline-value").nth(0)).to_have_text(twins[0])
    expect(page.locator(".headline-value").nth(1)).to_have_text(twins[1])
    _clean(dashboard)


def test_a_lever_change_is_labelled_on_every_chart(dashboard):
    page = dashboard.page
    _lever_change(page, "3")
    assert page.locator(".lever-policy-market-royalty_rate [role=slider]").get_attribute(
        "aria-valuenow") == "3"
    page.get_by_role("button", name="Step").click()
    _wait_month(page, "Month 1 of 120")
    _every_chart_says(page, "royalty 7% → 3%")
    assert page.locator(".lever-log").inner_text() == "month 0: royalty 7% → 3%"
    _clean(dashboard)


def test_a_number_is_typed_in_the_language_and_a_refused_value_gets_the_cli_message(dashboard):
    page = dashboard.page
    page.get_by_role("button", name="Français").click()
    page.locator(".dimension-market").click()
    royalty = ".lever-policy-market-royalty_rate"
    _set_field(page, f"{royalty} .lever-field", "150")
    expected = "Non appliqué\u00a0: " + _cli_message("policy.market.royalty_rate", "1.5")
    page.locator(f"{royalty} .lever-error").wait_for()
    assert page.locator(f"{royalty} .lever-error").inner_text() == expected
    assert page.locator(".lever-log").inner_text() == "Aucun changement pour l'instant."
    _set_field(page, f"{royalty} .lever-field", "2,5")  # a French decimal comma
    page.locator(".lever-log", has_text="redevance 7\u00a0% → 2,5\u00a0%").wait_for()
    assert page.locator(f"{royalty} .lever-error").count() == 0
    page.locator(".dimension-legal").click()
    zones = ".lever-policy-legal-asm_zone_share"
    _set_field(page, f"{zones} .lever-field", "100")  # the land shares would exceed 1
    page.locator(f"{zones} .lever-error").wait_for()
    assert page.locator(f"{zones} .lever-error").inner_text() == (
        "Non appliqué\u00a0: " + _cli_message("policy.legal.asm_zone_share", "1"))
    _clean(dashboard)


def test_a_shock_is_a_named_band_and_the_address_reopens_the_run(open_dashboard):
    offline = open_dashboard("?lang=es&scenario=pandemic_shock&compare=baseline&month=31",
                             "Mes 31 de 120")
    page = offline.page
    _every_chart_says(page, "cierre de mercados")
    assert page.locator(".run-name").inner_text() == "Confinamiento · comparación: statu quo"
    _clean(offline)


def test_reload_keeps_preset_language_lever_log_and_month(dashboard):
    page = dashboard.page
    page.get_by_role("button", name="Français").click()
    page.locator(".scenario-select").click()
    page.get_by_role("option", name="Réforme du marché").click()
    page.locator(".run-name", has_text="Réforme du marché").wait_for()
    page.locator(".dimension-market").click()
    _set_field(page, ".lever-policy-market-royalty_rate .lever-field", "4")
    page.locator(".lever-log", has_text="redevance").wait_for()
    for month in (1, 2, 3):
        page.get_by_role("button", name="Un mois").click()
        _wait_month(page, f"Mois {month} sur 120")
    log = page.locator(".lever-log").inner_text()
    headlines = page.locator(".headline-value").all_inner_texts()
    page.wait_for_function("() => location.search.includes('month=3')")
    page.reload()
    _wait_month(page, "Mois 3 sur 120")
    page.locator(".run-name", has_text="Réforme du marché").wait_for()
    # the texts of one redraw reach the browser one by one, the month counter's first:
    # the lever log and the headline figures are awaited (5 s), not read once
    from playwright.sync_api import expect  # installed with the browser tests' fixture

    assert log == "mois 0\u00a0: redevance 2,5\u00a0% → 4\u00a0%"
    expect(page.locator(".lever-log")).to_have_text(log)
    expect(page.locator(".headline-value")).to_have_text(headlines)  # the same run
    _clean(dashboard)


def test_run_length_end_of_year_and_the_end_of_the_run(dashboard):
    page = dashboard.page
    _set_field(page, ".setting-months", "14")
    _wait_month(page, "Month 0 of 14")
    page.get_by_role("button", name="End of year").click()
    _wait_month(page, "Month 12 of 14")
    assert page.locator(".setting-months input").is_disabled()  # set before a run only
    page.get_by_role("button", name="End of year").click()
    _wait_month(page, "Month 14 of 14")
    assert page.locator(".end-of-run").inner_text().startswith("End of the run")
    for name in ("Play", "Step", "End of year"):
        assert page.get_by_role("button", name=name).is_disabled(), name
    page.get_by_role("button", name="Reset").click()
    _wait_month(page, "Month 0 of 14")
    _clean(dashboard)


def test_play_advances_the_months_and_pause_stops_them(dashboard):
    page = dashboard.page
    page.get_by_role("button", name="fast").click()  # 2×: four months a second at most
    page.get_by_role("button", name="Play").click()
    page.locator(".month-counter", has_text=re.compile(r"^Month ([4-9]|\d\d+) ")).wait_for(
        timeout=30_000)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    paused = _month(page)
    page.wait_for_timeout(1_500)  # one month at most was already under way
    assert _month(page) in (paused, paused + 1)
    _shoot(page, "dashboard-played.png")
    _clean(dashboard)


def _download(page, locator) -> bytes:
    with page.expect_download() as download:
        locator.click()
    return Path(download.value.path()).read_bytes(), download.value.suggested_filename


def test_exports_run_csv_lever_log_summary_and_charts(dashboard):
    page = dashboard.page
    _lever_change(page, "3")
    for month in (1, 2):
        page.get_by_role("button", name="Step").click()
        _wait_month(page, f"Month {month} of 120")
    data, name = _download(page, page.get_by_role("button", name="Run (CSV)"))
    table = pd.read_csv(io.BytesIO(data))
    assert name == "asmsim_baseline_run.csv"
    assert set(OUTPUTS) <= set(table.columns)
    assert table.groupby("run").size().to_dict() == {"comparison": 3, "shown": 3}
    data, name = _download(page, page.get_by_role("button", name="Lever log (CSV)"))
    log = pd.read_csv(io.BytesIO(data))
    assert log[["month", "key", "after"]].values.tolist() == [
        [0, "policy.market.royalty_rate", 0.03]]
    data, name = _download(page, page.get_by_role("button", name="Summary (PNG)"))
    assert data.startswith(b"\x89PNG") and len(data) > 50_000
    data, name = _download(page, page.locator(".chart-income").get_by_role(
        "button", name="Save as PNG"))
    assert name == "asmsim_income.png" and data.startswith(b"\x89PNG")
    _clean(dashboard)


def test_presentation_mode_hides_the_controls(dashboard):
    page = dashboard.page
    width = page.locator(".chart-formalization").bounding_box()["width"]
    page.get_by_role("button", name="Presentation").click()
    page.locator(".asmsim-panel").wait_for(state="detached")
    page.wait_for_function("() => location.search.includes('present=1')")
    assert page.locator(".chart-formalization").bounding_box()["width"] > width * 1.2
    assert page.get_by_role("button", name="Play").is_visible()  # the run can still be driven
    page.get_by_role("button", name="Controls").click()
    page.locator(".asmsim-panel").wait_for()
    _clean(dashboard)


def test_a_click_on_the_map_shows_the_cell_and_the_legends_are_readable(dashboard):
    page = dashboard.page
    sites = Run(Settings()).view().sites  # the page's run: same preset, size and seed
    town = int(sites.towns[0])
    x, y = town % sites.width, town // sites.width
    left, top, width, height = image_box(page, "img.map-image")
    page.mouse.click(left + (x + 0.5) / sites.width * width,
                     top + (sites.height - y - 0.5) / sites.height * height)
    page.locator(".map-cell", has_text=f"Cell {x}, {y}").wait_for()
    assert "a town" in page.locator(".map-cell").inner_text()
    assert "miners:" in page.locator(".map-cell").inner_text()
    for selector in (".map-legend .legend-entry", ".chart-legend .legend-entry",
                     ".asmsim-legend .legend-entry", ".map-cell"):
        for text, ratio in contrasts(page, selector):
            assert ratio >= 4.5, (selector, text, ratio)
    _clean(dashboard)
