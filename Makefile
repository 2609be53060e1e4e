# Verksam — every command a developer or CI needs. See README.md.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
PYTEST_ARGS ?=

.PHONY: install run test test-sqlite test-postgres check lint openapi openapi-check bench messages browser demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## make run: set up, migrate the SQLite database, load demo data once, start web server + task worker
## (+ the daily-job scheduler and the fakes of the payment provider, Fortnox and Visma eEkonomi).
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Verksam: http://127.0.0.1:8000  (demo logins in README.md)"
	trap 'kill 0' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker & \
	$(BIN)/python manage.py run_scheduler & \
	$(BIN)/python manage.py fake_payment_provider & \
	$(BIN)/python manage.py fake_fortnox & \
	$(BIN)/python manage.py fake_visma & \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## make messages: extract new English texts into locale/sv/LC_MESSAGES/django.po (the one source of
## the Swedish text); write their Swedish there, then tools/translate.py compiles and lists what is left.

## make test: everything CI runs. The two database halves run at once (they share no database:
## SQLite tests use an in-memory one, PostgreSQL scratch names carry the process id, media go to
## tmp_path); each half's output is printed whole when it ends.
test: install browser check openapi-check
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v xgettext >/dev/null 2>&1 || { \
	  echo "Installing Debian's gettext for the catalogue test (makemessages)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

test-sqlite: install
	@echo "== pytest on SQLite"
	DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 TEST_DATABASE_URL= $(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres: install
	@url=$$($(BIN)/python tools/pg_setup.py) ; rc=$$? ; \
	if [ $$rc -eq 3 ]; then echo "== PostgreSQL not reachable on localhost: skipped"; exit 0; fi ; \
	if [ $$rc -ne 0 ]; then exit $$rc; fi ; \
	echo "== pytest on PostgreSQL (as a role without BYPASSRLS)" ; \
	TEST_DATABASE_URL=$$url $(BIN)/pytest -q $(PYTEST_ARGS)

check: install lint
	$(BIN)/python manage.py makemigrations --check --dry-run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy verksam config

openapi: install
	$(BIN)/python manage.py export_openapi_schema --api verksam.api.v1.api --indent 2 --sorted --output openapi/v1.json

openapi-check: install
	@$(BIN)/python manage.py export_openapi_schema --api verksam.api.v1.api --indent 2 --sorted --output /tmp/verksam-openapi.json
	@diff -u openapi/v1.json /tmp/verksam-openapi.json && echo "openapi/v1.json is up to date" || \
	  { echo "openapi/v1.json differs from the code: run 'make openapi' and commit"; exit 1; }

## make bench: Verksam over HTTP (gunicorn with the production settings, wrk, 1 and 8 clients) on
## SQLite and PostgreSQL beside the bare Django floor (../shared/bench/floor), then the in-process
## figures as a secondary line. A few minutes; not part of make test. docs/performance.md.
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the HTTP bench"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	TEST_DATABASE_URL= $(BIN)/python -m bench.over_http $(BENCH_ARGS)
	@echo "== In-process (Django test client, one process; secondary: hides the server's cost)"
	TEST_DATABASE_URL= BENCH_INPROCESS_ENTRIES=1000 $(BIN)/python -m bench
	@url=$$($(BIN)/python tools/pg_setup.py 2>/dev/null) && TEST_DATABASE_URL=$$url BENCH_INPROCESS_ENTRIES=1000 $(BIN)/python -m bench || \
	  echo "== PostgreSQL not reachable: in-process bench ran on SQLite only"

messages: install
	$(BIN)/python manage.py makemessages -l sv --ignore=.venv --ignore=staticfiles
	$(BIN)/python tools/translate.py

demo: install
	$(BIN)/python manage.py migrate --noinput && $(BIN)/python manage.py seed_demo

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles
