"""What the facilitator takes home: the run as CSV, the lever log as CSV, a one-page summary.

The run CSV has the monthly outputs (``asmsim.model.OUTPUTS`` columns) of the
run shown and of its counterfactual, one row per run and month, with a ``run``
column (``shown`` / ``comparison``) and the preset each ran. The lever log has
one row per change: month, key, the lever's name in the page's language, the
value before and after. The summary is one PNG page for the debrief: the
scenario and its comparison, the month, the headline figures, the five charts
(with the counterfactual, the labelled changes and the shocks) and the list of
changes.
"""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.figure import Figure

from asmsim.present.dashboard import labels
from asmsim.present.dashboard.charts import CHARTS, LiveChart
from asmsim.present.dashboard.levers import override_text
from asmsim.present.dashboard.session import View

SUMMARY_SIZE, SUMMARY_DPI = (13.33, 7.5), 150  # a 16:9 slide, 2000 × 1125 pixels


def _tagged(table: pd.DataFrame, run: str, scenario: str) -> pd.DataFrame:
    frame = table.reset_index().rename(columns={"index": "month"})
    return frame.assign(run=run, scenario=scenario)[["run", "scenario", *frame.columns]]


def run_csv(view: View) -> bytes:
    """The monthly outputs of the run shown and of its counterfactual, as CSV."""
    settings = view.controls.settings
    frames = [_tagged(view.table, "shown", settings.scenario)]
    if view.twin is not None:
        frames.append(_tagged(view.twin, "comparison", settings.compare))
    return pd.concat(frames, ignore_index=True).to_csv(index=False).encode("utf-8")


def lever_log_csv(view: View, t) -> bytes:
    """Every policy change so far: month, key, lever (in the page's language), before, after."""
    rows = [{"month": e.month, "key": e.key, "lever": labels.short_name(e.key, t),
             "before": override_text(e.before), "after": override_text(e.after),
             "change": labels.event_label(e, t)} for e in view.controls.events]
    columns = ["month", "key", "lever", "before", "after", "change"]
    return pd.DataFrame(rows, columns=columns).to_csv(index=False).encode("utf-8")


def _summary_text(view: View, t) -> str:
    """The changes and shocks, one per line, for the summary's last panel."""
    controls = view.controls
    lines = [t("summary_changes") + ":"]
    lines += [t("change_item", month=e.month, change=labels.event_label(e, t))
              for e in controls.events] or [t("no_changes")]
    if controls.shocks:
        lines += ["", t("summary_shocks") + ":"]
        lines += [t("shock_item", start=b.month, end=b.month + b.duration,
                    shock=labels.shock_label(b, t)) for b in controls.shocks]
    return "\n".join(lines)


def _key(marks, t) -> str:
    """What the charts' marks mean, in one line under them."""
    parts = [t("legend_twin", name=marks.twin)] if marks.twin else []
    return "\n".join([*parts, f"- - - {t('policy_change')}", f"▒ {t('legend_shock')}",
                      f"x: {t('axis.month')}"])


def summary_png(view: View, t) -> bytes:
    """The one-page summary of the run as it is now, as PNG."""
    fig = Figure(figsize=SUMMARY_SIZE, dpi=SUMMARY_DPI)
    fig.text(0.02, 0.965, f"{labels.run_title(view.controls, t)} — {labels.month_text(view, t)}",
             fontsize=18, fontweight="bold", va="top")
    for i, (label, figure, versus) in enumerate(labels.headline_texts(view, t)):
        x = 0.02 + 0.245 * i
        fig.text(x, 0.895, label, fontsize=12, va="top")
        fig.text(x, 0.86, figure, fontsize=24, fontweight="bold", va="top")
        fig.text(x, 0.79, versus, fontsize=12, va="top")
    marks = labels.chart_marks(view.controls, t)
    for i, chart in enumerate(CHARTS):
        ax = fig.add_axes((0.05 + 0.33 * (i % 3), 0.45 - 0.36 * (i // 3), 0.27, 0.25))
        LiveChart(chart, framed=True, ax=ax).update(view.table, view.twin, marks, t, view.months)
    fig.text(0.71, 0.33, _summary_text(view, t), fontsize=11, va="top", wrap=True)
    fig.text(0.71, 0.05, _key(marks, t), fontsize=10, color="#333333", wrap=True)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=SUMMARY_DPI)
    return out.getvalue()
