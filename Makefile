# The two set-up commands: `make run` and `make test`. Both are safe to run again.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install translations extract-messages lint bench bench-booking bench-workspace bench-load clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
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
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install translations
	scripts/install-test-deps
	scripts/with-postgres $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: install translations
	scripts/install-test-deps
	scripts/with-postgres $(BIN)/python bench/locate.py
	$(MAKE) --no-print-directory bench-booking
	$(MAKE) --no-print-directory bench-workspace

# Slot search on a large lot and 50 concurrent bookings, on its own throwaway PostgreSQL.
bench-booking: install translations
	scripts/install-test-deps
	scripts/with-postgres $(BIN)/python bench/booking.py

# The advisor's home and a dossier page on a national five-year dataset, and close-expired.
bench-workspace: install translations
	scripts/install-test-deps
	scripts/with-postgres $(BIN)/python bench/workspace.py

# 200 visitors for 60 s through the front door, a search and a booking, on gunicorn + PostgreSQL
# (LOAD_ARGS="--think 5" for visitors who pause before each click).
bench-load: install translations
	scripts/install-test-deps
	scripts/with-postgres $(BIN)/python bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
