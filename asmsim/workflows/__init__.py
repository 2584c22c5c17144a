"""Whole jobs as Python functions: run, compare, sensitivity.

A workflow runs the model (:mod:`asmsim.run`), analyses the tables
(:mod:`asmsim.analysis`), hands them to :mod:`asmsim.present` for figures and
reports, and writes the folder through :mod:`asmsim.results`. The commands of
:mod:`asmsim.cli` only parse, call one workflow and print.
"""
