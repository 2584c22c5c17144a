"""Front-end files the page needs, kept on disk so the dashboard runs offline.

Solara serves its JavaScript and CSS under ``/_solara/cdn/NAME@VERSION/…`` and,
when a file is not in ``SOLARA_ASSETS_PROXY_CACHE_DIR``, fetches it from a
public CDN at run time — with no network the page stays blank. These files are
npm packages, so :func:`ensure_assets` fetches each missing one once with
``npm pack NAME@VERSION`` (the npm registry must be reachable at that moment)
and unpacks it into the cache folder under its CDN path. Later starts find
them there and need no network at all.

The versions follow what solara 1.64.1 with ipyvuetify/ipyvue < 2 requests
(its page template and ``settings.assets.fontawesome_path``); after a solara
upgrade, read the 404s on ``/_solara/cdn/…`` in the browser and update them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGES = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
)
_REPO = Path(__file__).resolve().parents[3]


class AssetsError(RuntimeError):
    """The offline assets are missing and could not be fetched (one-line message)."""


def default_cache_dir() -> Path:
    """Where the assets live: ``$ASMSIM_ASSETS_DIR``, else ``.asmsim-assets/cdn``.

    ``.asmsim-assets/`` sits in the source checkout (git-ignored); for a
    non-editable install it sits under the environment's prefix instead.
    """
    env = os.environ.get("ASMSIM_ASSETS_DIR")
    if env:
        return Path(env)
    if (_REPO / "pyproject.toml").is_file() and os.access(_REPO, os.W_OK):
        return _REPO / ".asmsim-assets" / "cdn"
    return Path(sys.prefix) / "share" / "asmsim" / "cdn"


def missing(cache_dir: Path) -> list[str]:
    """The packages not yet unpacked in ``cache_dir``."""
    return [pkg for pkg in PACKAGES if not (cache_dir / pkg / "package.json").is_file()]


def _fetch(pkg: str, cache_dir: Path) -> None:
    """``npm pack`` one package and unpack it to ``cache_dir/pkg`` (all or nothing)."""
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsError(f"the dashboard needs {pkg} offline and npm is not installed to fetch "
                          f"it once; install Node.js/npm or copy a filled {cache_dir}")
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        done = subprocess.run([npm, "pack", pkg, "--silent", "--pack-destination", tmp],
                              capture_output=True, text=True, timeout=300, check=False)
        tarballs = list(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            detail = (done.stderr.strip().splitlines() or ["no tarball"])[-1]
            raise AssetsError(f"could not fetch {pkg} with npm ({detail}); the npm registry "
                              "must be reachable once to prepare the offline dashboard")
        unpacked = Path(tmp) / "unpacked"
        with tarfile.open(tarballs[0]) as tar:
            tar.extractall(unpacked, filter="data")
        target = cache_dir / pkg
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        (unpacked / "package").rename(target)


def ensure_assets(cache_dir: Path | None = None, *, log=print) -> Path:
    """Make sure every package is in ``cache_dir`` (fetching the missing ones); return it."""
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    for pkg in missing(cache_dir):
        log(f"fetching {pkg} for the offline dashboard (once) ...")
        _fetch(pkg, cache_dir)
    return cache_dir


def main() -> int:
    """``python -m asmsim.present.dashboard.assets``: prepare the offline assets."""
    try:
        path = ensure_assets()
    except AssetsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"dashboard assets ready in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
