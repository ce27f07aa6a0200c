# The roadmap portal. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python >= 3.12: take the first interpreter that is new enough.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: backup restore check-deploy help python install install-dev run demo migrate test test-fast test-browser lint format messages check-python browser clean bench loadtest serve generate

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python 3.12 or newer is required (Django 6). Install python3.12 and try again." >&2; exit 1; fi

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install the portal

install-dev: $(VENV)/.installed-dev ## Install the portal with test and lint tools

migrate: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput

demo: migrate ## Load the demo data (seed documents, demo users; prints passwords)
	DEBUG=true $(BIN)/python manage.py load_demo

run: demo ## Install, migrate, load the demo and serve on http://127.0.0.1:8000 (with the task worker)
	@DEBUG=true $(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

browser: ## Install Debian's Chromium for the browser tests (needs root)
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing at $(CHROMIUM): browser tests will be skipped (sudo apt-get install chromium)."; \
	fi

test: install-dev browser ## Install and run the whole suite (DATABASE_URL picks PostgreSQL)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: install-dev ## Run the suite without the browser tests
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

test-browser: install-dev browser ## Run only the browser tests
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

lint: install-dev ## Ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install-dev ## Update and compile the Russian translations (needs gettext)
	DEBUG=true $(BIN)/python manage.py makemessages -l ru --no-obsolete --ignore=$(VENV) --ignore=fixtures --ignore=tests
	DEBUG=true $(BIN)/python manage.py compilemessages -l ru --ignore=$(VENV)

serve: install ## Serve with gunicorn (config/gunicorn.conf.py, GUNICORN_* variables) and the task worker
	$(BIN)/python manage.py collectstatic --noinput -v0
	@$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	GUNICORN_BIND=$${GUNICORN_BIND:-$(HOST):$(PORT)} $(BIN)/gunicorn -c config/gunicorn.conf.py

generate: install ## Fill DATABASE_URL (PostgreSQL) with national-scale data: make generate SCALE=1.0
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py generate_national --scale $(or $(SCALE),0.01)

bench: install-dev ## Benchmark pages, exports, import on a generated PostgreSQL database (DATABASE_URL)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

loadtest: install-dev ## Load test: gunicorn + locust on a copy of the generated database (DATABASE_URL)
	$(BIN)/python -m bench.loadtest $(LOADTEST_ARGS)

clean: ## Remove the virtualenv and the SQLite database
	rm -rf $(VENV) db.sqlite3

check-deploy: install ## Django's deployment checks with the production settings (no silenced checks)
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY='check-deploy-7Qx2LmZr9VwT4pKs8NdHy3GbJc6FtRuE5aXo1WqYzPvBn0MiL' \
	ALLOWED_HOSTS=portal.example.ru \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

backup: install ## Back up the database (pg_dump) and media files into BACKUP_DIR (default backups/)
	$(BIN)/python manage.py backup --output "$(or $(BACKUP_DIR),backups)"

restore: install ## Restore ARCHIVE=… into the empty database RESTORE_DATABASE_URL (RESTORE_MEDIA_ROOT=…, FORCE=1)
	@if [ -z "$(ARCHIVE)" ]; then echo "Usage: make restore ARCHIVE=backups/portal-….tar.gz RESTORE_DATABASE_URL=postgres://USER@HOST:5432/NAME" >&2; exit 1; fi
	$(BIN)/python manage.py restore "$(ARCHIVE)" $(if $(RESTORE_DATABASE_URL),--database-url "$(RESTORE_DATABASE_URL)") $(if $(RESTORE_MEDIA_ROOT),--media-root "$(RESTORE_MEDIA_ROOT)") $(if $(FORCE),--force)
