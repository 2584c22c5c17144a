"""Starting the dashboard: a Solara server bound to 127.0.0.1, offline and quiet.

:func:`server_command` gives the command and environment so that the CLI and
the browser tests start the very same server.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_MODULE = "asmsim.present.dashboard.app"
HOST = "127.0.0.1"
# Never fetch from a public CDN at run time: a missing asset fails at once.
NO_CDN = "http://127.0.0.1:9/"


def server_env(cache_dir: Path, *, scenario: str, lang: str,
               base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the server: offline assets, telemetry off, start-up choices."""
    env = dict(os.environ if base is None else base)
    env.update({
        "SOLARA_ASSETS_PROXY": "True",
        "SOLARA_ASSETS_PROXY_CACHE_DIR": str(cache_dir),
        "SOLARA_ASSETS_CDN": NO_CDN,
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "ASMSIM_DASHBOARD_SCENARIO": scenario,
        "ASMSIM_DASHBOARD_LANG": lang,
        "MPLBACKEND": "Agg",
    })
    return env


def server_command(port: int) -> list[str]:
    """``solara run`` of the page module in production mode on 127.0.0.1:``port``."""
    return [sys.executable, "-m", "solara", "run", APP_MODULE, "--host", HOST,
            "--port", str(port), "--production", "--no-open", "--log-level", "warning"]


def url(port: int) -> str:
    """The address the page is served at."""
    return f"http://{HOST}:{port}/"
