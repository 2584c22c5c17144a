"""``asmsim dashboard [scenario=NAME] [lang=en|fr|es] [port=8765]``: the live workshop page.

Prepares the offline front-end files (fetched once with npm, then kept), then
runs the Solara server on 127.0.0.1 in production mode with telemetry off; stopping
this command (SIGTERM, Ctrl-C) stops the server.
"""

from __future__ import annotations

import sys

from asmsim.config import ConfigError, group_options
from asmsim.present.dashboard.assets import AssetsError, ensure_assets
from asmsim.present.dashboard.i18n import LANGS
from asmsim.present.dashboard.server import serve, server_command, server_env, url
from asmsim.run.executor import end_with_parent

DEFAULTS = {"scenario": "baseline", "lang": "en", "port": "8765"}


def parse(args: list[str]) -> dict[str, object]:
    """``key=value`` arguments → checked options; a ConfigError names the bad one."""
    options: dict[str, object] = dict(DEFAULTS)
    for text in args:
        key, sep, value = text.partition("=")
        if not sep or key not in DEFAULTS:
            raise ConfigError(f"dashboard argument '{text}' is not one of "
                              "scenario=NAME, lang=en|fr|es, port=NUMBER")
        options[key] = value
    scenarios = group_options("scenario")
    if options["scenario"] not in scenarios:
        raise ConfigError(f"scenario={options['scenario']!r} is unknown; available: "
                          f"{', '.join(scenarios)}")
    if options["lang"] not in LANGS:
        raise ConfigError(f"lang={options['lang']!r} is not available; choose one of "
                          f"{', '.join(LANGS)}")
    port = str(options["port"])
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"port={port!r} is not a port number (1-65535)")
    options["port"] = int(port)
    return options


def main(args: list[str]) -> int:
    """Start the dashboard and serve until interrupted; return the exit code."""
    options = parse(args)
    try:
        cache = ensure_assets()
    except AssetsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    env = server_env(cache, scenario=str(options["scenario"]), lang=str(options["lang"]))
    print(f"asmsim dashboard: open {url(int(options['port']))}  (Ctrl+C to stop)", flush=True)
    # Stops the server on SIGTERM/Ctrl-C; the server also ends with us on kill -9.
    return serve(server_command(int(options["port"])), env, preexec_fn=end_with_parent)
