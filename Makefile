# Yiwang — the two commands (README): `make run` and `make test`; `make bench` for load figures.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP_STAMP := $(VENV)/.yiwang-pyproject.sha256
NPM_STAMP := node_modules/.yiwang-package-lock.sha256
PG_BIN := /usr/lib/postgresql/15/bin

# Debian packages the platform needs at run time (msgfmt, CJK fonts for PDFs/screenshots, font subsetting).
RUNTIME_APT := gettext fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
# ... and those only the test rig needs (PostgreSQL is added when its initdb is missing).
TEST_APT := chromium
BENCH_APT := wrk

.PHONY: help install install-test run test bench

help:
	@echo "make run    install what is missing, load the demo data, serve on http://127.0.0.1:$${PORT:-8000}"
	@echo "make test   ruff, tests on SQLite and on a throwaway PostgreSQL 15, browser tests in Chromium"
	@echo "make bench  load test of production settings on PostgreSQL (not in CI)"
	@echo "make install / install-test   only the installation steps"

# Virtualenv, Python dependencies (only when pyproject.toml changed since the last install),
# runtime apt packages (only missing ones), compiled translations.
install:
	@[ -x $(BIN)/python ] || { echo "creating $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@want="$$(sha256sum pyproject.toml | cut -d' ' -f1)"; \
	if [ "$$(cat $(PIP_STAMP) 2>/dev/null)" != "$$want" ]; then \
	  echo "pip install -e .[dev] (log: $(VENV)/pip-install.log)"; \
	  $(BIN)/python -m pip install --disable-pip-version-check -e ".[dev]" > $(VENV)/pip-install.log 2>&1 \
	    || { tail -40 $(VENV)/pip-install.log; exit 1; }; \
	  echo "$$want" > $(PIP_STAMP); \
	fi
	@scripts/ensure-apt.sh $(RUNTIME_APT)
	@if [ -n "$$(find src -name '*.po' -print -quit)" ]; then \
	  $(BIN)/yiwang compilemessages -v 0 --ignore=.venv --ignore=node_modules --ignore=var; \
	fi

# Everything `make test` needs on top: Chromium, PostgreSQL 15, axe-core from package-lock.json.
install-test: install
	@pkgs="$(TEST_APT)"; [ -x $(PG_BIN)/initdb ] || pkgs="$$pkgs postgresql-15"; scripts/ensure-apt.sh $$pkgs
	@want="$$(sha256sum package-lock.json | cut -d' ' -f1)"; \
	if [ ! -f node_modules/axe-core/axe.min.js ] || [ "$$(cat $(NPM_STAMP) 2>/dev/null)" != "$$want" ]; then \
	  echo "npm ci"; \
	  npm ci --no-audit --no-fund --loglevel=error; \
	  echo "$$want" > $(NPM_STAMP); \
	fi

run: install
	@scripts/run.sh

test: install-test
	@scripts/test.sh

bench: install
	@pkgs="$(BENCH_APT)"; [ -x $(PG_BIN)/initdb ] || pkgs="$$pkgs postgresql-15"; scripts/ensure-apt.sh $$pkgs
	@bench/run.sh
