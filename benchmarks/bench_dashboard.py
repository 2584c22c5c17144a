"""Time one dashboard month as the page does it: click Step, wait for the page to be redrawn.

Run: ``.venv/bin/python benchmarks/bench_dashboard.py [--months N]``.

The page (``asmsim.present.dashboard.app.Page``) is built with ``solara.render``
exactly as the server builds it for a browser tab, at the default size
(baseline scenario, 2,000 miners, compared with the status quo: two models
stepped each month), then its Step button is clicked month after month. One
month = the click handler (both models' ``step()``) + the re-render of the page
(reading both runs' outputs, updating the map and the five charts with their
faint counterfactual lines, turning them into images, updating every widget).
What is not in it: sending the widget messages over the websocket and the
browser drawing them. A lever is moved at month 6 (a labelled dashed line
appears on every chart).

Median and max over the months are printed, wall and CPU time: on a shared
machine wall time includes waiting for a core. The parts of a month are timed
apart afterwards (``--parts``) on the same model. ``--browser`` also times it
as the room sees it: the real server on 127.0.0.1 and Debian's Chromium at
1280 × 720, from a click on Step to the whole new month on the page (its text
and all six images replaced; websocket and browser drawing included, timed in
the page).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import signal
import statistics
import subprocess
import time
import urllib.request
import warnings

import ipyvuetify as v
import solara

MONTHS = 24
LEVER_MONTH = 6


def _page():
    from asmsim.present.dashboard.app import Page

    return solara.render(Page(), handle_error=False)[1]


def _button(rc, label: str):
    return next(w for w in rc.find(v.Btn).widgets if w.children and w.children[-1] == label)


def page_months(months: int) -> tuple[list[float], list[float]]:
    """Wall and CPU ms of ``months`` Step clicks on the rendered page (after one warm-up)."""
    with contextlib.redirect_stdout(io.StringIO()):  # AppBar prints outside a server
        rc = _page()
        step = _button(rc, "Step")
        step.click()  # warm-up: fonts, caches, first figures
    _button(rc, "Market").click()
    royalty = next(w for w in rc.find(v.Slider).widgets if w.v_model == 7.0)
    wall, cpu = [], []
    for month in range(months):
        if month == LEVER_MONTH:
            royalty.fire_event("change", 5.0)  # 7 % -> 5 %: labelled on every chart
        w0, c0 = time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(io.StringIO()):
            step.click()
        wall.append(1000 * (time.perf_counter() - w0))
        cpu.append(1000 * (time.process_time() - c0))
    shown = rc.find(v.Html, class_="month-counter").widget.children[0]
    assert shown.startswith(f"Month {months + 1} of"), shown  # the page really followed
    rc.close()
    return wall, cpu


def parts(months: int) -> dict[str, float]:
    """Median CPU ms of each part of a month, outside the page (same code the page calls)."""
    from asmsim.present.dashboard.charts import CHARTS, LiveChart
    from asmsim.present.dashboard.i18n import translator
    from asmsim.present.dashboard.labels import chart_marks
    from asmsim.present.dashboard.mapview import LiveMap
    from asmsim.present.dashboard.session import Run, Settings

    t = translator("en")
    run = Run(Settings())
    charts = [LiveChart(chart) for chart in CHARTS]
    live_map = LiveMap("land")
    times: dict[str, list[float]] = {"step (2 models)": [], "copy (View)": [], "charts (5)": [],
                                     "map": []}

    def timed(name, fn):
        c0 = time.process_time()
        out = fn()
        times[name].append(1000 * (time.process_time() - c0))
        return out

    for month in range(months + 1):
        if month == LEVER_MONTH:
            run.change("policy.market.royalty_rate", "0.05")
        timed("step (2 models)", run.step)
        shown = timed("copy (View)", run.view)
        marks = chart_marks(shown.controls, t)
        timed("charts (5)", lambda shown=shown, marks=marks:
              [c.update(shown.table, shown.twin, marks, t, shown.months).svg() for c in charts])
        timed("map", lambda shown=shown: live_map.update(shown.sites, t).image())
    return {name: statistics.median(values[1:]) for name, values in times.items()}


# In the page: click Step, resolve when the month text and every image (map, five charts)
# have been replaced: the whole month on screen, without Playwright's own waiting.
_MONTH_ON_SCREEN = """
() => new Promise((resolve) => {
  const month = () => document.querySelector(".month-counter").textContent;
  const images = () => Array.from(document.querySelectorAll("img"), (img) => img.src);
  const before = month(), old = images(), start = performance.now();
  const observer = new MutationObserver(() => {
    const now = images();
    if (month() !== before && now.length === old.length && now.every((src, i) => src !== old[i])) {
      observer.disconnect();
      resolve(performance.now() - start);
    }
  });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true,
                                   attributes: true});
  document.querySelector(".run-controls button:nth-child(2)").click();  // Step
})
"""


def browser_months(months: int, chromium: str = "/usr/bin/chromium") -> list[float]:
    """Wall ms from a Step click to the whole new month on the page, in Chromium (after one)."""
    from playwright.sync_api import sync_playwright

    from asmsim.present.dashboard import assets, server

    port = 8791
    env = server.server_env(assets.ensure_assets(), scenario="baseline", lang="en")
    proc = subprocess.Popen(server.server_command(port), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(200):
            with contextlib.suppress(OSError), urllib.request.urlopen(server.url(port)):
                break
            time.sleep(0.3)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium,
                                                 args=["--headless", "--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(server.url(port))
            page.locator(".month-counter", has_text="Month 0 of").wait_for(timeout=60_000)
            page.wait_for_timeout(2_000)  # charts redrawn at their size
            times = []
            for _ in range(months + 1):
                times.append(page.evaluate(_MONTH_ON_SCREEN))
                page.wait_for_timeout(300)  # a click's later updates (URL) land
            browser.close()
        return times[1:]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()


def main() -> None:
    """Print the timing summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=MONTHS)
    parser.add_argument("--parts", action="store_true", help="also time the parts of a month")
    parser.add_argument("--browser", action="store_true",
                        help="also time Step clicks in Chromium against the real server")
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)
    wall, cpu = page_months(args.months)
    print(f"baseline vs status quo (2 models), 2,000 miners, {args.months} months, "
          f"lever moved at month {LEVER_MONTH}")
    print(f"page month (Step click + redraw) wall ms: median {statistics.median(wall):.0f}, "
          f"max {max(wall):.0f}")
    print(f"page month (Step click + redraw) CPU  ms: median {statistics.median(cpu):.0f}, "
          f"max {max(cpu):.0f}")
    if args.parts:
        for name, ms in parts(args.months).items():
            print(f"  {name:<15} CPU ms median {ms:.0f}")
    if args.browser:
        shown = browser_months(args.months)
        print(f"in Chromium (click to the whole month on screen) wall ms: median "
              f"{statistics.median(shown):.0f}, max {max(shown):.0f}")


if __name__ == "__main__":
    main()
