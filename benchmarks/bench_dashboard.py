"""Time one dashboard month: model step + every redraw the page does, at the default size.

Run: ``.venv/bin/python benchmarks/bench_dashboard.py`` (prints median and max
over 24 months of the baseline scenario, 2,000 miners). Wall and CPU time are
both shown: on a shared machine wall time includes waiting for a core.
"""

from __future__ import annotations

import statistics
import time

from asmsim.present.dashboard.charts import CHARTS, chart_svg, to_svg
from asmsim.present.dashboard.i18n import translator
from asmsim.present.dashboard.mapview import draw_map
from asmsim.present.dashboard.session import new_model, outputs, scenario_config

MONTHS = 24


def one_month(model, t) -> None:
    """What the page does per month: step, read the outputs, redraw map and charts."""
    model.step()
    table = outputs(model)
    changes = [month for month, _, _ in model.policy_changes]
    for chart in CHARTS:
        chart_svg(chart, table, changes, t)
    to_svg(draw_map(model, "land", t, legend=False))


def main() -> None:
    """Print the timing summary."""
    t = translator("en")
    model = new_model(scenario_config("baseline"))
    one_month(model, t)  # warm-up (fonts, caches)
    wall, cpu = [], []
    for _ in range(MONTHS):
        w0, c0 = time.perf_counter(), time.process_time()
        one_month(model, t)
        wall.append(1000 * (time.perf_counter() - w0))
        cpu.append(1000 * (time.process_time() - c0))
    print(f"miners={model.config.miners} months={MONTHS}")
    print(f"step+redraw wall ms: median {statistics.median(wall):.0f}, max {max(wall):.0f}")
    print(f"step+redraw CPU  ms: median {statistics.median(cpu):.0f}, max {max(cpu):.0f}")


if __name__ == "__main__":
    main()
