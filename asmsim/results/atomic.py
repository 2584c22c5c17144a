"""Writing files atomically and durably: a temporary name in the same folder, then rename.

The data is flushed to disk (``fsync``) before the rename and the folder after
it, so a reader never sees a half-written file, and neither a kill nor a power
cut leaves a short or empty file under the final name.

Temporary names carry the writer's host and PID (``.NAME.tmp-PID@HOST-XXXXXXXX``),
so that :func:`remove_stale_temps` can tell a dead writer's leftovers from a
live one's. A failed write raises :class:`OutputError` with one line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from asmsim.results.lock import pid_alive

if TYPE_CHECKING:
    import pandas as pd

#: Temporary names of this module (files and staged folders), and of versions
#: before 0.2 (``.NAME.XXXXXXXX.tmp``, no owner).
TEMP_NAME = re.compile(r"\.(?P<name>.+)\.tmp-(?P<pid>\d+)@(?P<host>.+)-[a-z0-9_]{8}")
LEGACY_TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
#: errno values that mean there is no room left (disk, quota or file-size limit).
FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


class OutputError(Exception):
    """Writing an output failed (full disk, lost permission...); one line for the user."""


def host() -> str:
    """This machine's name, made safe for a file name."""
    return re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname()) or "localhost"


def temp_prefix(name: str) -> str:
    """The start of a temporary name for ``name`` written by this process."""
    return f".{name}.tmp-{os.getpid()}@{host()}-"


def failure(path: str | os.PathLike, exc: OSError) -> str:
    """One line saying what could not be written and why."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in FULL:
        reason = f"no space left ({reason})"
    return f"cannot write {path}: {reason}"


def fsync_dir(folder: str | os.PathLike) -> None:
    """Flush a folder's entries (a rename in it) to disk."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems cannot sync a folder: nothing more to do
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def fsync_file(path: str | os.PathLike) -> None:
    """Flush a file's data to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; flush it and rename it onto ``path`` on success."""
    path = Path(path)
    tmp_path = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), dir=path.parent)
        os.close(fd)
        tmp_path = Path(tmp)
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~umask())  # mkstemp makes 0600; use the usual mode
        fsync_file(tmp_path)
        os.replace(tmp_path, path)
        fsync_dir(path.parent)
    except OSError as exc:
        raise OutputError(failure(path, exc)) from exc
    finally:
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)


def umask() -> int:
    """The process umask."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_stale_temps(folder: str | os.PathLike, *, legacy: bool = False) -> list[Path]:
    """Remove temporary files and folders left in ``folder`` by writers that are gone.

    Only names made by :func:`temp_prefix` on this host whose process no longer
    runs are removed (never a live process's); ``legacy`` also removes the
    ownerless temporary files of older versions (for a folder this process has
    locked). Returns what was removed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    removed = []
    for entry in folder.iterdir():
        match = TEMP_NAME.fullmatch(entry.name)
        stale = (match is not None and match["host"] == host()
                 and not pid_alive(int(match["pid"])))
        if stale or (legacy and LEGACY_TEMP_NAME.fullmatch(entry.name)):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write text atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_parquet(path: str | os.PathLike, frame: pd.DataFrame) -> Path:
    """Write a DataFrame as parquet atomically."""
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)
    return Path(path)


def write_csv(path: str | os.PathLike, frame: pd.DataFrame) -> Path:
    """Write a DataFrame as CSV atomically."""
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)
    return Path(path)


def save_figure(path: str | os.PathLike, figure) -> Path:
    """Save a matplotlib figure atomically (format from the suffix)."""
    path = Path(path)
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format=path.suffix.lstrip(".") or "png", dpi=120,
                       bbox_inches="tight")
    return path
