"""Fixtures for the browser tests: one JupyterLab server, one Chromium, one page at a time.

The course is copied to a temporary directory and served by JupyterLab on
127.0.0.1 (random free port, random token) with its own settings, workspaces
and progress file, so the tests never touch the learner's files.  The system
Chromium is driven by Playwright through ``executable_path``; no browser is
ever downloaded.

No Chromium (or no Playwright): the tests skip with the reason, unless
``RNN_EDU_REQUIRE_BROWSER=1`` is set (as ``.ci/run`` does): then they fail.
"""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SCREENSHOTS = HERE / "screenshots"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
REQUIRE_VAR = "RNN_EDU_REQUIRE_BROWSER"
NO_CHROMIUM = ("browser tests skipped: no Chromium found (looked for chromium, "
               "chromium-browser, google-chrome; on Debian: apt-get install -y chromium)")
NO_PLAYWRIGHT = ("browser tests skipped: Playwright for Python is not installed "
                 "(pip install -e '.[test]'; no browser download is needed)")
SERVER_START_TIMEOUT = 90  # s, for JupyterLab to answer /api/status
VIEWPORT = {"width": 1280, "height": 900}

# JupyterLab settings for the test server: no news pop-up or update check (no
# network); every cell attached to the DOM so off-screen widgets can be counted;
# the kernel started without a "Select Kernel" dialog; no blank space after the
# last cell (full-notebook screenshots).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
        {"windowingMode": "none", "autoStartDefaultKernel": True, "scrollPastEnd": False},
}


def find_chromium():
    """Path of the system Chromium (or Chrome), or None."""
    for name in BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def unavailable(reason):
    """Skip with `reason`, or fail when the environment requires the browser tests."""
    if os.environ.get(REQUIRE_VAR) == "1":
        pytest.fail(f"{reason.replace('browser tests skipped: ', '')}; "
                    f"{REQUIRE_VAR}=1 makes the browser tests required", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path():
    """The Chromium executable; skips (or fails when required) if it or Playwright is missing."""
    try:
        import playwright.sync_api  # noqa: F401
        have_playwright = True
    except ImportError:
        have_playwright = False
    if not have_playwright:
        unavailable(NO_PLAYWRIGHT)
    path = find_chromium()
    if path is None:
        unavailable(NO_CHROMIUM)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def context(browser):
    """One browser context (cookies, storage) shared by every notebook page."""
    ctx = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    ctx.set_default_timeout(30_000)
    try:
        yield ctx
    finally:
        ctx.close()


# ---------------------------------------------------------------- the server

class LabServer:
    """A running JupyterLab: base url, token, the course copy and the progress file."""

    def __init__(self, url, token, root, progress, log):
        self.url, self.token, self.root, self.progress, self.log = url, token, root, progress, log

    def api(self, method, path, timeout=10):
        """Call the REST API; returns the decoded JSON (or None)."""
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def log_tail(self, n=40):
        """The last lines of the server log, for error messages."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no server log)"


def free_port():
    """A TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_settings(settings_dir):
    """Write LAB_SETTINGS as user settings files."""
    for name, values in LAB_SETTINGS.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def lab_command(port, token, root, state):
    """The JupyterLab command line for the test server (no network, nothing outside tmp)."""
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}", "--ServerApp.terminals_enabled=False",
           f"--LabApp.user_settings_dir={state / 'settings'}",
           f"--LabApp.workspaces_dir={state / 'workspaces'}",
           "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
           "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
        cmd.append("--allow-root")
    return cmd


def wait_ready(server, proc, timeout=SERVER_START_TIMEOUT):
    """Poll /api/status until the server answers; fail with the log if it dies or hangs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {proc.returncode} while starting:\n"
                               f"{server.log_tail()}")
        try:
            server.api("GET", "/api/status", timeout=2)
            return
        except (urllib.error.URLError, OSError, ValueError):
            time.sleep(0.25)
    raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{server.log_tail()}")


def stop_server(server, proc):
    """POST /api/shutdown (stops the kernels too), then terminate, then kill."""
    if proc.poll() is None:
        try:
            server.api("POST", "/api/shutdown", timeout=10)
        except (urllib.error.URLError, OSError, ValueError):
            pass
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig is not None and proc.poll() is None:
                proc.send_signal(sig)
            try:
                proc.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue
    kill_orphan_kernels(server.root.parent / "jupyter-state" / "runtime")


def kill_orphan_kernels(runtime_dir):
    """Kill kernels left behind by a killed server: those whose connection file is in our runtime dir."""
    marker = str(runtime_dir)
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        return
    for entry in proc_dir.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if "ipykernel_launcher" in cmdline and marker in cmdline:
            try:
                os.kill(int(entry.name), signal.SIGKILL)
            except OSError:
                pass


@pytest.fixture(scope="session")
def lab_server(chromium_path, tmp_path_factory):
    """JupyterLab serving a temporary copy of notebooks/, with its own RNN_EDU_PROGRESS."""
    base = tmp_path_factory.mktemp("lab")
    root, state = base / "course", base / "jupyter-state"
    shutil.copytree(REPO / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for sub in ("settings", "workspaces", "config", "runtime", "data", "ipython"):
        (state / sub).mkdir(parents=True, exist_ok=True)
    write_settings(state / "settings")
    progress = base / "progress" / "progress.json"
    progress.parent.mkdir()
    env = dict(os.environ, RNN_EDU_PROGRESS=str(progress),
               JUPYTER_CONFIG_DIR=str(state / "config"), JUPYTER_RUNTIME_DIR=str(state / "runtime"),
               JUPYTER_DATA_DIR=str(state / "data"), IPYTHONDIR=str(state / "ipython"),
               JUPYTER_PLATFORM_DIRS="1", PYTHONDONTWRITEBYTECODE="1")
    port, token = free_port(), secrets.token_hex(24)
    log = base / "server.log"
    server = LabServer(f"http://127.0.0.1:{port}", token, root, progress, log)
    with open(log, "wb") as log_file:
        proc = subprocess.Popen(lab_command(port, token, root, state), cwd=root, env=env,
                                stdout=log_file, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_ready(server, proc)
        yield server
    finally:
        stop_server(server, proc)


# ---------------------------------------------------------------- the course

@pytest.fixture(scope="session")
def course(lab_server, context):
    """Opens and runs notebooks in the browser, one page at a time (see labdriver.Course)."""
    from labdriver import Course
    c = Course(lab_server, context, SCREENSHOTS)
    try:
        yield c
    finally:
        c.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failing test, save a screenshot of the page the course is on."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        course_obj = item.funcargs.get("course")
        if course_obj is not None:
            path = course_obj.failure_screenshot(item.name)
            if path:
                report.sections.append(("browser", f"screenshot of the failure: {path}"))


def pytest_terminal_summary(terminalreporter):
    """Print the axe-core results: the course's content (must be clean) and JupyterLab's interface."""
    from a11y import REPORTS, summary_lines
    lines = summary_lines()
    if lines:
        terminalreporter.section("axe-core accessibility (JupyterLab's interface is reported, not failed)")
        for line in lines:
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"full reports: {REPORTS}/axe-*.json")
