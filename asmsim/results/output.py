"""Output folders: checked before any work, locked while written, complete or absent.

``asmsim run`` and ``asmsim compare`` write their folder through
:func:`staged_folder`::

    with staged_folder(Path("results/runs/legal/20260101-120000")) as stage:
        ...                     # the runs; every file is written into `stage`
    # here the folder exists, complete

On entry the output folder is probed (its parent created, a probe file written
and removed) and locked, so a bad ``out=`` fails in one line before anything
runs, and a second process writing the same folder is refused. The files go
to a hidden folder beside the final one, which is renamed onto the final name
only when everything is written and flushed: a kill, a full disk or an error
leaves no half-written folder. An earlier run or comparison folder at that
name (its ``manifest.json`` names the command that wrote it) is replaced as a
whole; any other non-empty folder (a study folder included) is refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from asmsim.config import ConfigError
from asmsim.results.atomic import (
    OutputError,
    failure,
    fsync_dir,
    remove_stale_temps,
    temp_prefix,
    umask,
)
from asmsim.results.lock import folder_lock

#: The file that marks a folder as an earlier asmsim output (which may be replaced).
MANIFEST = "manifest.json"


def earlier_output(folder: Path) -> bool:
    """Whether ``folder`` holds an earlier run or comparison (its manifest names a command)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and "command" in manifest


def _cannot(shown: str, folder: Path, exc: OSError) -> ConfigError:
    """``out=X: cannot write in FOLDER (reason)`` as a ConfigError."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return ConfigError(f"{shown}: cannot write in {folder} ({reason}); choose another folder")


def probe_folder(folder: str | os.PathLike, label: str = "out", value: object = None) -> Path:
    """Create ``folder`` (and its parents) and write a probe file in it; return it absolute.

    Any problem (a file in the way, no permission, a read-only or full disk) is
    a ConfigError naming ``label=value`` (``value`` defaults to ``folder``).
    """
    shown = f"{label}={folder if value is None else value}"
    folder = Path(folder).absolute()
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{shown}: {folder} is a file, not a folder; choose a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(prefix=temp_prefix("probe"), dir=folder) as probe:
            probe.write(b"asmsim probe\n")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        raise _cannot(shown, folder, exc) from None
    return folder


def check_output(final: str | os.PathLike, label: str = "out") -> Path:
    """Check that a run folder can be written at ``final``; return it absolute.

    ``final`` must be absent, an empty folder or an earlier asmsim output
    folder (replaced at the end), and its parent must be writable.
    """
    given, final = final, Path(final).absolute()
    if final.exists() and not final.is_dir():
        raise ConfigError(f"{label}={given} is a file, not a folder; choose a folder")
    if final.is_dir() and any(final.iterdir()) and not earlier_output(final):
        raise ConfigError(f"{label}={given} is a folder holding other files (not an earlier "
                          "run or comparison); choose a new or empty folder")
    probe_folder(final.parent, label, given)
    return final


def _commit(stage: Path, final: Path) -> None:
    """Put ``stage`` at ``final`` (replacing an earlier output there) and flush the rename."""
    old = None
    if final.is_dir() and any(final.iterdir()):
        old = final.parent / f"{temp_prefix(final.name)}replaced"
        os.rename(final, old)
    try:
        os.rename(stage, final)
    except OSError:
        if old is not None:
            os.rename(old, final)  # put the earlier output back
        raise
    fsync_dir(final.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def staged_folder(final: str | os.PathLike, label: str = "out") -> Iterator[Path]:
    """Check and lock ``final``, yield a hidden staging folder beside it, then rename it.

    On any exception (including a kill turned into SystemExit) the staging
    folder is removed and ``final`` is left as it was.
    """
    final = check_output(final, label)
    with folder_lock(final, label):
        remove_stale_temps(final.parent)
        try:
            stage = Path(tempfile.mkdtemp(prefix=temp_prefix(final.name), dir=final.parent))
            os.chmod(stage, 0o777 & ~umask())  # mkdtemp makes 0700; use the usual mode
        except OSError as exc:
            raise _cannot(f"{label}={final}", final.parent, exc) from None
        try:
            try:
                yield stage
            except OutputError as exc:  # name the final folder, not the hidden one
                text = str(exc).replace(str(stage), str(final))
                raise OutputError(f"{text}; {final} was not written") from exc
            try:
                fsync_dir(stage)
                _commit(stage, final)
            except OSError as exc:
                raise OutputError(f"{failure(final, exc)}; {final} was not written") from exc
        finally:
            shutil.rmtree(stage, ignore_errors=True)
