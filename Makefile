# Quick start (see README):  make demo   |   make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
AUTHORITY ?= https://sms.plant.local/identitymanager
BASE_ADDRESS ?= https://mes.plant.local/mesmw/
PUBLISH_URL ?= https://web.plant.local/specs/
OUT ?= swaggertools-out
NPM ?= npm
NODE_DIR := tests/node
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?= -n auto -q
# The versions the suite was last run with (make lock). Installs go through it as a pip
# constraints file, so the same commit installs the same versions next month; set as
# PIP_CONSTRAINT it also pins the build backend in pip's isolated build environment.
LOCK := requirements/dev.lock
PIP_INSTALL = PIP_CONSTRAINT=$(abspath $(LOCK)) $(BIN)/python -m pip install --quiet --disable-pip-version-check
# The two ends of the declared ranges (make test-oldest / make test-latest)
# (the first interpreter that runs: a pyenv shim may exist for a version that is not active)
find_python = $(firstword $(shell for p in $(1); do $$p -c '' 2>/dev/null && echo $$p; done) $(PYTHON))
OLDEST_PYTHON ?= $(call find_python,python3.10 $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10))
LATEST_PYTHON ?= $(call find_python,python3.13 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) \
	python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12))

.PHONY: demo test install dev lint typecheck unit fixtures docs clean-venv testdata pytest \
	lock test-oldest test-latest nodetools browser \
	screenshots

$(VENV)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

## demo: set up .venv, clean both bundled samples with the shipped MES rule set, build the import kit
demo: install
	$(BIN)/swaggertools rules list
	$(BIN)/swaggertools clean fixtures/mes-swagger.json --authority $(AUTHORITY) --output-dir $(OUT)
	$(BIN)/swaggertools clean fixtures/mes-openapi.yaml --authority $(AUTHORITY) --output-dir $(OUT)
	$(BIN)/swaggertools validate $(OUT)/mes-swagger.user.json $(OUT)/mes-swagger.service.json \
		$(OUT)/mes-openapi.user.yaml $(OUT)/mes-openapi.service.yaml
	$(BIN)/swaggertools lint $(OUT)/mes-swagger.user.json $(OUT)/mes-openapi.service.yaml --ignore unmatched-rule
	$(BIN)/swaggertools worktasks fixtures/mes-swagger.json --authority $(AUTHORITY) \
		--base-address $(BASE_ADDRESS) --publish-url $(PUBLISH_URL) -d $(OUT)/worktasks-kit -q
	$(BIN)/swaggertools docs fixtures/mes-swagger.json --authority $(AUTHORITY) -d $(OUT)/docs
	@echo "Outputs and reports are in $(OUT)/; the Work Tasks import kit is $(OUT)/worktasks-kit/ (IMPORT.md, import.html); open $(OUT)/docs/index.html for the API documentation"

## test: set up the dev tools (from the lock) and run lint, type checks and the test suite
test: dev lint typecheck testdata nodetools browser
	@$(BIN)/python tests/versions.py
	$(MAKE) --no-print-directory pytest

## pytest: the test suite alone, in $(VENV)
pytest:
	@# the tests start the installed command over a thousand times; an editable install is
	@# never byte-compiled (and PYTHONDONTWRITEBYTECODE stops it at run time): compile once
	$(BIN)/python -m compileall -q swaggertools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## lock: re-resolve requirements/dev.lock from pyproject.toml (newest allowed versions)
lock: dev
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.10 \
		--upgrade --quiet -o $(LOCK)

## test-oldest: the suite with the lowest versions pyproject.toml allows, on Python 3.10
test-oldest: dev testdata nodetools browser
	rm -rf .venv-oldest
	$(BIN)/uv pip compile pyproject.toml --extra dev --resolution lowest-direct \
		--python-version 3.10 --quiet --no-header -o .venv-oldest.txt
	$(OLDEST_PYTHON) -m venv .venv-oldest
	PIP_CONSTRAINT=$(abspath .venv-oldest.txt) .venv-oldest/bin/python -m pip install \
		--quiet --disable-pip-version-check -e '.[dev]'
	@.venv-oldest/bin/python tests/versions.py
	$(MAKE) --no-print-directory pytest VENV=.venv-oldest

## test-latest: the suite with the newest releases pyproject.toml allows (no lock)
test-latest: testdata nodetools browser
	rm -rf .venv-latest
	$(LATEST_PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --disable-pip-version-check --upgrade \
		--upgrade-strategy eager -e '.[dev]'
	@.venv-latest/bin/python tests/versions.py
	$(MAKE) --no-print-directory pytest VENV=.venv-latest

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

## lint: ruff, and the layers contract of pyproject.toml's [tool.importlinter] (README "Architecture")
lint: dev
	$(BIN)/ruff check swaggertools tests fixtures benchmarks
	$(BIN)/ruff format --check swaggertools tests fixtures benchmarks
	$(BIN)/lint-imports

typecheck: dev
	$(BIN)/mypy

## fixtures: regenerate the bundled samples from fixtures/generate.py
fixtures: install
	$(BIN)/python fixtures/generate.py

## docs: regenerate docs/checks.md and docs/diff-checks.md from the checks' and change kinds' docstrings
docs: install
	$(BIN)/python -c "from swaggertools.lint.checks import reference_markdown as r; open('docs/checks.md', 'w', encoding='utf-8').write(r())"
	$(BIN)/python -c "from swaggertools.diff.kinds import reference_markdown as r; open('docs/diff-checks.md', 'w', encoding='utf-8').write(r())"

clean-venv:
	rm -rf $(VENV) .venv-oldest .venv-latest .venv-oldest.txt
