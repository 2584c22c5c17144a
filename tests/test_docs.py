"""The documentation cannot drift from the code.

- ``docs/parameters.md``'s generated section equals the table rendered from the
  schema metadata (regenerate with ``python -m asmsim.config.doc_table``);
- every output column of ``asmsim.model.OUTPUTS`` is documented in
  ``docs/odd.md`` and in ``README.md``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from asmsim.config.doc_table import BEGIN, END, generated_section, parameter_table_markdown
from asmsim.config.params import ASSUMPTION, iter_params
from asmsim.config.schema import Config
from asmsim.model import OUTPUTS

ROOT = Path(__file__).resolve().parents[1]
REGENERATE = "run `python -m asmsim.config.doc_table` to regenerate docs/parameters.md"


def _read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_parameter_table_is_current():
    text = _read("docs/parameters.md")
    assert BEGIN in text and END in text, f"docs/parameters.md lost its markers; {REGENERATE}"
    assert generated_section(text) == parameter_table_markdown(), \
        f"docs/parameters.md is out of date with asmsim/config/schema.py; {REGENERATE}"


def test_every_key_is_in_the_table():
    table = parameter_table_markdown()
    missing = [key for key, _, _ in iter_params(Config()) if f"`{key}`" not in table]
    assert not missing, f"keys missing from the parameter table: {missing}"


def test_assumptions_are_marked():
    table = parameter_table_markdown()
    for key, f, _ in iter_params(Config()):
        if "." in key and key != "context.shocks" \
                and f.metadata.get("source", ASSUMPTION) == ASSUMPTION:
            row = next(line for line in table.splitlines() if line.startswith(f"| `{key}` |"))
            assert row.endswith("| **assumption** |"), row


def test_odd_output_table_is_current():
    from asmsim.model.doc_outputs import generated_outputs, outputs_markdown

    assert generated_outputs(_read("docs/odd.md")) == outputs_markdown(), \
        "docs/odd.md's output table is stale; run `python -m asmsim.model.doc_outputs`"


@pytest.mark.parametrize("doc", ["docs/odd.md", "README.md"])
def test_every_output_column_is_documented(doc):
    text = _read(doc)
    missing = [name for name in OUTPUTS if not re.search(rf"`{re.escape(name)}`", text)]
    assert not missing, f"{doc} does not mention output columns {missing} (as `name`)"
