"""The ``asmsim`` command: ``asmsim run | compare | sensitivity | calibrate | robustness | scenarios | shocks | dashboard``.

Each subcommand lives in its own module with ``main(args) -> int``; this file
only dispatches and turns a configuration error into one line and exit code 2,
a failed write (a full disk) into one line and exit code 1, and Ctrl-C or
SIGTERM into one line and exit code 130 or 143 once everything is cleaned up.
"""

from __future__ import annotations

import importlib
import inspect
import sys

from asmsim.config import ConfigError

COMMANDS = {
    "run": "asmsim.cli.run",
    "compare": "asmsim.cli.compare",
    "sensitivity": "asmsim.cli.sensitivity",
    "calibrate": "asmsim.cli.calibrate",
    "robustness": "asmsim.cli.robustness",
    "scenarios": "asmsim.cli.scenarios",
    "shocks": "asmsim.cli.shocks",
    "dashboard": "asmsim.cli.dashboard",
}

USAGE = """usage: asmsim COMMAND [key=value ...]

commands:
  run           run a scenario (replicates in parallel) and write a run folder
  compare       compare scenarios with common random numbers and intervals
  sensitivity   run a Sobol or Morris study defined in experiments/
  calibrate     fit parameters to field targets (ABC-SMC) and check the fit
  robustness    regret, requirements and failure conditions of policies over futures
  scenarios     list the scenario presets (and your own: scenario_dir=DIR)
  shocks        list the kinds of shock a scenario can schedule
  dashboard     start the live workshop dashboard

  (asmsim COMMAND --help shows a command's keys)

examples:
  asmsim run scenario=integrated replicates=10
  asmsim run --multirun scenario=baseline,legal,market
  asmsim compare scenarios=[baseline,legal,integrated] replicates=20
"""


def command_help(module) -> str:
    """A subcommand's usage: its module docstring, without reST markup."""
    return "usage: " + inspect.cleandoc(module.__doc__ or "").replace("``", "").rstrip(":")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    command, args = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"error: unknown command '{command}'; available: {', '.join(COMMANDS)}",
              file=sys.stderr)
        return 2
    try:
        module = importlib.import_module(COMMANDS[command])
    except ModuleNotFoundError as exc:
        if exc.name != COMMANDS[command]:
            raise
        print(f"error: 'asmsim {command}' is not available in this version", file=sys.stderr)
        return 2
    if any(arg in ("-h", "--help") for arg in args):
        print(command_help(module))
        return 0
    from asmsim.results.atomic import OutputError
    from asmsim.run.executor import Terminated, sigterm_raises

    try:
        with sigterm_raises():
            return module.main(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Terminated as exc:
        print("terminated", file=sys.stderr)
        return int(exc.code)


if __name__ == "__main__":
    sys.exit(main())
