# Quick start (see README):  make demo   |   make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
AUTHORITY ?= https://sms.plant.local/identitymanager
OUT ?= swaggertools-out
NPM ?= npm
NODE_DIR := tests/node
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?= -n auto -q

.PHONY: demo test install dev lint typecheck unit fixtures docs clean-venv testdata nodetools browser screenshots

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
test: dev lint typecheck testdata nodetools browser
	@# the tests start the installed command over a thousand times; an editable install is
	@# never byte-compiled (and PYTHONDONTWRITEBYTECODE stops it at run time): compile once
	$(BIN)/python -m compileall -q swaggertools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## testdata: fetch the pinned real-world specs of tests/realspecs/manifest.json (npm registry)
testdata: install
	$(BIN)/python tests/realspecs/fetch.py

## nodetools: install the npm tools the tests run (tests/node/package-lock.json), when the
## lock changed or node_modules is missing; the stamp lives inside node_modules for that
nodetools: $(NODE_DIR)/node_modules/.installed

$(NODE_DIR)/node_modules/.installed: $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	@echo "npm ci --prefix $(NODE_DIR)"
	@$(NPM) ci --prefix $(NODE_DIR) --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

## browser: Debian's chromium for the browser tests (playwright cannot download browsers
## here); apt-get runs only when it is missing, so CI (root) gets it and others keep theirs
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "apt-get install chromium"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

## screenshots: redraw docs/screenshots/*.png with the tests' browser (Redoc's page too when
## benchmarks/node has Redocly CLI)
screenshots: dev browser
	$(BIN)/python docs/screenshots/make.py

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
