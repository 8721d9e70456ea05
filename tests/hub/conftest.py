"""Fixtures for the hub tests: a real JupyterHub on 127.0.0.1, free ports, a temporary data folder.

Without jupyterhub or the proxy (`make hub-install` installs both) the tests
skip with the reason, unless RNN_EDU_REQUIRE_HUB=1 or CI=true: then they fail.
Every hub started here is stopped, and the test fails if any process of it
(marked by RNN_EDU_HUB_DATA in its environment) is left.
"""
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "hub"))

import ports  # noqa: E402
import hubctl  # noqa: E402

REQUIRE_VAR = "RNN_EDU_REQUIRE_HUB"


def required():
    return os.environ.get(REQUIRE_VAR) == "1" or os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def hub_installed():
    """Skip (or fail, when required) if jupyterhub or configurable-http-proxy is missing."""
    why = hubctl.missing()
    if why:
        if required():
            pytest.fail(f"{why}; the hub tests are required here ({REQUIRE_VAR}=1 or CI=true)", pytrace=False)
        pytest.skip(f"hub tests skipped: {why}")


class RunningHub:
    """Start a hub in `data`; stop() it and report what was left behind."""

    def __init__(self, data, course=None):
        self.data, self.course, self.hub = Path(data), course, None

    def start(self):
        self.hub = hubctl.start(self.data, course=self.course)
        return self.hub

    def stop(self):
        if self.hub is None:
            return []
        killed = self.hub.stop()
        self.hub = None
        return killed


@pytest.fixture
def hub_runner(hub_installed, tmp_path):
    """A not-yet-started hub with its own data folder; always stopped, and nothing may be left."""
    runner = RunningHub(tmp_path / "hub-data")          # the default course: the learner edition
    try:
        yield runner
    finally:
        left = runner.stop()
        assert hubctl.marked_pids(runner.data) == []
        assert left == [], f"processes of the hub were still alive after it stopped: {left}"
        runtime = ports.runtime_root(runner.data)
        assert not runtime.exists(), f"the kernels' runtime folder {runtime} was left behind"
