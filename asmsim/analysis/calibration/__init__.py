"""Calibration against field targets (ABC-SMC with pyabc): target files, the run, the posterior."""

from asmsim.analysis.calibration.targets import Prior, Target, TargetSet, load_targets

__all__ = ["Prior", "Target", "TargetSet", "load_targets"]
