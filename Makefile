# Each target makes or refreshes .venv itself, so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test lint clean

report: $(STAMP)
	$(BIN)/orbat report catalog

test: $(STAMP)
	$(BIN)/ruff check orbat tests
	$(BIN)/ruff format --check orbat tests
	$(BIN)/mypy
	$(BIN)/pytest

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis

.PHONY: fuzz

# The long fuzz run for release checks (docs/reliability.md): EXAMPLES generated inputs of each kind,
# and a file of a million entries. Prints the inputs tried and the unexpected exceptions (exit 1 if any).
EXAMPLES ?= 1000
fuzz: $(STAMP)
	$(BIN)/python scripts/fuzz_release.py --examples $(EXAMPLES)
