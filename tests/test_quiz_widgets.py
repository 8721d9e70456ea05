"""The ipywidgets front end, driven headless (no browser, no kernel)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import ipywidgets as w
import pytest

from rnn_edu.course import quiz
from rnn_edu.course.quiz.choices import OptionBoxes
from rnn_edu.course.quiz.markup import inline

VIEW_KEY = "application/vnd.jupyter.widget-view+json"
ROOT = Path(__file__).resolve().parents[1]
QID = "exploding-4-byte-overflow"


def _record(path, qid):
    return json.loads(path.read_text())["questions"][qid]


def test_show_displays_as_the_widget(progress_file):
    quiz_widget = quiz.show(QID)
    assert repr(quiz_widget) == f"<Quiz {QID}>"
    bundle = quiz_widget._repr_mimebundle_()
    assert bundle[VIEW_KEY]["model_id"] == quiz_widget.container.model_id
    assert "rnn-edu-quiz" in quiz_widget.container._dom_classes
    assert "rnn-edu-feedback" in quiz_widget.feedback._dom_classes
    assert "rnn-edu-check" in quiz_widget.check_button._dom_classes
    assert isinstance(quiz_widget.prompt, w.HTMLMath) and isinstance(quiz_widget.feedback, w.HTMLMath)
    assert not progress_file.exists()  # showing alone records nothing


# ---- defect 7: the text fallback says what to do ------------------------------------

@pytest.mark.parametrize("make, names", [
    (lambda: quiz.show(QID), QID),
    (lambda: quiz.show_lesson("04"), "lesson 04"),
    (quiz.progress, "progress"),
])
def test_text_fallback_tells_the_learner_to_run_the_cell(progress_file, make, names):
    text = make()._repr_mimebundle_()["text/plain"]
    assert "run this cell" in text and "Run All Cells" in text and names in text
    assert not text.startswith("<"), "a lone <...> looks like a broken widget"
    assert text == make()._repr_mimebundle_()["text/plain"]     # stable, for nbval


def test_numeric_wrong_then_right_with_attempts_and_progress(progress_file):
    qw = quiz.show(QID)
    assert isinstance(qw.input, w.Text) and qw.input.continuous_update is False
    assert qw.input.placeholder == qw.question.placeholder == "a number such as 0.75, 6e5 or 2**-3"
    qw.input.value = "9"                      # Enter in the box checks at once
    assert qw.attempts == 1 and "Close, but not correct" in qw.feedback.value
    assert "rnn-edu-incorrect" in qw.feedback._dom_classes
    assert "explanation appears after a right answer" in qw.feedback.value
    qw.check_button.click()                   # same answer again: not a new attempt, same verdict
    assert qw.attempts == 1 and "Close, but not correct" in qw.feedback.value
    qw.retry_button.click()
    assert qw.feedback.value == "" and qw.input.value == "" and qw.attempts == 1
    qw.input.value = "2**3 + 2"
    qw.check_button.click()
    assert qw.attempts == 2 and "Correct" in qw.feedback.value
    assert "4{,}294{,}967{,}295" in qw.feedback.value      # the explanation, earned
    assert "rnn-edu-correct" in qw.feedback._dom_classes and "Attempts: 2" in qw.attempts_label.value
    rec = _record(progress_file, QID)
    assert (rec["attempts"], rec["correct"], rec["first_correct"], rec["lesson"]) == (2, True, False, "04")


def test_feedback_is_a_live_region(progress_file):
    qw = quiz.show(QID)
    qw.input.value = "9"
    assert qw.feedback.value.startswith("<div class='rnn-edu-verdict' role='alert'>")
    qw.input.value = "abc"
    assert "role='alert'" in qw.feedback.value


# ---- issue 22: single choice is a radio group, multiple select tick boxes ----------------

def test_single_choice_is_a_radio_group_that_keeps_one_chosen(progress_file):
    qw = quiz.show("weight-updates-multilayer")
    q = qw.question
    assert isinstance(qw.input, OptionBoxes) and qw.input.value is None
    assert qw.input.single and qw.input.group_label == "Pick one option"
    assert qw.input.labels == [inline(t) for t in q.options]
    assert "Pick one option." in qw.prompt.value
    wrong = next(i for i, t in enumerate(q.options) if t != q.key)
    right = q.options.index(q.key)
    qw.input.pick(wrong)                               # the learner picks an option (as the page does)
    qw.input.pick(right)                               # ... then another: the first is no longer chosen
    assert qw.input.picked == [right] and qw.input.value == q.key
    qw.input.picked = [wrong, right]                   # a page sending two: a radio group keeps the last
    assert qw.input.value == q.key and qw.input.picked == [right]
    qw.input.pick(right, on=False)
    assert qw.input.value is None and qw.input.picked == []
    qw.input.pick(wrong)
    qw.check_button.click()
    assert "Not correct" in qw.feedback.value and qw.attempts == 1
    qw.retry_button.click()
    assert qw.input.value is None and qw.input.picked == []
    qw.input.value = q.key                             # the old way to set an answer still works
    assert qw.input.picked == [right]
    qw.check_button.click()
    assert "Correct" in qw.feedback.value and qw.attempts == 2
    assert _record(progress_file, q.id)["attempts"] == 2


def test_math_options_are_the_labels_themselves(progress_file):
    qw = quiz.show("regression-output-activation")
    assert qw.input.labels == [inline(t) for t in qw.question.options]
    assert any(r"\mathrm{ReLU}" in label for label in qw.input.labels)   # typeset by MathJax in the page
    qw.set_answer(qw.question.key)
    qw.check_button.click()
    assert "Correct" in qw.feedback.value


def test_the_page_builds_native_radios_in_a_named_group_that_keeps_its_keys():
    """What the widget's JavaScript builds (checked in the browser by tests/browser/test_radio_group.py)."""
    from rnn_edu.course.quiz.choices import ESM
    for needle in ('"radiogroup"', '"radio"', '"checkbox"', '"aria-label"', '"data-lm-suppress-shortcuts"',
                   "stopPropagation", "<label", "latexTypesetter"):
        assert needle in ESM or needle.strip("<") in ESM, needle
    assert "title" not in ESM, "no hover title: it would show the option's raw LaTeX"


def test_multiple_select_by_tick_boxes(progress_file):
    qw = quiz.show("overflow-behaviour")
    q = qw.question
    assert "Tick every option that applies." in qw.prompt.value
    assert not qw.input.single and qw.input.group_label == "Tick every option that applies"
    assert qw.options_html is None                     # no separate widget (and gap) for the instruction
    qw.input.pick(0)
    qw.check_button.click()
    assert "missing" in qw.feedback.value and qw.attempts == 1
    qw.input.picked = [i for i, t in enumerate(q.options) if t in q.key]
    assert set(qw.input.value) == set(q.key)
    qw.check_button.click()
    assert "Correct" in qw.feedback.value and qw.attempts == 2
    qw.retry_button.click()
    assert qw.input.picked == [] and qw.input.value == ()


def test_check_without_an_answer_counts_nothing(progress_file):
    qw = quiz.show("weight-roles")
    qw.check_button.click()
    assert "Nothing to check yet: pick an option" in qw.feedback.value and qw.attempts == 0
    assert "rnn-edu-invalid" in qw.feedback._dom_classes
    assert not progress_file.exists()


# ---- set_answer: the public way to answer programmatically ----------------------------

def test_set_answer_fills_in_without_checking(progress_file):
    numeric = quiz.show(QID)
    numeric.set_answer("2**3 + 2")
    assert numeric.input.value == "2**3 + 2" and numeric.attempts == 0 and numeric.feedback.value == ""
    numeric.check_button.click()
    assert numeric.attempts == 1 and "Correct" in numeric.feedback.value
    numeric.set_answer(10)
    assert numeric.input.value == "10"
    single = quiz.show("weight-roles")
    single.set_answer(single.question.key)
    assert single.input.picked == [single.question.options.index(single.question.key)]
    with pytest.raises(ValueError, match="not one of the options"):
        single.set_answer("W_R")
    multiple = quiz.show("overflow-behaviour")
    multiple.set_answer(sorted(multiple.question.key))
    multiple.check_button.click()
    assert "Correct" in multiple.feedback.value
    with pytest.raises(TypeError):
        numeric.set_answer(["10"])
    assert _record(progress_file, QID)["attempts"] == 1


def test_feedback_text_is_escaped(progress_file):
    qw = quiz.show(QID)
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


# ---- defect 5: after a kernel restart a quiz shows the saved state ------------------

SHOW_AFTER_RESTART = """
import json, sys
from rnn_edu.course import quiz
qw = quiz.show(sys.argv[1])
print(json.dumps([qw.attempts, qw.attempts_label.value]))
"""


def _in_a_new_kernel(qid, progress_file):
    """What quiz.show(qid) shows in a fresh Python process (as after a kernel restart)."""
    env = dict(os.environ, RNN_EDU_PROGRESS=str(progress_file),
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", SHOW_AFTER_RESTART, qid], env=env,
                         capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout)


def test_after_a_restart_the_quiz_shows_saved_attempts_and_verdict(progress_file):
    qw = quiz.show(QID)
    qw.input.value = "9"
    qw.input.value = "11"
    qw.input.value = "10"
    attempts, label = _in_a_new_kernel(QID, progress_file)
    assert attempts == 3 and "Attempts: 3" in label and "answered right" in label
    wrong_only = quiz.show("exploding-float32-overflow")
    wrong_only.input.value = "38"
    attempts, label = _in_a_new_kernel("exploding-float32-overflow", progress_file)
    assert attempts == 1 and "not answered right yet" in label
    attempts, label = _in_a_new_kernel("weight-roles", progress_file)
    assert attempts == 0 and label == "<span>Attempts: 0</span>"


def test_a_restored_quiz_goes_on_counting_from_the_saved_number(progress_file):
    quiz.show(QID).input.value = "9"
    again = quiz.show(QID)                       # the cell run again after a restart
    assert again.attempts == 1
    again.input.value = "10"
    assert again.attempts == 2 and "Attempts: 2 · answered right" in again.attempts_label.value
    assert _record(progress_file, QID)["attempts"] == 2
    assert "4{,}294{,}967{,}295" in again.feedback.value


def test_show_lesson(progress_file):
    lesson = quiz.show_lesson("04")
    n = len(quiz.lesson_questions("04"))
    assert repr(lesson) == f"<Quiz lesson 04: {n} questions>" and len(lesson) == n
    assert [q.question.id for q in lesson.quizzes] == [q.id for q in quiz.lesson_questions("04")]
    assert repr(quiz.show_lesson(4)) == repr(lesson)
    first = lesson[0]
    first.set_answer(first.question.key)
    first.check_button.click()
    assert _record(progress_file, first.question.id)["correct"] is True


def test_progress_view_and_summary(progress_file):
    empty = quiz.progress_summary()
    assert empty["04"]["answered"] == 0 and empty["04"]["questions"] == len(quiz.lesson_questions("04"))
    quiz.get_question(QID).submit("10")                              # right at first try
    quiz.get_question("exploding-float32-overflow").submit("38")     # wrong ...
    quiz.get_question("exploding-float32-overflow").submit("39")     # ... then right
    not_true = quiz.get_question("vanishing-not-true")
    not_true.submit("nonsense")                                      # not an option: not counted
    not_true.submit(next(t for t in not_true.options if t != not_true.key))   # wrong, still wrong
    s = quiz.progress_summary()["04"]
    assert (s["answered"], s["first_try"], s["correct_now"]) == (3, 1, 2)
    view = quiz.progress()
    assert repr(view) == "<Quiz progress>"
    assert "<table" in view.container.value and "rnn-edu-progress" in view.container._dom_classes
    assert "<td>Vanishing and exploding gradients" not in view.container.value  # titles are prefixed
    assert "04 Vanishing and exploding gradients" in view.container.value
    not_true.submit(not_true.key)
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
    right = quiz.show("exploding-float32-overflow", record=False)
    right.input.value = "39"
    assert marker not in right.feedback.value and "Correct" in right.feedback.value


def test_the_answer_box_is_wide_enough_for_its_placeholder():
    qw = quiz.show(QID, record=False)
    assert qw.input.layout.max_width == "32em" and qw.input.layout.width == "100%"
    longest = max((q.placeholder for q in quiz.all_questions() if q.type == "numeric"), key=len)
    assert len(longest) * 0.6 < 32 - 8                  # ~0.6 em a character, 8 em for "Answer:"


def test_every_option_has_a_spoken_name_with_its_math_as_text():
    """Typeset math gives a <label> no accessible text (axe-core: critical 'label'), so each radio or
    tick box carries an aria-label: the option with its LaTeX as plain characters, never empty."""
    from rnn_edu.course.quiz.markup import spoken
    assert spoken(r"$\operatorname{diag}(f_t)\, W_R$") == "diag(f_t) W_R"
    assert spoken(r"If $\lVert g \rVert > \nu$, set $g \leftarrow 0$") == "If ‖ g ‖ > nu, set g ← 0"
    assert spoken(r"$\hat{y} = \mathrm{ReLU}(W_O h_T)$") == "y hat = ReLU(W_O h_T)"
    assert spoken("plain *text* and `code`") == "plain text and code"
    for q in quiz.all_questions():
        for option in getattr(q, "options", ()):
            name = spoken(option)
            assert name and "$" not in name and "\\" not in name and "{" not in name, (q.id, option, name)
    boxes = OptionBoxes([r"$\operatorname{diag}(f_t)$", "plain"], single=True)
    assert boxes.spoken == ["diag(f_t)", "plain"]
    assert 'setAttribute("aria-label", model.get("spoken")[index])' in boxes._esm
