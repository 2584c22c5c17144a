"""Starting the dashboard: a Solara server bound to 127.0.0.1, offline and quiet.

:func:`server_command` gives the command and environment so that the CLI and
the browser tests start the very same server; :func:`serve` runs it as a child
process that stops when ``asmsim dashboard`` is stopped (SIGTERM, Ctrl-C, a
closed terminal), instead of being left serving on its port.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

APP_MODULE = "asmsim.present.dashboard.app"
HOST = "127.0.0.1"
# Never fetch from a public CDN at run time: a missing asset fails at once.
NO_CDN = "http://127.0.0.1:9/"
# Solara warns on every page load served over http on 127.0.0.1 that its session cookie
# falls back to SameSite=Lax; that is what a loopback page wants.
NO_COOKIE_WARNING = "ignore:Cookies with samesite=none require https:UserWarning"
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
STOP_TIMEOUT_S = 5.0  # then the server is killed


def server_env(cache_dir: Path, *, scenario: str, lang: str,
               base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the server: offline assets, telemetry off, start-up choices."""
    env = dict(os.environ if base is None else base)
    env.update({
        "SOLARA_ASSETS_PROXY": "True",
        "SOLARA_ASSETS_PROXY_CACHE_DIR": str(cache_dir),
        "SOLARA_ASSETS_CDN": NO_CDN,
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_THEME_SHOW_BANNER": "False",  # its "runs on Solara" corner covered the page
        "PYTHONWARNINGS": ",".join(filter(None, (env.get("PYTHONWARNINGS"), NO_COOKIE_WARNING))),
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


class _Stopped(Exception):
    """This process was asked to stop by ``signum``."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum, _frame):
    raise _Stopped(signum)


def stop(proc: subprocess.Popen) -> None:
    """Stop the server: SIGTERM, then SIGKILL if it is still there after STOP_TIMEOUT_S."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def serve(command: list[str], env: dict[str, str], preexec_fn=None) -> int:
    """Run the server until it exits, or until this process gets a stop signal: then stop it too.

    ``preexec_fn`` runs in the child before the server starts (the CLI passes one that
    asks for a signal when this process dies, so even ``kill -9`` of it ends the server).
    Returns the server's exit code, or 128 + the signal's number when stopped.
    """
    previous = {sig: signal.signal(sig, _raise_stopped) for sig in STOP_SIGNALS}
    proc = None
    try:
        proc = subprocess.Popen(command, env=env, preexec_fn=preexec_fn)
        return proc.wait()
    except _Stopped as stopped:
        return 128 + stopped.signum
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc is not None:
            stop(proc)
