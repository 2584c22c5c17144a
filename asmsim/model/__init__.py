"""The Mesa model of an ASM region: sites, miners (columns + handles), buyers, lenders, government.

Imports nothing from the runner, analysis or presentation layers; usable from a
notebook or EMA Workbench with no Hydra and no files::

    from asmsim.model import ASMModel
    table = ASMModel(seed=1).run(60)
"""

from asmsim.model.model import ASMModel
from asmsim.model.recorder import OUTPUTS

__all__ = ["OUTPUTS", "ASMModel"]
