PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: play test bench check explore clean lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP) $(TEST_STAMP)

play: $(STAMP)
	$(BIN)/coldcase

test: $(TEST_STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: $(TEST_STAMP)
	@# measure with bytecode compiled, as an installed wheel has it (PYTHONDONTWRITEBYTECODE may be set)
	$(BIN)/python -m compileall -q src > /dev/null
	$(BIN)/python bench/run.py

check: $(STAMP)
	$(BIN)/coldcase check

clean:
	rm -rf $(VENV) build dist .pytest_cache
