# Every target creates .venv (if missing) and installs the project into it first,
# so `make test` and `make html` work on a fresh machine with only python3.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: test benchmark benchmark-site clean html html-en html-ko serve linkcheck

EDITIONS := en ko
# Strict: every warning is an error; keep going to report all of them; flag broken references.
SPHINXOPTS ?= -W --keep-going -n
SPHINXBUILD = $(BIN)/python -m sphinx -c . $(SPHINXOPTS)

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,docs]'
	touch $@

## test: the unit, parity and property tests plus the package's doctests
test: $(INSTALLED)
	$(BIN)/python -m pytest

## benchmark: forward, and forward+backward, of lstm_ref against torch, as ratios
benchmark: $(INSTALLED)
	$(BIN)/python benchmarks/forward.py
	$(BIN)/python benchmarks/backward.py

## benchmark-site: cold and no-change build times, and the weight of one page
benchmark-site: $(INSTALLED)
	$(BIN)/python benchmarks/site.py
	$(BIN)/python benchmarks/pages.py

## html: both editions into _build/html/{en,ko}, plus the root page that picks one
html: $(addprefix html-,$(EDITIONS))
	cp docs/root/index.html _build/html/index.html

# Each edition builds in _build/<edition>/ (with its own doctrees, executed
# notebooks and warning log); the site is assembled in _build/html/.
$(addprefix html-,$(EDITIONS)): html-%: $(INSTALLED)
	@mkdir -p _build/$* _build/html
	$(SPHINXBUILD) -b html -D language=$* -d _build/$*/doctrees -w _build/$*/warnings.log \
		docs/$* _build/$*/html
	rm -rf _build/html/$* && cp -R _build/$*/html _build/html/$*

## serve: rebuild an edition on every change and serve it (EDITION=en or ko)
EDITION ?= en
serve: $(INSTALLED)
	$(BIN)/sphinx-autobuild -c . -D language=$(EDITION) --watch src --watch docs/_ext \
		--watch docs/_static --watch docs/_templates docs/$(EDITION) _build/serve/$(EDITION)

## linkcheck: check external links (needs a network)
linkcheck: $(INSTALLED)
	$(foreach e,$(EDITIONS),$(SPHINXBUILD) -b linkcheck -D language=$(e) docs/$(e) _build/linkcheck/$(e) &&) true

clean:
	rm -rf _build .jupyter_cache .pytest_cache .hypothesis test-artifacts
