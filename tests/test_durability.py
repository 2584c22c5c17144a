"""Outputs are durable and all-or-nothing: flushed before renames, staged run folders,
one lock per folder, full disks, and resuming a study after a power cut or a kill."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from asmsim.analysis.sensitivity import load_study
from asmsim.cli.main import main as cli_main
from asmsim.config import ConfigError
from asmsim.results import atomic
from asmsim.results.atomic import OutputError, host, temp_prefix, write_text
from asmsim.results.lock import folder_lock, lock_path
from asmsim.results.output import staged_folder
from asmsim.workflows.sensitivity import run_study
from tests.conftest import REPO
from tests.test_sensitivity_pipeline import write_study


def _dead_pid() -> int:
    """The PID of a process that has ended (and been reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _temp_name(name: str, pid: int) -> str:
    return f".{name}.tmp-{pid}@{host()}-abcdefgh"


def test_atomic_write_flushes_the_file_before_the_rename_and_the_folder_after(tmp_path,
                                                                              monkeypatch):
    calls = []
    fsync, replace = os.fsync, os.replace

    def recording_fsync(fd):
        calls.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        fsync(fd)

    def recording_replace(src, dst):
        calls.append(("replace", str(dst)))
        replace(src, dst)

    monkeypatch.setattr(atomic.os, "fsync", recording_fsync)
    monkeypatch.setattr(atomic.os, "replace", recording_replace)
    write_text(tmp_path / "report.md", "# report\n")
    assert [c[0] for c in calls] == ["fsync", "replace", "fsync"]
    assert Path(calls[0][1]).name.startswith(temp_prefix("report.md"))  # the data, then
    assert calls[1][1] == str(tmp_path / "report.md")  # the rename, then
    assert calls[2][1] == str(tmp_path)  # the folder holding the new name


def test_a_failed_run_folder_leaves_nothing(tmp_path):
    final = tmp_path / "runs" / "legal"
    with pytest.raises(RuntimeError), staged_folder(final) as stage:
        write_text(stage / "summary.csv", "output,mean\n")
        raise RuntimeError("killed while writing")
    assert not final.exists()
    assert list((tmp_path / "runs").iterdir()) == []  # no staging folder, no lock file


def test_a_run_folder_appears_complete_and_replaces_an_earlier_output(tmp_path):
    final = tmp_path / "run"
    for text in ("first", "second"):
        with staged_folder(final) as stage:
            write_text(stage / "manifest.json", '{"command": "asmsim run"}')
            write_text(stage / "summary.csv", text)
            assert not final.exists() or (final / "summary.csv").read_text() == "first"
    assert (final / "summary.csv").read_text() == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    assert final.stat().st_mode & 0o777 == 0o777 & ~atomic.umask()


def test_stale_locks_and_staging_folders_of_dead_processes_are_cleared(tmp_path):
    final = tmp_path / "run"
    dead, live = _dead_pid(), os.getppid()
    lock_path(final).write_text(f"{dead} {host()}\n")
    (tmp_path / _temp_name("run", dead)).mkdir()
    (tmp_path / _temp_name("run", live)).mkdir()
    with staged_folder(final) as stage:
        write_text(stage / "manifest.json", "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["run", _temp_name("run", live)])


def test_a_locked_folder_is_refused_in_one_line(tmp_path, monkeypatch, capsys):
    holder = subprocess.Popen(
        [sys.executable, "-c", ("import sys, time\n"
         "from asmsim.results.lock import folder_lock\n"
         f"with folder_lock({str(tmp_path / 'run')!r}):\n"
         "    print('held', flush=True)\n"
         "    time.sleep(60)\n")], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        monkeypatch.chdir(tmp_path)
        code = cli_main(["run", "miners=50", "months=3", "out=run"])
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert f"out={tmp_path / 'run'} is in use by another asmsim process (PID {holder.pid}" in err
    assert not (tmp_path / "run").exists()


def test_the_lock_is_reentrant_within_one_process(tmp_path):
    with folder_lock(tmp_path / "study"), folder_lock(tmp_path / "study") as path:
        assert path.exists()
    assert not path.exists()


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))  # writes beyond fail: EFBIG


def test_full_disk_is_one_line_exit_1_and_nothing_half_written(tmp_path):
    """The table (~30 kB) cannot be written: one line, exit 1, no folder, no temporary file."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([sys.executable, "-m", "asmsim.cli.main", "run", "miners=50",
                             "months=3", f"out={tmp_path / 'outputs' / 'run'}"],
                            capture_output=True, text=True, cwd=REPO, env=env, timeout=120,
                            preexec_fn=_limit_file_size, check=False)
    assert result.returncode == 1, result.stderr
    err = result.stderr.strip().splitlines()[-1]
    assert err.startswith("error: cannot write") and "no space left" in err, result.stderr
    assert f"{tmp_path / 'outputs' / 'run'} was not written" in err
    assert "Traceback" not in result.stderr
    assert list((tmp_path / "outputs").iterdir()) == []


@pytest.fixture
def finished_study(tmp_path):
    """A finished Ishigami study (n = 64: 320 points, 8 chunks of 40) and its indices."""
    study = load_study(str(write_study(tmp_path, n=64)))
    out = tmp_path / "study"
    run_study(study, out, jobs=1, chunk=40, progress=False)
    return study, out, (out / "indices.csv").read_bytes()


def test_resume_redoes_a_chunk_that_a_power_cut_emptied(finished_study, capsys):
    study, out, indices = finished_study
    capsys.readouterr()
    victim = sorted((out / "runs").glob("points-*.parquet"))[3]
    victim.write_bytes(b"")  # renamed but never flushed: what a power cut leaves
    again = run_study(study, out, jobs=1, chunk=40, progress=False)
    err = capsys.readouterr().err
    assert again.runs_now == 40
    assert err.count("\n") == 1 and f"{victim} cannot be read" in err and "done again" in err
    assert (out / "indices.csv").read_bytes() == indices


def test_an_unreadable_manifest_is_refused_when_runs_exist(finished_study):
    study, out, _ = finished_study
    (out / "manifest.json").write_text("")
    with pytest.raises(ConfigError, match=r"holds runs without a readable manifest.json") as info:
        run_study(study, out, jobs=1, progress=False)
    assert "\n" not in str(info.value)


def test_resume_removes_the_leftovers_of_dead_writers_only(finished_study):
    study, out, indices = finished_study
    dead, live = _dead_pid(), os.getppid()
    runs = out / "runs"
    leftovers = [runs / _temp_name("points-000040-000079.parquet", dead),
                 out / _temp_name("indices.csv", dead),
                 runs / ".points-000000-000039.parquet.k2j3h4x9.tmp"]  # an older version's
    alive = runs / _temp_name("points-000080-000119.parquet", live)
    for path in [*leftovers, alive]:
        path.write_bytes(b"PAR1")
    again = run_study(study, out, jobs=1, chunk=40, progress=False)
    assert again.runs_now == 0
    assert not any(path.exists() for path in leftovers)
    assert alive.exists()  # another live process's file is never touched
    assert (out / "indices.csv").read_bytes() == indices


def test_output_error_names_the_file_and_the_reason(tmp_path):
    (tmp_path / "report.md").mkdir()  # a folder in the way of the rename
    with pytest.raises(OutputError, match=r"cannot write .*report.md: ") as info:
        write_text(tmp_path / "report.md", "text")
    assert "\n" not in str(info.value)
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
