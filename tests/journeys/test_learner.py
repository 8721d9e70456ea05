"""The learner's path in the README: `make lab` builds work/ with empty exercises and opens
JupyterLab; the learner edits a lesson; a second `make lab` keeps the edit."""
import json
import time
import urllib.request

import pytest

from conftest import Background, REPO
from test_classroom import assert_learner_edition

URL = r"http://127\.0\.0\.1:\d+/lab\?token=\w+"


def answers(url, limit=60):
    """Wait until the server answers `url` over HTTP (it prints the URL before its loop runs)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.status
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{url} did not answer within {limit} s")


def run_lab(work, log):
    """`make lab` until JupyterLab answers on 127.0.0.1, then Ctrl-C; returns its output."""
    lab = Background(["lab", f"WORK={work}"], log=log)
    try:
        found = lab.wait_for(URL, 900)     # the first one sets up .venv when it is missing
        assert answers(found.group(0)) == 200
    finally:
        lab.interrupt(again_after=20)
    return lab.text()


def test_make_lab_builds_empty_exercises_then_keeps_the_learners_edit(tmp_path):
    work = tmp_path / "work"
    first = run_lab(work, tmp_path / "lab1.log")
    lessons = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert f"Learner edition in {work}/: {len(lessons)} new" in first
    assert_learner_edition(work)                                   # every lesson, no solution line
    path = work / lessons[1]
    nb = json.loads(path.read_text(encoding="utf-8"))
    stub = next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    assert "raise NotImplementedError()" in "".join(stub["source"])
    stub["source"] = "".join(stub["source"]).replace("raise NotImplementedError()", "return 'my own attempt'")
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")      # as JupyterLab saves it
    edited = path.read_bytes()
    second = run_lab(work, tmp_path / "lab2.log")
    assert f"Learner edition in {work}/: {len(lessons)} kept" in second
    assert path.read_bytes() == edited
    assert not (work / "updates").exists()
