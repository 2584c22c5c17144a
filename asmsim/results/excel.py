"""``comparison.xlsx``: the comparison's tables as one workbook (openpyxl), written atomically.

One sheet per table, a bold frozen header row whose labels carry the unit where the
column has one, numbers as numbers (not text), columns sized to their content.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from asmsim.results.atomic import atomic_path

MAX_WIDTH = 60


def cell_value(value):
    """A table value as openpyxl stores it: numpy scalars as Python ones, NaN as empty."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame],
                   units: Mapping[str, Mapping[str, str]] | None = None) -> Path:
    """Write ``sheets`` (sheet name → table) to ``path``; ``units[sheet][column]`` is added
    to that column's header as ``column [unit]``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        labels = [f"{c} [{units[name][c]}]" if units and c in units.get(name, {}) else str(c)
                  for c in frame.columns]
        sheet.append(labels)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            sheet.append([cell_value(v) for v in row])
        sheet.freeze_panes = "A2"
        for i, label in enumerate(labels, start=1):
            longest = max([len(label), *(len(str(v)) for v in frame.iloc[:200, i - 1])])
            sheet.column_dimensions[get_column_letter(i)].width = min(longest + 2, MAX_WIDTH)
    with atomic_path(Path(path)) as temporary:
        book.save(temporary)
    return Path(path)
