"""Stepped hints: one entry per exercise of the lessons, in step with the packed file, out of sight in
the learner edition, revealed one at a time by a button (headless), each reveal recorded."""
import json
import re
import sys
from pathlib import Path

import pytest

from rnn_edu.course.exercises import ExerciseResult, hints
from rnn_edu.course.exercises.feedback import ExerciseFeedback, show_result
from rnn_edu.course.exercises.record import load_exercise_progress

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from edition import learner_notebook, nbgrader_meta, source_text  # noqa: E402

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def exercises_in_lessons():
    """{grade_id of every solution cell: lesson number} over notebooks/."""
    out = {}
    for path in LESSONS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            meta = nbgrader_meta(cell)
            if meta.get("solution"):
                out[meta["grade_id"]] = path.name[:2]
    return out


def norm(text):
    return " ".join(str(text).split())


def hint_texts():
    return [(eid, norm(h)) for eid, info in hints.all_exercises().items() for h in info.hints]


def test_every_exercise_has_two_or_three_hints_and_its_lesson():
    found = exercises_in_lessons()
    assert len(found) == 25
    table = hints.parse(hints.SOURCE_PATH.read_text(encoding="utf-8"))
    assert {eid: h.lesson for eid, h in table.items()} == found
    assert all(2 <= len(h.hints) <= 3 and h.title for h in table.values())


def test_the_packed_hints_are_in_step_with_the_yaml():
    text = hints.SOURCE_PATH.read_text(encoding="utf-8")
    assert hints.PACKED_PATH.read_text(encoding="ascii") == hints.pack(text), (
        "rnn_edu/assets/exercise_hints.packed is out of step with hints.yaml: run `make bank` and commit it.")
    assert hints.unpack(hints.pack(text)) == text


def test_learners_read_the_packed_file(monkeypatch):
    monkeypatch.setenv("RNN_EDU_QUIZZES", "packed")
    assert hints.source_path() == hints.PACKED_PATH
    packed = hints.all_exercises()
    monkeypatch.delenv("RNN_EDU_QUIZZES")
    assert hints.source_path() == hints.SOURCE_PATH
    assert packed == hints.all_exercises()


@pytest.mark.parametrize("damage", [lambda t: t.replace(hints.HEADER, "x"), lambda t: t[:150] + "Z" + t[151:],
                                    lambda t: t[: len(t) // 2]])
def test_a_damaged_packed_file_names_the_problem(damage):
    with pytest.raises(hints.HintsError, match="damaged.*make bank"):
        hints.unpack(damage(hints.PACKED_PATH.read_text(encoding="ascii")))


@pytest.mark.parametrize("bad", ["x: 1", "x: {lesson: '01', title: t, hints: [one]}",
                                 "x: {lesson: '1', title: t, hints: [a, b]}",
                                 "x: {lesson: '01', title: t, hints: [a, b, c, d]}"])
def test_malformed_hints_are_refused(bad):
    with pytest.raises(hints.HintsError):
        hints.parse(bad)


def test_no_hint_is_readable_in_the_learner_edition_or_the_packed_file():
    texts = hint_texts()
    assert len(texts) >= 2 * 25
    packed = hints.PACKED_PATH.read_text(encoding="ascii")
    assert set(packed.partition("\n")[2]) <= set("ABCDEFGHIJKLMNOP\n")
    for path in LESSONS:
        learner = norm(json.dumps(learner_notebook(json.loads(path.read_text(encoding="utf-8"))),
                                  ensure_ascii=False))
        plain = norm(" ".join(source_text(c) for c in learner_notebook(json.loads(path.read_text()))["cells"]))
        for eid, text in texts:
            assert text not in learner and text not in plain, (path.name, eid, text)
    for eid, text in texts:
        assert text not in norm(packed)


def test_no_hint_is_in_the_package_code():
    """The wheel ships rnn_edu's .py files: none may hold a hint (test_quiz_packed builds the wheel)."""
    code = {p: norm(p.read_text(encoding="utf-8")) for p in (ROOT / "rnn_edu").rglob("*.py")}
    for eid, text in hint_texts():
        assert not [p for p, t in code.items() if text in t], (eid, text)


# ---- the widget, headless

def stub_result(name="backward_step"):
    return ExerciseResult(False, f"write `{name}` above, then run its cell and this one again.", stub=True)


def test_the_button_reveals_hint_1_then_2_then_3_and_records_each(progress_file):
    texts = hints.hints_for("backward-step").hints
    fb = show_result(stub_result(), "backward-step")
    assert fb.hint_button in fb.container.children and fb.hint_area in fb.container.children
    assert fb.hint_button.description == "Show a hint (1 of 3)" and not fb.hint_button.disabled
    assert fb.hint_area.value == "" and fb.shown == 0
    for n in (1, 2, 3):
        fb.hint_button.click()
        html = fb.hint_area.value
        assert fb.shown == n
        for i, text in enumerate(texts):
            shown = re.sub(r"&#x27;", "'", html)
            assert (text in shown) == (i < n), (n, i)
        newest = re.findall(r"<div role='alert'>(.*?)</div>", html)
        assert len(newest) == 1 and f"Hint {n} of 3:" in newest[0]      # only the new hint is announced
        assert load_exercise_progress()["backward-step"]["hints_seen"] == n
        if n < 3:
            assert fb.hint_button.description == f"Show the next hint ({n + 1} of 3)"
    assert fb.hint_button.disabled and fb.hint_button.description == "All 3 hints shown"
    assert fb.show_next_hint() == 3 and load_exercise_progress()["backward-step"]["hints_seen"] == 3


def test_hints_seen_before_are_shown_again_and_the_button_goes_on(progress_file):
    fb = show_result(stub_result(), "backward-step")
    fb.hint_button.click()
    again = show_result(stub_result(), "backward-step")
    assert again.shown == 1 and "Hint 1 of 3:" in again.hint_area.value and "role=" not in again.hint_area.value
    assert again.hint_button.description == "Show the next hint (2 of 3)"


def test_a_passed_exercise_offers_no_hint_and_unknown_exercises_still_show(progress_file):
    fb = show_result(ExerciseResult(True, "all checks passed (x)."), "backward-step")
    assert fb.hint_button not in fb.container.children
    other = show_result(stub_result("f"), "not-an-exercise")
    assert other.hints == () and other.hint_button not in other.container.children


def test_the_display_keeps_the_results_text_and_html_beside_the_widget(progress_file):
    result = stub_result()
    data = result.show("backward-step")._repr_mimebundle_()
    assert data["text/plain"] == repr(result) and data["text/html"] == result._repr_html_()
    assert "application/vnd.jupyter.widget-view+json" in data


def test_the_button_is_a_real_button_with_its_label_as_accessible_name(progress_file):
    import ipywidgets as w
    fb = show_result(stub_result(), "backward-step")
    assert isinstance(fb.hint_button, w.Button) and fb.hint_button.description.startswith("Show a hint")
    assert fb.hint_button.tooltip == fb.hint_button.description     # the title says the same as the text


def test_show_finds_the_learners_function_by_the_exercise_id(progress_file):
    namespace = {"ExerciseResult": ExerciseResult}
    exec("def backward_step():\n    return 1\n"
         "r = ExerciseResult(False, 'dW_R: wrong').show('backward-step')", namespace)
    first = load_exercise_progress()["backward-step"]
    exec("def backward_step():\n    return 2\n"
         "r = ExerciseResult(False, 'dW_R: wrong').show('backward-step')", namespace)
    assert load_exercise_progress()["backward-step"]["runs"] == first["runs"] + 1 == 2
