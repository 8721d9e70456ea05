# rnn-edu: two commands on a fresh machine with python3 (3.10+) and make.
#   make lab    set up .venv, install the course, open JupyterLab on the first lesson
#   make test   set up .venv if missing, run every test (unit, quiz, notebooks, browser)
# Also: make notebooks (re-execute the lessons in place), make bench (benchmarks).

PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
NBS     := $(sort $(wildcard notebooks/[0-9]*.ipynb))
# tests and re-execution never touch the learner's own progress file: each run gets a fresh one
FRESH   := RNN_EDU_PROGRESS=$$(mktemp -d)/progress.json
NBVAL   := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
NPM     ?= npm
# axe-core for the browser tests' accessibility checks: the version pinned in
# tests/browser/package-lock.json, installed from the npm registry by `npm ci`.
AXE     := tests/browser/node_modules/.installed

.PHONY: lab test unit nbval browser notebooks bench clean

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "rnn-edu needs Python 3.10 or newer, found " + sys.version.split()[0])'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# JupyterLab refuses to run as root (containers, some JupyterHub images) unless told.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_ARGS) notebooks/00_start_here.ipynb

test: unit nbval browser

unit: $(STAMP)
	$(FRESH) $(BIN)/python -m pytest -q tests --ignore=tests/browser

nbval: $(STAMP)
	@if [ -n "$(NBS)" ]; then \
	  $(FRESH) $(BIN)/python -m pytest -q $(NBVAL) $(NBS); \
	else echo "nbval: no notebooks yet"; fi

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v $(NPM) >/dev/null 2>&1; then \
	  cd tests/browser && $(NPM) ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "browser: npm not found; the accessibility checks (axe-core) will be skipped"; fi

# The browser tests skip, saying why, when no Chromium (or no axe-core) is found;
# .ci/run makes them required.
browser: $(STAMP) $(AXE)
	@if [ -d tests/browser ]; then $(BIN)/python -m pytest -q -rs tests/browser; \
	else echo "browser: no browser tests yet"; fi

notebooks: $(STAMP)
	$(FRESH) $(BIN)/jupyter nbconvert --to notebook \
	  --execute --inplace --ExecutePreprocessor.timeout=120 \
	  --ExecutePreprocessor.store_widget_state=False \
	  --ExecutePreprocessor.record_timing=False $(NBS)

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]' || echo "bench: torch could not be installed; the PyTorch comparison will be skipped"
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info
