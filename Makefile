# make demo  - set up, then preview and up the root project against the local Macie2 emulator
# make test  - every check and test: unit, emulator and end-to-end (real Pulumi CLI), and beside
#              them ruff, mypy and the version-sensitive tests at both ends of the supported ranges
# make dist  - the sdist and the wheel in dist/, metadata checked
# make check - the inner loop: lint and every test that needs no Pulumi CLI
# make bench - benchmarks (writes bench/RESULTS.md)
# make release-wheel TAG=vX.Y.Z - add a tagged release's wheel to tests/upgrade/releases/

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CONSTRAINTS := requirements/dev.txt

.PHONY: setup demo test test-newest test-oldest check lint dist bench release-wheel clean

setup: $(INSTALLED)
	@tools/pulumi-cli/build.sh $(BIN)
	@tools/pulumi-cli/venv-wrapper.sh $(VENV)

# Re-installs only when pyproject.toml or the pinned development versions change.
$(INSTALLED): pyproject.toml $(CONSTRAINTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e '.[dev]'
	@touch $@
	@echo "python environment ready in $(VENV)"

demo: setup
	@PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/demo.py

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@# Every example is a module named __main__ (in folders that are not package names):
	@# mypy can check only one __main__ a run. Beside it, an example's scripts (org-fleet's).
	for program in examples/*/*.py; do $(BIN)/mypy --strict "$$program" || exit 1; done

# Beside the main suite, which waits on the CLI much of its time, one after the other: lint,
# then the two ends of the supported ranges (their own venvs, emulators and backends; not
# through `setup`, which must not relink .venv/bin while the suite runs the CLI from it).
# Their output is kept in .venvs/beside.log and printed after the suite's. The suite lists
# its 25 slowest tests: where sharing a stack saves the most CLI runs.
test: setup
	@mkdir -p .venvs
	@{ failed=0; \
		echo "== make lint"; $(MAKE) --no-print-directory lint || failed=1; \
		for end in newest oldest; do \
			echo "== make test-$$end"; $(SUPPORTED_VERSIONS) $$end || failed=1; \
		done; exit $$failed; } > .venvs/beside.log 2>&1 & beside=$$!; \
	trap 'kill $$beside 2>/dev/null' INT TERM; \
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest --durations=25; suite=$$?; \
	wait $$beside; besides=$$?; \
	cat .venvs/beside.log; \
	test $$suite -eq 0 && test $$besides -eq 0

# The newest pulumi SDK (and every other dependency) on the newest supported Python, and
# the oldest supported versions on the oldest Python: see tools/supported_versions.py.
SUPPORTED_VERSIONS = PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/supported_versions.py
test-newest test-oldest: setup
	$(SUPPORTED_VERSIONS) $(@:test-%=%)

dist: $(INSTALLED)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

check: lint
	$(BIN)/pytest -m "not e2e"

bench: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m bench

# The upgrade tests install every release listed in tests/upgrade/releases/RELEASES.
release-wheel: $(INSTALLED)
	@test -n "$(TAG)" || { echo "usage: make release-wheel TAG=vX.Y.Z" >&2; exit 2; }
	@PYTHON=$(BIN)/python tools/release-wheel.sh $(TAG)

clean:
	rm -rf $(VENV) .venvs dist build .pulumi-demo .pytest_cache .mypy_cache .ruff_cache
