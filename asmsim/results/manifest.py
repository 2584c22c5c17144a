"""Provenance of a run: versions, git commit, seeds, timing."""

from __future__ import annotations

import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGES = ("asmsim", "mesa", "numpy", "scipy", "pandas", "pyarrow", "hydra-core", "omegaconf",
            "SALib", "matplotlib", "dask", "distributed")


def package_versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit() -> str | None:
    """The source tree's commit (with '+dirty' if modified), when it is a git checkout."""
    root = Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                                text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "asmsim",
                                "configs"], capture_output=True, text=True, timeout=5).stdout
        return commit + ("+dirty" if dirty.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def build_manifest(**fields) -> dict:
    """Manifest with provenance plus the caller's ``fields`` (seeds, wall time, ...)."""
    return {
        "asmsim_version": version("asmsim") if _installed() else "0+unknown",
        "git_commit": git_commit(),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "command": " ".join(["asmsim", *sys.argv[1:]]),
        "packages": package_versions(),
        **fields,
    }


def _installed() -> bool:
    try:
        version("asmsim")
        return True
    except PackageNotFoundError:
        return False
