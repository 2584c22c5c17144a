"""The page's state in its address: ``?lang=fr&scenario=integrated&month=14&levers=…``.

A reload, or the address sent on, opens the same session: the language,
presentation mode, the run's settings (scenario, comparison, seed, miners,
months), the lever changes made on the page and the month shown. The run is
rebuilt by replaying those changes from month 0 with the same seed: the model
is deterministic, so it is the same run.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from asmsim.present.dashboard.i18n import LANGS
from asmsim.present.dashboard.session import Settings


@dataclass(frozen=True)
class PageState:
    """What the address keeps."""

    settings: Settings
    log: tuple[tuple[int, str, str], ...] = ()  # (month, key, value as text)
    month: int = 0
    lang: str = "en"
    presenting: bool = False


def encode(state: PageState) -> str:
    """The query string of ``state``."""
    settings = state.settings
    fields = {"lang": state.lang, "scenario": settings.scenario, "compare": settings.compare,
              "seed": settings.seed, "miners": settings.miners or "",
              "months": settings.months or "", "month": state.month,
              "levers": ";".join(f"{m}:{key}={value}" for m, key, value in state.log),
              "present": "1" if state.presenting else ""}
    return urlencode({k: v for k, v in fields.items() if v != ""})


def _change(text: str) -> tuple[int, str, str]:
    month, _, rest = text.partition(":")
    key, _, value = rest.partition("=")
    if not key or not value:
        raise ValueError(f"lever change {text!r} is not MONTH:KEY=VALUE")
    return int(month), key, value


def decode(query: str) -> PageState | None:
    """The state in ``query`` (None if it holds none); ValueError if it is malformed."""
    fields = {k: v[-1] for k, v in parse_qs(query).items()}
    if "scenario" not in fields:
        return None
    settings = Settings(scenario=fields["scenario"], compare=fields.get("compare", ""),
                        seed=int(fields.get("seed", 0)),
                        miners=int(fields["miners"]) if fields.get("miners") else None,
                        months=int(fields["months"]) if fields.get("months") else None)
    lang = fields.get("lang", "en")
    log = tuple(_change(text) for text in fields.get("levers", "").split(";") if text)
    return PageState(settings=settings, log=log, month=int(fields.get("month", 0)),
                     lang=lang if lang in LANGS else "en", presenting=fields.get("present") == "1")
