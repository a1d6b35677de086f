# Open Onderwijsregio — the two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install install-dev check lint migrations-check openapi openapi-check messages pytest worker demo clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt constraints.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt constraints.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, migrate SQLite, load the demo region if the database is empty, serve on $(HOST):$(PORT)
run: install
	scripts/ensure-system-packages.sh --runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python manage.py load_demo_candidates
	$(BIN)/python manage.py load_demo_pool
	$(BIN)/python manage.py load_demo_workforce
	HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

## make test: lint, migration and OpenAPI checks, then every test (SQLite, or PostgreSQL when DATABASE_URL is set)
test: install-dev
	scripts/ensure-system-packages.sh
	$(MAKE) --no-print-directory check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: lint migrations-check openapi-check messages-check

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=src:scripts $(BIN)/lint-imports --no-cache

migrations-check:
	$(BIN)/python manage.py makemigrations --check --dry-run

openapi:
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

openapi-check:
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file $(VENV)/openapi.yaml
	@diff -u docs/openapi.yaml $(VENV)/openapi.yaml || (echo "docs/openapi.yaml is stale: run 'make openapi' and commit it" && exit 1)

messages:
	cd src/onderwijsregio && ../../$(BIN)/python ../../manage.py makemessages -l en --no-obsolete --no-location
	$(BIN)/python -c "import polib; polib.pofile('src/onderwijsregio/locale/en/LC_MESSAGES/django.po').save_as_mofile('src/onderwijsregio/locale/en/LC_MESSAGES/django.mo')"

messages-check:
	$(BIN)/python scripts/check_translations.py

worker: install
	$(BIN)/python manage.py db_worker

demo: install
	$(BIN)/python manage.py load_demo

clean:
	rm -rf $(VENV) var staticfiles
