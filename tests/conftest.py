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
