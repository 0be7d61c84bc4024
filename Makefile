# Parley: two commands on a fresh machine with only Python 3.11+.
#   make demo   create .venv, install, build a demo workspace, serve http://127.0.0.1:8000
#   make test   create or update .venv, then ruff, mypy (strict on src/), the docs (strict) and pytest

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck docs pytest bench clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/parley demo

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/vulture

typecheck: $(STAMP)
	$(BIN)/mypy

# The suite runs on two processes (pytest-xdist): each test has its own SQLite file and its own
# PostgreSQL schema, servers take free ports. `make test PYTEST_WORKERS=0` runs it in one process.
PYTEST_WORKERS ?= 2

pytest: $(STAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS)

docs: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

test: lint typecheck docs pytest

bench: $(STAMP)
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/names.py
	$(BIN)/python bench/audit.py
	$(BIN)/python bench/plan.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/resolve.py
	$(BIN)/python bench/linkage.py --sizes small,medium,large --febrl

messages: $(STAMP)
	$(BIN)/python -m parley.interfaces.web.catalog

clean:
	rm -rf $(VENV) parley-data site .mypy_cache .pytest_cache .ruff_cache
