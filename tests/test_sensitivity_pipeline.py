"""The whole study pipeline on the Ishigami function: sample -> executor -> store -> analyse.

Known answers (Ishigami & Homma 1990; a = 7, b = 0.1): S1 = 0.3139, 0.4424, 0;
ST = 0.5576, 0.4424, 0.2437.
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from asmsim.analysis.sensitivity import load_study, parse_study
from asmsim.config import ConfigError
from asmsim.workflows.sensitivity import run_study

PI = math.pi
EXACT = {"S1": [0.3139, 0.4424, 0.0], "ST": [0.5576, 0.4424, 0.2437]}


def write_study(folder: Path, name: str = "ish", **changes) -> Path:
    data = {"model": "ishigami", "method": "sobol", "n": 1024, "seed": 1,
            "parameters": {k: [-PI, PI] for k in ("x1", "x2", "x3")}, "outputs": {"y": "final"}}
    data.update(changes)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_ishigami_reproduces_analytical_indices(tmp_path):
    study = load_study(str(write_study(tmp_path)))
    result = run_study(study, tmp_path / "out", jobs=2, progress=False)
    table = result.indices.set_index(["index", "parameter"])
    for index, exact in EXACT.items():
        for key, value in zip(("x1", "x2", "x3"), exact, strict=True):
            row = table.loc[(index, key)]
            assert abs(row["value"] - value) <= row["conf"], (index, key, row.to_dict())
    out = tmp_path / "out"
    for name in ("samples.parquet", "indices.csv", "convergence.csv", "report.md",
                 "sobol_indices.png", "convergence.png", "manifest.json"):
        assert (out / name).is_file(), name
    assert len(pd.read_parquet(out / "samples.parquet")) == 1024 * 5
    runs = pd.concat(pd.read_parquet(f) for f in (out / "runs").glob("*.parquet"))
    assert sorted(runs["point"]) == list(range(1024 * 5))
    conv = pd.read_csv(out / "convergence.csv")
    assert sorted(conv["n"].unique()) == [64, 128, 256, 512, 1024]
    assert "| `x1` |" in (out / "report.md").read_text()


def test_ishigami_second_order_indices(tmp_path):
    """S2: only x1 and x3 interact, with S13 = ST1 − S1 = 0.2437; the report lists pairs."""
    study = load_study(str(write_study(tmp_path, n=1024, second_order=True)))
    result = run_study(study, tmp_path / "out", jobs=1, progress=False)
    s2 = result.indices[result.indices["index"] == "S2"].set_index("parameter")
    assert set(s2.index) == {"x1:x2", "x1:x3", "x2:x3"}
    for pair, exact in (("x1:x2", 0.0), ("x1:x3", 0.2437), ("x2:x3", 0.0)):
        assert abs(s2.loc[pair, "value"] - exact) <= s2.loc[pair, "conf"], pair
    report = (tmp_path / "out" / "report.md").read_text()
    assert "| `x1` × `x3` |" in report and "n/a" not in report


def test_morris_ranks_ishigami_inputs(tmp_path):
    study = load_study(str(write_study(tmp_path, method="morris", n=40)))
    result = run_study(study, tmp_path / "out", jobs=1, progress=False)
    table = result.indices.pivot(index="parameter", columns="index", values="value")
    # With 4 levels x2 only moves between sin^2 = 0 and 0.75: every elementary effect
    # of x2 is +-7 * 0.75 / (2/3) = +-7.875, so mu* is exactly 7.875.
    assert table.loc["x2", "mu_star"] == pytest.approx(7.875, rel=1e-9)
    # x3 acts only through its interaction with sin x1: signed effects cancel.
    assert abs(table.loc["x3", "mu"]) < 0.5 * table.loc["x3", "mu_star"]
    assert table.loc["x3", "sigma"] > table.loc["x3", "mu_star"]
    assert (tmp_path / "out" / "morris_mu_star_sigma.png").is_file()


def test_another_study_into_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    run_study(load_study(str(write_study(tmp_path, n=64))), out, jobs=1, progress=False)
    other = load_study(str(write_study(tmp_path, name="other", n=64, seed=2)))
    with pytest.raises(ConfigError, match=r"out=.* holds another study \(ish"):
        run_study(other, out, jobs=1, progress=False)


def _cli(study: Path, out: Path, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "asmsim.cli.main", "sensitivity", f"experiment={study}",
         f"out={out}", "jobs=2", "chunk=40"],
        env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True)


def test_sigkill_midway_then_resume_gives_identical_indices(tmp_path):
    path = write_study(tmp_path, n=256)
    reference = tmp_path / "reference"
    run_study(load_study(str(path)), reference, jobs=1, progress=False)

    out = tmp_path / "killed"
    proc = _cli(path, out, ASMSIM_TEST_DELAY_S="0.004")  # 1,280 runs ≈ 2.6 s on 2 workers
    runs = out / "runs"
    deadline = time.monotonic() + 60
    while len(list(runs.glob("points-*.parquet"))) < 5 and time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its worker processes, at once
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not (out / "indices.csv").exists()
    done = len(list(runs.glob("points-*.parquet")))
    assert 5 <= done < 32  # stopped midway: 32 chunks of 40 points in all

    resumed = _cli(path, out)
    stdout, stderr = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr.decode()
    again = run_study(load_study(str(path)), out, jobs=1, progress=False)
    assert again.runs_now == 0  # a third start finds everything done
    assert (out / "indices.csv").read_bytes() == (reference / "indices.csv").read_bytes()
    assert not list(runs.glob(".*"))  # no temporary file left behind


def test_dask_localcluster_gives_the_same_indices_as_local_processes(tmp_path):
    from distributed import Client, LocalCluster

    study = load_study(str(write_study(tmp_path, n=128, replicates=2)))
    local = run_study(study, tmp_path / "local", jobs=2, progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        remote = run_study(study, tmp_path / "dask", cluster=cluster.scheduler_address,
                           chunk=16, progress=False)
        # asmsim's worker plugin stopped the workers' statistical profiler (it slows runs).
        profiling = client.run(lambda dask_worker: [
            key for key in ("profile", "profile-cycle")
            if key in dask_worker.periodic_callbacks
            and dask_worker.periodic_callbacks[key].is_running()])
        assert len(profiling) == 2 and not any(profiling.values())
    assert remote.runs_now == local.runs_now == 128 * 5 * 2
    assert ((tmp_path / "dask" / "indices.csv").read_bytes()
            == (tmp_path / "local" / "indices.csv").read_bytes())


def test_chunk_size_and_order_do_not_change_results(tmp_path):
    study = parse_study(yaml.safe_load(write_study(tmp_path, n=64).read_text()))
    a = run_study(study, tmp_path / "a", jobs=1, chunk=7, progress=False)
    b = run_study(study, tmp_path / "b", jobs=2, chunk=64, progress=False)
    pd.testing.assert_frame_equal(a.indices, b.indices)


def test_lost_dask_worker_runs_are_redone(tmp_path, monkeypatch):
    """SIGKILL one Dask worker process mid-study: the study still completes, same indices."""
    import threading

    from distributed import Client, LocalCluster

    path = write_study(tmp_path, n=128)
    run_study(load_study(str(path)), tmp_path / "reference", jobs=1, progress=False)
    monkeypatch.setenv("ASMSIM_TEST_DELAY_S", "0.005")  # inherited by the worker processes
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        victim = next(iter(client.run(os.getpid).values()))
        seen: list[int] = []

        def kill_midway():
            runs, deadline = tmp_path / "dask" / "runs", time.monotonic() + 60
            while len(list(runs.glob("points-*"))) < 4 and time.monotonic() < deadline:
                time.sleep(0.01)
            seen.append(len(list(runs.glob("points-*"))))
            os.kill(victim, signal.SIGKILL)

        killer = threading.Thread(target=kill_midway)
        killer.start()
        result = run_study(load_study(str(path)), tmp_path / "dask",
                           cluster=cluster.scheduler_address, chunk=16, progress=False)
        killer.join()
        assert seen and seen[0] < 40  # killed while most of the 40 chunks were still to run
        assert victim not in client.run(os.getpid).values()  # it really died
    assert result.runs_now == 128 * 5
    assert ((tmp_path / "dask" / "indices.csv").read_bytes()
            == (tmp_path / "reference" / "indices.csv").read_bytes())
