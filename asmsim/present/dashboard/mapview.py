"""The map of sites: cells by land status or cumulative mercury, miners by legal status.

Miners are not in a Mesa space; they are rows of numpy columns holding a site
(cell index ``y * width + x``), drawn as dots with a small fixed jitter so that
miners sharing a site stay visible.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap, LogNorm
from matplotlib.figure import Figure
from matplotlib.patches import Patch

LAND_NAMES = ("ASM_ZONE", "OPEN", "LSM_CONCESSION", "PROTECTED")  # LandStatus codes 0-3
LAND_COLOURS = ("#f3d27a", "#e8e4d8", "#b9b3c9", "#9cc79a")
LEGAL_NAMES = ("INFORMAL", "APPLICANT", "LICENSED")  # Legal codes 0-2
LEGAL_COLOURS = ("#d62728", "#ff7f0e", "#1f4e99")
LAYERS = ("land", "mercury")


def _jitter(n: int) -> tuple[np.ndarray, np.ndarray]:
    """A fixed jitter per miner row in (-0.35, 0.35), the same every month."""
    rows = np.arange(n)
    return (((rows * 0.618034) % 1.0) - 0.5) * 0.7, (((rows * 0.414214) % 1.0) - 0.5) * 0.7


def draw_map(model, layer: str, t, *, legend: bool = True) -> Figure:
    """The map figure for ``model``; ``layer`` is ``land`` or ``mercury``.

    ``legend=False`` (the live view, which shows the legend as page text) saves
    about a third of the drawing time.
    """
    sites, miners = model.sites, model.miners
    w, h = sites.width, sites.height
    fig = Figure(figsize=(5.0, 4.6))
    ax = fig.add_axes((0.05, 0.16, 0.75, 0.76))  # fixed: layout engines cost ~100 ms
    if layer == "mercury":
        grid = np.asarray(sites.mercury_kg, float).reshape(h, w)
        positive = grid[grid > 0]
        norm = LogNorm(vmin=max(positive.min(), 1e-6), vmax=max(positive.max(), 1e-5)) \
            if positive.size else None
        image = ax.imshow(np.where(grid > 0, grid, np.nan), origin="lower", cmap="Greys",
                          norm=norm, interpolation="nearest")
        fig.colorbar(image, cax=fig.add_axes((0.83, 0.2, 0.03, 0.68)), label=t("mercury_cells"))
    else:
        grid = np.asarray(sites.land_status).reshape(h, w)
        ax.imshow(grid, origin="lower", cmap=ListedColormap(LAND_COLOURS), vmin=-0.5,
                  vmax=3.5, interpolation="nearest")
    n = miners.n
    active = np.asarray(miners.active[:n], bool)
    site = np.asarray(miners.site[:n])[active]
    legal = np.asarray(miners.legal[:n])[active]
    jx, jy = _jitter(n)
    x, y = site % w + jx[active], site // w + jy[active]
    colours = np.asarray(LEGAL_COLOURS)[np.clip(legal, 0, 2)]
    ax.scatter(x, y, s=3, c=colours, linewidths=0)
    ax.set_xticks([])
    ax.set_yticks([])
    if not legend:
        return fig
    ax.set_title(t("map_title"), fontsize=11)
    handles = [Patch(color=c, label=t(f"legal.{name}")) for name, c in
               zip(LEGAL_NAMES, LEGAL_COLOURS, strict=True)]
    if layer == "land":
        handles += [Patch(color=c, label=t(f"land.{name}")) for name, c in
                    zip(LAND_NAMES, LAND_COLOURS, strict=True)]
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=7, frameon=False)
    return fig
