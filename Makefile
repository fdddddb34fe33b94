# backprop-viz: `make run` serves the app, `make test` runs every test, `make bench` measures.
#
# `make run` installs only what running needs: the package and its runtime dependencies
# (`pip install -e .`). The front-end libraries are committed under static/vendor, so
# neither node nor npm is needed to run. `make test` adds the test extras, Debian's Chromium
# (when /usr/bin/chromium is missing and you are root) and Node.js's test runner for
# tests/js. Each install is redone only when pyproject.toml changes (stamps in .venv).
# Playwright drives the system Chromium: we never run `playwright install`.
# `make vendor` refreshes static/vendor from npm (`npm ci` checks the lock file's hashes).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8000

RUN_STAMP  := $(VENV)/.run-stamp
TEST_STAMP := $(VENV)/.test-stamp

.PHONY: help install install-run run test bench chromium vendor clean

help:
	@echo "make run     serve the app on http://$(HOST):$(PORT) (installs what running needs)"
	@echo "make test    run every test: Python (engine, API, browser), packaging and JS"
	@echo "make bench   time the engine and the API against their targets"
	@echo "make vendor  refresh static/vendor from npm (package-lock.json)"
	@echo "make install | make clean"

install-run: $(RUN_STAMP)
install: $(TEST_STAMP) chromium

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PIP) install --disable-pip-version-check -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PIP) install --disable-pip-version-check -e '.[test]'
	@touch $@ $(RUN_STAMP)

# Debian's Chromium for the Playwright browser tests (needs root for apt-get).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  else \
	    echo "warning: /usr/bin/chromium is missing and you are not root;" \
	         "install Debian's chromium package for the browser tests" >&2; \
	  fi; \
	fi

# npm ci verifies each package against package-lock.json's integrity hashes.
vendor: | $(PY)
	npm ci --no-audit --no-fund
	$(PY) tools/vendor.py

run: install-run
	$(PY) -m server --host $(HOST) --port $(PORT)

# Runs the JS tests even when pytest fails, and fails if either did.
test: install
	@status=0; \
	$(PY) -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ -d tests/js ]; then node --test tests/js/ || status=$$?; fi; \
	exit $$status

# The engine and API, then the training page's frame rate in Chromium.
bench: install
	$(PY) bench/run.py
	$(PY) bench/browser_fps.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .hypothesis *.egg-info
