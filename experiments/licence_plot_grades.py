"""Diagnostic (docs/validation.md, cheap licence): the grade of the plot a new licensee is
granted against the grade of the plot it valued when it applied (``licence_cell``), both
at the month of the grant, at the default licence fee and at 300 USD; 3 seeds, 1,500
miners x 96 months. Run: ``python experiments/licence_plot_grades.py`` (about a minute).
"""

from __future__ import annotations

import numpy as np

from asmsim.config import load_config
from asmsim.model import ASMModel
from asmsim.model.enums import Legal
from asmsim.run.api import replicate_seeds

MINERS, MONTHS, SEEDS = 1_500, 96, 3


def grant_gaps(extra: list[str], seed: int) -> tuple[np.ndarray, int]:
    """Grade got minus grade valued (g/t) of each new licensee granted another plot than
    the one it valued, and how many were granted the plot they valued (or their own)."""
    model = ASMModel(load_config([f"miners={MINERS}", f"months={MONTHS}", *extra]), seed=seed)
    gaps, as_valued = [], 0
    for _ in range(MONTHS):
        m = model.miners
        waiting = m.active & (m.legal == Legal.APPLICANT.value)
        valued_cell = dict(zip(m.uid[waiting], m.licence_cell[waiting], strict=True))
        model._simulate_month()
        m, grade = model.miners, model.sites.grade()
        granted = np.flatnonzero(m.active & (m.legal == Legal.LICENSED.value)
                                 & np.isin(m.uid, list(valued_cell)))
        for row in granted:
            cell = valued_cell[m.uid[row]]
            if cell >= 0 and cell != m.site[row]:
                gaps.append(grade[m.site[row]] - grade[cell])
            else:
                as_valued += 1
    return np.array(gaps), as_valued


def main() -> None:
    for extra in ([], ["policy.legal.licence_fee_usd=300"]):
        runs = [grant_gaps(extra, seed) for seed in replicate_seeds(2024, SEEDS)]
        gaps = np.concatenate([gap for gap, _ in runs])
        print(extra or ["default fee"], f"granted another plot than valued: {len(gaps)}, "
              f"as valued: {sum(n for _, n in runs)}; grade got - valued: mean "
              f"{gaps.mean():.3f} g/t, median {np.median(gaps):.3f} g/t")


if __name__ == "__main__":
    main()
