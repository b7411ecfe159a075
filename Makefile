# ClusterBridge — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export CLUSTERBRIDGE_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/clusterbridge migrate --noinput
	$(BIN)/clusterbridge load_reference
	$(BIN)/clusterbridge suggest_features --verbosity 0
	$(BIN)/clusterbridge collectstatic --noinput --verbosity 0
	$(BIN)/clusterbridge ensure_admin
	$(BIN)/clusterbridge runserver 127.0.0.1:8000

test: $(VENV)/.installed-test
	scripts/test.sh

lint: $(VENV)/.installed-test
	$(BIN)/ruff check clusterbridge tests bench
	$(BIN)/ruff format --check clusterbridge tests bench

format: $(VENV)/.installed-test
	$(BIN)/ruff format clusterbridge tests bench
	$(BIN)/ruff check --fix clusterbridge tests bench

bench: $(VENV)/.installed-test
	scripts/bench.sh

clean:
	rm -rf $(VENV) var .pytest_cache
