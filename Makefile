# One command per job; each creates the virtual environment first if needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHEET  ?= bone-protection
LANG_  ?= en
LAYOUT ?= letter

.PHONY: pdf test check lint types preview clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## pdf: build the default sheet (English, US Letter) into build/pdf/
pdf: $(STAMP)
	$(BIN)/factsheet build $(SHEET) --lang $(LANG_) --layout $(LAYOUT)

## preview: PNG images of the default sheet's pages into build/preview/
preview: $(STAMP)
	$(BIN)/factsheet preview $(SHEET) --lang $(LANG_) --layout $(LAYOUT)

## test: the test suite
test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check factsheet tests

types: $(STAMP)
	$(BIN)/mypy factsheet

## check: everything CI runs (lint, types, tests)
check: lint types test

clean:
	rm -rf build .pytest_cache .ruff_cache .mypy_cache
