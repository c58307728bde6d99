# Every target creates .venv (if missing) and installs the project into it first,
# so `make test` and `make html` work on a fresh machine with only python3.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: test benchmark clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,docs]'
	touch $@

## test: the unit, parity and property tests plus the package's doctests
test: $(INSTALLED)
	$(BIN)/python -m pytest

## benchmark: forward-pass time of lstm_ref against torch, as ratios
benchmark: $(INSTALLED)
	$(BIN)/python benchmarks/forward.py

clean:
	rm -rf _build .jupyter_cache .pytest_cache .hypothesis test-artifacts
