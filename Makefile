# One entry point for set-up, running and checking. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format migrations-check messages bench stack ci clean

$(VENV)/.installed: requirements.txt constraints.txt requirements-dev.txt
	sh scripts/build-packages.sh
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

## make run: SQLite under var/, tasks in-process, demo data, http://$(HOST):$(PORT)
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT) --insecure

## make test: the whole suite (set DATABASE_URL / CELERY_BROKER_URL for the real services)
test: install
	$(MANAGE) makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

## make messages: extract new strings into locale/*.po; translate them, then compile
messages: install
	$(MANAGE) makemessages -l zh_Hans -l en --no-location --ignore='node_modules/*' --ignore='var/*' --ignore='tests/*' --ignore='bench/*'
	$(MANAGE) compilemessages --ignore='.venv' --ignore='node_modules'

bench: install
	$(PY) -m bench

## make stack: gunicorn + a Celery worker + beat against DATABASE_URL and CELERY_BROKER_URL
stack: install
	@test -n "$$DATABASE_URL" || (echo "Set DATABASE_URL (postgres://...)"; exit 2)
	@test -n "$$CELERY_BROKER_URL" || (echo "Set CELERY_BROKER_URL (redis://...)"; exit 2)
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput -v0
	./scripts/stack.sh

ci: lint test

clean:
	rm -rf $(VENV) node_modules var test-artifacts
