"""The documentation cannot drift from the code.

- ``docs/parameters.md``'s generated section equals the table rendered from the
  schema metadata (regenerate with ``python -m asmsim.config.doc_table``);
- every output column of ``asmsim.model.OUTPUTS`` is documented in
  ``docs/odd.md`` and in ``README.md``;
- every default ``docs/odd.md`` quotes as "`key` = value" is the schema's default, and
  defaults are quoted in no other form; derived numbers it quotes are recomputed;
- every submodel module (a ``SCHEDULE`` entry or a ``step(model)``) heads an ODD §7
  subsection, in schedule order, and every module a §7 heading names exists;
- ODD §7.16 lists exactly the numbers written in ``asmsim/model/*.py``.
"""

from __future__ import annotations

import ast
import math
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


# --------------------------------------------------------------------------- docs/odd.md
# The ODD quotes a default only as "`key` = value" (a number, true/false, a bare word or a
# [list]); every such quote is checked against the schema, so changing a default fails
# here until the ODD says so.
_NUMBER = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?"
_QUOTE = re.compile(rf"`([A-Za-z_][\w.]*)`\s*=\s*({_NUMBER}|\[[^\]`]*\]|[A-Za-z_]\w*)")
_STALE_STYLE = re.compile(
    rf"`([A-Za-z_][\w.]*)`\s*(?:\(\s*({_NUMBER})\s*[),;]|\s+({_NUMBER})(?![\w/.]))")


def _defaults(config: Config) -> dict:
    return {key: value for key, _, value in iter_params(config)}


def _quoted_value(token: str):
    if token.startswith("["):
        return [item.strip() for item in token[1:-1].split(",") if item.strip()]
    if token in ("true", "false"):
        return token == "true"
    if re.fullmatch(_NUMBER, token):
        return float(token.replace(",", ""))
    return token


def _same(quoted, default) -> bool:
    if isinstance(default, bool) or isinstance(quoted, bool):
        return isinstance(default, bool) and quoted is default
    if isinstance(default, (int, float)):
        return isinstance(quoted, float) and math.isclose(quoted, default, rel_tol=1e-12,
                                                          abs_tol=1e-15)
    if isinstance(default, list):
        return quoted == [str(item) for item in default]
    return quoted == default


def odd_default_mismatches(text: str, config: Config) -> tuple[list[str], int]:
    """(problems, number of quotes checked) for every "`key` = value" of ``text`` whose
    key is a config key (dotted keys must be config keys)."""
    defaults = _defaults(config)
    problems, checked = [], 0
    for match in _QUOTE.finditer(text):
        key, token = match.groups()
        if key not in defaults:
            if "." in key and key.split(".")[0] in ("context", "policy"):
                problems.append(f"`{key}` is not a config key (quoted as = {token})")
            continue
        checked += 1
        if not _same(_quoted_value(token), defaults[key]):
            problems.append(f"`{key}` = {token}, but the default is {defaults[key]!r}")
    return problems, checked


def _odd() -> str:
    return _read("docs/odd.md")


def _section(text: str, start: str, stop: str | None = None) -> str:
    body = text[text.index(start):]
    if stop is not None and stop in body:
        body = body[:body.index(stop)]
    return body


def test_odd_quotes_current_defaults():
    problems, checked = odd_default_mismatches(_odd(), Config())
    assert checked >= 150, f"only {checked} `key` = value quotes found: is the pattern broken?"
    assert not problems, "docs/odd.md quotes stale or unknown defaults:\n" + "\n".join(problems)


@pytest.mark.parametrize(("key", "value"), [
    ("policy.market.royalty_rate", 0.08),
    ("context.trader_credit_usd_per_1000_miners", 41000.0),
    ("context.warmup_months", 120),
    ("policy.budget_constrained", True),
    ("policy.budget.priority", ["enforcement", "licensing"]),
])
def test_a_changed_default_fails_the_odd_check(key, value):
    config = Config()
    *path, last = key.split(".")
    node = config
    for part in path:
        node = getattr(node, part)
    setattr(node, last, value)
    problems, _ = odd_default_mismatches(_odd(), config)
    assert any(f"`{key}`" in p for p in problems), f"a changed {key} went unnoticed"


def test_odd_quotes_defaults_only_as_key_equals_value():
    """"`key` (0.3)" or "`key` 0.3" would escape the check above."""
    keys = set(_defaults(Config()))
    stale = [m.group(0) for m in _STALE_STYLE.finditer(_odd()) if m.group(1) in keys]
    assert not stale, f"write these as `key` = value: {stale}"


def test_odd_derived_numbers_are_current():
    import numpy as np

    from asmsim.model import traders
    from asmsim.model.sites import grid_shape

    config, text = Config(), _odd()
    width, height, towns = grid_shape(config.context, config.miners)
    assert f"At the defaults this gives {width} × {height} sites and {towns} towns." in text
    ctx, market = config.context, config.policy.market
    _, share, _ = traders.arbitrage(ctx, market, market.border_interdiction_prob,
                                    np.array([ctx.smuggling_cost_share]),
                                    market.trader_inspection_prob)
    assert f"s = {share[0]:.2f} at the defaults" in text


def _submodel_headings() -> list[tuple[str, list[str]]]:
    """(number, modules named) of each ### heading of ODD §7."""
    section = _section(_odd(), "## 7. Submodels")
    return [(number, re.findall(r"`(\w+)\.py`", title))
            for number, title in re.findall(r"^### (7\.\d+) (.*)$", section, re.MULTILINE)]


def _scheduled_modules() -> list[str]:
    """Modules of asmsim/model owning a SCHEDULE entry or a step(model), in schedule order."""
    from asmsim.model.model import SCHEDULE

    order = []
    for submodel in SCHEDULE:
        name = submodel.__module__.rsplit(".", 1)[-1]
        if name not in order:
            order.append(name)
    for path in sorted((ROOT / "asmsim" / "model").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.FunctionDef) and node.name == "step"
               and [a.arg for a in node.args.args] == ["model"] for node in tree.body) \
                and path.stem not in order:
            order.append(path.stem)
    return order


def test_every_submodel_module_has_an_odd_section_in_schedule_order():
    headings = _submodel_headings()
    first = {}
    for index, (_, modules) in enumerate(headings):
        for module in modules:
            first.setdefault(module, index)
    modules = _scheduled_modules()
    missing = [m for m in modules if m not in first]
    assert not missing, f"ODD §7 has no subsection headed with module(s) {missing}"
    positions = [first[m] for m in modules]
    assert positions == sorted(positions), \
        f"ODD §7 subsections are not in schedule order: {modules} at {positions}"


def test_every_odd_submodel_section_names_existing_modules():
    for number, modules in _submodel_headings():
        if number in ("7.15", "7.16"):  # deviations, constants: about the whole model
            continue
        assert modules, f"ODD §{number} is not headed with its module"
        for module in modules:
            assert (ROOT / "asmsim" / "model" / f"{module}.py").exists(), \
                f"ODD §{number} names asmsim/model/{module}.py, which does not exist"


# Modules whose numbers are not model constants: enum codes, the doc generator's path depth.
_NOT_CONSTANTS = {"enums.py", "doc_outputs.py"}


def _code_numbers() -> tuple[set[tuple[str, float]], dict[tuple[str, str], object]]:
    """(module, value) of every numeric literal other than 0 and 1 in asmsim/model/*.py,
    and the module-level UPPER_CASE numeric constants by (module, name)."""
    import importlib

    literals, constants = set(), {}
    for path in sorted((ROOT / "asmsim" / "model").glob("*.py")):
        if path.name in _NOT_CONSTANTS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and type(node.value) in (int, float) \
                    and node.value not in (0, 1):
                literals.add((path.name, float(node.value)))
        module = importlib.import_module(f"asmsim.model.{path.stem}")
        for node in tree.body:
            target = node.targets[0] if isinstance(node, ast.Assign) else \
                node.target if isinstance(node, ast.AnnAssign) else None
            if isinstance(target, ast.Name) and target.id.isupper():
                value = getattr(module, target.id)
                literal = all(isinstance(n, (ast.Constant, ast.BinOp, ast.UnaryOp, ast.operator,
                                             ast.unaryop)) for n in ast.walk(node.value))
                if type(value) in (int, float) and literal:
                    constants[(path.name, target.id)] = value
    return literals, constants


def _listed_constants() -> list[tuple[str, list[str], str]]:
    """(name cell, value expressions, module) of each row of ODD §7.16's tables."""
    section = _section(_odd(), "### 7.16")
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or cells[0] in ("constant",) or set(cells[0]) <= set("-"):
            continue
        (module,) = re.findall(r"`(\w+\.py)`", cells[2])
        rows.append((cells[0], re.findall(r"`([^`]+)`", cells[1]), module))
    return rows


def test_hard_coded_constants_are_listed_in_the_odd():
    literals, constants = _code_numbers()
    listed = set()
    for name, expressions, module in _listed_constants():
        for expression in expressions:
            listed |= {(module, float(n.value)) for n in ast.walk(ast.parse(expression))
                       if isinstance(n, ast.Constant)}
            const = name.strip("`")
            if (module, const) in constants:
                value = eval(expression, {"__builtins__": {}}, {})  # our own table: numbers only
                assert value == constants[(module, const)], \
                    f"ODD §7.16 gives {const} = {expression}, the code {constants[(module, const)]}"
    unlisted = sorted(literals - listed)
    assert not unlisted, f"numbers in the code missing from ODD §7.16 (module, value): {unlisted}"
    stale = sorted(listed - literals)
    assert not stale, f"ODD §7.16 lists numbers no longer in the code (module, value): {stale}"
    names = {f"`{name}`" for _, name in constants}
    table = _section(_odd(), "### 7.16")
    missing = sorted(n for n in names if n not in table)
    assert not missing, f"module constants missing from ODD §7.16: {missing}"


def test_odd_section_numbers_in_the_code_are_current():
    """"(ODD 7.N)" in a model module's text, and the section number beside each SCHEDULE
    entry, point to a §7 subsection headed with that module."""
    from asmsim.model.model import SCHEDULE

    heads = {number: modules for number, modules in _submodel_headings()}
    wrong = []
    for path in sorted((ROOT / "asmsim" / "model").glob("*.py")):
        for reference in re.findall(r"\(ODD ([^)]*)\)", path.read_text(encoding="utf-8")):
            wrong += [(path.name, n) for n in re.findall(r"\b7\.\d+\b", reference)
                      if path.stem not in heads.get(n, [])]
    source = (ROOT / "asmsim" / "model" / "model.py").read_text(encoding="utf-8")
    entries = re.findall(r"^\s+(\w+)\.\w+,\s+#\s+(7\.\d+)\b", source, re.MULTILINE)
    assert len(entries) == len(SCHEDULE), "every SCHEDULE entry carries its ODD section"
    wrong += [(f"SCHEDULE {module}", n) for module, n in entries if module not in heads.get(n, [])]
    assert not wrong, f"ODD section numbers in the code that head another module: {wrong}"
