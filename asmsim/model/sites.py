"""The grid of mining sites: geology, land status, distances, damage (spec §2.1).

Cells are mining areas, not metres. Arrays are indexed by ``cell = y * width + x``.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from asmsim.config.schema import ContextConfig
from asmsim.model.enums import LandStatus

EXHAUSTED_FRACTION = 0.02  # a site with less ore than this share of its start is worked out
SPILLOVER_RING_CELLS = 2  # the spill-over ring: cells this close (Chebyshev) to protected land


def grid_shape(context: ContextConfig, miners: int) -> tuple[int, int, int]:
    """(width, height, towns) of the site grid: as set, or sized from the initial ``miners``
    at ``miners_per_cell`` (a square grid, at least 5 × 5) with one town per
    ``cells_per_town`` sites (at least one)."""
    side = max(5, int(round(np.sqrt(miners / context.miners_per_cell))))
    width = context.grid_width or side
    height = context.grid_height or width
    towns = context.towns or max(1, int(round(width * height / context.cells_per_town)))
    return width, height, towns


class Sites:
    """Site arrays and the towns where buyers, lenders and offices sit."""

    def __init__(self, context: ContextConfig, asm_zone_share: float, rng: np.random.Generator,
                 miners: int):
        self.width, self.height, towns = grid_shape(context, miners)
        cells = self.width * self.height
        self.ys, self.xs = np.divmod(np.arange(cells), self.width)
        self.grade0 = context.grade_median_g_per_t * rng.lognormal(0.0, context.grade_sigma, cells)
        self.ore_initial = context.ore_per_site_t * rng.lognormal(0.0, 0.5, cells)
        self.ore_t = self.ore_initial.copy()
        self.land_disturbed_ha = np.zeros(cells)
        self.worked = np.zeros(cells, dtype=bool)  # mined since month 0 (ever, in the record)
        self.mercury_kg = np.zeros(cells)
        # Fixed random orders: which cells are concessions/protected, which open
        # cells become ASM zones first, where towns and extra buying points sit.
        order = rng.permutation(cells)
        n_lsm = int(round(context.lsm_concession_share * cells))
        n_protected = int(round(context.protected_share * cells))
        self.base_status = np.full(cells, LandStatus.OPEN, dtype=np.int8)
        self.base_status[order[:n_lsm]] = LandStatus.LSM_CONCESSION
        rest = order[n_lsm:]
        self.base_status[self._protected_areas(rest, n_protected,
                                               context.protected_area_cells)] = \
            LandStatus.PROTECTED
        self._zoning_order = rest[self.base_status[rest] == LandStatus.OPEN]
        self.land_status = self.base_status.copy()
        self._plots_near: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self.spillover_ring = self.near(self.base_status == LandStatus.PROTECTED,
                                        SPILLOVER_RING_CELLS) & (self.base_status
                                                                 != LandStatus.PROTECTED)
        self.apply_zoning(asm_zone_share)
        self._point_order = rng.permutation(cells)
        self.towns = self._point_order[:towns]
        self.town_of, self.dist_town = self._nearest(self.towns)
        self.dist_buying_point = self.dist_town

    def _nearest(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Index of the nearest point and Euclidean distance to it (cells), per cell."""
        dx = self.xs[:, None] - self.xs[points][None, :]
        dy = self.ys[:, None] - self.ys[points][None, :]
        dist = np.hypot(dx, dy)
        nearest = dist.argmin(axis=1)
        return nearest, dist[np.arange(len(nearest)), nearest]

    def _protected_areas(self, candidates: np.ndarray, count: int, area_cells: float
                         ) -> np.ndarray:
        """``count`` cells of ``candidates`` (in their random order) forming protected areas of
        about ``area_cells`` cells each: the cells nearest (Euclidean) to the first
        ``round(count / area_cells)`` candidates, the areas' centres; ties go to the earlier
        candidate. With ``area_cells`` = 1 they are the first ``count`` candidates."""
        if count <= 0:
            return candidates[:0]
        centres = candidates[:max(1, int(round(count / area_cells)))]
        points = np.column_stack([self.xs, self.ys])
        distance, _ = cKDTree(points[centres]).query(points[candidates])
        return candidates[np.lexsort((np.arange(len(candidates)), distance))[:count]]

    def near(self, mask: np.ndarray, radius: int) -> np.ndarray:
        """Cells within Chebyshev distance ``radius`` of a cell where ``mask`` holds."""
        grid = mask.reshape(self.height, self.width)
        padded = np.zeros((self.height + 2 * radius, self.width + 2 * radius), dtype=bool)
        padded[radius:radius + self.height, radius:radius + self.width] = grid
        out = np.zeros_like(grid)
        for dy in range(-radius, radius + 1):  # a loop over offsets, not over cells
            for dx in range(-radius, radius + 1):
                out |= padded[radius + dy:radius + dy + self.height,
                              radius + dx:radius + dx + self.width]
        return out.ravel()

    def mark_worked(self, site: np.ndarray, tonnes: np.ndarray) -> None:
        """Flag the cells where ore was worked this month (``site`` and ``tonnes`` per miner)."""
        self.worked[site[tonnes > 0]] = True

    def apply_zoning(self, asm_zone_share: float) -> None:
        """Designate the first ``asm_zone_share`` of all cells (taken from open land) as ASM zones."""
        cells = self.width * self.height
        n_zone = min(int(round(asm_zone_share * cells)), len(self._zoning_order))
        if getattr(self, "zone_cells", None) is not None and len(self.zone_cells) == n_zone:
            return  # the same zones (tables built on them, such as plots_near, stay valid)
        self.land_status = self.base_status.copy()
        self.land_status[self._zoning_order[:n_zone]] = LandStatus.ASM_ZONE
        self.zone_cells = self._zoning_order[:n_zone]
        self.zoning_version = getattr(self, "zoning_version", -1) + 1

    def place_buying_points(self, count: int) -> None:
        """Official buying points: in towns first, then at further fixed sites."""
        self.buying_points = max(count, 0)
        if count <= 0:
            self.dist_buying_point = np.full(self.width * self.height, np.inf)
            return
        _, self.dist_buying_point = self._nearest(self._point_order[:count])

    def licensable(self, open_land: bool) -> np.ndarray:
        """Cells where an ASM licence can be granted: ASM zones, and open land if ``open_land``."""
        ok = self.land_status == LandStatus.ASM_ZONE
        return ok | (self.land_status == LandStatus.OPEN) if open_land else ok

    def plots_near(self, radius: int, open_land: bool) -> tuple[np.ndarray, np.ndarray]:
        """Per cell, the licensable cells within Chebyshev distance ``radius`` (cells) and
        their distances: two (cells, k) arrays, padded with −1. Kept per radius; rebuilt when
        zoning changes."""
        key = (radius, open_land, self.zoning_version)
        if key not in self._plots_near:
            if any(k[2] != self.zoning_version for k in self._plots_near):
                self._plots_near.clear()
            offsets = np.arange(-radius, radius + 1)
            dy, dx = (a.ravel() for a in np.meshgrid(offsets, offsets, indexing="ij"))
            y, x = self.ys[:, None] + dy, self.xs[:, None] + dx
            inside = (y >= 0) & (y < self.height) & (x >= 0) & (x < self.width)
            cells = np.where(inside, y * self.width + x, 0)
            ok = inside & self.licensable(open_land)[cells]
            order = np.argsort(~ok, axis=1, kind="stable")[:, : max(int(ok.sum(1).max()), 1)]
            near = np.where(np.take_along_axis(ok, order, 1),
                            np.take_along_axis(cells, order, 1), -1)
            distance = np.maximum(np.abs(dy), np.abs(dx))[order]
            self._plots_near[key] = (near, distance)
        return self._plots_near[key]

    def grade(self) -> np.ndarray:
        """Current grade (g/t): falls with the square root of the ore left."""
        left = self.ore_t / self.ore_initial  # share of the ore left, clipped to [0, 1]
        np.maximum(left, 0.0, out=left)
        np.minimum(left, 1.0, out=left)
        np.sqrt(left, out=left)
        left *= self.grade0
        return left

    def rediscover(self, probability: float, rng: np.random.Generator) -> None:
        """A new deposit is found on a site with ``probability`` a month: its ore (and so its
        grade) starts again from the site's initial deposit. Depletion and discovery
        balance, so the region's ore has a steady state."""
        found = rng.random(len(self.ore_t)) < probability
        self.ore_t[found] = self.ore_initial[found]

    def exhausted(self) -> np.ndarray:
        """Cells whose ore is worked out."""
        return self.ore_t <= EXHAUSTED_FRACTION * self.ore_initial

    def neighbourhood_shares(self, total: np.ndarray, *counts: np.ndarray) -> list[np.ndarray]:
        """Per cell, for each of ``counts``: its share of ``total``, both summed over the 3×3
        Moore neighbourhood (0 where the neighbourhood is empty)."""
        sums = self._box_sum(np.stack((total, *counts)).reshape(-1, self.height, self.width))
        t = sums[0].ravel()
        inhabited = t > 0
        return [np.divide(c.ravel(), t, out=np.zeros_like(t), where=inhabited) for c in sums[1:]]

    @staticmethod
    def _box_sum(grids: np.ndarray) -> np.ndarray:
        """3×3 sums with zeros beyond the edge (separable: rows, then columns), of each grid
        of a (grids, height, width) stack."""
        k, h, w = grids.shape
        padded = np.zeros((k, h + 2, w + 2))
        padded[:, 1:-1, 1:-1] = grids
        rows = padded[:, :-2] + padded[:, 1:-1] + padded[:, 2:]
        return rows[:, :, :-2] + rows[:, :, 1:-1] + rows[:, :, 2:]
