# Đảng vụ — the two commands of the README, plus developer targets.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test test-pg lint bench load messages clean

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "Cần Python 3.11 ($(PY))"; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

## demo: set up a fresh clone and run the demo on http://127.0.0.1:8000 (SQLite)
demo: $(STAMP)
	$(BIN)/dangvu demo

## test: set up and run the whole test suite (SQLite by default; DANGVU_DATABASE_URL picks another DB)
test: $(TEST_STAMP)
	@sh scripts/ensure-chromium.sh
	$(BIN)/pytest

## lint: ruff, migrations up to date, import direction
lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests conftest.py bench
	DANGVU_DATA_DIR=$$(mktemp -d) $(BIN)/python -m django makemigrations --check --dry-run --settings=dangvu.settings
	$(BIN)/lint-imports

## bench: measure import, snapshot, search and list on SQLite and PostgreSQL (BENCH_SCALE=small for a quick run)
bench: $(TEST_STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python bench/run.py

## load: load test on PostgreSQL, 50 users for 10 minutes on a 200,000-member province (bench/load/run.sh)
load: $(TEST_STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[bench]'
	bash bench/load/run.sh

## messages: refresh and compile the translation catalogues (needs gettext)
messages: $(STAMP)
	cd src/dangvu && ../../$(BIN)/django-admin makemessages -l vi -l en --ignore 'tests/*' && ../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) data
