"""Shared fixtures: small, fast model configurations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from asmsim.config import load_config

REPO = Path(__file__).resolve().parents[1]
SMALL = ["miners=300", "months=36"]

#: Worker processes for the simulations a test runs itself: all cores when pytest runs
#: alone, one when pytest-xdist already runs a test file per core (``make test``), so that
#: the suite never runs more simulations at once than the machine has cores. Over-subscribed,
#: the browser tests' dashboard server answered too late in CI.
TEST_JOBS = 1 if os.environ.get("PYTEST_XDIST_WORKER") else 0

#: The test files that take longest, longest first (seconds each on the 2-core development
#: machine, 2026-12-02, both cores busy: economics 288, calibration 125, the browser tests
#: 124, patterns 104, stationarity 56, compare 50, teams 47, space 35, market 28,
#: processes 26, invariants 25, robustness 24; the rest ≤ 23). ``make test`` hands whole
#: files to pytest-xdist's workers in collection order (``--no-loadscope-reorder``, xdist ≥ 3.8: by
#: default xdist ≥ 3.5 reorders files by their number of tests, which put the many
#: one-line bad-input tests first and the longest files last), so these go first and the
#: short files fill in behind them (longest-processing-time-first scheduling).
LONG_FILES = ("test_economics.py", "test_calibration.py", "test_dashboard_browser.py",
              "test_patterns.py", "test_stationarity.py", "test_compare.py", "test_teams.py",
              "test_space.py", "test_market.py", "test_processes.py", "test_invariants.py",
              "test_robustness.py", "test_dashboard.py")


def pytest_collection_modifyitems(config, items):
    """Put the longest test files first (a stable sort: tests keep their order in a file)."""
    rank = {name: i for i, name in enumerate(LONG_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(LONG_FILES)))


@pytest.fixture
def small_config():
    """Load a small config: ``small_config("scenario=legal")``."""
    def make(*overrides: str):
        return load_config([*SMALL, *overrides])
    return make


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``asmsim ARGS`` in a subprocess; returns the completed process (text output)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "asmsim.cli.main", *args], capture_output=True,
                          text=True, cwd=cwd or REPO, timeout=timeout, env=env)
