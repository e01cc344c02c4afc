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

# ruff, the formatter's check, mypy --strict (src, tests, bench, saves/examples: see [tool.mypy])
# and the import contracts in .importlinter. CI runs the same through `make test`.
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# PYTEST_ARGS: extra pytest arguments, e.g. make test PYTEST_ARGS='-m "not pty"' (CI on macOS)
PYTEST_ARGS ?=

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(TEST_STAMP)
	@# measure with bytecode compiled, as an installed wheel has it (PYTHONDONTWRITEBYTECODE may be set)
	$(BIN)/python -m compileall -q src > /dev/null
	$(BIN)/python bench/run.py

# A longer fuzz campaign than the suite's (minutes; not part of CI), with a new random seed each run.
# Rerun a failure with: make fuzz COLDCASE_FUZZ_SEED=N (COLDCASE_FUZZ_CASES=N: cases per fuzz test).
.PHONY: fuzz
fuzz: $(TEST_STAMP)
	@seed=$${COLDCASE_FUZZ_SEED:-$$($(BIN)/python -c 'import secrets; print(secrets.randbelow(2**31))')}; \
	cases=$${COLDCASE_FUZZ_CASES:-500}; \
	echo "fuzz: seed $$seed, $$cases cases per fuzz test (rerun: make fuzz COLDCASE_FUZZ_SEED=$$seed)"; \
	COLDCASE_FUZZ_SEED=$$seed COLDCASE_FUZZ_CASES=$$cases $(BIN)/python -m pytest tests/fuzz --durations=0; \
	status=$$?; echo "fuzz: seed $$seed"; exit $$status

check: $(STAMP)
	$(BIN)/coldcase check

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
