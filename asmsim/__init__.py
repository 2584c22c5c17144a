"""asmsim: an agent-based simulator of artisanal and small-scale mining formalization policy.

Python API (no files written unless ``out`` is given)::

    import asmsim
    table = asmsim.simulate(["scenario=integrated", "miners=1000"], seed=1)
    scalars = asmsim.outcomes(["scenario=integrated"], seed=1)
    result = asmsim.compare(["legal", "integrated"], replicates=10)  # .table, .timeseries
    asmsim.compare(["legal"], replicates=10, out="results/brief")      # + the folder
    asmsim.compare(["legal"], posterior="status_quo", draws=50)  # + parameter uncertainty
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("asmsim")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0+unknown"


def simulate(overrides=(), seed=0, *, posterior=None, draw=0):
    """The monthly output table (spec §7 columns) of one run, optionally at a calibration
    posterior's draw ``draw``; see :mod:`asmsim.run.api`."""
    from asmsim.run.api import simulate as _simulate

    return _simulate(overrides, seed, posterior=posterior, draw=draw)


def outcomes(overrides=(), seed=0, *, posterior=None, draw=0):
    """Scalar outcomes (last-12-month means) of one run; see :mod:`asmsim.run.api`."""
    from asmsim.run.api import outcomes as _outcomes

    return _outcomes(overrides, seed, posterior=posterior, draw=draw)


def __getattr__(name: str):
    """``asmsim.compare``: :func:`asmsim.workflows.compare.compare`, imported on first use."""
    if name == "compare":
        from asmsim.workflows.compare import compare

        return compare
    raise AttributeError(f"module 'asmsim' has no attribute {name!r}")


__all__ = ["__version__", "compare", "outcomes", "simulate"]
