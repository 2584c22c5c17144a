"""The map of sites: cells by land status or cumulative mercury, miners, towns and buying points.

Miners are not in a Mesa space; they are rows of numpy columns holding a site
(cell index ``y * width + x``), drawn as dots with a small fixed jitter so that
miners sharing a site stay visible. Towns are white squares, official buying
points (when the programme runs) gold diamonds.

:func:`map_data` copies what the map needs out of the model (under the run's
lock, see ``session.py``); a :class:`LiveMap` keeps one figure per page and layer
and only moves its data each month (``set_data`` on the cells, ``set_offsets``
and colours on the dots). The live view is a PNG of the grid alone, edge to
edge (so a click's place on the image is a cell, see :func:`cell_at`); its
title and legend are page text. :func:`cell_state` is what a click shows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap, LogNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from asmsim.present.dashboard.charts import to_png

LAND_NAMES = ("ASM_ZONE", "OPEN", "LSM_CONCESSION", "PROTECTED")  # LandStatus codes 0-3
LAND_COLOURS = ("#f3d27a", "#e8e4d8", "#b9b3c9", "#9cc79a")
LEGAL_NAMES = ("INFORMAL", "APPLICANT", "LICENSED")  # Legal codes 0-2
LEGAL_COLOURS = ("#d62728", "#ff7f0e", "#1f4e99")
TOWN_STYLE = {"marker": "s", "s": 70, "facecolor": "white", "edgecolor": "#111111",
              "linewidths": 1.6}
POINT_STYLE = {"marker": "D", "s": 60, "facecolor": "#e0a800", "edgecolor": "#111111",
               "linewidths": 1.4}
MERCURY_CMAP = "Greys"
LAYERS = ("land", "mercury")
LIVE_SIZE = (4.0, 4.0)  # inches: the grid alone
LIVE_DPI = 100
SAVED_SIZE = (5.0, 5.4)  # the PNG download carries its title and legend


@dataclass(frozen=True, eq=False)  # compared by identity (numpy arrays)
class MapData:
    """A copy of what the map shows: cell grids (height × width), active miners, places."""

    land: np.ndarray
    mercury: np.ndarray
    ore_left: np.ndarray  # share of each site's ore still in the ground
    x: np.ndarray
    y: np.ndarray
    cell: np.ndarray  # each dot's site index
    legal: np.ndarray
    towns: np.ndarray  # site indices
    buying_points: np.ndarray  # site indices (none while the programme is off)

    @property
    def width(self) -> int:
        """Cells across."""
        return int(self.land.shape[1])

    @property
    def height(self) -> int:
        """Cells down."""
        return int(self.land.shape[0])


def _jitter(n: int) -> tuple[np.ndarray, np.ndarray]:
    """A fixed jitter per miner row in (-0.35, 0.35), the same every month."""
    rows = np.arange(n)
    return (((rows * 0.618034) % 1.0) - 0.5) * 0.7, (((rows * 0.414214) % 1.0) - 0.5) * 0.7


def _buying_points(model) -> np.ndarray:
    """The official buying points open to sellers: the sites at distance 0 from one."""
    if not model.config.policy.market.official_buyer.enabled:
        return np.empty(0, dtype=int)
    return np.flatnonzero(np.asarray(model.sites.dist_buying_point) == 0)


def map_data(model) -> MapData:
    """Copy the map's data out of ``model`` (cells, active miners, towns, buying points)."""
    sites, miners = model.sites, model.miners
    w, h = sites.width, sites.height
    n = miners.n
    active = np.asarray(miners.active[:n], bool)
    site = np.asarray(miners.site[:n])[active]
    jx, jy = _jitter(n)
    ore = np.asarray(sites.ore_t, float) / np.maximum(np.asarray(sites.ore_initial, float), 1e-9)
    return MapData(
        land=np.array(sites.land_status).reshape(h, w),
        mercury=np.array(sites.mercury_kg, float).reshape(h, w),
        ore_left=np.clip(ore, 0.0, 1.0).reshape(h, w),
        x=site % w + jx[active],
        y=site // w + jy[active],
        cell=site.astype(int),
        legal=np.clip(np.asarray(miners.legal[:n])[active], 0, 2),
        towns=np.array(sites.towns, dtype=int),
        buying_points=_buying_points(model),
    )


@dataclass(frozen=True)
class CellState:
    """What a click on a cell shows."""

    x: int
    y: int
    land: str  # a LAND_NAMES entry
    miners: tuple[int, int, int]  # informal, applicants, licensed
    mercury_kg: float  # cumulative
    ore_left: float  # share
    town: bool
    buying_point: bool


def cell_at(data: MapData, fx: float, fy: float) -> tuple[int, int] | None:
    """The cell under a click at fractions (``fx``, ``fy``) of the image from its top left."""
    if not (0.0 <= fx < 1.0 and 0.0 <= fy < 1.0):
        return None
    return int(fx * data.width), data.height - 1 - int(fy * data.height)  # the grid's origin is low


def cell_state(data: MapData, x: int, y: int) -> CellState:
    """The state of cell (``x``, ``y``): land, miners by legal status, mercury, ore, places."""
    index = y * data.width + x
    here = data.legal[data.cell == index]
    counts = np.bincount(here.astype(int), minlength=3)[:3]
    return CellState(x=x, y=y, land=LAND_NAMES[int(data.land[y, x])],
                     miners=(int(counts[0]), int(counts[1]), int(counts[2])),
                     mercury_kg=float(data.mercury[y, x]), ore_left=float(data.ore_left[y, x]),
                     town=bool(np.isin(index, data.towns)),
                     buying_point=bool(np.isin(index, data.buying_points)))


def mercury_limits(grid: np.ndarray) -> tuple[float, float] | None:
    """The colour range of the mercury layer: whole powers of ten around the positive cells.

    Whole decades keep the colours the same for many months.
    """
    positive = grid[grid > 0]
    if not positive.size:
        return None
    low = max(float(positive.min()), 1e-6)
    high = max(float(positive.max()), low * 10)
    return 10.0 ** np.floor(np.log10(low)), 10.0 ** np.ceil(np.log10(high))


def _points(data: MapData, sites: np.ndarray) -> np.ndarray:
    """Cell centres of ``sites`` as (x, y) rows."""
    return np.column_stack([sites % data.width, sites // data.width]).astype(float)


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
        box = (0.04, 0.2, 0.92, 0.72) if legend else (0.0, 0.0, 1.0, 1.0)  # live: edge to edge
        self.ax = self.fig.add_axes(box)  # fixed: layout engines cost ~100 ms
        self.ax.set_axis_off()
        self.cells = self.dots = self.towns = self.points = None
        self._texts_lang: str | None = None

    def _first(self, data: MapData) -> None:
        ax, blank = self.ax, np.zeros_like(data.land, dtype=float)
        if self.layer == "mercury":
            self.cells = ax.imshow(blank, origin="lower", cmap=MERCURY_CMAP,
                                   norm=LogNorm(1e-6, 1e-5), interpolation="nearest")
        else:
            self.cells = ax.imshow(blank, origin="lower", cmap=ListedColormap(LAND_COLOURS),
                                   vmin=-0.5, vmax=3.5, interpolation="nearest")
        ax.set_xlim(-0.5, data.width - 0.5)
        ax.set_ylim(-0.5, data.height - 0.5)
        self.dots = ax.scatter([], [], s=4, linewidths=0)
        self.towns = ax.scatter(*_points(data, data.towns).T, zorder=3, **TOWN_STYLE)
        self.points = ax.scatter([], [], zorder=4, **POINT_STYLE)

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
        self.points.set_offsets(_points(data, data.buying_points).reshape(-1, 2))
        self._set_texts(t)
        return self

    def _set_texts(self, t) -> None:
        if self._texts_lang == t.lang or not self.legend:
            return
        self._texts_lang = t.lang
        self.ax.set_title(t("map_title"), fontsize=12)
        for old in self.fig.legends:
            old.remove()
        self.fig.legend(handles=legend_handles(self.layer, t), loc="lower center", ncol=3,
                        fontsize=9, frameon=False)

    def image(self) -> bytes:
        """The live view: PNG at the figure's resolution.

        Drawn on the figure's own canvas, whose renderer is kept, and encoded
        with light compression: a third of what ``savefig`` took. The map has few
        colours, so it is sent with a palette of 64: 40 % of the bytes for 3 ms.
        """
        self.canvas.draw()
        width, height = self.canvas.get_width_height()
        pixels = PIL.Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(),
                                      "raw", "RGBA", 0, 1).convert("RGB")
        out = io.BytesIO()
        pixels.convert("P", palette=PIL.Image.Palette.ADAPTIVE, colors=64).save(
            out, format="png", compress_level=1)
        return out.getvalue()

    def png(self) -> bytes:
        """The map as PNG for slides (twice the chart resolution)."""
        return to_png(self.fig)


def legend_entries(layer: str) -> list[tuple[str, str, str]]:
    """The map's legend: (text key, colour, shape) per entry; shape ``dot``, ``cell``, ``town``…"""
    entries = [(f"legal.{n}", c, "dot") for n, c in zip(LEGAL_NAMES, LEGAL_COLOURS, strict=True)]
    entries += [("map_town", "white", "town"), ("map_buying_point", POINT_STYLE["facecolor"],
                                                "buying_point")]
    if layer == "land":
        entries += [(f"land.{n}", c, "cell") for n, c in zip(LAND_NAMES, LAND_COLOURS, strict=True)]
    return entries


def legend_handles(layer: str, t) -> list:
    """The legend entries as matplotlib handles (for the PNG download)."""
    handles: list = []
    for key, colour, shape in legend_entries(layer):
        if shape == "cell":
            handles.append(Patch(facecolor=colour, edgecolor="#555555", label=t(key)))
        else:
            style = {"dot": ("o", 6, "none"), "town": ("s", 8, "#111111"),
                     "buying_point": ("D", 7, "#111111")}[shape]
            handles.append(Line2D([], [], linestyle="none", marker=style[0], markersize=style[1],
                                  markerfacecolor=colour, markeredgecolor=style[2], label=t(key)))
    return handles


def map_png(data: MapData, layer: str, t) -> bytes:
    """A fresh map with its title and legend as PNG (the "Save as PNG" download)."""
    return LiveMap(layer, legend=True).update(data, t).png()
