# One command per job; each creates the virtual environment first if needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEV     := $(VENV)/.installed-dev
SHEET  ?= bone-protection
LANG_  ?= en
LAYOUT ?= letter

.PHONY: pdf test check lint types preview clean bench editions release site serve loadtest site-strings

# Two stamps: building PDFs needs only the runtime dependencies (`pip install -e .`);
# the tests, linters and benchmarks add the development tools (`.[dev]`) on top.
$(RUNTIME): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME)

$(DEV): $(RUNTIME)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(DEV)

## pdf: build the default sheet (English, US Letter) into build/pdf/
pdf: $(RUNTIME)
	$(BIN)/factsheet build $(SHEET) --lang $(LANG_) --layout $(LAYOUT)

## preview: PNG images of the default sheet's pages into build/preview/
preview: $(RUNTIME)
	$(BIN)/factsheet preview $(SHEET) --lang $(LANG_) --layout $(LAYOUT)

## editions: every sheet × language × layout (letter, a4, large-print) into build/editions/;
##           unchanged editions are skipped, build/editions/manifest.json lists them all
editions: $(RUNTIME)
	$(BIN)/factsheet batch --all-layouts $(BATCH)

## release: an immutable release of every edition that builds (build/releases/), made current
release: $(RUNTIME)
	$(BIN)/factsheet release

## site-strings: extract the website's own strings (babel.cfg) and merge them into every catalog
site-strings: $(RUNTIME)
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ --no-location --sort-output --omit-header \
		-o factsheet/web/locale/site.pot .
	for po in factsheet/web/locale/*.po; do \
		lang=$$(basename $$po .po); \
		$(BIN)/pybabel -q update -i factsheet/web/locale/site.pot -o $$po -l $$(echo $$lang | tr - _) \
			--no-location --no-fuzzy-matching; \
	done

## site: the static website (index, a page per sheet and edition, PDFs, thumbnails) into build/site/
site: $(RUNTIME)
	$(BIN)/factsheet site -o build/site

## serve: the download service on 127.0.0.1:8000 (HOST=, PORT=, WORKERS= to change; Ctrl-C stops it)
serve: $(RUNTIME)
	$(BIN)/factsheet serve --host $(or $(HOST),127.0.0.1) --port $(or $(PORT),8000) \
		--workers $(or $(WORKERS),1)

## loadtest: requests/s and p50/p99 latency of the service on 127.0.0.1 (needs wrk; docs/web.md)
loadtest: $(DEV)
	bash bench/loadtest.sh

## test: the test suite; -rs names each skipped test and what to install to run it
test: $(DEV)
	$(BIN)/pytest -rs
	$(BIN)/factsheet i18n status
	for sheet in $$($(BIN)/python -c 'from factsheet.publish.files import available_sheets as a; print(*a())'); do \
	  $(BIN)/factsheet check $$sheet --release || exit 1; done

lint: $(DEV)
	$(BIN)/ruff check factsheet tests bench scripts

types: $(DEV)
	$(BIN)/mypy factsheet

## check: everything CI runs (lint, types, tests)
check: lint types test

clean:
	rm -rf build .pytest_cache .ruff_cache .mypy_cache

## bench: the performance benchmark (figures to build/bench.json; see README)
bench: $(DEV)
	$(BIN)/python bench/bench.py
