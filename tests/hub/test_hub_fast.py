"""A real hub with two learners: separate homes, course copies and progress files; stops cleanly.

The whole test (hub start, two learners, hub stop) runs against a 60 s limit.
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time


import classroom
import hubclient
import hubctl
from test_classroom import assert_learner_edition

LIMIT = 60  # s for the whole two-learner test
ANSWERS = {"ada": {"exploding-4-byte-overflow": ["7001", "10"]},
           "ben": {"exploding-float32-overflow": ["39"], "decay-0-9-below-1e-3": ["7002"]}}
CELLS = ["import os, rnn_edu\nprint(os.environ['RNN_EDU_PROGRESS'])",
         "from rnn_edu.course import quiz\nprint(len(quiz.lessons()) >= 7)",
         # the kernel talks to its server over Unix sockets in the learner's runtime folder
         "import ipykernel.connect, json\ninfo = ipykernel.connect.get_connection_info(unpack=True)\n"
         "assert info['transport'] == 'ipc', info['transport']\n"
         "assert info['ip'].startswith(os.environ['JUPYTER_RUNTIME_DIR']), info['ip']"]


def session(hub, name, deadline, seen, errors):
    """One learner: log in, start, a few cells and quiz answers in a kernel, stop."""
    try:
        learner = hubclient.Learner(hub.url, name, hub.creds["password"], deadline)
        learner.log_in()
        learner.start_server()
        path, _ = learner.notebook(classroom.COURSE_DIR, "00")
        learner.open_kernel(path)
        problems = learner.execute(CELLS + [hubclient.quiz_code(ANSWERS[name])])
        seen[name] = learner.user_model()["servers"][""]["url"]
        learner.stop_server()
        if problems:
            errors.append(f"{name}: {problems}")
    except Exception as exc:  # noqa: BLE001 - reported by the test
        errors.append(f"{name}: {exc}")


def test_two_learners_get_their_own_home_course_and_progress(hub_runner):
    started = time.monotonic()
    hub = hub_runner.start()
    deadline = started + LIMIT
    seen, errors = {}, []
    threads = [threading.Thread(target=session, args=(hub, name, deadline, seen, errors)) for name in ANSWERS]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(1, deadline - time.monotonic()))
    assert not errors, "\n".join(errors)
    assert seen == {"ada": "/user/ada/", "ben": "/user/ben/"}
    for name, answers in ANSWERS.items():
        home = hub.homes / name
        assert_learner_edition(home / classroom.COURSE_DIR)               # every lesson, no solution
        assert (home / "rnn-edu" / "00_start_here.ipynb").read_bytes() == \
            (hub.data / classroom.COURSE_COPY / "00_start_here.ipynb").read_bytes()
        # matplotlib's font cache was seeded, so a first `import matplotlib` builds nothing
        assert [p.name for p in (home / ".cache" / "matplotlib").glob("fontlist-*.json")] == \
            [p.name for p in (hub.data / "matplotlib").glob("fontlist-*.json")] != []
        data = json.loads((home / classroom.PROGRESS).read_text())
        assert sorted(data["questions"]) == sorted(answers), f"{name}'s file holds another learner's answers"
        for qid, given in answers.items():
            history = [h["answer"] for h in data["questions"][qid]["history"]]
            assert history == [repr(a) for a in given]
            assert data["questions"][qid]["attempts"] == len(given)
    assert sorted(p.parent.parent.name for p in hub.homes.glob("*/.rnn_edu/progress.json")) == ["ada", "ben"]
    assert hub_runner.stop() == []
    took = time.monotonic() - started
    assert took < LIMIT, (f"hub start, two learners and hub stop took {took:.0f} s, over {LIMIT} s "
                          f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


def alive(pid):
    """True while `pid` runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_ctrl_c_leaves_no_process_behind(hub_installed, tmp_path):
    """`python hub/hubctl.py` as `make hub` runs it; Ctrl-C reaches its process group."""
    data, port = tmp_path / "hub-data", hubctl.free_port()
    proc = subprocess.Popen([sys.executable, str(hubctl.classroom.HERE / "hubctl.py"), "--port", str(port),
                             "--data", str(data)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, text=True)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "Ctrl-C stops everything" in line or len(lines) > 2000:
                break
        banner = "".join(lines)
        assert f"rnn-edu class hub: http://127.0.0.1:{port}/" in banner, banner[-2000:]
        password = classroom.credentials(data)["password"]
        learner = hubclient.Learner(f"http://127.0.0.1:{port}", "cy", password, time.monotonic() + 60)
        learner.log_in()
        learner.start_server()
        learner.open_kernel(learner.notebook(classroom.COURSE_DIR, "00")[0])
        assert learner.execute(["1 + 1"]) == []
        pids = hubctl.marked_pids(data)
        cmdlines = [open(f"/proc/{p}/cmdline").read() for p in pids]
        for part in ("jupyterhub\0-f", "configurable-http-proxy", "jupyterhub.singleuser", "ipykernel"):
            assert any(part in c for c in cmdlines), f"no {part!r} among the hub's processes: {cmdlines}"
        learner.close_kernel_channel()
        os.killpg(proc.pid, signal.SIGINT)          # what the terminal does on Ctrl-C
        rest, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0, rest[-2000:]
        assert "no process left behind" in rest
        assert [p for p in pids if alive(p)] == []
        assert hubctl.marked_pids(data) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        hubctl.kill_marked(data)
