"""A learner as the hub sees one, driven over HTTP on loopback: no browser.

`Learner` logs in through the hub's login form, asks the hub's REST API for a
token, starts its server, reads a notebook from its own course copy (contents
API), runs the notebook's code cells in a kernel over the Jupyter websocket
protocol the way JupyterLab's Run All does (every execute_request sent at once,
stop_on_error), runs quiz code in the same kernel, and stops its server.  A kernel
channel that drops while the kernel starts is re-opened with back-off, as
JupyterLab does; the count is kept in `reconnects`.
Every call has a timeout; every wait is bounded by `deadline` (time.monotonic()).
"""
import datetime
import json
import time
import uuid

import requests
import websocket

CALL_TIMEOUT = 60  # s for one HTTP call


class LearnerError(RuntimeError):
    """One step of a learner's session failed; the message says which and why."""


class ChannelLost(LearnerError):
    """The kernel's websocket closed or could not be opened."""


RECONNECTS = 7  # like JupyterLab, which retries a lost kernel connection a few times with back-off


def _now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


class Learner:
    """One simulated learner on the hub at `hub_url`."""

    def __init__(self, hub_url, name, password, deadline):
        self.hub, self.name, self.password, self.deadline = hub_url.rstrip("/"), name, password, deadline
        self.api = requests.Session()
        self.token = None
        self.kernel_id = None
        self.ws = None
        self.reconnects = 0     # kernel channels re-opened while the kernel started

    # ------------------------------------------------------------ hub
    def _left(self, step):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise LearnerError(f"{self.name}: time limit reached during {step}")
        return left

    def _call(self, method, url, step, ok=(200,), **kw):
        kw.setdefault("timeout", min(CALL_TIMEOUT, self._left(step)))
        try:
            resp = self.api.request(method, url, **kw)
        except requests.RequestException as exc:
            raise LearnerError(f"{self.name}: {step}: {exc}") from None
        if resp.status_code not in ok:
            raise LearnerError(f"{self.name}: {step}: HTTP {resp.status_code} from {method} {url}: "
                               f"{resp.text[:300]}")
        return resp

    def log_in(self):
        """The login form (as a browser posts it), then a token from the REST API."""
        form = requests.Session()
        try:
            form.get(f"{self.hub}/hub/login", timeout=min(CALL_TIMEOUT, self._left("login")))
            xsrf = next((ck.value for ck in form.cookies if ck.name == "_xsrf"), "")
            resp = form.post(f"{self.hub}/hub/login", allow_redirects=False,
                             data={"username": self.name, "password": self.password, "_xsrf": xsrf},
                             timeout=min(CALL_TIMEOUT, self._left("login")))
            if resp.status_code != 302 or "/hub/login" in resp.headers.get("Location", "/hub/login"):
                raise LearnerError(f"{self.name}: login refused (HTTP {resp.status_code})")
            xsrf = next((ck.value for ck in form.cookies if ck.name == "_xsrf"), xsrf)
            resp = form.post(f"{self.hub}/hub/api/users/{self.name}/tokens",
                             json={"note": "simulated learner", "expires_in": 3600},
                             headers={"X-XSRFToken": xsrf}, timeout=min(CALL_TIMEOUT, self._left("token")))
        except requests.RequestException as exc:
            raise LearnerError(f"{self.name}: login: {exc}") from None
        finally:
            form.close()
        if resp.status_code != 201:
            raise LearnerError(f"{self.name}: token request: HTTP {resp.status_code}: {resp.text[:300]}")
        self.token = resp.json()["token"]
        self.api.headers["Authorization"] = f"token {self.token}"

    def user_model(self):
        return self._call("GET", f"{self.hub}/hub/api/users/{self.name}", "reading the user").json()

    def start_server(self, poll=0.25):
        """Ask the hub to start this learner's server and wait until it is ready."""
        self._call("POST", f"{self.hub}/hub/api/users/{self.name}/server", "spawn", ok=(201, 202))
        while True:
            server = self.user_model().get("servers", {}).get("")
            if server and server.get("ready"):
                return server
            if not server or not server.get("pending"):
                raise LearnerError(f"{self.name}: the server failed to start: {server}")
            self._left("spawn")
            time.sleep(poll)

    def stop_server(self, poll=0.25):
        """Ask the hub to stop this learner's server and wait until it has stopped."""
        self.close_kernel_channel()
        self._call("DELETE", f"{self.hub}/hub/api/users/{self.name}/server", "stop", ok=(202, 204))
        while self.user_model().get("servers", {}).get(""):
            self._left("stop")
            time.sleep(poll)

    # ------------------------------------------------------------ the learner's Jupyter server
    @property
    def base(self):
        return f"{self.hub}/user/{self.name}"

    def notebook(self, folder, prefix):
        """(path, notebook JSON) of the first `folder`/`prefix`*.ipynb in the learner's copy."""
        listing = self._call("GET", f"{self.base}/api/contents/{folder}", "listing the course",
                             params={"content": "1"}).json()
        names = sorted(item["name"] for item in listing["content"]
                       if item["name"].startswith(prefix) and item["name"].endswith(".ipynb"))
        if not names:
            raise LearnerError(f"{self.name}: no {folder}/{prefix}*.ipynb in the learner's copy")
        path = f"{folder}/{names[0]}"
        model = self._call("GET", f"{self.base}/api/contents/{path}", "reading the notebook",
                           params={"content": "1", "type": "notebook"}).json()
        return path, model["content"]

    def open_kernel(self, path):
        """A session for the notebook at `path` (as JupyterLab opens one), and its channels."""
        session = self._call("POST", f"{self.base}/api/sessions", "starting a kernel", ok=(201,),
                             json={"path": path, "name": path.rsplit("/", 1)[-1], "type": "notebook",
                                   "kernel": {"name": "python3"}}).json()
        self.kernel_id = session["kernel"]["id"]
        self.session_id = uuid.uuid4().hex
        for attempt in range(RECONNECTS + 1):
            try:
                self._connect()
                self._wait_kernel_info()
                return
            except ChannelLost:
                self.close_kernel_channel()
                if attempt == RECONNECTS:
                    raise
                self.reconnects += 1
                time.sleep(min(2 ** attempt, max(0.0, self._left("kernel start") - 1)))

    def _connect(self):
        """Open the kernel's websocket channels (the token in a header, as a script would)."""
        ws_url = self.base.replace("http://", "ws://", 1) + f"/api/kernels/{self.kernel_id}/channels"
        try:
            self.ws = websocket.create_connection(f"{ws_url}?session_id={self.session_id}",
                                                  header=[f"Authorization: token {self.token}"],
                                                  timeout=min(CALL_TIMEOUT, self._left("kernel channels")))
        except websocket.WebSocketBadStatusException as exc:
            if exc.status_code == 404:   # the server dropped the kernel: re-opening cannot help
                raise LearnerError(f"{self.name}: kernel channels: HTTP 404, the server no longer has "
                                   f"kernel {self.kernel_id} (it died and its restarts failed)") from None
            raise ChannelLost(f"{self.name}: kernel channels: HTTP {exc.status_code}") from None
        except (websocket.WebSocketException, OSError) as exc:
            raise ChannelLost(f"{self.name}: kernel channels: {exc}") from None

    def _send(self, msg_type, content, channel="shell"):
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.name, "session": self.session_id,
                       "msg_type": msg_type, "version": "5.3", "date": _now()},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}))
        return msg_id

    def _recv(self, step):
        self.ws.settimeout(max(0.1, min(5.0, self._left(step))))
        try:
            return _decode(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            return None
        except (websocket.WebSocketException, OSError) as exc:
            raise ChannelLost(f"{self.name}: {step}: kernel channel broke: {exc}") from None
        except ValueError as exc:
            raise LearnerError(f"{self.name}: {step}: unreadable kernel message: {exc}") from None

    def _wait_kernel_info(self):
        """kernel_info_request until a reply (JupyterLab does the same before running)."""
        while True:
            want = self._send("kernel_info_request", {})
            sent = time.monotonic()
            while time.monotonic() - sent < 5:
                msg = self._recv("kernel start")
                if msg and msg.get("parent_header", {}).get("msg_id") == want and \
                        msg.get("msg_type") == "kernel_info_reply":
                    return

    def execute(self, sources, step="Run All"):
        """Send every source as an execute_request at once; wait for all replies.

        Returns a list of problems (cell index and what went wrong); empty when every
        cell replied ok and none raised or wrote to stderr.
        """
        ids = {self._send("execute_request", {"code": src, "silent": False, "store_history": True,
                                              "user_expressions": {}, "allow_stdin": False,
                                              "stop_on_error": True}): i
               for i, src in enumerate(sources)}
        # a cell is done when its execute_reply (shell) and its idle status (iopub) have both come
        pending, problems = {(part, msg_id) for msg_id in ids for part in ("reply", "idle")}, []
        while pending:
            msg = self._recv(step)
            if msg is None:
                continue
            parent = msg.get("parent_header", {}).get("msg_id")
            if parent not in ids:
                continue
            kind, content = msg.get("msg_type"), msg.get("content", {})
            if kind == "status" and content.get("execution_state") == "idle":
                pending.discard(("idle", parent))
            elif kind == "execute_reply":
                pending.discard(("reply", parent))
                if content.get("status") == "aborted":     # skipped after an error: no idle needed
                    pending.discard(("idle", parent))
                if content.get("status") != "ok":
                    problems.append(f"cell {ids[parent]}: {content.get('status')} "
                                    f"{content.get('ename', '')}: {content.get('evalue', '')}".rstrip(": "))
            elif kind == "stream" and content.get("name") == "stderr":
                problems.append(f"cell {ids[parent]}: stderr: {content.get('text', '')[:300]}")
        return problems

    def close_kernel_channel(self):
        if self.ws is not None:
            try:
                self.ws.close()
            except (websocket.WebSocketException, OSError):
                pass
            self.ws = None


def _decode(frame):
    """A kernel message from a websocket frame: JSON text, or the binary form used with buffers."""
    if isinstance(frame, str):
        return json.loads(frame)
    # binary: uint32 count n, n uint32 offsets (the first is the JSON message's), then the parts
    count = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 * (i + 1):4 * (i + 2)], "big") for i in range(count)]
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0]:end].decode("utf-8"))


def code_cells(notebook):
    """The sources of a notebook's non-empty code cells, in order."""
    out = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            if src.strip():
                out.append(src)
    return out


QUIZ_CODE = """from rnn_edu.course import quiz as _quiz

def _answer(qid, answers):
    widget = _quiz.show(qid)
    for n, text in enumerate(answers):
        if n and hasattr(widget, "retry_button"):
            widget.retry_button.click()          # "Try again" before a new answer, as a learner would
        widget.input.value = text                # type the number ...
        widget.check_button.click()              # ... and click Check
    return widget
"""


def quiz_code(plan):
    """Kernel code that answers, through the quiz widgets, plan = {qid: [answer texts]}."""
    calls = "".join(f"_answer({qid!r}, {list(answers)!r})\n" for qid, answers in plan.items())
    return QUIZ_CODE + calls
