# rnn-edu: two commands on a fresh machine with python3 (3.10+) and make.
#   make lab    set up .venv, build the learner edition into work/ (never over your edits), open JupyterLab there
#   make test   set up .venv if missing, run every test (unit, quiz, notebooks, release, browser)
# Also: make lab-instructor (the lessons with solutions, notebooks/), make release (the learner
# edition by nbgrader, into release/), make bank (repack quizzes/*.yaml), make notebooks
# (re-execute the lessons in place), make bench (benchmarks).

PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
# tests, re-execution and releases also need the test and instructor extras (nbgrader: Python 3.11+)
DEV     := $(VENV)/.installed-dev
WORK    ?= work
NBS     := $(sort $(wildcard notebooks/[0-9]*.ipynb))
# tests and re-execution never touch the learner's own progress file: each run gets a fresh one
FRESH   := RNN_EDU_PROGRESS=$$(mktemp -d)/progress.json
NBVAL   := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: lab lab-instructor release bank test unit nbval browser notebooks bench clean

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "rnn-edu needs Python 3.10 or newer, found " + sys.version.split()[0])'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(STAMP)

$(DEV): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,instructor]'
	@touch $(DEV)

# JupyterLab refuses to run as root (containers, some JupyterHub images) unless told.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

# Learners: the learner edition (exercises empty, quiz keys packed) in $(WORK)/. A lesson you have
# changed is never overwritten; a newer course version goes to $(WORK)/updates/ beside it.
lab: $(STAMP)
	$(BIN)/python scripts/edition.py lab notebooks $(WORK)
	cd $(WORK) && RNN_EDU_QUIZZES=packed $(abspath $(BIN))/jupyter lab $(LAB_ARGS) 00_start_here.ipynb

# Instructors: the lessons with their solutions, and the YAML question bank.
lab-instructor: $(STAMP)
	$(BIN)/jupyter lab $(LAB_ARGS) notebooks/00_start_here.ipynb

# The learner edition by nbgrader: release/NN_name/NN_name.ipynb (see nbgrader_config.py).
release: $(DEV)
	$(BIN)/python scripts/release.py

# After editing quizzes/*.yaml: repack the bank that installed copies load (commit the result).
bank: $(STAMP)
	$(BIN)/python scripts/pack_bank.py

test: unit nbval browser

unit: $(DEV)
	$(FRESH) $(BIN)/python -m pytest -q tests --ignore=tests/browser

nbval: $(DEV)
	@if [ -n "$(NBS)" ]; then \
	  $(FRESH) $(BIN)/python -m pytest -q $(NBVAL) $(NBS); \
	else echo "nbval: no notebooks yet"; fi

# The browser tests skip, saying why, when no Chromium is found; .ci/run makes them required.
browser: $(DEV)
	@if [ -d tests/browser ]; then $(BIN)/python -m pytest -q -rs tests/browser; \
	else echo "browser: no browser tests yet"; fi

notebooks: $(DEV)
	$(FRESH) $(BIN)/jupyter nbconvert --to notebook \
	  --execute --inplace --ExecutePreprocessor.timeout=120 \
	  --ExecutePreprocessor.store_widget_state=False \
	  --ExecutePreprocessor.record_timing=False $(NBS)

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]' || echo "bench: torch could not be installed; the PyTorch comparison will be skipped"
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info
