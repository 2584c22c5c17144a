"""The parameter table of ``docs/parameters.md``, rendered from the schema's metadata.

Every key's meaning, unit, default, range and source live in the field
metadata of :mod:`asmsim.config.schema` (see :func:`asmsim.config.params.param`).
This module renders them as Markdown, grouped by section, and lists which
scenario presets and policy options change which keys. ``tests/test_docs.py``
checks that the generated section of ``docs/parameters.md`` equals
:func:`parameter_table_markdown`, so the documentation cannot drift from the
code. Regenerate it with::

    python -m asmsim.config.doc_table
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

from asmsim.config.params import ASSUMPTION, CALIBRATED, iter_params
from asmsim.config.schema import Config, ScheduledChange, Shock

BEGIN = "<!-- BEGIN GENERATED -->"
END = "<!-- END GENERATED -->"
ROOT = Path(__file__).resolve().parents[2]
DOC_PATH = ROOT / "docs" / "parameters.md"
CONFIGS = ROOT / "configs"

#: (heading, dotted-key prefix) in the order they appear; a key belongs to the
#: first section whose prefix matches it most specifically (see _section_of).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("Run (top-level keys)", ""),
    ("Context (`context.*`, not policy)", "context."),
    ("Price path (`context.price.*`)", "context.price."),
    ("Government budget (`policy.budget_constrained`, `policy.budget.*`)", "policy.budget"),
    ("Legal policy (`policy.legal.*`)", "policy.legal."),
    ("Market policy (`policy.market.*`)", "policy.market."),
    ("Official buying programme (`policy.market.official_buyer.*`)",
     "policy.market.official_buyer."),
    ("Social policy (`policy.social.*`)", "policy.social."),
    ("Finance policy (`policy.finance.*`)", "policy.finance."),
    ("Microfinance (`policy.finance.microfinance.*`)", "policy.finance.microfinance."),
    ("State fund (`policy.finance.state_fund.*`)", "policy.finance.state_fund."),
)

HEADER = "| key | meaning | unit | default | range (or allowed values) | source |\n" \
         "|---|---|---|---|---|---|"


def _section_of(key: str) -> str:
    """The most specific section prefix of ``key``."""
    best = ""
    for _, prefix in SECTIONS:
        if prefix and key.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return best


def _is_setting(key: str) -> bool:
    """Run settings and list-valued inputs: not model parameters, so no source applies."""
    return "." not in key or key == "context.shocks"


def _cell(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _number(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _default(value: Any) -> str:
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, (int, float)):
        return f"`{_number(value)}`"
    if isinstance(value, list):
        if not value:
            return "`[]`"
        if all(dataclasses.is_dataclass(v) for v in value):
            return f"{len(value)} entries"
        return "`[" + ", ".join(str(v) for v in value) + "]`"
    if value == "":
        return '`""` (empty)'
    return f"`{_cell(value)}`"


def _range(f: dataclasses.Field, value: Any) -> str:
    meta = f.metadata
    choices = meta.get("choices")
    if choices:
        words = ", ".join(f"`{c}`" for c in choices)
        return f"list of: {words}" if isinstance(value, list) else f"one of {words}"
    if isinstance(value, bool):
        return "`true` / `false`"
    return _bounds(meta.get("lo"), meta.get("hi")) + _policy_range(meta.get("policy_range"))


def _bounds(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"[{_number(lo)}, {_number(hi)}]"
    if lo is not None:
        return f"≥ {_number(lo)}"
    if hi is not None:
        return f"≤ {_number(hi)}"
    return "—"


def _policy_range(span: tuple[float, float] | None) -> str:
    """The policy-relevant range (the dashboard's slider), if the key has one."""
    return "" if span is None else f"; policy range {_number(span[0])}–{_number(span[1])}"


def _source(f: dataclasses.Field, setting: bool = False) -> str:
    if setting:
        return "— (setting)"
    source = f.metadata.get("source", ASSUMPTION)
    if source == ASSUMPTION:
        return "**assumption**"
    if source in ("-", "", None):
        return "—"
    return _cell(source)


def _row(key: str, f: dataclasses.Field, value: Any, setting: bool = False) -> str:
    meta = f.metadata
    unit = meta.get("unit", "-")
    unit = "—" if unit in ("-", "", None) else _cell(unit)
    return (f"| `{key}` | {_cell(meta.get('doc', ''))} | {unit} | {_default(value)} | "
            f"{_range(f, value)} | {_source(f, setting)} |")


def _entry_table(prefix: str, cls: type) -> list[str]:
    """Rows for the fields of a list entry (a shock or a scheduled change)."""
    return [_row(f"{prefix}{key}", f, value, setting=True) for key, f, value in iter_params(cls())]


def parameter_table_markdown() -> str:
    """The parameter table (Markdown), grouped by section, plus the presets' changes."""
    rows: dict[str, list[str]] = {prefix: [] for _, prefix in SECTIONS}
    n_total = n_assumed = n_calibrated = 0
    for key, f, value in iter_params(Config()):
        setting = _is_setting(key)
        rows[_section_of(key)].append(_row(key, f, value, setting))
        if not setting:
            n_total += 1
            n_assumed += f.metadata.get("source", ASSUMPTION) == ASSUMPTION
            n_calibrated += f.metadata.get("source", "").startswith(CALIBRATED)
    lines: list[str] = [
        (f"{n_total} model parameters (context and policy keys), of which {n_assumed} are "
        f"marked **assumption** (no sourced value yet) and {n_calibrated} are calibrated to "
        "the field (the median of the shipped ABC-SMC posterior, docs/calibration.md). Run "
        "settings (top-level keys, list entries) are not model parameters and carry no "
        "source."),
        "",
    ]
    for heading, prefix in SECTIONS:
        lines += [f"### {heading}", "", HEADER, *rows[prefix], ""]
    lines += ["### Shock entries (`context.shocks[]`)", "",
              "Each entry of the `context.shocks` list has these keys.", "", HEADER,
              *_entry_table("context.shocks[].", Shock), ""]
    lines += ["### Scheduled changes (`policy_schedule[]`)", "",
              ("Each entry of the `policy_schedule` list sets one dotted key at a month; the "
              "value is validated like any other value of that key."), "", HEADER,
              *_entry_table("policy_schedule[].", ScheduledChange), ""]
    lines += preset_changes_markdown()
    return "\n".join(lines).rstrip() + "\n"


# ----------------------------------------------------------------- presets
def _flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, dict) and v:
                out.update(_flatten(v, f"{prefix}{k}."))
            else:
                out[f"{prefix}{k}"] = v
    return out


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if all(isinstance(v, dict) for v in value):
            return "; ".join("{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
                             for d in value)
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _changes(flat: dict[str, Any]) -> str:
    if not flat:
        return "— (embedded defaults)"
    return "; ".join(f"`{k}={_value_text(v)}`" for k, v in flat.items())


def _option_changes(group: str, option: str) -> dict[str, Any]:
    """Keys a policy or context option file changes, with their full dotted prefix."""
    path = CONFIGS / group / f"{option}.yaml"
    prefix = group.replace("/", ".") + "."
    return {f"{prefix}{k}": v for k, v in _flatten(_load(path)).items()}


def preset_changes_markdown() -> list[str]:
    """Lines listing which keys each policy option and scenario preset changes."""
    lines = ["## What the presets change", "",
             ("Policy options (`configs/policy/<group>/<option>.yaml`) and context options "
             "(`configs/context/<option>.yaml`) set these keys (all other keys keep the defaults above):"), "",
             "| option | keys set |", "|---|---|"]
    for group_dir in sorted([*(CONFIGS / "policy").iterdir(), CONFIGS / "context"]):
        if not group_dir.is_dir():
            continue
        group = group_dir.relative_to(CONFIGS).as_posix()
        for path in sorted(group_dir.glob("*.yaml")):
            flat = _option_changes(group, path.stem)
            lines.append(f"| `{group}: {path.stem}` | {_changes(flat)} |")
    lines += ["", ("Scenario presets (`configs/scenario/<name>.yaml`, selected with "
              "`scenario=<name>`) select options and set keys; the right column is "
              "every key they set, through their options or directly (later entries win):"), "",
              "| scenario | options selected | keys set |", "|---|---|---|"]
    for path in sorted((CONFIGS / "scenario").glob("*.yaml")):
        data = _load(path)
        flat: dict[str, Any] = {}
        options = []
        for entry in data.get("defaults", []) or []:
            if isinstance(entry, dict):
                for k, v in entry.items():
                    group = k.replace("override", "").strip().strip("/")
                    options.append(f"`{group}: {v}`")
                    flat.update(_option_changes(group, v))
        own = {k: v for k, v in _flatten(data).items()
               if k not in ("defaults", "scenario_name", "description")}
        flat.update(own)
        lines.append(f"| `{path.stem}` | {', '.join(options) or '—'} | {_changes(flat)} |")
    lines.append("")
    return lines


# ------------------------------------------------------------------ rewrite
def generated_section(text: str) -> str:
    """The text between the BEGIN/END markers of ``text`` (without the marker lines)."""
    start = text.index(BEGIN) + len(BEGIN)
    stop = text.index(END)
    return text[start:stop].strip("\n") + "\n"


def rewrite(path: Path = DOC_PATH) -> bool:
    """Rewrite the generated section of ``path`` in place; return True if it changed."""
    text = path.read_text(encoding="utf-8")
    start = text.index(BEGIN) + len(BEGIN)
    stop = text.index(END)
    new = text[:start] + "\n" + parameter_table_markdown() + text[stop:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main() -> None:
    changed = rewrite()
    print(f"{DOC_PATH.relative_to(ROOT)}: {'rewritten' if changed else 'already up to date'}")


if __name__ == "__main__":
    main()
