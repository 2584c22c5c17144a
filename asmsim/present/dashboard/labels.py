"""Texts the page derives from the runs' state, in the page's language.

A lever change as the charts label it ("royalty 7 % → 3 %"), a shock's name
("gold price +60 %"), the counterfactual's name ("status quo"), a headline
figure with its comparison ("46 % (status quo 6 %)"). ``t`` is a translator
from :mod:`.i18n`; numbers are written as its language writes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from asmsim.present.dashboard import numbers
from asmsim.present.dashboard.charts import Marks
from asmsim.present.dashboard.i18n import has
from asmsim.present.dashboard.levers import lever
from asmsim.present.dashboard.session import Controls, Event, ShockBand, View

STATUS_QUO = "baseline"


def scenario_name(name: str, t) -> str:
    """A preset's name for the room (its file name if it has no translation)."""
    return t(f"scenario_name.{name}") if has(f"scenario_name.{name}") else name


def scenario_description(name: str, t) -> str:
    """A preset's description for the room ("" if it has none)."""
    return t(f"scenario_desc.{name}") if has(f"scenario_desc.{name}") else ""


def twin_name(compare: str, t) -> str:
    """What the faint lines are: "status quo", another preset's name, or "" for none."""
    if not compare:
        return ""
    return t("status_quo") if compare == STATUS_QUO else scenario_name(compare, t)


def value_text(key: str, value: Any, t) -> str:
    """A lever's value as the page writes it (``7 %``, ``on``); other keys as they are."""
    item = lever(key)
    if item is None:
        return str(value)
    return item.format(value, t.lang, t("on"), t("off"))


def short_name(key: str, t) -> str:
    """A key's short name for a chart label: "royalty"; a key off the page: its last part."""
    return t(f"short.{key}") if has(f"short.{key}") else key.rsplit(".", 1)[-1].replace("_", " ")


def event_label(event: Event, t) -> str:
    """``royalty 7 % → 3 %``; a switch: ``official buyer → on``."""
    name, after = short_name(event.key, t), value_text(event.key, event.after, t)
    if isinstance(event.after, bool):
        return f"{name} → {after}"
    return f"{name} {value_text(event.key, event.before, t)} → {after}"


def shock_label(band: ShockBand, t) -> str:
    """A shock's name: ``gold price +60 %``, ``market closure``, ``flood −30 %``."""
    size = numbers.FORMATS[t.lang].percent.format(numbers.smart(band.size * 100, t.lang))
    return t(f"shock.{band.kind}", size=size) if has(f"shock.{band.kind}") else band.kind


def chart_marks(controls: Controls, t) -> Marks:
    """What every chart marks: labelled lever changes (one label per month), named shocks."""
    by_month: dict[int, list[str]] = {}
    for event in controls.events:
        by_month.setdefault(event.month, []).append(event_label(event, t))
    return Marks(
        events=tuple((month, "\n".join(texts)) for month, texts in sorted(by_month.items())),
        bands=tuple((band.month, band.month + band.duration, shock_label(band, t))
                    for band in controls.shocks),
        twin=twin_name(controls.settings.compare, t),
    )


@dataclass(frozen=True)
class Headline:
    """One headline figure: its text key, output column, and how it is written."""

    key: str
    column: str
    percent: bool = False
    decimals: int = 0

    def text(self, table: pd.DataFrame | None, lang: str) -> str:
        """The figure of ``table``'s last month (``–`` if there is none)."""
        if table is None or self.column not in table.columns or not len(table):
            return "–"
        value = float(table[self.column].iloc[-1])
        if math.isnan(value):
            return "–"
        if self.percent:
            return numbers.percent(value, lang, self.decimals)
        return numbers.number(value, lang, self.decimals)


HEADLINES = (
    Headline("headline_licensed", "licensed_share", percent=True),
    Headline("headline_official", "official_sales_share", percent=True),
    Headline("headline_income", "income_mean_usd"),
    Headline("headline_mercury", "mercury_kg", decimals=2),
)


def headline_texts(view: View, t) -> list[tuple[str, str, str]]:
    """Each headline figure as (label, figure, comparison): ``(status quo 6 %)``, or ""."""
    twin = twin_name(view.controls.settings.compare, t)
    out = []
    for item in HEADLINES:
        versus = t("versus", name=twin, value=item.text(view.twin, t.lang)) if twin else ""
        out.append((t(item.key), item.text(view.table, t.lang), versus))
    return out


def run_title(controls: Controls, t) -> str:
    """``All four reforms compared with status quo`` (or the scenario's name alone)."""
    settings = controls.settings
    name, twin = scenario_name(settings.scenario, t), twin_name(settings.compare, t)
    return t("versus_title", scenario=name, twin=twin) if twin else name


def month_text(view: View, t) -> str:
    """``Month 14 of 120``."""
    return t("month_of", month=view.month, months=view.months)
