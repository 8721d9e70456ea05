"""Defect 1 of issue 13: one learner action is one attempt, whatever the kernel threads.

In JupyterLab 4.6 with ipykernel 7, comm messages can be handled on different
threads (kernel subshells).  Clicking Check after typing into the number box
sends two messages: the box's value change (which checks the answer, like
Enter) and the button's click.  Handled at the same time on two threads, both
used to pass the "same answer as last time?" test before either recorded it,
so one click counted twice.  These tests drive the real widget from two
threads, with the progress write slowed down so the two handlers overlap.
"""
import json
import threading
import time

import pytest

from rnn_edu.course import quiz
from rnn_edu.course.quiz import progress_store

QID = "exploding-4-byte-overflow"
ANSWERS = ["9", "11", "32", "10"]   # four valid numbers, each a new learner action


@pytest.fixture
def slow_writes(monkeypatch):
    """Make every progress write take 50 ms, so concurrent handlers overlap."""
    real = progress_store.record_answer

    def slow(*args, **kwargs):
        time.sleep(0.05)
        return real(*args, **kwargs)

    monkeypatch.setattr(progress_store, "record_answer", slow)


def _run_both(*targets):
    """Start the targets on their own threads at the same moment and wait for them."""
    errors = []

    def wrap(fn):
        def run():
            try:
                fn()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
        return run

    threads = [threading.Thread(target=wrap(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a handler thread hung"
    assert not errors, errors


def _type_and_click(qw, answer):
    """A learner types `answer` and clicks Check: the box's change and the click, on two threads."""
    typed = threading.Event()

    def change():                       # the box loses focus: its value reaches the kernel
        qw.input.value = answer         # (observers run here: the change handler checks)
        typed.set()

    def click():                        # the click arrives on another thread meanwhile
        deadline = time.monotonic() + 5
        while qw.input.value != answer and time.monotonic() < deadline:
            time.sleep(0.001)
        qw.check_button.click()

    _run_both(change, click)
    assert typed.is_set()


def test_click_with_a_change_on_another_thread_counts_once(progress_file, slow_writes):
    qw = quiz.show(QID)
    for n, answer in enumerate(ANSWERS, 1):
        _type_and_click(qw, answer)
        assert qw.attempts == n, f"after answer {n} ({answer!r}) the widget counts {qw.attempts}"
        assert f"Attempts: {n}" in qw.attempts_label.value
    record = json.loads(progress_file.read_text())["questions"][QID]
    assert record["attempts"] == len(ANSWERS)
    assert [h["answer"] for h in record["history"]] == [repr(a) for a in ANSWERS]
    assert record["correct"] is True and record["first_correct"] is False
    assert "Correct" in qw.feedback.value


def test_two_clicks_on_two_threads_count_once(progress_file, slow_writes):
    """Two click messages for the same answer (a double click) are one attempt."""
    qw = quiz.show("weight-roles")
    qw.set_answer(qw.question.key)
    _run_both(qw.check_button.click, qw.check_button.click)
    assert qw.attempts == 1
    assert json.loads(progress_file.read_text())["questions"]["weight-roles"]["attempts"] == 1


def test_different_answers_on_two_threads_are_both_kept(progress_file, slow_writes):
    """Nothing is lost: two widgets of the same question answered at once both record."""
    a, b = quiz.show(QID), quiz.show(QID)
    _run_both(lambda: setattr(a.input, "value", "9"), lambda: setattr(b.input, "value", "10"))
    record = json.loads(progress_file.read_text())["questions"][QID]
    assert record["attempts"] == 2
    assert sorted(h["answer"] for h in record["history"]) == ["'10'", "'9'"]
