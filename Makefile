# Quick start (see README):  make demo   |   make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
AUTHORITY ?= https://sms.plant.local/identitymanager
OUT ?= swaggertools-out
PYTEST_ARGS ?= -n auto -q

.PHONY: demo test install dev lint typecheck unit fixtures docs clean-venv testdata

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

## demo: set up .venv and clean both bundled samples with the shipped MES rule set
demo: install
	$(BIN)/swaggertools rules list
	$(BIN)/swaggertools clean fixtures/mes-swagger.json --authority $(AUTHORITY) --output-dir $(OUT)
	$(BIN)/swaggertools clean fixtures/mes-openapi.yaml --authority $(AUTHORITY) --output-dir $(OUT)
	$(BIN)/swaggertools validate $(OUT)/mes-swagger.user.json $(OUT)/mes-swagger.service.json \
		$(OUT)/mes-openapi.user.yaml $(OUT)/mes-openapi.service.yaml
	$(BIN)/swaggertools lint $(OUT)/mes-swagger.user.json $(OUT)/mes-openapi.service.yaml --ignore unmatched-rule
	$(BIN)/swaggertools docs fixtures/mes-swagger.json --authority $(AUTHORITY) -d $(OUT)/docs
	@echo "Outputs and reports are in $(OUT)/; open $(OUT)/docs/index.html for the API documentation"

## test: set up the dev tools and run lint, type checks and the test suite
test: dev lint typecheck testdata
	@# the tests start the installed command over a thousand times; an editable install is
	@# never byte-compiled (and PYTHONDONTWRITEBYTECODE stops it at run time): compile once
	$(BIN)/python -m compileall -q swaggertools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## testdata: fetch the pinned real-world specs of tests/realspecs/manifest.json (npm registry)
testdata: install
	$(BIN)/python tests/realspecs/fetch.py

lint: dev
	$(BIN)/ruff check swaggertools tests fixtures benchmarks
	$(BIN)/ruff format --check swaggertools tests fixtures benchmarks

typecheck: dev
	$(BIN)/mypy

## fixtures: regenerate the bundled samples from fixtures/generate.py
fixtures: install
	$(BIN)/python fixtures/generate.py

## docs: regenerate docs/checks.md from the lint checks' docstrings
docs: install
	$(BIN)/python -c "from swaggertools.lint.checks import reference_markdown as r; open('docs/checks.md', 'w', encoding='utf-8').write(r())"

clean-venv:
	rm -rf $(VENV)
