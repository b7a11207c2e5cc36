# kefu — the commands. `make demo` and `make test` set everything up themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint fix check bench lock serve clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $(STAMP)

demo: $(STAMP)  ## set up SQLite + demo data and serve on http://127.0.0.1:8000
	$(BIN)/kefu demo --host 127.0.0.1 --port 8000

serve: $(STAMP)
	$(BIN)/kefu serve --host 127.0.0.1 --port 8000

lint: $(STAMP)  ## ruff (lint + format check) and mypy --strict
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

fix: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

test: lint  ## the whole suite: lint, types, then pytest on SQLite (and PostgreSQL when configured)
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

check: test

bench: $(STAMP)  ## benchmarks; results in bench/results/*.json and docs/benchmarks.md
	$(BIN)/python -m bench.run

lock:  ## re-pin requirements.lock from pyproject.toml (fresh resolver run)
	rm -rf /tmp/kefu-lock && $(PYTHON) -m venv /tmp/kefu-lock
	/tmp/kefu-lock/bin/pip install -q --upgrade pip
	/tmp/kefu-lock/bin/pip install -q -e '.[dev]'
	/tmp/kefu-lock/bin/pip freeze --exclude-editable | grep -v '^kefu' > requirements.lock

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
