"""One writer per output folder: an exclusive lock file beside it.

The lock of ``results/studies/mine`` is ``results/studies/.mine.lock``. It holds
the owner's PID and host for the message a second process gets, and an
``flock`` on it is the lock itself: the kernel drops it when the owner ends,
however it ends (kill -9 included), so a lock file left behind is stale and is
simply taken over.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from asmsim.config import ConfigError


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (a zombie counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def lock_path(folder: str | os.PathLike) -> Path:
    """The lock file of ``folder``: ``.NAME.lock`` beside it."""
    folder = Path(folder)
    return folder.parent / f".{folder.name}.lock"


def _owner(fd: int) -> str:
    """What a lock file says about its owner (``PID 123 on host``)."""
    try:
        text = os.pread(fd, 200, 0).decode(errors="replace").split()
    except OSError:
        text = []
    return f"PID {text[0]} on {text[1]}" if len(text) >= 2 else "unknown"


def _acquire(path: Path, label: str, folder: Path) -> int:
    """Open and flock ``path``; the file descriptor holding the lock."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = _owner(fd)
            os.close(fd)
            raise ConfigError(f"{label}={folder} is in use by another asmsim process ({owner}); "
                              f"wait for it to finish or choose another {label}=") from None
        try:  # the file locked must still be the one at `path` (its last owner unlinks it)
            current = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            current = False
        if current:
            return fd
        os.close(fd)


#: Lock files this process holds, with how many nested ``folder_lock`` blocks hold each.
_HELD: dict[Path, int] = {}


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike, label: str = "out") -> Iterator[Path]:
    """Hold the exclusive lock of ``folder``; a ConfigError (one line) if another process has it.

    ``label`` names the argument in the message (``out=...``). Re-entrant: a
    block nested in one that holds the lock holds it too.
    """
    folder = Path(folder)
    path = lock_path(folder.absolute())
    if path in _HELD:
        _HELD[path] += 1
        try:
            yield path
        finally:
            _HELD[path] -= 1
        return
    try:
        fd = _acquire(path, label, folder)
    except OSError as exc:
        raise ConfigError(f"{label}={folder}: cannot create the lock file {path} "
                          f"({exc.strerror or exc})") from None
    _HELD[path] = 1
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {socket.gethostname()}\n".encode(), 0)
        yield path
    finally:
        del _HELD[path]
        path.unlink(missing_ok=True)
        os.close(fd)
