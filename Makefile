# One runner: make demo, make test, make check, make bench.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
AMBITION := $(BIN)/ambition
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
CHROMIUM := /usr/bin/chromium

.PHONY: install demo test check format lint types migrations-check pytest-sqlite pytest-postgres browser java bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

src/ambition/web/static/vendor/.built: node_modules/.package-lock.json scripts/build_static.mjs $(wildcard src/ambition/web/static/web/*)
	npm run --silent build
	touch $@

install: java $(VENV)/.installed src/ambition/web/static/vendor/.built
	$(AMBITION) collectstatic --noinput --verbosity 0

demo: install
	$(AMBITION) migrate --verbosity 0
	$(AMBITION) load-demo
	$(AMBITION) assess --history 2019
	$(AMBITION) load-support-demo
	$(AMBITION) load-fund-demo
	$(AMBITION) load-efficiency-demo
	$(AMBITION) load-spend-demo
	$(AMBITION) load-knowledge-demo
	$(AMBITION) serve --host 127.0.0.1 --port 8000

browser:
	@test -x $(CHROMIUM) || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); } || \
	  { echo "Browser tests need Debian's chromium at $(CHROMIUM): apt-get install chromium"; exit 1; }
	@/sbin/ldconfig -p | grep -q libpangoft2-1.0 || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null); } || \
	  { echo "PDF review packs (WeasyPrint) need Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0"; exit 1; }

# The Spark spend engine (AMBITION_SPEND_ENGINE=spark, and its tests) needs a Java 17 runtime:
# make install brings it from the system's packages when it is missing.
java:
	@java -version 2>&1 | grep -q 'version "\(1[7-9]\|2[0-9]\)' || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null); } || \
	  { echo "The Spark spend engine needs Java 17 or later: apt-get install openjdk-17-jre-headless"; exit 1; }

format:
	$(BIN)/ruff format src tests bench scripts fuzz

lint:
	$(BIN)/ruff format --check src tests bench scripts fuzz
	$(BIN)/ruff check src tests bench scripts fuzz
	$(BIN)/lint-imports --no-cache

types:
	$(BIN)/mypy

migrations-check:
	$(AMBITION) makemigrations --check --dry-run

pytest-sqlite:
	$(BIN)/pytest -n 2

pytest-postgres:
	@$(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=5).close()" || \
	  { echo "PostgreSQL is not reachable at $(PG_URL): the suite must run on it too"; exit 1; }
	# The Spark engine's tests (marked spark) read Parquet, not this database: they run once,
	# in the SQLite pass above, not again here.
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 -m "not spark"

test: install browser lint types migrations-check pytest-sqlite pytest-postgres

check: install format test

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules var src/ambition/web/static/vendor

# Fuzzing, not part of `make test`: Hypothesis over the importer (CSV, gzip, XLSX), the period
# and number parsers and the API's write bodies, FUZZ_SECONDS per target, in a test database
# (PG_URL's server with FUZZ_DB=postgres, else SQLite). Every crash becomes a regression test in
# tests/test_fuzz_regressions.py.
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz: install
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(if $(filter postgres,$(FUZZ_DB)),DATABASE_URL=$(PG_URL)) \
	  $(BIN)/pytest fuzz -n 0 -p no:cacheprovider -q
