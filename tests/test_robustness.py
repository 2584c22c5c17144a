"""`asmsim robustness`: regret, requirements and PRIM on a tiny ensemble (issue 12 §4).

A stand-in model with a known failure region checks that scenario discovery finds it;
one tiny real ensemble checks the pipeline, common random numbers and resuming.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from asmsim.analysis import robustness as rb
from asmsim.cli.main import main as cli_main
from asmsim.workflows.robustness import robustness

FACTORS = {rb.PRICE_FACTOR: (-0.4, 0.4), "context.initial_trust": (0.2, 0.6),
           "context.exit_rate": (0.02, 0.2)}
SMALL = ["miners=80", "months=12", "context.warmup_months=6"]


class KnownRegion(rb.RobustnessModel):
    """`legal` misses official_sales_share >= 0.2 exactly where the price falls by more
    than 10 % and trust is below 0.35; `baseline` always misses it (0.05)."""

    def run(self, values, seed, study):
        policy = study.policies[int(values["policy"])]
        bad = values[rb.PRICE_FACTOR] < -0.1 and values["context.initial_trust"] < 0.35
        share = 0.05 if policy == "baseline" else (0.1 if bad else 0.3)
        out = {o: 1.0 for o, _ in study.outputs}
        out["official_sales_share"] = share
        return out


def test_prim_finds_the_known_failure_region(tmp_path):
    result = robustness(["baseline", "legal"], futures=300, factors=FACTORS,
                        requirements=["require.official_sales_share>=0.2"], overrides=SMALL,
                        jobs=1, out=tmp_path / "rob", progress=False, model=KnownRegion())
    met = result.requirements.set_index("policy")["all requirements"]
    assert met["baseline"] == 0.0 and 0.6 < met["legal"] < 0.95
    [box] = result.boxes  # baseline always fails: nothing to separate
    assert box.policy == "legal" and box.coverage > 0.8 and box.density > 0.8
    assert "gold_price_change below" in box.description
    assert "context.initial_trust below" in box.description
    assert "exit_rate" not in box.description  # the factor that does not matter
    price = float(box.description.split("gold_price_change below ")[1].split()[0])
    assert -0.16 < price < -0.04
    # regret: legal is the best in every future for the share, baseline trails it
    regret = result.regret.set_index(["policy", "output"])["regret_max"]
    assert regret[("legal", "official_sales_share")] == 0.0
    assert regret[("baseline", "official_sales_share")] == pytest.approx(0.25)


def test_a_tiny_real_ensemble_shares_seeds_and_resumes(tmp_path):
    out = tmp_path / "rob"
    args = {"futures": 3, "requirements": ["require.licensed_share>=0.05"],
            "overrides": SMALL, "factors": FACTORS, "jobs": 1, "out": out, "progress": False}
    first = robustness(["baseline", "legal"], **args)
    runs = pd.concat(pd.read_parquet(f) for f in (out / "runs").glob("*.parquet"))
    samples = pd.read_parquet(out / "samples.parquet")
    both = samples.merge(runs, on="point")
    # common random numbers: every policy of a future got that future's factors
    assert (both.groupby("future")[rb.PRICE_FACTOR].nunique() == 1).all()
    again = robustness(["baseline", "legal"], **args)  # nothing left to run: same tables
    pd.testing.assert_frame_equal(first.outcomes, again.outcomes)
    report = (out / "report.md").read_text()
    assert "## Regret" in report and "licensed_share >= 0.05" in report
    assert set(first.outcomes["policy_name"]) == {"baseline", "legal"}


@pytest.mark.parametrize("args, words", [
    (["policies=[baseline]"], ["at least two"]),
    (["policies=[baseline,legal]", "require.licenced_share>=0.1"], ["'licenced_share'"]),
    (["policies=[baseline,legal]", "require.licensed_share=0.1"], ["not a requirement"]),
    (["policies=[baseline,nope]"], ["'nope'"]),
    (["policies=[baseline,legal]", "require.licensed_share"], ["quote it"]),  # bash ate >=
    (["policies=[baseline,legal]", "posterior=nope"], ["posterior='nope'", "available"]),
    (["futures=5"], ["missing policies="]),
], ids=["one-policy", "output", "operator", "scenario", "shell-redirect", "posterior",
         "no-policies"])
def test_bad_robustness_arguments_exit_2_one_line(tmp_path, monkeypatch, capsys, args, words):
    monkeypatch.chdir(tmp_path)
    code = cli_main(["robustness", *args, "futures=4"] if "futures=5" not in args
                    else ["robustness", *args])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    for word in words:
        assert word in err, (word, err)
    assert not list(tmp_path.iterdir())


def test_requirements_parse_and_judge():
    r = rb.parse_requirement("require.official_sales_share>=0.2", ["official_sales_share"])
    assert str(r) == "official_sales_share >= 0.2"
    assert list(r.met(np.array([0.1, 0.2, 0.3]))) == [False, True, True]
    low = rb.parse_requirement("require.mercury_kg<=5", ["mercury_kg"])
    assert list(low.met(np.array([4.0, 6.0]))) == [True, False]


def test_prim_titles_side_by_side_do_not_overlap():
    """Two failing policies with long box descriptions: each panel's title stays within
    its own panel's width (drawn, not estimated), so neither runs into the other."""
    from asmsim.present.robustness_plots import prim_figure

    trajectory = pd.DataFrame({"coverage": [1.0, 0.9], "density": [0.7, 0.95],
                               "res_dim": [0, 3]})
    description = ("context.initial_trust above 0.212 and context.trust_weight_usd above 1.52 "
                   "and context.exit_rate above 0.0287 and gold_price_change below 0.198")
    boxes = [rb.FailureBox(policy, description, 0.9, 0.95, 3, 50, 100, trajectory, 1)
             for policy in ("royalty_cut", "royalty3_centres")]
    fig = prim_figure(boxes)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    left, right = (ax.title.get_window_extent(renderer) for ax in fig.axes[::2])
    assert left.x1 < right.x0, (left, right)


def test_calibrated_factors_vary_within_the_shipped_posterior():
    """Issue 12 §4: parameter draws from the calibration posterior where it exists: by
    default each calibrated key varies over its posterior's weighted 5-95 % interval (the
    report says so); ``posterior=none`` gives the prior ranges of the target file."""
    from asmsim.analysis.calibration import load_targets
    from asmsim.config.posterior import load_posterior, marginal
    from asmsim.present.robustness_report import _ranges_from
    from asmsim.workflows.robustness import plan

    post = load_posterior("status_quo")
    priors = {p.key: (p.low, p.high) for p in load_targets("status_quo").priors}
    study, _ = plan(["baseline", "legal"], 4, [], SMALL, None, 1)
    ranges = {p.key: (p.low, p.high) for p in study.parameters[2:]}
    assert study.posterior == "status_quo" and set(study.posterior_keys) == set(priors)
    for key, (low, high) in priors.items():
        q05, _, q95 = marginal(post, key)
        assert ranges[key] == pytest.approx((q05, q95))
        assert low <= q05 < q95 <= high
    assert ranges[rb.PRICE_FACTOR] == rb.DEFAULT_FACTORS[rb.PRICE_FACTOR]
    assert "posterior `status_quo`" in _ranges_from(study)
    wide, _ = plan(["baseline", "legal"], 4, [], SMALL, None, 1, posterior="none")
    assert {p.key: (p.low, p.high) for p in wide.parameters[2:]} == {
        **rb.DEFAULT_FACTORS, **priors}
    assert wide.posterior is None and "prior ranges" in _ranges_from(wide)
    assert wide.digest() != study.digest()  # a resumed folder cannot mix the two


def test_a_box_says_how_much_of_each_range_it_keeps():
    """A restriction keeping most of a factor's range (exit rate above the lowest 5 %)
    says little; the description gives the share kept, so an analyst can tell."""
    limits = pd.DataFrame({"a": [0.0, 0.3], "b": [0.5, 2.0], "c": [1.0, 2.0], "d": [0.0, 1.0]})
    full = pd.DataFrame({"a": [0.0, 1.0], "b": [0.0, 2.0], "c": [0.0, 4.0], "d": [0.0, 1.0]})
    assert rb.describe_box(limits, full) == (
        "a below 0.3 (lowest 30% of its range) and b above 0.5 (highest 75% of its range) "
        "and c between 1 and 2 (25% of its range)")
