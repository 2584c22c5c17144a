"""Bad input of every kind: exit code 2, one line naming the key and the value, nothing written.

Each case is a command line, the files it reads (scenario files, study files,
a file in the way of ``out=``) and words its one-line message must contain.
The commands run in this process (as ``asmsim`` would) in an empty working
folder, which must hold nothing new afterwards.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from asmsim.cli.main import main as cli_main
from tests.conftest import REPO

TINY = ["miners=50", "months=3"]
SCENARIO = "# @package _global_\nscenario_name: mine\n"
ISHIGAMI = ("model: ishigami\nmethod: sobol\nn: 8\nparameters:\n  x1: [-3, 3]\n  x2: [-3, 3]\n"
            "outputs:\n  y: final\n")
ASM = ("method: morris\nn: 2\nscenario: baseline\noverrides: [miners=50, months=3]\n"
       "parameters:\n  policy.market.royalty_rate: [0, 0.1]\noutputs:\n  licensed_share: final\n")


def study(text: str = ISHIGAMI, **changes: str) -> dict[str, str]:
    """A study file ``study.yaml``: ``text`` with top-level keys set to YAML ``changes``."""
    data = yaml.safe_load(text) | {k: yaml.safe_load(v) for k, v in changes.items()}
    return {"study.yaml": yaml.safe_dump(data)}


def scenario(body: str) -> dict[str, str]:
    """A scenario file ``configs/scenario/mine.yaml`` (selected with ``scenario=mine``)."""
    return {"scenario/mine.yaml": SCENARIO + body}


CASES = [
    # ---- CLI keys (run, compare, sensitivity)
    ("fee-inf", ["run", "policy.legal.licence_fee_usd=inf"], {},
     ["policy.legal.licence_fee_usd=inf", "finite number in [0, 1e+06]"]),
    ("tonnes-huge", ["run", "context.tonnes_digger=1e308"], {},
     ["context.tonnes_digger=1e+308", "out of range", "[0, 100]"]),
    ("price-inf", ["run", "context.price.initial_usd_per_g=inf"], {},
     ["context.price.initial_usd_per_g=inf", "[1, 1000]"]),
    ("price-nan", ["run", "context.price.initial_usd_per_g=nan"], {},
     ["context.price.initial_usd_per_g=nan", "finite"]),
    ("months-huge", ["run", "months=100000"], {}, ["months=100000", "[1, 1200]"]),
    ("miners-huge", ["run", "miners=1e12"], {}, ["miners=1000000000000", "[1, 5000000]"]),
    ("seed-inf", ["run", "seed=inf"], {}, ["seed=inf", "whole number"]),
    ("name-absolute", ["run", "scenario_name=/tmp/elsewhere"], {},
     ["scenario_name='/tmp/elsewhere'", "letters, digits"]),
    ("name-parent", ["run", "scenario_name=../../.."], {}, ["scenario_name='../../..'"]),
    ("env-interpolation", ["run", "description=${oc.env:HOME}"], {},
     ["description='${oc.env:HOME}'", "interpolation"]),
    ("env-quoted", ["run", "out='${oc.env:HOME}'"], {}, ["out=", "${oc.env:HOME}", "interpolation"]),
    ("shock-key", ["run", "context.shocks=[{mnth: 3}]"], {},
     ["context.shocks[0]", "'mnth'", "did you mean month?", "kind, month, duration, size"]),
    ("shock-late", ["run", "months=24", "context.shocks=[{kind: flood, month: 500}]"], {},
     ["context.shocks[0]", "month=500", "months=24"]),
    ("schedule-late", ["run", "months=24",
                       "policy_schedule=[{month: 300, key: policy.market.royalty_rate, value: 0}]"],
     {}, ["policy_schedule[0]", "month=300", "months=24"]),
    ("schedule-key", ["run", ("policy_schedule=[{month: 2, key: policy.market.royalty_rat, "
                      "value: 0}]")], {},
     ["policy_schedule[0]", "policy.market.royalty_rat", "did you mean policy.market.royalty_rate"]),
    ("schedule-value", ["run", ("policy_schedule=[{month: 2, key: policy.market.royalty_rate, "
                        "value: 7}]")], {},
     ["policy_schedule[0]: policy.market.royalty_rate=7", "[0, 1]"]),
    ("scenario-typo", ["run", "scenario=basline"], {}, ["scenario='basline'", "did you mean baseline"]),
    ("key-typo", ["run", "policy.legal.licence_fe_usd=3"], {},
     ["policy.legal.licence_fe_usd", "did you mean policy.legal.licence_fee_usd"]),
    ("out-file", ["run", "out=taken"], {"taken": "a file\n"}, ["out=taken", "is a file"]),
    ("out-under-file", ["run", "out=taken/run"], {"taken": "a file\n"},
     ["out=taken/run", "is a file"]),
    ("out-foreign", ["run", "out=mine"], {"mine/notes.txt": "mine\n"},
     ["out=mine", "holding other files"]),
    ("out-study", ["run", "out=study"], {"study/manifest.json": '{"digest": "0f"}\n'},
     ["out=study", "holding other files"]),
    ("out-unwritable", ["run", "out=/proc/asmsim-run"], {}, ["out=/proc/asmsim-run", "cannot write"]),
    ("compare-out-file", ["compare", "scenarios=[legal]", "replicates=2", "out=taken"],
     {"taken": "a file\n"}, ["out=taken", "is a file"]),
    ("compare-fee-inf", ["compare", "scenarios=[legal]", "replicates=2",
                         "policy.legal.fine_usd=inf"], {}, ["policy.legal.fine_usd=inf", "finite"]),
    ("sensitivity-n", ["sensitivity", "experiment=study.yaml", "n=99999999999"], study(),
     ["n=99999999999", "[1, 1048576]"]),
    ("sensitivity-jobs", ["sensitivity", "experiment=study.yaml", "jobs=many"], study(),
     ["jobs='many'", "whole number"]),
    ("sensitivity-chunk", ["sensitivity", "experiment=study.yaml", "chunk=-1"], study(),
     ["chunk=-1", "[0, 1000000]"]),
    ("sensitivity-progress", ["sensitivity", "experiment=study.yaml", "progress=maybe"], study(),
     ["progress='maybe'", "true or false"]),
    ("sensitivity-key", ["sensitivity", "experiment=study.yaml", "chunks=4"], study(),
     ["'chunks'", "did you mean chunk?", "allowed: experiment"]),
    ("sensitivity-out-file", ["sensitivity", "experiment=study.yaml", "out=taken"],
     {**study(), "taken": "a file\n"}, ["out=taken", "is a file"]),
    ("sensitivity-cluster", ["sensitivity", "experiment=study.yaml", "cluster=nowhere", "out=o"],
     study(), ["cluster='nowhere'", "tcp://HOST:PORT"]),
    # ---- study files
    ("study-inf", ["sensitivity", "experiment=study.yaml"],
     study(parameters="{x1: [0, .inf], x2: [-3, 3]}"), ["parameters.x1", "inf", "finite"]),
    ("study-asm-inf", ["sensitivity", "experiment=study.yaml"],
     study(ASM, parameters="{policy.legal.licence_fee_usd: [0, .inf]}"),
     ["parameters.policy.legal.licence_fee_usd", "inf", "finite"]),
    ("study-asm-range", ["sensitivity", "experiment=study.yaml"],
     study(ASM, parameters="{policy.legal.licence_fee_usd: [0, 1.0e+9]}"),
     ["parameters.policy.legal.licence_fee_usd=[0, 1e+09]", "[0, 1e+06]"]),
    ("study-n", ["sensitivity", "experiment=study.yaml"], study(n="4294967296"),
     ["n=4294967296", "[1, 1048576]"]),
    ("study-seed", ["sensitivity", "experiment=study.yaml"], study(seed="-4"),
     ["seed=-4", "whole number"]),
    ("study-key", ["sensitivity", "experiment=study.yaml"], study(methd="sobol"),
     ["'methd'", "allowed: method"]),
    ("study-yaml", ["sensitivity", "experiment=study.yaml"], {"study.yaml": "n: [1, 2\n"},
     ["study.yaml, line 2", "not valid YAML"]),
    ("study-overrides", ["sensitivity", "experiment=study.yaml"],
     study(ASM, overrides="[miners=50, months=0]"), ["overrides", "months=0", "[1, 1200]"]),
    ("study-env", ["sensitivity", "experiment=study.yaml"],
     study(ASM, overrides="['description=${oc.env:HOME}']"), ["${oc.env:HOME}", "interpolation"]),
    # ---- scenario files (configs/scenario/mine.yaml, run with scenario=mine)
    ("file-yaml", ["run", "scenario=mine"], scenario("policy:\n  legal: {licence_fee_usd: [1\n"),
     ["mine.yaml, line 5", "not valid YAML"]),
    ("file-type", ["run", "scenario=mine"], scenario("policy:\n  legal:\n    licence_fee_usd: cheap\n"),
     ["mine.yaml, line 5", "policy.legal.licence_fee_usd='cheap'", "a number in [0, 1e+06]"]),
    ("file-key", ["run", "scenario=mine"], scenario("policy:\n  legal:\n    licence_fe_usd: 3\n"),
     ["mine.yaml, line 5", "policy.legal.licence_fe_usd", "did you mean licence_fee_usd?"]),
    ("file-section", ["run", "scenario=mine"], scenario("polcy:\n  legal: {}\n"),
     ["mine.yaml, line 3", "'polcy'", "did you mean policy?"]),
    ("file-shock", ["run", "scenario=mine"],
     scenario("context:\n  shocks:\n    - {kind: flood, month: 2}\n    - {kind: flood, mnth: 2}\n"),
     ["mine.yaml, line 6", "context.shocks[1]", "'mnth'", "did you mean month?"]),
    ("file-inf", ["run", "scenario=mine"], scenario("context:\n  tonnes_digger: .inf\n"),
     ["mine.yaml, line 4", "context.tonnes_digger=inf", "finite"]),
    ("file-name", ["run", "scenario=mine"],
     {"scenario/mine.yaml": "# @package _global_\nscenario_name: ../../escape\n"},
     ["mine.yaml, line 2", "scenario_name='../../escape'"]),
    ("file-env", ["run", "scenario=mine"], scenario("description: ${oc.env:HOME}\n"),
     ["mine.yaml, line 3", "description='${oc.env:HOME}'", "interpolation"]),
    ("file-late", ["run", "scenario=mine", "months=24"],
     scenario("context:\n  shocks:\n    - {kind: price_spike, month: 500}\n"),
     ["context.shocks[0]", "month=500", "months=24"]),
    ("file-list", ["run", "scenario=mine"], {"scenario/mine.yaml": "- 1\n- 2\n"},
     ["mine.yaml, line 1", "expected a mapping"]),
]


def _tree(folder) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("args, files, words", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_bad_input_exit_2_one_line_nothing_written(tmp_path, monkeypatch, capsys, args, files,
                                                  words):
    work = tmp_path / "work"
    work.mkdir()
    configs = tmp_path / "configs"
    for name, text in files.items():
        target = (configs if name.startswith("scenario/") else work) / name
        if name.startswith("scenario/") and not configs.exists():
            shutil.copytree(REPO / "configs", configs)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    if configs.exists():
        monkeypatch.setenv("ASMSIM_CONFIG_DIR", str(configs))
    monkeypatch.chdir(work)
    before = _tree(work)
    extra = TINY if args[0] != "sensitivity" else []
    code = cli_main([args[0], *extra, *args[1:]])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    for word in words:
        assert word in err, (word, err)
    assert _tree(work) == before, "something was written"


@pytest.mark.parametrize("args", [["run", "miners=-5"], ["run", "scenario=nope"],
                                  ["run", "--multirun", "scenario=baseline,nope"],
                                  ["sensitivity", "experiment=ishigami", "jobs=x"],
                                  ["calibrate", "targets=nope"],
                                  ["calibrate", "targets=status_quo", "particles=1"],
                                  ["compare", "scenarios=[legal,nope]"],
                                  ["robustness", "policies=[legal,legal]"]])
def test_a_refused_command_answers_before_the_model_loads(args):
    """``asmsim run``, ``compare``, ``sensitivity``, ``calibrate`` and ``robustness``
    validate their arguments before they import the model, Mesa, SciPy and Matplotlib
    (≈ 3.5 s on the development machine), so a typo is answered in about a second;
    ``asmsim shocks`` never loads them. (Checks that need the model's output list, a
    calibration's target file or a robustness requirement, come after.)"""
    import subprocess
    import sys

    probe = ("import sys; from asmsim.cli.main import main; code = main(sys.argv[1:]); "
             "heavy = sorted({'mesa', 'asmsim.model', 'matplotlib.pyplot', 'scipy.stats'} "
             "& set(sys.modules)); print(code, heavy)")
    for argv, expected in ((args, "2 []"), (["shocks"], "0 []")):
        done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True,
                              text=True, timeout=60, cwd=REPO, check=False)
        assert done.stdout.strip().splitlines()[-1] == expected, (argv, done.stdout,
                                                                  done.stderr)
