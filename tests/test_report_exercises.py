"""The class report's exercise columns, counted from progress files that this test filled by running
the real checkers and hint buttons, as three learners would; the expected counts are worked out by hand."""
import csv

import pytest

from rnn_edu.course import report
from rnn_edu.course.exercises import lesson03, lesson06
from rnn_edu.course.report.exercises import EXERCISE_COLUMNS

OFF_BY_ONE = "import math\ndef steps_below(r, eps):\n    return math.floor(math.log(eps) / math.log(r))\n"
OFF_BY_ONE_LOOP = ("def steps_below(r, eps):\n    k, v = 0, 1.0\n    while v * r >= eps:\n"
                   "        k, v = k + 1, v * r\n    return k\n")
RIGHT = "def steps_below(r, eps):\n    k, v = 1, r\n    while v >= eps:\n        k, v = k + 1, v * r\n    return k\n"
STUB = "def backward_step(*args):\n    raise NotImplementedError()\n"
NO_TANH = "def backward_step(dh_t, h_t, h_prev, x_t, W_F, W_R):\n    return dh_t @ W_R, dh_t.T @ h_prev\n"


def attempt(source, exercise, hints=0):
    """Define the learner's function, run its checker cell, press the hint button `hints` times."""
    checker = {"steps-below": lesson06.check_steps_below, "backward-step": lesson03.check_backward_step}[exercise]
    name = exercise.replace("-", "_")
    ns = {"check": checker}
    exec(source + f"\nresult = check({name})\nshown = result.show('{exercise}')\n", ns)
    for _ in range(hints):
        ns["shown"].hint_button.click()
    return ns["result"].message


@pytest.fixture
def homes(tmp_path, monkeypatch):
    def learner(name):
        monkeypatch.setenv("RNN_EDU_PROGRESS", str(tmp_path / "homes" / name / ".rnn_edu" / "progress.json"))
    learner("ada")
    m1 = attempt(OFF_BY_ONE, "steps-below", hints=1)
    attempt(RIGHT, "steps-below")                       # passes at attempt 2
    attempt(RIGHT, "steps-below")                       # a rerun: not an attempt
    attempt(STUB, "backward-step")                      # not written
    attempt(STUB, "backward-step")
    learner("ben")
    attempt(OFF_BY_ONE, "steps-below")
    attempt(OFF_BY_ONE_LOOP, "steps-below")
    attempt(RIGHT, "steps-below")                       # passes at attempt 3
    attempt(OFF_BY_ONE, "steps-below")                  # then broken: passed once, not now
    m2 = attempt(NO_TANH, "backward-step", hints=3)
    learner("cy")
    attempt(OFF_BY_ONE, "steps-below", hints=2)
    attempt(OFF_BY_ONE, "steps-below")                  # a rerun
    return tmp_path / "homes", m1, m2


def test_exercise_counts_per_exercise(homes, tmp_path):
    path, m1, m2 = homes
    rep = report.build([path])
    paths = report.write(rep, tmp_path / "out")
    with open(paths["exercises"], newline="") as fh:
        rows = list(csv.reader(fh))
    # steps-below: tried by 3; passed once: ada, ben; passing now: ada; attempts to pass 2 (ada), 3 (ben)
    #   -> median 2.5; the off-by-one mistake was named to all 3; hints: ada 1, cy 2 -> 2 learners, mean 1.00
    # backward-step: ada never wrote it (not written), ben tried once without tanh' and opened 3 hints:
    #   tried 1, passed 0, mistake named to 1, hints used by 1, mean (0 + 3) / 2 = 1.50, 1 not written
    assert rows == [
        EXERCISE_COLUMNS,
        ["backward-step", "03", "one backward step", "1", "0", "0", "", m2, "1", "1", "1.50", "1"],
        ["steps-below", "06", "how long a signal survives", "3", "2", "1", "2.5", m1, "3", "2", "1.00", "0"],
    ]
    summary = paths["summary"].read_text()
    assert "1. backward-step, one backward step (lesson 03): 0/1 passed, 0 passing now, 1 used hints" in summary
    assert ("2. steps-below, how long a signal survives (lesson 06): 2/3 passed, median 2.5 attempts to pass, "
            "1 passing now, 2 used hints") in summary
    assert f"most common mistake (3 learner(s)): {m1[:160]}" in summary


def test_no_exercise_run_yet(tmp_path):
    (tmp_path / "homes").mkdir()
    paths = report.write(report.build([tmp_path / "homes"]), tmp_path / "out")
    assert "No learner has run an exercise's checker yet." in paths["summary"].read_text()
    assert paths["exercises"].read_text().strip() == ",".join(EXERCISE_COLUMNS)
