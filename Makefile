# The two set-up commands: `make run` and `make test`. Both are safe to run again.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install translations extract-messages lint audit lock bench bench-booking bench-workspace bench-complaints bench-load clean

# Every dependency, runtime and dev, comes from requirements.lock with its hashes; then the
# portal itself, without resolving anything (its build backend, setuptools, is in the lock).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# Compiled catalogs are build products (.mo files are not committed).
translations: install
	$(BIN)/pybabel compile -d translations > /dev/null

# Refresh translations/messages.pot and merge it into each catalog after changing strings.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs='.*' -k _l -k lazy_gettext --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

run: install translations
	$(FLASK) cep upgrade
	$(FLASK) cep seed-demo
	$(FLASK) cep materialise-slots
	PORT=$(PORT) $(BIN)/python -m portal.devserver --host 127.0.0.1 --port $(PORT)

test: install translations
	scripts/install-test-deps
	scripts/with-postgres $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Known vulnerabilities in the locked dependencies; says plainly when no advisory database is
# reachable (exit 3: not audited).
audit: install
	$(BIN)/python scripts/audit.py

# Re-pin requirements.lock (with hashes) after changing pyproject.toml's dependencies: keeps the
# current pins and adds what is new. `make lock LOCK_ARGS=--upgrade` moves everything on.
lock: install
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra dev \
		--no-emit-index-url --no-emit-find-links $(LOCK_ARGS) -o requirements.lock pyproject.toml

bench: install translations
	scripts/install-test-deps
	scripts/with-postgres $(BIN)/python bench/locate.py
	$(MAKE) --no-print-directory bench-booking
	$(MAKE) --no-print-directory bench-workspace
	$(MAKE) --no-print-directory bench-complaints

# Slot search on a large lot and 50 concurrent bookings, on its own throwaway PostgreSQL.
bench-booking: install translations
	scripts/install-test-deps
	scripts/with-postgres $(BIN)/python bench/booking.py

# The advisor's home and a dossier page on a national five-year dataset, and close-expired.
bench-workspace: install translations
	scripts/install-test-deps
	scripts/with-postgres $(BIN)/python bench/workspace.py

# The operator's and the mediator's complaint queues on a national year of complaints.
bench-complaints: install translations
	scripts/install-test-deps
	scripts/with-postgres $(BIN)/python bench/complaints.py

# 200 visitors for 60 s through the front door, a search and a booking, on gunicorn + PostgreSQL
# (LOAD_ARGS="--think 5" for visitors who pause before each click).
bench-load: install translations
	scripts/install-test-deps
	scripts/with-postgres $(BIN)/python bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
