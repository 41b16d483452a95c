# Grassroots — the two commands a newcomer needs are `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint bench clean install install-dev serve

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.base: requirements/base.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements/base.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev: requirements/dev.lock $(VENV)/.base
	$(BIN)/pip install -q -r requirements/dev.lock
	touch $@

install: $(VENV)/.base
install-dev: $(VENV)/.dev

## make run: virtualenv, migrate the embedded SQLite database, demo data when empty, serve.
## The static files (compressed, ~45 s) are collected while the database is migrated and the
## demo loaded: they need no database.
run: $(VENV)/.base
	@$(BIN)/grassroots collectstatic --noinput -v0 & static=$$!; \
	$(BIN)/grassroots migrate --noinput -v0 && $(BIN)/grassroots bootstrap; status=$$?; \
	wait $$static && exit $$status
	PORT=$(PORT) $(BIN)/python scripts/serve.py

## make test: lint, migrations check, the suite on SQLite (with the coverage floor) and
## PostgreSQL, browser tests.
test: $(VENV)/.dev
	$(BIN)/python scripts/testsuite.py

## make lint: ruff (rules and format), the layers (import-linter), mypy, migrations check.
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/grassroots makemigrations --check --dry-run

SCALE ?= district
DB ?= sqlite
bench: $(VENV)/.dev
	$(BIN)/python benchmarks/run.py --scale $(SCALE) --db $(DB)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache .coverage build src/*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
