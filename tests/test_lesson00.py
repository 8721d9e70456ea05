"""Lesson 00: the warm-up checker (right shapes pass, typical slips get the matching hint),
and what the lesson says about the quizzes."""
import json
import re
from pathlib import Path

from rnn_edu.course import quiz
from rnn_edu.course.exercises.lesson00 import check_shapes
from rnn_edu.course.quiz import widgets as quiz_widgets

RIGHT = {"xs": (10, 4, 3), "hs": (10, 4, 8), "zs": (10, 4, 2)}


def test_right_shapes_pass():
    assert check_shapes(RIGHT).passed


def test_batch_major_gets_the_time_major_hint():
    res = check_shapes({**RIGHT, "hs": (4, 10, 8)})
    assert not res.passed and "time-major" in res.message and "shape of hs" in res.message


def test_wrong_feature_axis_names_it():
    res = check_shapes({**RIGHT, "zs": (10, 4, 8)})
    assert not res.passed and "last axis" in res.message and "expected 2" in res.message


def test_garbage_never_raises():
    for bad in [None, "xs", {"xs": "abc", "hs": 1, "zs": None}, {"xs": (10, 4, 3)}]:
        res = check_shapes(bad)
        assert not res.passed and res.message


# ---- what lesson 00 says about the quizzes (issue 13, defects 4, 7 and 8) ----------------

LESSON00 = Path(__file__).resolve().parents[1] / "notebooks" / "00_start_here.ipynb"


def _markdown():
    """The markdown cells of lesson 00, in order, and the index of the first code cell."""
    cells = json.loads(LESSON00.read_text())["cells"]
    first_code = next(i for i, c in enumerate(cells) if c["cell_type"] == "code")
    return [(i, "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "markdown"], first_code


def test_run_the_cells_is_said_once_at_the_top():
    """Defect 7: before Run All the widgets are text; lesson 00 says so once, before any code."""
    cells, first_code = _markdown()
    mentions = [i for i, text in cells if "Run All Cells" in text]
    assert len(mentions) == 1 and mentions[0] < first_code, mentions
    top = next(text for i, text in cells if i == mentions[0])
    assert "run this cell" in top and "Shift+Enter" in top
    shown = quiz.show("intro-course-focus", record=False)._repr_mimebundle_()["text/plain"]
    assert shown.startswith("[Quiz intro-course-focus: run this cell")     # what the text quotes


def test_feedback_is_described_as_it_happens():
    """Defect 8: targeted feedback first, the explanation after a right answer or a second try."""
    text = " ".join(t for _, t in _markdown()[0])
    assert "every checked answer shows the full explanation" not in text
    assert "after a right answer, or after your second try" in text
    assert quiz_widgets.REVEAL_AFTER == 2                         # "second try" is the code's rule
    assert "close" in text and "10 %" in text                      # the "close, but" message
    assert "costs no attempt" in text and "0,39" in text          # defect 3, as the engine does it


def test_keyboard_instructions_match_the_controls():
    """Issue 22: single choice is a radio group whose arrow keys stay in the quiz; boxes take Space."""
    text = " ".join(t for _, t in _markdown()[0])
    assert "radio buttons: pick one option" in text and "tick one box" not in text
    assert re.search(r"\*\*Tab\*\* moves to the next control", text)
    assert "the **arrow keys** move from option to option" in text and "stay inside the quiz" in text
    assert "**Space** ticks or unticks a box" in text
    assert "1 %" not in text and "how precise the answer must be" in text     # issue 22, item 4
    mechanics = quiz.get_question("intro-quiz-mechanics").explanation
    assert "arrow keys within a radio group" in mechanics and "Space" in mechanics
