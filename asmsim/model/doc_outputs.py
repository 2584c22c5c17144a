"""The output-column table of ``docs/odd.md`` (7.14), rendered from :data:`OUTPUTS`.

``tests/test_docs.py`` checks that the generated section equals
:func:`outputs_markdown`, so the ODD cannot drift from the recorder. Regenerate with::

    python -m asmsim.model.doc_outputs
"""

from __future__ import annotations

from pathlib import Path

from asmsim.model.recorder import OUTPUTS

BEGIN = "<!-- BEGIN GENERATED OUTPUTS -->"
END = "<!-- END GENERATED OUTPUTS -->"
ODD_PATH = Path(__file__).resolve().parents[2] / "docs" / "odd.md"


def outputs_markdown() -> str:
    """One row per output column: name, meaning, unit."""
    rows = ["| column | meaning | unit |", "|---|---|---|"]
    rows += [f"| `{name}` | {meaning} | {unit} |" for name, (unit, meaning) in OUTPUTS.items()]
    return "\n".join(rows) + "\n"


def generated_outputs(text: str) -> str:
    """The text between the output markers of ``text``."""
    return text[text.index(BEGIN) + len(BEGIN):text.index(END)].strip("\n") + "\n"


def rewrite(path: Path = ODD_PATH) -> bool:
    """Rewrite the generated output table of ``path`` in place; return True if it changed."""
    text = path.read_text(encoding="utf-8")
    start, stop = text.index(BEGIN) + len(BEGIN), text.index(END)
    new = text[:start] + "\n" + outputs_markdown() + text[stop:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    print(f"docs/odd.md outputs: {'rewritten' if rewrite() else 'already up to date'}")
