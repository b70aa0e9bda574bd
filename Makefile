# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NOEGLETAL_LANDING ?= data/landing
export NOEGLETAL_DATA_DIR ?= data

.PHONY: run test setup demo-data dev lint format lock clean

# The venv is rebuilt whenever the lock or pyproject changes.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

$(NOEGLETAL_LANDING)/.demo: | $(STAMP)
	NOEGLETAL_ENV=demo $(BIN)/noegletal demo-data --out $(NOEGLETAL_LANDING)
	touch $@

demo-data: $(NOEGLETAL_LANDING)/.demo

# Runs the whole job on the bundled demo data, with the public demo pseudonym key.
run: $(STAMP) demo-data
	NOEGLETAL_ENV=demo $(BIN)/noegletal run

test: $(STAMP)
	$(BIN)/ruff check pipeline demo tests benchmarks
	$(BIN)/ruff format --check pipeline demo tests benchmarks
	$(BIN)/python -m pytest

# The Dagster UI on the demo data (http://127.0.0.1:3000).
dev: $(STAMP) demo-data
	$(BIN)/python -m pipeline.platform.instance $(abspath $(NOEGLETAL_DATA_DIR))/dagster
	NOEGLETAL_ENV=demo DAGSTER_HOME=$(abspath $(NOEGLETAL_DATA_DIR))/dagster $(BIN)/dagster dev -w workspace.yaml

lint: $(STAMP)
	$(BIN)/ruff check pipeline demo tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format pipeline demo tests benchmarks
	$(BIN)/ruff check --fix pipeline demo tests benchmarks

# Maintainers only: re-resolve the lock (needs uv, installed on the fly into the venv).
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes \
		--no-header --output-file requirements.lock

clean:
	rm -rf $(VENV) data/warehouse data/serving data/dagster data/logs data/dbt
