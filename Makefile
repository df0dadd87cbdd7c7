# Deux commandes suffisent : `make run` (démo locale) et `make test` (suite complète).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
BENCH ?=
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes

.PHONY: run test test-rapide quality bench clean services

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base: requirements/base.txt | $(PY)
	$(PIP_INSTALL) -r requirements/base.txt
	touch $@

$(VENV)/.dev: requirements/dev.txt | $(PY)
	$(PIP_INSTALL) -r requirements/dev.txt
	touch $@ $(VENV)/.base

run: $(VENV)/.base
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py migrate --noinput -v 0
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py demo
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py runserver --noreload 127.0.0.1:$(PORT)

services: $(VENV)/.dev
	$(PY) scripts/verifier_services.py

test: services
	$(PY) -m pytest $(PYTEST_ARGS)

test-rapide: services
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

quality: $(VENV)/.dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports --no-cache

bench: services
	$(PY) -m bench $(BENCH)

clean:
	rm -rf $(VENV) var/db.sqlite3
