# backprop-viz: `make run` serves the app, `make test` runs every test, `make bench` measures.
#
# `install` is idempotent and quick on a second run: the Python packages are reinstalled
# only when pyproject.toml changes (a stamp in .venv), the npm packages only when
# package.json / package-lock.json change (a stamp in node_modules), and Debian's Chromium
# only when /usr/bin/chromium is missing. Playwright drives that system Chromium: we never
# run `playwright install` (no browser downloads on these machines).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8000

PY_STAMP := $(VENV)/.install-stamp

ifneq ($(wildcard package.json),)
NODE_STAMP := node_modules/.install-stamp
endif

.PHONY: help install run test bench chromium clean

help:
	@echo "make run    serve the app on http://$(HOST):$(PORT) (installs first)"
	@echo "make test   run the Python tests (incl. browser tests) and the JS tests"
	@echo "make bench  time the engine and the API against their targets"
	@echo "make install | make clean"

install: $(PY_STAMP) chromium $(NODE_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): pyproject.toml | $(PY)
	$(PIP) install --disable-pip-version-check -e '.[test]'
	@touch $@

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

ifdef NODE_STAMP
# Front-end libraries (served from node_modules at /vendor); `npm ci` needs the lock file.
$(NODE_STAMP): package.json $(wildcard package-lock.json)
	@command -v npm >/dev/null || { echo "error: npm is needed for package.json" >&2; exit 1; }
	@if [ -f package-lock.json ]; then echo "npm ci"; npm ci --no-audit --no-fund; \
	else echo "npm install (no package-lock.json yet)"; npm install --no-audit --no-fund; fi
	@touch $@
endif

run: install
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
