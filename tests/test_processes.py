"""Real processes and signals: no orphan workers or servers, one writer per folder, and an
unreachable Dask scheduler named in one line.

Each command starts in a session of its own; after the command's process (only
that one, never its group) is signalled, every other process of the session
must be gone within a few seconds.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from asmsim.cli.main import main as cli_main
from asmsim.present.dashboard.assets import PACKAGES
from tests.conftest import REPO
from tests.test_sensitivity_pipeline import write_study

GONE_WITHIN_S = 5.0
#: asmsim, the forkserver, the resource tracker and two workers.
WITH_WORKERS = 5


def session(sid: int) -> list[int]:
    """Live (non-zombie) processes of session ``sid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def start(args: list[str], tmp_path: Path, **env: str) -> subprocess.Popen:
    """``asmsim ARGS`` in a new session; output to files (a dead reader must not block it)."""
    log = tmp_path / f"log-{len(list(tmp_path.glob('log-*')))}"
    with log.open("w") as stream:
        proc = subprocess.Popen([sys.executable, "-m", "asmsim.cli.main", *args], cwd=tmp_path,
                                env={**os.environ, "PYTHONWARNINGS": "ignore", **env},
                                stdout=stream, stderr=stream, start_new_session=True)
    proc.log = log
    return proc


def output(proc: subprocess.Popen) -> str:
    """What the command wrote (stdout and stderr)."""
    return proc.log.read_text()


def stop(proc: subprocess.Popen, sig: int) -> float:
    """Send ``sig`` to the command's process only; seconds until every process of it ended."""
    sent = time.monotonic()
    os.kill(proc.pid, sig)
    proc.wait(timeout=GONE_WITHIN_S)
    try:
        wait_for(lambda: not session(proc.pid), GONE_WITHIN_S, "the session to end")
    finally:
        for pid in session(proc.pid):  # never leave a process behind, even if the test fails
            os.kill(pid, signal.SIGKILL)
    return time.monotonic() - sent


LONG_RUN = ["run", "miners=3000", "months=1000", "replicates=2", "jobs=2", "out=run"]


@pytest.mark.parametrize("sig, code, line", [(signal.SIGKILL, -9, None),
                                             (signal.SIGTERM, 143, "terminated"),
                                             (signal.SIGINT, 130, "interrupted")],
                         ids=["SIGKILL", "SIGTERM", "SIGINT"])
def test_run_workers_end_with_the_run(tmp_path, sig, code, line):
    proc = start(LONG_RUN, tmp_path)
    wait_for(lambda: len(session(proc.pid)) >= WITH_WORKERS, 60, "two busy workers")
    assert stop(proc, sig) < GONE_WITHIN_S
    assert proc.returncode == code
    if line:
        assert output(proc).rstrip().endswith(line)
    assert not (tmp_path / "run").exists()  # no half-written run folder
    if sig != signal.SIGKILL:  # cleaned up on the way out: no staging folder, no lock
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
        return
    # kill -9 left a hidden staging folder; the next run into the same place clears it.
    assert cli_main(["run", "miners=50", "months=3", f"out={tmp_path / 'run'}"]) == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert (tmp_path / "run" / "manifest.json").is_file()


def test_study_workers_end_with_a_killed_study(tmp_path):
    study = write_study(tmp_path, n=256)
    proc = start(["sensitivity", f"experiment={study}", "out=out", "jobs=2", "chunk=20"],
                 tmp_path, ASMSIM_TEST_DELAY_S="0.05")
    wait_for(lambda: any((tmp_path / "out" / "runs").glob("points-*")), 60, "a first chunk")
    assert stop(proc, signal.SIGKILL) < GONE_WITHIN_S


def test_dashboard_server_ends_with_a_killed_dashboard(tmp_path):
    cache = tmp_path / "cdn"  # the offline assets, as ensure_assets() finds them
    for pkg in PACKAGES:
        (cache / pkg).mkdir(parents=True)
        (cache / pkg / "package.json").write_text("{}")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = start(["dashboard", f"port={port}"], tmp_path, ASMSIM_ASSETS_DIR=str(cache))

    def serving() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False

    wait_for(serving, 60, "the dashboard server")
    assert len(session(proc.pid)) == 2  # asmsim and its server
    assert stop(proc, signal.SIGKILL) < GONE_WITHIN_S
    assert not serving()


def test_a_second_process_on_a_study_folder_is_refused(tmp_path):
    """Two resumes of one study with different chunk sizes would duplicate runs: one waits out."""
    study = write_study(tmp_path, n=64)
    first = start(["sensitivity", f"experiment={study}", "out=out", "jobs=2", "chunk=8"],
                  tmp_path, ASMSIM_TEST_DELAY_S="0.02")
    try:
        wait_for(lambda: (tmp_path / ".out.lock").exists(), 60, "the first study's lock")
        second = start(["sensitivity", f"experiment={study}", "out=out", "jobs=1", "chunk=5"],
                       tmp_path)
        assert second.wait(timeout=60) == 2
        assert first.poll() is None, "the first study ended before the second was refused"
        assert output(second).strip().splitlines()[-1] == (
            "error: out=out is in use by another asmsim process "
            f"(PID {first.pid} on {socket.gethostname()}); wait for it to finish or choose "
            "another out=")
        assert first.wait(timeout=120) == 0, output(first)
    finally:
        for pid in session(first.pid):
            os.kill(pid, signal.SIGKILL)
    runs = pd.concat(pd.read_parquet(f) for f in (tmp_path / "out" / "runs").glob("*.parquet"))
    assert len(runs) == runs["point"].nunique() == 64 * 5
    assert not (tmp_path / ".out.lock").exists()


def test_unreachable_dask_scheduler_is_one_line_at_once(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    study = write_study(tmp_path, n=64)
    started = time.monotonic()
    code = cli_main(["sensitivity", f"experiment={study}", "cluster=tcp://127.0.0.1:1",
                     "out=out"])
    assert time.monotonic() - started < 10
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith("error: cluster=tcp://127.0.0.1:1: no Dask scheduler answers there")
    assert not (tmp_path / "out").exists()


def test_workers_ignore_ctrl_c_and_watch_their_owner():
    """What each local worker sets up: the parent-death signal and an owner watchdog."""
    code = ("import os, signal, subprocess, sys, time\n"
            "from asmsim.run.executor import _init_worker\n"
            "owner = subprocess.Popen(['sleep', '30'])\n"
            "_init_worker(owner.pid)\n"
            "assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN\n"
            "print(time.monotonic(), flush=True)  # when the owner dies (printed first:\n"
            "owner.kill(); owner.wait()  # the watchdog may end this process at once)\n"
            "time.sleep(5)\n"
            "sys.exit(0)  # not reached: the watchdog ended this process\n")
    # Timed from the owner's death (the monotonic clock is the system's, shared by both
    # processes), not from the start: importing asmsim takes seconds on a loaded machine.
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, timeout=60,
                            capture_output=True, text=True, check=False)
    ended = time.monotonic()
    assert result.returncode == 1, result.stderr
    assert ended - float(result.stdout.split()[-1]) < 4
