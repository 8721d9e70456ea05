"""The ipywidgets front end, driven headless (no browser, no kernel)."""
import json

import ipywidgets as w
import pytest

from rnn_edu import quiz

VIEW_KEY = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    """Point the progress file at a temp dir and return its path."""
    path = tmp_path / "progress.json"
    monkeypatch.setenv("RNN_EDU_PROGRESS", str(path))
    return path


def _record(path, qid):
    return json.loads(path.read_text())["questions"][qid]


def test_show_has_stable_repr_and_displays_as_the_widget(progress_file):
    quiz_widget = quiz.show("exploding-4-byte-overflow")
    assert repr(quiz_widget) == "<Quiz exploding-4-byte-overflow>"
    bundle = quiz_widget._repr_mimebundle_()
    assert bundle["text/plain"] == "<Quiz exploding-4-byte-overflow>"
    assert bundle[VIEW_KEY]["model_id"] == quiz_widget.container.model_id
    assert "rnn-edu-quiz" in quiz_widget.container._dom_classes
    assert "rnn-edu-feedback" in quiz_widget.feedback._dom_classes
    assert "rnn-edu-check" in quiz_widget.check_button._dom_classes
    assert isinstance(quiz_widget.prompt, w.HTMLMath) and isinstance(quiz_widget.feedback, w.HTMLMath)
    assert not progress_file.exists()  # showing alone records nothing


def test_numeric_wrong_then_right_with_attempts_and_progress(progress_file):
    qw = quiz.show("exploding-4-byte-overflow")
    assert isinstance(qw.input, w.Text) and qw.input.continuous_update is False
    qw.input.value = "9"                      # Enter in the box checks at once
    assert qw.attempts == 1 and "Not correct" in qw.feedback.value
    assert "rnn-edu-incorrect" in qw.feedback._dom_classes
    assert "4{,}294{,}967{,}295" in qw.feedback.value     # explanation shown
    qw.check_button.click()                   # same answer again: not a new attempt
    assert qw.attempts == 1
    qw.retry_button.click()
    assert qw.feedback.value == "" and qw.input.value == "" and qw.attempts == 1
    qw.input.value = "2**3 + 2"
    qw.check_button.click()
    assert qw.attempts == 2 and "Correct" in qw.feedback.value
    assert "rnn-edu-correct" in qw.feedback._dom_classes and "Attempts: 2" in qw.attempts_label.value
    rec = _record(progress_file, "exploding-4-byte-overflow")
    assert (rec["attempts"], rec["correct"], rec["first_correct"], rec["lesson"]) == (2, True, False, "04")


def test_single_choice_by_radio_buttons(progress_file):
    qw = quiz.show("weight-updates-multilayer")
    q = qw.question
    assert isinstance(qw.input, w.RadioButtons) and qw.input.value is None
    qw.input.value = next(t for t in q.options if t != q.key)
    qw.check_button.click()
    assert "Not correct" in qw.feedback.value and qw.attempts == 1
    qw.retry_button.click()
    assert qw.input.value is None
    qw.input.value = q.key
    qw.check_button.click()
    assert "Correct" in qw.feedback.value and qw.attempts == 2
    assert _record(progress_file, q.id)["attempts"] == 2


def test_math_options_get_letter_labels_and_a_rendered_list(progress_file):
    qw = quiz.show("regression-output-activation")
    labels = [label for label, _ in qw.input.options]
    assert labels == ["A", "B", "C", "D"]
    assert isinstance(qw.options_html, w.HTMLMath) and r"\mathrm{ReLU}" in qw.options_html.value
    qw.input.value = qw.question.key
    qw.check_button.click()
    assert "Correct" in qw.feedback.value


def test_multiple_select_by_checkboxes(progress_file):
    qw = quiz.show("overflow-behaviour")
    q = qw.question
    assert all(isinstance(c, w.Checkbox) for c in qw.checkboxes)
    qw.checkboxes[0].value = True
    qw.check_button.click()
    assert "missing" in qw.feedback.value and qw.attempts == 1
    for box in qw.checkboxes:
        box.value = box.description in q.key
    qw.check_button.click()
    assert "Correct" in qw.feedback.value and qw.attempts == 2
    qw.retry_button.click()
    assert not any(c.value for c in qw.checkboxes)


def test_check_without_an_answer_counts_nothing(progress_file):
    qw = quiz.show("weight-roles")
    qw.check_button.click()
    assert "Give an answer first" in qw.feedback.value and qw.attempts == 0
    assert not progress_file.exists()


def test_feedback_text_is_escaped(progress_file):
    qw = quiz.show("exploding-4-byte-overflow")
    qw.input.value = "<script>alert(1)</script>"
    assert "<script>" not in qw.feedback.value and "&lt;script&gt;" in qw.feedback.value


def test_record_false_leaves_no_trace(progress_file):
    qw = quiz.show("weight-roles", record=False)
    qw.input.value = qw.question.key
    qw.check_button.click()
    assert "Correct" in qw.feedback.value and not progress_file.exists()


def test_unwritable_progress_warns_but_still_gives_feedback(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("RNN_EDU_PROGRESS", str(blocker / "progress.json"))
    qw = quiz.show("weight-roles")
    qw.input.value = qw.question.key
    with pytest.warns(quiz.ProgressWarning, match="could not be saved"):
        qw.check_button.click()
    assert "Correct" in qw.feedback.value and qw.attempts == 1


def test_show_lesson(progress_file):
    lesson = quiz.show_lesson("04")
    n = len(quiz.lesson_questions("04"))
    assert repr(lesson) == f"<Quiz lesson 04: {n} questions>" and len(lesson) == n
    assert lesson._repr_mimebundle_()["text/plain"] == repr(lesson)
    assert [q.question.id for q in lesson.quizzes] == [q.id for q in quiz.lesson_questions("04")]
    assert repr(quiz.show_lesson(4)) == repr(lesson)
    first = lesson[0]
    first.input.value = first.question.key
    first.check_button.click()
    assert _record(progress_file, first.question.id)["correct"] is True


def test_progress_view_and_summary(progress_file):
    empty = quiz.progress_summary()
    assert empty["04"]["answered"] == 0 and empty["04"]["questions"] == len(quiz.lesson_questions("04"))
    quiz.get_question("exploding-4-byte-overflow").submit("10")      # right at first try
    quiz.get_question("exploding-float32-overflow").submit("38")     # wrong ...
    quiz.get_question("exploding-float32-overflow").submit("39")     # ... then right
    quiz.get_question("vanishing-not-true").submit("nonsense")       # wrong, still wrong
    s = quiz.progress_summary()["04"]
    assert (s["answered"], s["first_try"], s["correct_now"]) == (3, 1, 2)
    view = quiz.progress()
    assert repr(view) == "<Quiz progress>" and view._repr_mimebundle_()["text/plain"] == "<Quiz progress>"
    assert "<table" in view.container.value and "rnn-edu-progress" in view.container._dom_classes
    assert "<td>Vanishing and exploding gradients" not in view.container.value  # titles are prefixed
    assert "04 Vanishing and exploding gradients" in view.container.value
    quiz.get_question("vanishing-not-true").submit(quiz.get_question("vanishing-not-true").key)
    view.refresh()
    assert view.summary["04"]["correct_now"] == 3


def test_explanation_is_earned_by_a_right_answer_or_a_second_try(progress_file):
    q = quiz.get_question("exploding-float32-overflow")
    marker = "explanation appears after a right answer"
    qw = quiz.show(q.id)
    qw.input.value = "12"
    assert marker in qw.feedback.value and "Not correct" in qw.feedback.value
    qw.input.value = "13"                      # second wrong try: now the explanation is shown
    assert marker not in qw.feedback.value and "3.4" in qw.feedback.value
    right = quiz.show(q.id)
    right.input.value = "39"
    assert marker not in right.feedback.value and "Correct" in right.feedback.value
