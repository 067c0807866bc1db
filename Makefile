# ShopCRM: `make run` serves the app, `make test` runs every check. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := frontend/node_modules/.installed
NPM := npm --prefix frontend
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run serve build lint test test-backend test-frontend e2e bench bench-imports api api-check clean

help:
	@echo "make run    install, build the web app, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   lint + backend tests (SQLite; PostgreSQL too with TEST_DATABASE_URL) + frontend unit + browser tests"
	@echo "make lint   ruff, mypy, import contracts, stale API client check, tsc, eslint"
	@echo "make bench  benchmarks through HTTP: large set on PostgreSQL (BENCH_DATABASE_URL), medium set on SQLite"
	@echo "make bench-imports  1,000,000 Shopify order lines into PostgreSQL, 100,000 into SQLite, through the API"
	@echo "make api    regenerate frontend/openapi.json and the TypeScript client after changing the API"

$(PY_STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==26.3
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

install: $(PY_STAMP) $(NODE_STAMP)

build: $(NODE_STAMP)
	$(NPM) run build

run: install build
	$(BIN)/shopcrm migrate
	$(BIN)/shopcrm demo-data --size small --if-empty
	$(BIN)/shopcrm demo-login --url http://$(HOST):$(PORT)
	$(BIN)/shopcrm serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports
	$(MAKE) --no-print-directory api-check
	$(NPM) run typecheck
	$(NPM) run lint

# The committed openapi.json must match the backend, and the committed client must match openapi.json.
api-check: install
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/shopcrm openapi "$$tmp/openapi.json" && \
	if ! diff -q "$$tmp/openapi.json" frontend/openapi.json >/dev/null; then \
	  echo "frontend/openapi.json is stale: run 'make api'"; exit 1; fi && \
	(cd frontend && OPENAPI_TS_OUTPUT="$$tmp/client" npx --no-install openapi-ts >/dev/null) && \
	if ! diff -r "$$tmp/client" frontend/src/api/client >/dev/null; then \
	  echo "frontend/src/api/client differs from what openapi.json generates: run 'make api'"; exit 1; fi && \
	echo "API client is up to date"

api: install
	$(BIN)/shopcrm openapi frontend/openapi.json
	cd frontend && npx --no-install openapi-ts

test: lint test-backend test-frontend e2e

test-backend: install
	$(BIN)/pytest

test-frontend: install
	$(NPM) run test

e2e: install build
	scripts/ensure-chromium.sh
	$(NPM) run e2e

bench: install
	$(BIN)/python -m bench
	$(BIN)/python -m bench --engine sqlite
	$(MAKE) --no-print-directory bench-imports

# A Shopify orders export imported through the API into fresh databases of its own (bench/imports.py).
bench-imports: install
	$(BIN)/python -m bench.imports --engine postgresql
	$(BIN)/python -m bench.imports --engine sqlite

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .pytest_cache .mypy_cache .ruff_cache
