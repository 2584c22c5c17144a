"""The dashboard in Chromium with every non-loopback request blocked."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]
SCREENSHOT_DIR = Path(os.environ.get("ASMSIM_SCREENSHOT_DIR", ".asmsim-assets/screenshots"))


MONTH = re.compile(r"^Month (\d+)$")


def _month(page) -> int:
    return int(MONTH.match(page.get_by_text(MONTH).inner_text()).group(1))


def _royalty_in_use(page) -> str:
    return page.get_by_text(re.compile("^Royalty rate the model uses")).inner_text()


def test_page_loads_offline_without_errors_and_is_captured(dashboard):
    page = dashboard.page
    page.get_by_text("Save as PNG").nth(5).wait_for()  # map + five charts
    assert page.get_by_text("Policy levers").is_visible()
    page.wait_for_timeout(1_000)  # let the page's fade-in transitions finish
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOT_DIR / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    assert dashboard.console_errors == []
    assert [u for u in dashboard.failed if "/_solara/cdn/" in u] == []
    assert dashboard.failed == []
    assert dashboard.blocked == []  # nothing even tried to leave the machine


def test_royalty_control_changes_the_royalty_the_model_uses(dashboard):
    page = dashboard.page
    assert _royalty_in_use(page).endswith(": 7 %")  # baseline preset
    thumb = page.locator(".lever-policy-market-royalty_rate [role=slider]")
    thumb.focus()
    for _ in range(4):  # 0.5 % a key press: 7 % -> 5 %
        thumb.press("ArrowLeft")
    page.get_by_text("Royalty rate the model uses: 5 %").wait_for()
    page.get_by_role("button", name="Step").click()
    assert page.get_by_text(re.compile(r"→ 5 %")).first.is_visible()
    assert dashboard.console_errors == []


def test_language_switch_changes_the_labels(dashboard):
    page = dashboard.page
    page.get_by_role("button", name="Français").click()
    page.get_by_text("Leviers politiques").wait_for()
    assert page.get_by_role("button", name="Lancer").is_visible()
    assert page.get_by_text("Taux de redevance (% des ventes formelles): 7 %").is_visible()
    page.get_by_role("button", name="Español").click()
    page.get_by_text("Palancas de política").wait_for()
    page.get_by_role("button", name="English").click()
    page.get_by_text("Policy levers").wait_for()
    assert dashboard.console_errors == []


def test_play_advances_the_months_and_pause_stops_them(dashboard):
    page = dashboard.page
    start = _month(page)
    page.get_by_role("button", name="Play").click()
    assert start == 0
    page.get_by_text(re.compile(r"^Month ([3-9]|\d\d+)$")).wait_for(timeout=30_000)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    paused = _month(page)
    assert paused >= start + 3
    page.wait_for_timeout(1_500)  # one month at most was already under way
    assert _month(page) in (paused, paused + 1)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "dashboard-played.png"), full_page=True)
    assert dashboard.console_errors == []
    assert dashboard.failed == []



def test_save_as_png_downloads_the_month_shown(dashboard):
    page = dashboard.page
    page.get_by_role("button", name="Step").click()
    page.get_by_text("Month 1", exact=True).wait_for()
    card = page.locator(".chart-income")
    with page.expect_download() as download:
        card.get_by_text("Save as PNG").click()
    assert download.value.suggested_filename == "asmsim_income.png"
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000
    page.get_by_role("button", name="Step").click()
    page.get_by_text("Month 2", exact=True).wait_for()
    with page.expect_download() as download:  # drawn again: the month shown now
        card.get_by_text("Save as PNG").click()
    again = Path(download.value.path()).read_bytes()
    assert again.startswith(b"\x89PNG") and again != data
    with page.expect_download() as download:
        page.locator(".chart-map").get_by_text("Save as PNG").click()
    assert Path(download.value.path()).read_bytes().startswith(b"\x89PNG")
    assert dashboard.console_errors == []
