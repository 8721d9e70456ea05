"""Start and stop the class hub: `make hub` runs `python hub/hubctl.py`.

`main()` runs JupyterHub in the foreground on 127.0.0.1 and prints how to log
in.  Ctrl-C (or SIGTERM) asks the hub to stop, which stops every learner's
server and the proxy; whatever is still alive after that (found by the
RNN_EDU_HUB_DATA marker every process of this hub carries in its environment)
is killed, so nothing is left behind.

`start()` and `Hub.stop()` do the same for the tests and the load test, on
free ports and in a data folder of their choice.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import classroom
import ports

CONFIG = classroom.HERE / "jupyterhub_config.py"
READY_TIMEOUT = 120   # s for the hub to answer /hub/api/
STOP_TIMEOUT = 90     # s for the hub to stop its servers and the proxy after SIGINT


class HubUnavailable(RuntimeError):
    """JupyterHub or the proxy is not installed."""


def missing():
    """What is missing to run a hub (a sentence), or None."""
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "jupyterhub is not installed (pip install -e '.[hub]', or make hub)"
    if not os.access(classroom.PROXY, os.X_OK):
        return (f"configurable-http-proxy is not installed in {classroom.PROXY.parent} "
                "(npm ci --prefix hub, or make hub)")
    return None


def free_port():
    """A TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ancestors():
    """This process and its parents (make, a shell, a test runner): they may carry the marker too
    (RNN_EDU_HUB_DATA=... make hub) but are not the hub's."""
    pids, pid = set(), os.getpid()
    while pid > 1 and pid not in pids:
        pids.add(pid)
        try:
            stat = (Path("/proc") / str(pid) / "stat").read_text()
            pid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return pids


def marked_pids(data):
    """Processes (other than this one and its ancestors) whose environment has RNN_EDU_HUB_DATA=<data>."""
    marker = f"{classroom.DATA_VAR}={Path(data).resolve()}".encode()
    pids, mine = [], ancestors()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            env = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker in env.split(b"\0"):
            pids.append(int(entry.name))
    return pids


def kill_marked(data):
    """SIGKILL every process left by the hub in `data`; returns their pids."""
    pids = marked_pids(data)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return pids


class Hub:
    """A running hub: its URL, data folder, credentials and process."""

    def __init__(self, proc, url, data, creds, log=None):
        self.proc, self.url, self.data, self.creds, self.log = proc, url, Path(data), creds, log

    @property
    def homes(self):
        return classroom.homes_dir(self.data)

    def log_tail(self, n=40):
        """The last lines of the hub's log (when it has one)."""
        if self.log is None:
            return ""
        try:
            return "\n".join(Path(self.log).read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def wait_ready(self, timeout=READY_TIMEOUT):
        """Poll /hub/api/ until the hub answers; raise with the log if it dies or hangs."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with code {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=2) as resp:
                    json.loads(resp.read())
                return self
            except (urllib.error.URLError, OSError, ValueError):
                time.sleep(0.25)
        raise RuntimeError(f"JupyterHub did not answer within {timeout} s:\n{self.log_tail()}")

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGINT (the hub stops servers and proxy), then SIGKILL; then sweep. Returns leftovers killed."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        deadline = time.monotonic() + 5   # servers may still be exiting on their own
        while marked_pids(self.data) and time.monotonic() < deadline:
            time.sleep(0.2)
        killed = kill_marked(self.data)
        shutil.rmtree(ports.runtime_root(self.data), ignore_errors=True)  # kernels' sockets
        return killed


def hub_env(data, port, api_port, proxy_api_port, course=None, extra=None):
    """The environment the hub (and so each process it starts) runs with."""
    env = dict(os.environ, **{classroom.DATA_VAR: str(Path(data).resolve()),
                              "RNN_EDU_HUB_PORT": str(port), "RNN_EDU_HUB_API_PORT": str(api_port),
                              "RNN_EDU_HUB_PROXY_API_PORT": str(proxy_api_port)})
    if course is not None:
        env[classroom.COURSE_VAR] = str(Path(course).resolve())  # the hub runs in the data folder
    env.update(extra or {})
    return env


def launch(data, env, **popen):
    """JupyterHub with our config, in a session of its own (only we pass it signals)."""
    return subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=data, env=env,
                            stdin=subprocess.DEVNULL, start_new_session=True, **popen)


def start(data, port=None, course=None, extra_env=None, log=None):
    """Start JupyterHub in the background on free loopback ports; returns a ready Hub."""
    why = missing()
    if why:
        raise HubUnavailable(why)
    data = Path(data).resolve()
    data.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    env = hub_env(data, port, free_port(), free_port(), course, extra_env)
    log = Path(log or data / "hub.log")
    with open(log, "ab") as out:
        proc = launch(data, env, stdout=out, stderr=subprocess.STDOUT)
    creds = classroom.credentials(data, env)
    hub = Hub(proc, f"http://127.0.0.1:{port}", data, creds, log)
    try:
        return hub.wait_ready()
    except BaseException:
        hub.stop()
        raise


def main(argv=None):
    """`make hub`: run the hub in the foreground until Ctrl-C, then leave nothing behind."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=int(os.environ.get("RNN_EDU_HUB_PORT", "8000")))
    ap.add_argument("--data", type=Path, default=classroom.data_dir(), help="data folder (hub/data)")
    ap.add_argument("--course", type=Path, default=None,
                    help="folder whose lessons each new learner gets (default: the learner edition, from release/ if make release built every lesson, else built from notebooks/)")
    args = ap.parse_args(argv)
    why = missing()
    if why:
        print(f"hub: {why}", file=sys.stderr)
        return 2
    data = args.data.resolve()
    data.mkdir(parents=True, exist_ok=True)
    env = hub_env(data, args.port, free_port(), free_port(), args.course)
    creds = classroom.credentials(data, env)
    proc = launch(data, env)
    hub = Hub(proc, f"http://127.0.0.1:{args.port}", data, creds)
    stopping = []

    def on_signal(signum, _frame):
        stopping.append(signum)
        if len(stopping) == 1:
            print("\nhub: stopping (every learner's server, then the proxy and the hub)...", flush=True)
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        elif proc.poll() is None:
            proc.kill()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # Ctrl-C, kill, terminal closed
        signal.signal(sig, on_signal)
    failed = False
    try:
        hub.wait_ready()
        print(_banner(hub, classroom.describe_course(env)), flush=True)
        while proc.poll() is None:
            time.sleep(0.5)
        if not stopping:
            failed = True
            print(f"hub: JupyterHub exited on its own (code {proc.returncode})", file=sys.stderr)
    except RuntimeError as exc:
        failed = True
        print(f"hub: {exc}", file=sys.stderr)
    finally:
        left = hub.stop()
    print(f"hub: stopped; {'killed ' + str(len(left)) + ' stray process(es)' if left else 'no process left behind'}.")
    return 1 if failed or left else 0


def _banner(hub, source):
    """What the instructor needs to know once the hub answers."""
    return "\n".join([
        "", f"rnn-edu class hub: {hub.url}/ (loopback only)",
        f"  learners: any name (lower-case letters, digits, . _ -), password {hub.creds['password']}",
        f"  instructor: {classroom.admin_name()}, password {hub.creds['admin_password']} "
        f"(admin page: {hub.url}/hub/admin)",
        f"  lessons copied to each new learner: {source}",
        f"  homes and progress files: {hub.homes}/<name>/{classroom.PROGRESS}",
        f"  class report: make report HOMES={hub.homes}",
        "  Ctrl-C stops everything.", ""])


if __name__ == "__main__":
    sys.exit(main())
