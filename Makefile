# rnn-edu: two commands on a fresh machine with python3 (3.10+) and make.
#   make lab    set up .venv, install the course, open JupyterLab on the first lesson
#   make test   set up .venv if missing, run every test (unit, quiz, notebooks, browser, hub)
# Also: make notebooks (re-execute the lessons in place), make bench (benchmarks),
#   make hub (a class JupyterHub on 127.0.0.1), make hub-load N=30, make report HOMES=...

PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
NBS     := $(sort $(wildcard notebooks/[0-9]*.ipynb))
# tests and re-execution never touch the learner's own progress file: each run gets a fresh one
FRESH   := RNN_EDU_PROGRESS=$$(mktemp -d)/progress.json
NBVAL   := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: lab test unit nbval browser notebooks bench clean hub hub-install hub-test hub-load report

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

test: unit nbval browser hub-test

unit: $(STAMP)
	$(FRESH) $(BIN)/python -m pytest -q tests --ignore=tests/browser --ignore=tests/hub

nbval: $(STAMP)
	@if [ -n "$(NBS)" ]; then \
	  $(FRESH) $(BIN)/python -m pytest -q $(NBVAL) $(NBS); \
	else echo "nbval: no notebooks yet"; fi

# The browser tests skip, saying why, when no Chromium is found; .ci/run makes them required.
browser: $(STAMP)
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

# ---- the class on JupyterHub: jupyterhub from PyPI (the hub extra), the proxy from npm (hub/package-lock.json)
HUB_STAMP := $(VENV)/.hub-installed
PROXY     := hub/node_modules/.bin/configurable-http-proxy
N         ?= 30
HOMES     ?= hub/data/homes

$(HUB_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,hub]'
	@touch $(HUB_STAMP)

# Without npm this only says so: the hub tests then skip with the reason (and fail where required, as in CI).
$(PROXY): hub/package.json hub/package-lock.json
	@if command -v npm >/dev/null; then cd hub && npm ci --no-audit --no-fund --loglevel=error && touch $(CURDIR)/$(PROXY); \
	else echo "hub: npm (Node.js 20 or newer) is needed for configurable-http-proxy; not installed"; fi

hub-install: $(HUB_STAMP) $(PROXY)

# A class hub on http://127.0.0.1:8000 until Ctrl-C (HUB_PORT=..., COURSE=folder to copy to learners).
hub: hub-install
	$(BIN)/python hub/hubctl.py $(if $(HUB_PORT),--port $(HUB_PORT)) $(if $(COURSE),--course $(COURSE))

hub-test: hub-install
	$(FRESH) $(BIN)/python -m pytest -q -rs tests/hub

# Load test: N learners at once on a hub of its own; writes its section of benchmarks/RESULTS.md.
hub-load: hub-install
	$(BIN)/python benchmarks/hub_load.py --learners $(N)

# The instructor's class report over the learners' homes (or progress files): class-report/
report: $(STAMP)
	$(BIN)/python -m rnn_edu.report $(HOMES) --out class-report

clean:
	rm -rf $(VENV) build *.egg-info
