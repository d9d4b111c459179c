# The README's two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6.1 needs Python >= 3.12; the machine's default python3 may be older.
PY_CANDIDATES := python3.14 python3.13 python3.12 \
	$(sort $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3)) python3
PYTHON ?= $(firstword $(foreach p,$(PY_CANDIDATES),$(shell $(p) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && echo $(p))))
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test lint format bench check-python worker clean

help:
	@echo "make run    - install, migrate, load demo data, serve on http://$(HOST):$(PORT) with a worker"
	@echo "make test   - run the whole test suite (PostgreSQL/Redis when DATABASE_URL/CELERY_BROKER_URL are set)"
	@echo "make lint   - ruff check and format check, and the apps' layers (lint-imports)"
	@echo "make bench  - benchmarks under bench/ (needs DATABASE_URL pointing at PostgreSQL)"

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Recourse needs Python 3.12 or newer (Django 6.1). Install python3.12 or python3.13," \
		     "or run: make PYTHON=/path/to/python3.12 run" >&2; exit 1; fi

$(VENV)/.run-installed: pyproject.toml | check-python
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet .
	@touch $@

$(VENV)/.test-installed: $(VENV)/.run-installed
	$(PY) -m pip install --quiet ".[test]"
	@touch $@

# Seconds the web server has to answer /healthz before `make run` gives up.
RUN_WAIT ?= 60

run: $(VENV)/.run-installed
	@mkdir -p var
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py calendar_refresh
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	@echo "Starting the Celery worker (with beat) and the web server on http://$(HOST):$(PORT)"
	@# Both run in the background so that the demo logins can be printed last, once the web
	@# answers, instead of scrolling away under their start-up output. Background jobs of a
	@# script ignore Ctrl-C, so the traps stop them. MAIL_DIR: e-mails go to files, not the
	@# terminal, where they would push the logins away. runserver logs the /healthz request just
	@# after answering it: a second's pause keeps that line above the logins. SITE_URL: the
	@# links in the e-mails the worker sends point at this server.
	@export DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} \
		MAIL_DIR=$${MAIL_DIR:-var/mail}; up=; \
	$(PY) -m celery -A config --quiet worker -B --pool=solo --loglevel=WARNING \
		-s var/celerybeat-schedule & worker=$$!; \
	$(PY) manage.py runserver $(HOST):$(PORT) & web=$$!; \
	trap 'kill $$worker $$web 2>/dev/null; wait' EXIT; \
	trap 'exit 130' INT TERM; \
	for _ in $$(seq $(RUN_WAIT)); do \
		$(PY) -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
			http://$(HOST):$(PORT)/healthz 2>/dev/null && up=1 && break; \
		kill -0 $$web 2>/dev/null || break; \
		sleep 1; \
	done; \
	if [ -z "$$up" ]; then \
		echo "The web server did not answer http://$(HOST):$(PORT)/healthz within $(RUN_WAIT) s" \
		     "(see its output above; is port $(PORT) taken? try make run PORT=8001)." >&2; \
		exit 1; \
	fi; \
	sleep 1; \
	echo; echo "Recourse is running on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"; \
	echo "The e-mails it sends are written to $$MAIL_DIR/, one file each."; \
	$(PY) manage.py demo_logins; \
	wait $$web

test: $(VENV)/.test-installed
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.test-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.test-installed
	$(PY) bench/run.py

bench-sweep: $(VENV)/.run-installed
	$(PY) bench/sweep.py

clean:
	rm -rf var staticfiles
