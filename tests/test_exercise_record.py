"""Exercise progress in the progress file: one record per real attempt (never per cell run), a stub
recorded once as "not written", "passed once" kept when a later change breaks the function, and the
same safe writes as quiz answers. The last test runs a learner edition twice, as Run All would."""
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from rnn_edu.course import quiz
from rnn_edu.course.exercises import lesson03, lesson06
from rnn_edu.course.exercises.record import fingerprint, load_exercise_progress
from rnn_edu.course.quiz.progress_store import ProgressWarning

ROOT = Path(__file__).resolve().parents[1]


def define(source, name="steps_below"):
    """A learner's function, compiled from `source` as a notebook cell would (a fresh object each time)."""
    namespace = {}
    exec(source, namespace)
    return namespace[name]


STUB = "def steps_below(r, eps):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
OFF_BY_ONE = "import math\ndef steps_below(r, eps):\n    return math.floor(math.log(eps) / math.log(r))\n"
OFF_BY_ONE_LOOP = ("def steps_below(r, eps):\n    k, v = 0, 1.0\n    while v * r >= eps:\n"
                   "        k, v = k + 1, v * r\n    return k\n")
RIGHT = ("def steps_below(r, eps):\n    k, v = 1, r\n    while v >= eps:\n"
         "        k, v = k + 1, v * r\n    return k\n")


def run(source):
    """The checker cell, as the notebook runs it: result = check(...); result.show(...)."""
    namespace = {"check": lesson06.check_steps_below}
    exec(source + "\nresult = check(steps_below)\nshown = result.show('steps-below')\n", namespace)
    return namespace["result"]


def test_run_all_on_a_stub_records_not_written_once(progress_file):
    for _ in range(3):                                  # Run All three times, kernel restarts between
        run(STUB)
    rec = load_exercise_progress()["steps-below"]
    assert rec["state"] == "not written" and rec["runs"] == 0 and not rec["passed"] and not rec["ever_passed"]
    assert len(rec["history"]) == 1 and rec["lesson"] == "06"
    mtime = progress_file.stat().st_mtime_ns
    run(STUB)
    assert progress_file.stat().st_mtime_ns == mtime, "a stub already recorded is not written again"


def test_one_record_per_real_attempt_and_passed_once_is_kept(progress_file):
    run(STUB)
    first = run(OFF_BY_ONE)
    run(OFF_BY_ONE)                                      # the checker cell rerun: same code, same verdict
    run(OFF_BY_ONE)                                      # Run All after a restart: the def is compiled anew
    rec = load_exercise_progress()["steps-below"]
    assert rec["runs"] == 1 and rec["state"] == "not yet" and rec["mistake"] == first.message
    run(OFF_BY_ONE_LOOP)                                 # other code, the same mistake named: an attempt
    assert load_exercise_progress()["steps-below"]["runs"] == 2
    run(RIGHT)
    run(RIGHT)
    rec = load_exercise_progress()["steps-below"]
    assert (rec["runs"], rec["runs_to_pass"], rec["state"], rec["passed"], rec["ever_passed"]) == (
        3, 3, "passed", True, True)
    assert rec["mistake"] is None and rec["hints_at_pass"] == 0
    broken = run(OFF_BY_ONE)                             # later broken again: the current state shows it
    rec = load_exercise_progress()["steps-below"]
    assert (rec["runs"], rec["runs_to_pass"], rec["state"], rec["passed"], rec["ever_passed"]) == (
        4, 3, "not yet", False, True)
    assert rec["mistake"] == broken.message
    # OFF_BY_ONE and OFF_BY_ONE_LOOP are told the same mistake: counted once per attempt, three attempts
    assert rec["mistakes"] == {first.message: 3}
    run(STUB)                                            # the cell emptied again
    rec = load_exercise_progress()["steps-below"]
    assert rec["state"] == "not written" and rec["ever_passed"] and rec["runs"] == 4
    assert [h["state"] for h in rec["history"]] == ["not written", "not yet", "not yet", "passed", "not yet",
                                                     "not written"]


def test_the_fingerprint_follows_the_code_not_the_object():
    assert fingerprint(define(RIGHT)) == fingerprint(define(RIGHT))
    assert fingerprint(define(RIGHT)) != fingerprint(define(RIGHT.replace("v >= eps", "v > eps")))
    assert fingerprint(define(RIGHT)) != fingerprint(define(RIGHT.replace("k, v = 1, r", "k, v = 2, r")))
    assert fingerprint(len) is None and fingerprint(None) is None


def test_a_helper_stub_counts_as_not_written(progress_file):
    """rnn_forward written on top of an unwritten forward_step: "not written", not an attempt."""
    from rnn_edu.course.exercises import forward
    ns = {"check": forward.check_rnn_forward, "np": __import__("numpy")}
    exec("def forward_step(*a):\n    raise NotImplementedError()\n"
         "def rnn_forward(xs, h0, W_F, W_R, b_h):\n    return np.stack([forward_step(x, h0, W_F, W_R, b_h) for x in xs])\n"
         "check(rnn_forward).show('rnn-forward')", ns)
    rec = load_exercise_progress()["rnn-forward"]
    assert rec["state"] == "not written" and rec["runs"] == 0


def test_quiz_answers_and_exercise_runs_share_the_file_without_loss(progress_file):
    quiz.get_question("weight-roles").submit("$W_R$")
    run(OFF_BY_ONE)
    quiz.get_question("weight-roles").submit("$W_F$")
    data = json.loads(progress_file.read_text())
    assert data["questions"]["weight-roles"]["attempts"] == 2
    assert data["exercises"]["steps-below"]["runs"] == 1


def test_writes_are_atomic_and_a_damaged_exercises_field_is_moved_aside(progress_file, monkeypatch):
    from rnn_edu.course.quiz import progress_store
    calls = []
    real = os.replace
    monkeypatch.setattr(progress_store.os, "replace", lambda a, b: (calls.append((a, b)), real(a, b)))
    run(OFF_BY_ONE)
    assert len(calls) == 1 and Path(calls[0][1]) == progress_file
    progress_file.write_text(json.dumps({"version": 1, "questions": {}, "exercises": [1, 2]}))
    with pytest.warns(ProgressWarning, match="moved"):
        run(OFF_BY_ONE)
    assert (progress_file.parent / "progress.json.corrupt-1").is_file()
    assert load_exercise_progress()["steps-below"]["runs"] == 1


def test_an_unwritable_file_warns_and_the_notebook_goes_on(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("RNN_EDU_PROGRESS", str(blocker / "progress.json"))   # a file where a folder should be
    with pytest.warns(ProgressWarning, match="could not be saved"):
        result = run(OFF_BY_ONE)
    assert not result.passed


def test_each_attempts_history_keeps_the_hints_seen(progress_file):
    result = lesson03.check_backward_step(define(STUB.replace("steps_below(r, eps)", "backward_step(*a)"),
                                                 "backward_step"))
    fb = result.show("backward-step")
    fb.hint_button.click()
    fb.hint_button.click()
    wrong = define("def backward_step(dh_t, h_t, h_prev, x_t, W_F, W_R):\n    return dh_t @ W_R, dh_t.T @ h_prev\n",
                   "backward_step")
    lesson03.check_backward_step(wrong).show("backward-step")
    rec = load_exercise_progress()["backward-step"]
    assert rec["hints_seen"] == 2 and rec["history"][-1]["hints_seen"] == 2 and rec["runs"] == 1


def test_run_all_twice_on_the_learner_edition_records_each_exercise_once(tmp_path):
    """Lesson 00's learner edition, executed twice (two Run Alls in two kernels)."""
    pytest.importorskip("nbclient")
    out = tmp_path / "le"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "edition.py"), "lab", str(ROOT / "notebooks"), str(out)],
                   check=True, capture_output=True)
    env = {**os.environ, "RNN_EDU_PROGRESS": str(tmp_path / "progress.json"), "RNN_EDU_QUIZZES": "packed",
           "OPENBLAS_NUM_THREADS": "1"}
    for i in range(2):
        subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                        "--output", str(tmp_path / f"run{i}.ipynb"), str(out / "00_start_here.ipynb")],
                       check=True, capture_output=True, env=env, timeout=300)
    data = json.loads((tmp_path / "progress.json").read_text())
    rec = data["exercises"]["my-shapes"]
    assert rec["state"] == "not written" and rec["runs"] == 0 and len(rec["history"]) == 1
    cell = next(c for c in json.loads((tmp_path / "run1.ipynb").read_text())["cells"]
                if "result.show(" in "".join(c["source"]))
    shown = cell["outputs"][0]["data"]
    text = "".join(shown["text/plain"]) if isinstance(shown["text/plain"], list) else shown["text/plain"]
    assert text.startswith("NOT YET: write `my_shapes` above")
    assert "application/vnd.jupyter.widget-view+json" in shown
