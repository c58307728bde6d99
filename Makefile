# Every target creates .venv (if missing) and installs the project into it first,
# so `make test` and `make html` work on a fresh machine with only python3.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: test test-builds test-browser check test-package lint benchmark benchmark-site clean html html-en html-ko serve linkcheck

EDITIONS := en ko
# Both editions build at once where there are cores for it (JOBS=1 builds one after the other).
JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 2 ] && n=2; echo $$n)
# Strict: every warning is an error; keep going to report all of them; flag broken references.
SPHINXOPTS ?= -W --keep-going -n
# sphinx-build, ending without the interpreter's teardown (docs/_ext/sphinx_build.py).
SPHINXBUILD = $(BIN)/python docs/_ext/sphinx_build.py -c . $(SPHINXOPTS)
SITE := _build/html

# What a build of an edition reads: its own tree, the shared assets and extensions, the
# package the pages run, conf.py. Folders are listed too, so that adding or deleting a page
# counts as a change. The other edition's tree is not among them: the editions are
# compared by the parity check below, which reads both trees but needs no Sphinx.
SHARED := conf.py $(INSTALLED) $(shell find docs src/lstm_ref -name __pycache__ -prune -o \
	$(foreach e,$(EDITIONS),-path docs/$(e) -prune -o) -print)
$(foreach e,$(EDITIONS),$(eval $(e)_SOURCES := $(shell find docs/$(e) -print)))
# Both editions have the same pages, sections, code and claims (edition_parity.py, the same
# comparison a plain sphinx-build of an edition makes): a change to either tree runs it.
PARITY := _build/parity.ok
# The Korean interface strings, compiled into the build (the tree keeps only the .po).
MESSAGES := $(patsubst docs/%.po,_build/%.mo,$(wildcard docs/locale/*/LC_MESSAGES/*.po))

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,docs]'
	touch $@

# The tests run in one process per core (pytest-xdist; TESTJOBS=1 runs them in one), a module
# to a process, so that a module-scoped fixture (the browser and the pages it visited) is made
# once. (--dist loadgroup would spread them finer, but pytest-xdist 3.8 under pytest 9 ignores
# its groups: pytest-dev/pytest-xdist#1386.) Modules go out in the order tests/site/conftest.py
# gives, the builds of project copies first, not largest test count first.
TESTJOBS ?= $(shell nproc 2>/dev/null || echo 1)
PYTEST = $(BIN)/python -m pytest $(if $(filter 1,$(TESTJOBS)),-p no:xdist,-n $(TESTJOBS) --dist loadscope \
	--no-loadscope-reorder)

# The browser pass measures how pages load (layout shift among them): it runs alone, after the
# rest, so that no other test takes the CPU from under the browser.
BROWSER_TESTS := tests/site/test_browser.py

## test: the contributor's loop: the linter and the site's build, then the package's tests and
## doctests, the build's checks and the built site (read from _build/html, which is then up to
## date), in about a minute; every test but the two slow groups that `make check` adds
test: lint html
	$(PYTEST) --ignore=$(BROWSER_TESTS) -m "not slow"

## test-builds: the tests marked slow, which build copies of the project or small sites, or start
## the kernels' fork server: strictness on every run, an edit rebuilding what a cold build
## writes, two fresh clones building at once, claims without checks, a kernel per page
test-builds: $(INSTALLED)
	$(PYTEST) --ignore=$(BROWSER_TESTS) -m slow

## test-browser: every page of both editions in Chromium at 390 and 1366 px (needs chromium)
test-browser: html
	$(BIN)/python -m pytest -p no:xdist $(BROWSER_TESTS)

## check: everything CI runs: `make test`, then `make test-builds`, then `make test-browser`
# One after the other, also under `make -j`: the browser pass measures how pages load and
# runs with the machine to itself.
check:
	$(MAKE) --no-print-directory test
	$(MAKE) --no-print-directory test-builds
	$(MAKE) --no-print-directory test-browser

## test-package: the package's tests and doctests alone (no site build)
test-package: $(INSTALLED)
	$(PYTEST) -m "not site"

## lint: ruff (configured in pyproject.toml) over the package, tests, benchmarks and Sphinx extensions
lint: $(INSTALLED)
	$(BIN)/python -m ruff check src tests benchmarks docs/_ext conf.py

## benchmark: forward, and forward+backward, of lstm_ref against torch, ONNX's reference and Keras
benchmark: $(INSTALLED)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[benchmark]'
	$(BIN)/python benchmarks/forward.py
	$(BIN)/python benchmarks/backward.py

## benchmark-site: cold, no-change and one-page-edit builds, per phase; each page's weight and scores
benchmark-site: $(INSTALLED)
	$(BIN)/python benchmarks/site.py
	$(BIN)/python benchmarks/pages.py

## html: both editions into _build/html/{en,ko}, plus the root page that picks one
# -k: a failing edition or parity check does not stop the others, so one run reports every fault.
# The editions' builds share one kernel fork server, stopped when they end (kernel_share.py).
html:
	@$(PYTHON) docs/_ext/kernel_share.py $(MAKE) --no-print-directory -k -j$(JOBS) $(addprefix $(SITE)/,$(addsuffix /.buildinfo,$(EDITIONS))) \
		$(SITE)/index.html $(PARITY)

## html-en, html-ko: one edition into _build/html/<edition>
$(addprefix html-,$(EDITIONS)): html-%: $(SITE)/%/.buildinfo

$(SITE)/index.html: docs/root/index.html
	@mkdir -p $(@D)
	cp $< $@

_build/locale/%.mo: docs/locale/%.po $(INSTALLED)
	@mkdir -p $(@D)
	$(BIN)/pybabel --quiet compile --input-file $< --output-file $@

# Two builds of one tree at once (`make html` while `make test` builds) take turns per edition.
LOCK = $(if $(shell command -v flock),flock _build/$*.lock,)

# Each edition builds in _build/<edition>/ (with its own doctrees, executed notebooks and
# warning log) and, once it and the parity check passed, replaces _build/html/<edition>/.
# _build/<edition>/built dates the edition's last passing Sphinx run, and Sphinx runs only
# when a source is newer than that: after a failed build it runs (and fails) again.
# Sphinx leaves the parity check to $(PARITY), which runs beside it (on the other core).
$(PARITY): $(foreach e,$(EDITIONS),$($(e)_SOURCES)) docs/_ext/edition_parity.py docs/_ext/claims.py \
		$(INSTALLED)
	@mkdir -p $(@D)
	$(BIN)/python docs/_ext/edition_parity.py --check claims:same_claims $(addprefix docs/,$(EDITIONS))
	@touch $@

.SECONDEXPANSION:
$(foreach e,$(EDITIONS),_build/$(e)/built): _build/%/built: $(SHARED) $$($$*_SOURCES) $(MESSAGES)
	@mkdir -p _build/$*
	$(LOCK) $(SPHINXBUILD) -D parity_check=0 -b html -D language=$* -d _build/$*/doctrees \
		-w _build/$*/warnings.log docs/$* _build/$*/html
	@touch $@

$(SITE)/%/.buildinfo: _build/%/built $(PARITY)
	@mkdir -p $(SITE)
	$(LOCK) sh -c 'rm -rf $(SITE)/$* && cp -R _build/$*/html $(SITE)/$*'

## serve: rebuild an edition on every change and serve it (EDITION=en or ko)
EDITION ?= en
serve: $(INSTALLED) $(MESSAGES)
	$(BIN)/sphinx-autobuild -c . -D language=$(EDITION) --watch src --watch docs/_ext \
		--watch docs/_static --watch docs/_templates docs/$(EDITION) _build/serve/$(EDITION)

## linkcheck: check external links (needs a network)
linkcheck: $(INSTALLED) $(MESSAGES)
	$(foreach e,$(EDITIONS),$(SPHINXBUILD) -b linkcheck -D language=$(e) docs/$(e) _build/linkcheck/$(e) &&) true

clean:
	rm -rf _build .jupyter_cache .pytest_cache .hypothesis test-artifacts
