# Every target bootstraps .venv itself: on a fresh machine one command is enough.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Jupyter refuses to run as root unless told to (containers and CI machines run as root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help bootstrap test lint lab demo course validate clean

help:
	@echo "make lab    the course in JupyterLab (a learner's workspace/)"
	@echo "make demo   the whole PMO on a simulated cohort (demo/)"
	@echo "make test   lint, type-check and the whole test suite"
	@echo "make course build the nbgrader course's release versions (instructors)"
	@echo "make validate  every scenario's gate notebooks over references and flaws (authors)"

# Re-installs when the pinned stack in pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

bootstrap: $(STAMP)

# mypy cannot follow setuptools' package-dir mapping (widgets/ -> livepmo.widgets, ...), so
# it checks a tree of symlinks laid out the way the package is installed.
TYPECHECK := build/typecheck

lint: $(STAMP)
	$(BIN)/ruff check .
	@rm -rf $(TYPECHECK) && mkdir -p $(TYPECHECK)/livepmo
	@for f in livepmo/*; do ln -s "$(CURDIR)/$$f" $(TYPECHECK)/livepmo/; done
	@for d in widgets autograder scenarios; do ln -s "$(CURDIR)/$$d" $(TYPECHECK)/livepmo/$$d; done
	cd $(TYPECHECK) && $(CURDIR)/$(BIN)/mypy --config-file $(CURDIR)/pyproject.toml -p livepmo

# The browser test drives Debian's Chromium (never Playwright's own download, which this
# network refuses). Installed once; needs root, as on CI machines.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

test: lint $(CHROMIUM)
	$(BIN)/pytest

# A learner's workspace (workspace/: the released notebooks; your work there is kept).
lab: $(STAMP)
	$(BIN)/livepmo course workspace workspace
	@echo "Starting JupyterLab on workspace/ — open the http://127.0.0.1 URL printed below."
	cd workspace && ../$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --no-browser $(ROOT_FLAG)

# The whole matrix: every scenario × gate × (reference and every flaw), headless.
validate: $(STAMP)
	$(BIN)/livepmo validate --junit build/validate-junit.xml

# The instructor's release build: source notebooks, then nbgrader generate_assignment.
course: $(STAMP)
	$(BIN)/livepmo course build

# The whole PMO on a simulated cohort: course, grading in parallel, feedback, dashboard.
demo: $(STAMP)
	$(BIN)/livepmo demo --out demo

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache test-artifacts \
		course/release course/gradebook.db course/nbgrader.log validation-failures demo
