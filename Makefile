# plantrack — two commands: `make run` and `make test`. Both set everything up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQ_HASH := $(shell sha256sum requirements.txt | cut -c1-12)
STAMP := $(VENV)/.installed-$(REQ_HASH)
DB ?= $(or $(PLANTRACK_DB),data/plantrack.duckdb)
PORT ?= 8501

.PHONY: run test test-fast setup demo lint bench clean

setup: $(STAMP)

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $@

demo: setup
	$(BIN)/python -m plantrack demo --if-missing --db $(DB)

# one Python process: builds the demo database first when it is missing or outdated, then serves
run: setup
	@echo "看板地址：http://localhost:$(PORT)  （Ctrl+C 停止）"
	PLANTRACK_DB=$(DB) $(BIN)/python -m plantrack serve --demo-if-missing --server.port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# everything, on two workers (pytest-xdist; tests/conftest.py keeps a module on one worker and the browser
# modules together); pytest ends with the suite's time and the 15 slowest tests (what dominates)
test: lint
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=15

# the edit–test loop, under a minute: no browser, no bench, nothing marked slow (tests/conftest.py)
test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not browser and not bench" --durations=5

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache tests/artifacts
