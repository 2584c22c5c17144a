"""The layers of docs/architecture: a lower layer never imports a higher one.

``config → model → run → results → analysis → present → workflows → cli``:
every ``import`` of every module under ``asmsim/`` (at the top or inside a
function, absolute or relative) is checked against the layers it must not
reach.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "asmsim"

#: package → the packages it must not import (directly, by any form of import)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    **{low: ("asmsim.present", "asmsim.workflows", "asmsim.cli")
       for low in ("config", "model", "run", "results", "analysis")},
    "present": ("asmsim.workflows", "asmsim.cli"),
    "workflows": ("asmsim.cli",),
}


def module_name(path: Path) -> str:
    """``asmsim/results/run_folder.py`` → ``asmsim.results.run_folder``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``path``, nested ones included.

    ``from X import y`` yields both ``X`` and ``X.y`` (``y`` may be a module).
    """
    package = module_name(path) if path.name == "__init__.py" else \
        module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def violations(layer: str) -> list[str]:
    """``file:line imports name`` for every forbidden import made by ``layer``."""
    forbidden = FORBIDDEN[layer]
    bad = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for line, name in imported_names(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    return sorted(set(bad))


@pytest.mark.parametrize("layer", list(FORBIDDEN))
def test_layer_imports_only_lower_layers(layer):
    assert (PACKAGE / layer).is_dir(), layer
    assert not violations(layer), "\n".join(violations(layer))


def test_relative_and_nested_imports_are_resolved(tmp_path, monkeypatch):
    """The checker sees ``from ..present import x`` inside a function."""
    package = tmp_path / "asmsim"
    (package / "analysis").mkdir(parents=True)
    (package / "analysis" / "m.py").write_text("def f():\n    from ..present import plots\n")
    monkeypatch.setitem(globals(), "PACKAGE", package)
    assert violations("analysis") == ["asmsim/analysis/m.py:2 imports asmsim.present",
                                      "asmsim/analysis/m.py:2 imports asmsim.present.plots"]
