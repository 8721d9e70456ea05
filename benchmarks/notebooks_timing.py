"""Wall-clock time of each lesson notebook under nbval, and of the whole course.

Runs, from the repository root, exactly what `make nbval` runs (one notebook at a
time, then all at once), with RNN_EDU_PROGRESS in a temporary directory so the
learner's progress file is never touched. Each time includes pytest's start-up.
Notebooks that do not exist yet are reported as missing, not as failures.
"""
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ("00_start_here", "01_training_an_rnn", "02_training_parameters",
           "03_backprop_through_time", "04_vanishing_exploding", "05_gradient_clipping",
           "06_long_term_dependencies", "07_gated_cells")
NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]


def notebooks():
    """The lesson notebooks in notebooks/ (the expected eight and any other NN_*.ipynb), sorted."""
    found = {p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb")}
    return sorted(set(LESSONS) | found)


def run_nbval(paths, progress_dir, timeout):
    """Run pytest --nbval on `paths`; returns (seconds, status text)."""
    # as `make nbval` runs them: one BLAS thread (the benchmark itself pins two for numpy and torch)
    env = dict(os.environ, RNN_EDU_PROGRESS=str(Path(progress_dir) / "progress.json"),
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    cmd = [sys.executable, "-m", "pytest", "-q", *NBVAL, *paths]
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, f"timed out after {timeout} s"
    elapsed = time.perf_counter() - start
    summary = [line for line in done.stdout.splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    status = summary[-1].strip("= ") if summary else f"exit code {done.returncode}"
    return elapsed, ("ok: " if done.returncode == 0 else "FAILED: ") + status


def measure(timeout=600):
    """Rows of (notebook, seconds or None, status), the last row being the whole course."""
    rows, present = [], []
    with tempfile.TemporaryDirectory(prefix="rnn-edu-bench-") as tmp:
        for name in notebooks():
            path = f"notebooks/{name}.ipynb"
            if not (ROOT / path).exists():
                rows.append((name, None, "missing"))
                continue
            present.append(path)
            with tempfile.TemporaryDirectory(dir=tmp) as progress:
                rows.append((name, *run_nbval([path], progress, timeout)))
        if present:
            with tempfile.TemporaryDirectory(dir=tmp) as progress:
                seconds, status = run_nbval(present, progress, timeout)
            rows.append((f"whole course ({len(present)} notebooks)", seconds, status))
    return rows
