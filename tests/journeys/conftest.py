"""The README's paths, as a person follows them: each test runs the README's own `make` commands,
in order, in this checkout (CI: a fresh clone). `.ci/run` runs them after `make test`; they are not
part of `make test`, which they would call themselves.

Servers they start (JupyterLab, the class hub) listen on 127.0.0.1 and are stopped with Ctrl-C
(SIGINT) as a person would, within a time limit; nothing of them may be left behind.
"""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "hub"))
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tests" / "hub"))


def _default_sigint():
    """In the child: Ctrl-C does what it does in a terminal. A shell without job control starts its
    background commands with SIGINT ignored, and an ignored signal stays ignored across exec: run
    from such a shell (`.ci/run &`), JupyterLab would never see the test's Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Background:
    """A `make` target that runs until Ctrl-C (make lab, make hub), in a session of its own."""

    def __init__(self, args, env=None, log=None):
        self.log = Path(log)
        self.out = open(self.log, "wb")
        self.proc = subprocess.Popen(["make", *args], cwd=REPO, env=dict(os.environ, **(env or {})),
                                     stdin=subprocess.DEVNULL, stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True, preexec_fn=_default_sigint)

    def text(self):
        return self.log.read_text(errors="replace")

    def wait_for(self, pattern, limit):
        """The first match of `pattern` in the output, waiting up to `limit` s."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text())
            if found:
                return found
            if self.proc.poll() is not None:
                pytest.fail(f"make exited ({self.proc.returncode}) before printing {pattern!r}:\n{self.text()[-3000:]}")
            time.sleep(0.5)
        pytest.fail(f"no {pattern!r} within {limit} s:\n{self.text()[-3000:]}")

    def interrupt(self, limit=120, again_after=None):
        """Ctrl-C to the whole process group, as a terminal sends it; returns make's exit code.
        again_after: seconds after which a second Ctrl-C follows if it is still running (as a
        person would press it again; JupyterLab's own advice), None: never."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                try:
                    self.proc.wait(timeout=again_after if again_after is not None else limit)
                except subprocess.TimeoutExpired:
                    if again_after is None:
                        raise
                    os.killpg(self.proc.pid, signal.SIGINT)
                    self.proc.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
                pytest.fail(f"still running {limit} s after Ctrl-C:\n{self.text()[-3000:]}")
        self.out.close()
        return self.proc.returncode


def make(*args, env=None, limit=900):
    """Run `make ARGS` in the checkout; fails the test, with the output's end, if it fails."""
    run = subprocess.run(["make", *args], cwd=REPO, env=dict(os.environ, **(env or {})), capture_output=True,
                         text=True, timeout=limit, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, f"make {' '.join(args)} failed:\n{(run.stdout + run.stderr)[-4000:]}"
    return run.stdout + run.stderr


def pytest_collection_modifyitems(config, items):
    """The journeys run `make` themselves (and `make lab` sets up .venv): only when asked for by
    path (`pytest tests/journeys/...`, as .ci/run does), never as part of a plain `pytest tests`."""
    asked = any("journeys" in str(arg) for arg in config.args)
    if not asked:
        skip = pytest.mark.skip(reason="a README journey: run it by path, pytest tests/journeys/... (.ci/run does)")
        for item in items:
            if "journeys" in str(item.fspath):
                item.add_marker(skip)
