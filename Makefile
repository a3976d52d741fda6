# Every target bootstraps .venv itself: on a fresh machine one command is enough.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Jupyter refuses to run as root unless told to (containers and CI machines run as root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help bootstrap test lint lab demo clean

help:
	@echo "make lab    JupyterLab on the course (course/)"
	@echo "make demo   the PMO pipeline on the example project"
	@echo "make test   lint, type-check and the whole test suite"

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

test: lint
	$(BIN)/pytest

lab: $(STAMP)
	@echo "Starting JupyterLab on course/ — open the http://127.0.0.1 URL printed below."
	$(BIN)/jupyter lab --notebook-dir=course --ServerApp.ip=127.0.0.1 --no-browser $(ROOT_FLAG)

demo: $(STAMP)
	$(BIN)/livepmo check examples/erp-rollout/deliverables
	$(BIN)/livepmo show examples/erp-rollout/deliverables
	$(BIN)/livepmo scenarios

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache test-artifacts
