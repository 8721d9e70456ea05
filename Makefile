# rnn-edu: two commands on a fresh machine with python3 (3.10+) and make.
#   make lab    set up .venv, build the learner edition into work/ (never over your edits), open JupyterLab there
#   make test   set up .venv if missing, run every test (unit, quiz, notebooks, release, browser, hub);
#               the PyTorch comparisons skip, saying why, unless torch is installed
#   make check  the fast inner loop while editing: library, quiz and checker unit tests (under 2 min)
# Also: make test-torch (installs torch's CPU build, runs the PyTorch comparisons),
# make nbval-oldest (the lessons under nbval in the oldest environment pyproject.toml allows, 2 BLAS threads),
# make lab-instructor (the lessons with solutions, notebooks/), make release (the learner
# edition by nbgrader, into release/), make bank (repack quizzes/*.yaml), make notebooks
# (re-execute the lessons in place), make bench (benchmarks),
# make capstone (lesson 08's long training runs, ~15 min on 2 cores: weights and curves into rnn_edu/assets/),
# make capstone-checks (its candidates with a second seed, the largest with dropout, ~20 min on 2 cores),
# make hub (a class JupyterHub on 127.0.0.1), make hub-load N=30, make report HOMES=...

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
# the lessons' matrices are tiny: one BLAS thread is faster (and the same every run) on 2 cores
ONE_BLAS := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
NBVAL   := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
NPM     ?= npm
# axe-core for the browser tests' accessibility checks: the version pinned in
# tests/browser/package-lock.json, installed from the npm registry by `npm ci`.
AXE     := tests/browser/node_modules/.installed

.PHONY: check
.PHONY: lab lab-instructor release bank test unit nbval browser notebooks bench capstone capstone-checks clean \
        hub hub-install hub-test hub-load report test-torch nbval-oldest

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
LAB_ARGS ?= --ip=127.0.0.1 $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

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

# After editing quizzes/*.yaml or rnn_edu/course/exercises/hints.yaml: repack the bank and the hints that
# installed copies load (commit the results).
bank: $(STAMP)
	$(BIN)/python scripts/pack_bank.py
	$(BIN)/python scripts/pack_hints.py

test: unit nbval browser hub-test

# The inner loop while editing: every unit test of tests/ but the slow outer suites (nbval, nbgrader's
# release, browser, hub, benchmarks, the wheel build), on 2 workers (pytest-xdist). Under 2 minutes on
# 2 cores. `make test` stays the whole suite.
CHECK_SKIP := --ignore=tests/browser --ignore=tests/hub --ignore=tests/test_release.py \
              --ignore=tests/test_bench_smoke.py --ignore=tests/test_results_md.py --ignore=tests/test_packaging.py \
              --ignore=tests/journeys -k "not wheel"
check: $(DEV)
	$(FRESH) $(ONE_BLAS) $(BIN)/python -m pytest -q -n 2 tests $(CHECK_SKIP)

# ---- the PyTorch comparisons (optional): torch's CPU build, then only the tests marked `torch`.
# TORCH pins the CPU build by its local version label (+cpu): plain `torch` on Linux is a CUDA build
# of several GB. pip first looks where it is configured to (some machines carry the file), then
# in PyTorch's CPU index (TORCH_INDEX); on macOS, where every build is a CPU build, use TORCH=torch==2.13.0.
TORCH       ?= torch==2.13.0+cpu
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
TORCH_STAMP := $(VENV)/.installed-torch

$(TORCH_STAMP): $(DEV)
	@echo "test-torch: installing $(TORCH) (the CPU build of PyTorch)"
	$(BIN)/python -m pip install --quiet "$(TORCH)" 2>/dev/null || \
	  $(BIN)/python -m pip install --quiet --extra-index-url $(TORCH_INDEX) "$(TORCH)"
	@touch $(TORCH_STAMP)

test-torch: $(TORCH_STAMP)
	$(FRESH) $(ONE_BLAS) RNN_EDU_REQUIRE_TORCH=1 $(BIN)/python -m pytest -q -m torch tests \
	  --ignore=tests/browser --ignore=tests/hub --ignore=tests/journeys

# ---- the oldest environment pyproject.toml allows: Python 3.10 and the lowest version of every
# dependency it names (scripts/oldest_pins.py reads them from pyproject.toml), with 2 BLAS threads:
# the stored outputs must come out the same there as anywhere.
OLDEST    ?= .venv-oldest
OLDEST_PY ?= python3.10
TWO_BLAS  := OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 MKL_NUM_THREADS=2

$(OLDEST)/.installed: pyproject.toml scripts/oldest_pins.py
	@py=$$(for c in $(OLDEST_PY) $$(ls -d $$HOME/.pyenv/versions/3.10*/bin/python3.10 2>/dev/null); do \
	  $$c -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null && echo $$c && break; done); \
	if [ -z "$$py" ]; then echo "nbval-oldest: needs Python 3.10 (python3.10 on PATH, or OLDEST_PY=/path/to/python3.10)"; exit 1; fi; \
	echo "nbval-oldest: $$py, pins: $$($(PY) scripts/oldest_pins.py)"; \
	$$py -m venv $(OLDEST) && $(OLDEST)/bin/python -m pip install --quiet --upgrade pip && \
	$(OLDEST)/bin/python -m pip install --quiet -e . $$($(PY) scripts/oldest_pins.py)
	@touch $@

nbval-oldest: $(OLDEST)/.installed
	$(OLDEST)/bin/python scripts/oldest_pins.py --check
	$(FRESH) $(TWO_BLAS) $(OLDEST)/bin/python -m pytest -q $(NBVAL) $(NBS)
	$(FRESH) $(TWO_BLAS) $(OLDEST)/bin/python -m pytest -q tests/test_claims.py

unit: $(DEV)
	$(FRESH) $(ONE_BLAS) $(BIN)/python -m pytest -q -rs -n 2 --dist loadfile tests \
	  --ignore=tests/browser --ignore=tests/hub --ignore=tests/journeys

nbval: $(DEV)
	@if [ -n "$(NBS)" ]; then \
	  $(FRESH) $(ONE_BLAS) $(BIN)/python -m pytest -q $(NBVAL) $(NBS); \
	else echo "nbval: no notebooks yet"; fi

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v $(NPM) >/dev/null 2>&1; then \
	  cd tests/browser && $(NPM) ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "browser: npm not found; the accessibility checks (axe-core) will be skipped"; fi

# The browser tests skip, saying why, when no Chromium (or no axe-core) is found;
# .ci/run makes them required.
browser: $(DEV) $(AXE)
	@if [ -d tests/browser ]; then $(BIN)/python -m pytest -q -rs tests/browser; \
	else echo "browser: no browser tests yet"; fi

notebooks: $(DEV)
	$(FRESH) $(ONE_BLAS) $(BIN)/jupyter nbconvert --to notebook \
	  --execute --inplace --ExecutePreprocessor.timeout=120 \
	  --ExecutePreprocessor.store_widget_state=False \
	  --ExecutePreprocessor.record_timing=False $(NBS)

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet "$(TORCH)" 2>/dev/null || \
	  $(BIN)/python -m pip install --quiet --extra-index-url $(TORCH_INDEX) "$(TORCH)" || \
	  echo "bench: torch's CPU build could not be installed; the PyTorch comparison will be skipped"
	$(BIN)/python benchmarks/run.py

# Lesson 08's long runs: trains the candidates for the shipped character model (a GRU at two sizes, an LSTM,
# the plain RNN) and the comparison runs on 2 worker processes, seeded, progress on one line; validation
# chooses the shipped model; writes rnn_edu/assets/capstone_weights.npz and capstone_run.json (commit
# them). CAPSTONE_JOBS=1 on a one-core machine. Needs only the base install.
CAPSTONE_JOBS ?= 2
capstone: $(STAMP)
	nice -n 5 $(BIN)/python scripts/capstone.py --jobs $(CAPSTONE_JOBS)

# Checks on it for lesson 08 (about 20 minutes on 2 cores): every candidate again with a second seed, and
# the largest with dropout; validation only. Writes rnn_edu/assets/capstone_checks.json.
capstone-checks: $(STAMP)
	nice -n 5 $(BIN)/python scripts/capstone_checks.py --jobs $(CAPSTONE_JOBS)

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

# A class hub on http://127.0.0.1:8000 until Ctrl-C (HUB_PORT=..., HUB_DATA=folder for its homes and database,
# COURSE=a folder of lessons to give learners instead of the learner edition).
hub: hub-install
	$(BIN)/python hub/hubctl.py $(if $(HUB_PORT),--port $(HUB_PORT)) $(if $(HUB_DATA),--data $(HUB_DATA)) \
	  $(if $(COURSE),--course $(COURSE))

hub-test: hub-install
	$(FRESH) $(BIN)/python -m pytest -q -rs tests/hub

# Load test: N learners at once on a hub of its own; writes its section of benchmarks/RESULTS.md.
hub-load: hub-install
	$(BIN)/python benchmarks/hub_load.py --learners $(N)

# The instructor's class report over the learners' homes (or progress files): class-report/
report: $(STAMP)
	$(BIN)/python -m rnn_edu.report $(HOMES) --out class-report

clean:
	rm -rf $(VENV) $(OLDEST) build *.egg-info
