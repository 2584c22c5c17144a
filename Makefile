# asmsim — two commands do everything: `make run` and `make test`.
# Each creates (or reuses) .venv with a Python >= 3.12 found on this machine.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS  ?=

# First Python >= 3.12: python3.13/python3.12 on PATH, else a pyenv install.
FIND_PYTHON = for c in python3.13 python3.12 python3; do \
	  p=$$(command -v $$c 2>/dev/null) || continue; \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit 0; }; \
	done; \
	if command -v pyenv >/dev/null 2>&1; then \
	  for v in 3.13 3.12; do \
	    pre=$$(pyenv prefix $$v 2>/dev/null) && [ -x $$pre/bin/python3 ] && { echo $$pre/bin/python3; exit 0; }; \
	  done; \
	fi; \
	for pre in $$HOME/.pyenv/versions/3.13* $$HOME/.pyenv/versions/3.12*; do \
	  [ -x $$pre/bin/python3 ] && { echo $$pre/bin/python3; exit 0; }; \
	done; exit 1

.PHONY: run test venv dashboard bench lint clean assets

$(STAMP): pyproject.toml
	@py=$$($(FIND_PYTHON)) || { echo "asmsim needs Python >= 3.12: install python3.12 (or pyenv install 3.12) and retry" >&2; exit 1; }; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  echo "creating $(VENV) with $$py"; rm -rf $(VENV); $$py -m venv $(VENV); fi
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m asmsim.present.dashboard.assets || echo "warning: dashboard assets not fetched (npm registry unreachable?)" >&2
	@touch $(STAMP)

assets: $(STAMP)
	$(PY) -m asmsim.present.dashboard.assets

venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/asmsim run $(ARGS)

test: $(STAMP)
	$(PY) -m pytest -q -n auto --dist loadfile --no-loadscope-reorder $(ARGS)

dashboard: $(STAMP)
	$(VENV)/bin/asmsim dashboard $(ARGS)

bench: $(STAMP)
	$(PY) benchmarks/bench_model.py

lint: $(STAMP)
	$(VENV)/bin/ruff check asmsim tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
