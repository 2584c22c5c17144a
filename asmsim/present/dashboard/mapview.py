"""The map of sites: cells by land status or cumulative mercury, miners by legal status.

Miners are not in a Mesa space; they are rows of numpy columns holding a site
(cell index ``y * width + x``), drawn as dots with a small fixed jitter so that
miners sharing a site stay visible.

:func:`map_data` copies what the map needs out of the model (under the page's
lock, see ``app.py``); a :class:`LiveMap` keeps one figure per page and layer
and only moves its data each month (``set_data`` on the cells, ``set_offsets``
and colours on the dots). The live view is a PNG (2,000 dots are a 200 kB SVG
that costs five times as much to write); its title and legend are page text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap, LogNorm
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from asmsim.present.dashboard.charts import to_png

LAND_NAMES = ("ASM_ZONE", "OPEN", "LSM_CONCESSION", "PROTECTED")  # LandStatus codes 0-3
LAND_COLOURS = ("#f3d27a", "#e8e4d8", "#b9b3c9", "#9cc79a")
LEGAL_NAMES = ("INFORMAL", "APPLICANT", "LICENSED")  # Legal codes 0-2
LEGAL_COLOURS = ("#d62728", "#ff7f0e", "#1f4e99")
LAYERS = ("land", "mercury")
LIVE_SIZE = (4.4, 4.4)  # inches; the live view has no legend below the grid
LIVE_DPI = 100  # 440 px: about the width the page gives the map
SAVED_SIZE = (5.0, 4.6)  # the PNG download carries its legend


@dataclass(frozen=True, eq=False)  # compared by identity (numpy arrays)
class MapData:
    """A copy of what the map shows: cell grids (height × width) and active miners' dots."""

    land: np.ndarray
    mercury: np.ndarray
    x: np.ndarray
    y: np.ndarray
    legal: np.ndarray


def _jitter(n: int) -> tuple[np.ndarray, np.ndarray]:
    """A fixed jitter per miner row in (-0.35, 0.35), the same every month."""
    rows = np.arange(n)
    return (((rows * 0.618034) % 1.0) - 0.5) * 0.7, (((rows * 0.414214) % 1.0) - 0.5) * 0.7


def map_data(model) -> MapData:
    """Copy the map's data out of ``model`` (cells and active miners)."""
    sites, miners = model.sites, model.miners
    w, h = sites.width, sites.height
    n = miners.n
    active = np.asarray(miners.active[:n], bool)
    site = np.asarray(miners.site[:n])[active]
    jx, jy = _jitter(n)
    return MapData(
        land=np.array(sites.land_status).reshape(h, w),
        mercury=np.array(sites.mercury_kg, float).reshape(h, w),
        x=site % w + jx[active],
        y=site // w + jy[active],
        legal=np.clip(np.asarray(miners.legal[:n])[active], 0, 2),
    )


def mercury_limits(grid: np.ndarray) -> tuple[float, float] | None:
    """The colour range of the mercury layer: whole powers of ten around the positive cells.

    Whole decades keep the colour bar (and its cost) the same for many months.
    """
    positive = grid[grid > 0]
    if not positive.size:
        return None
    low = max(float(positive.min()), 1e-6)
    high = max(float(positive.max()), low * 10)
    return 10.0 ** np.floor(np.log10(low)), 10.0 ** np.ceil(np.log10(high))


class LiveMap:
    """The map figure of one layer, kept between months; :meth:`update` moves its data.

    ``legend=True`` (the PNG download) adds a title and the legend of colours.
    Not thread-safe: one page component owns it and updates it while rendering.
    """

    def __init__(self, layer: str, *, legend: bool = False):
        if layer not in LAYERS:
            raise ValueError(f"layer={layer!r}; choose one of {', '.join(LAYERS)}")
        self.layer, self.legend = layer, legend
        self.fig = Figure(figsize=SAVED_SIZE if legend else LIVE_SIZE, dpi=LIVE_DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        if legend:
            box = (0.05, 0.16, 0.75, 0.76)
        else:  # room on the right for the mercury colour bar only
            box = (0.02, 0.02, 0.79 if layer == "mercury" else 0.96, 0.96)
        self.ax = self.fig.add_axes(box)  # fixed: layout engines cost ~100 ms
        self.ax.set_xticks([])
        self.ax.set_yticks([])
        self.cells = None
        self.dots = None
        self._texts_lang: str | None = None

    def _first(self, data: MapData) -> None:
        ax, blank = self.ax, np.zeros_like(data.land, dtype=float)
        if self.layer == "mercury":
            self.cells = ax.imshow(blank, origin="lower", cmap="Greys", norm=LogNorm(1e-6, 1e-5),
                                   interpolation="nearest")
            cax = self.fig.add_axes((0.84, 0.2, 0.03, 0.68) if self.legend
                                    else (0.84, 0.1, 0.03, 0.8))
            self.colorbar = self.fig.colorbar(self.cells, cax=cax)
            self.colorbar.ax.tick_params(labelsize=7)
            self.colorbar.minorticks_off()  # 48 minor ticks cost more than the map
        else:
            self.cells = ax.imshow(blank, origin="lower", cmap=ListedColormap(LAND_COLOURS),
                                   vmin=-0.5, vmax=3.5, interpolation="nearest")
        self.dots = ax.scatter([], [], s=3, linewidths=0)

    def update(self, data: MapData, t) -> LiveMap:
        """Show ``data``; ``t`` translates the texts."""
        if self.cells is None:
            self._first(data)
        if self.layer == "mercury":
            grid = data.mercury
            self.cells.set_data(np.where(grid > 0, grid, np.nan))
            limits = mercury_limits(grid)
            if limits is not None and limits != self.cells.get_clim():
                self.cells.set_clim(*limits)
        else:
            self.cells.set_data(data.land)
        self.dots.set_offsets(np.column_stack([data.x, data.y]))
        self.dots.set_facecolors(np.asarray(LEGAL_COLOURS)[data.legal])
        self._set_texts(t)
        return self

    def _set_texts(self, t) -> None:
        if self._texts_lang == t.lang:
            return
        self._texts_lang = t.lang
        if self.layer == "mercury":
            self.colorbar.set_label(t("mercury_cells"), fontsize=8)
        if not self.legend:
            return
        self.ax.set_title(t("map_title"), fontsize=11)
        handles = [Patch(color=c, label=t(f"legal.{name}")) for name, c in
                   zip(LEGAL_NAMES, LEGAL_COLOURS, strict=True)]
        if self.layer == "land":
            handles += [Patch(color=c, label=t(f"land.{name}")) for name, c in
                        zip(LAND_NAMES, LAND_COLOURS, strict=True)]
        for old in self.fig.legends:
            old.remove()
        self.fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=7, frameon=False)

    def image(self) -> bytes:
        """The live view: PNG at the figure's resolution.

        Drawn on the figure's own canvas, whose renderer is kept, and encoded
        with light compression: a third of what ``savefig`` took.
        """
        self.canvas.draw()
        width, height = self.canvas.get_width_height()
        pixels = PIL.Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(),
                                      "raw", "RGBA", 0, 1).convert("RGB")
        out = io.BytesIO()
        pixels.save(out, format="png", compress_level=1)
        return out.getvalue()

    def png(self) -> bytes:
        """The map as PNG for slides (twice the chart resolution)."""
        return to_png(self.fig)


def map_png(data: MapData, layer: str, t) -> bytes:
    """A fresh map with its legend as PNG (the "Save as PNG" download)."""
    return LiveMap(layer, legend=True).update(data, t).png()
