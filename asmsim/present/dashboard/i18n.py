"""Labels of the dashboard in English, French and Spanish.

All texts live in ``asmsim/present/i18n/{en,fr,es}.json`` (one key per text);
this module only loads them and fills ``{placeholders}``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LANGS = ("en", "fr", "es")
LANG_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
DEFAULT_LANG = "en"
_FOLDER = Path(__file__).resolve().parents[1] / "i18n"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every text of language ``lang`` (a ValueError names the allowed ones)."""
    if lang not in LANGS:
        raise ValueError(f"lang={lang!r} is not available; choose one of {', '.join(LANGS)}")
    return json.loads((_FOLDER / f"{lang}.json").read_text(encoding="utf-8"))


def has(key: str) -> bool:
    """Whether ``key`` is a text of the page."""
    return key in catalogue(DEFAULT_LANG)


def translate(lang: str, key: str, **values: object) -> str:
    """The text ``key`` in ``lang`` with ``{placeholders}`` filled; English if missing."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANG)[key]
    return text.format(**values) if values else text


class translator:  # used like a function: t = translator("fr"); t("title")
    """``t(key, **values)`` bound to one language; equal when the language is.

    Components receive ``t`` as a prop; equality by language makes Solara
    redraw them when (and only when) the language changes.
    """

    def __init__(self, lang: str):
        catalogue(lang)  # refuse an unknown language now
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        return translate(self.lang, key, **values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, translator) and other.lang == self.lang

    def __hash__(self) -> int:
        return hash(self.lang)
