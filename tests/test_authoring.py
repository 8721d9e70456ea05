"""docs/authoring.md, enforced: every lesson that declares nbgrader cells (and every fixture lesson)
follows the conventions, and each rule catches the mistake it is about. Also `make lab`'s work
folder: built once, never written over a learner's edits, updates offered beside them."""
import copy
import json
import sys
from pathlib import Path

import pytest

from rnn_edu.course.quiz import load_bank

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from authoring import declares_nbgrader_cells, problems  # noqa: E402
from edition import MANIFEST, learner_notebook, nbgrader_meta, source_text, sync_work  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "course" / "01_fixture_forward.ipynb"
CHECKED = sorted((ROOT / "tests" / "fixtures" / "course").glob("[0-9][0-9]_*.ipynb")) + [
    p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if declares_nbgrader_cells(json.loads(p.read_text(encoding="utf-8")))]
QUIZ_IDS = set(load_bank().questions)


def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CHECKED, ids=[p.name for p in CHECKED])
def test_lessons_with_nbgrader_cells_follow_the_conventions(path):
    assert problems(load(path), QUIZ_IDS) == []


def test_every_lesson_passes_the_checks_that_apply_without_nbgrader_cells():
    """Quiz cells and stray markers are checked in every lesson, converted or not."""
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert problems(load(path), QUIZ_IDS) == [], path.name


def cell_index(nb, grade_id):
    return next(i for i, c in enumerate(nb["cells"]) if nbgrader_meta(c).get("grade_id") == grade_id)


def edited(change):
    nb = load(FIXTURE)
    change(nb)
    return "\n".join(problems(nb, QUIZ_IDS))


def set_source(nb, grade_id, replace):
    cell = nb["cells"][cell_index(nb, grade_id)]
    cell["source"] = replace(source_text(cell))


def set_meta(nb, which, **changes):
    nbgrader_meta(nb["cells"][cell_index(nb, which)]).update(changes)


RULES = {
    "exactly one `def`": lambda nb: set_source(nb, "forward-step", lambda s: "x = 1\n" + s),
    "one `### BEGIN SOLUTION`": lambda nb: set_source(nb, "forward-step", lambda s: s.replace("    ### END SOLUTION", "")),
    "indented inside the function body": lambda nb: set_source(
        nb, "forward-step", lambda s: s.replace("    ### BEGIN SOLUTION", "### BEGIN SOLUTION")),
    "nothing may follow": lambda nb: set_source(nb, "forward-step", lambda s: s + "\n    pass"),
    "grade_id should be 'forward-step'": lambda nb: set_meta(nb, "forward-step", grade_id="step"),
    "not graded itself": lambda nb: set_meta(nb, "forward-step", grade=True, points=1),
    "a checker cell is exactly": lambda nb: set_source(
        nb, "check-forward-step", lambda s: s.replace("assert result.passed, result.message\n", "")),
    "which no earlier solution cell defines": lambda nb: set_source(
        nb, "check-forward-step", lambda s: s.replace("(forward_step)", "(rnn_forward)")),
    "grade_id should be 'check-forward-step'": lambda nb: set_meta(nb, "check-forward-step", grade_id="c1"),
    "locked (locked: true)": lambda nb: set_meta(nb, "check-forward-step", locked=False),
    "points > 0": lambda nb: set_meta(nb, "check-forward-step", points=0),
    "used twice": lambda nb: set_meta(nb, "check-rnn-forward", grade_id="check-forward-step"),
    "schema_version 3": lambda nb: set_meta(nb, "forward-step", schema_version=1),
    "unknown nbgrader metadata": lambda nb: set_meta(nb, "forward-step", colour="red"),
    "neither a solution nor a checker": lambda nb: nb["cells"][1]["metadata"].update(
        nbgrader={"grade": False, "solution": False, "locked": True, "grade_id": "setup", "schema_version": 3}),
    "outside a solution or checker cell": lambda nb: nb["cells"][1].update(
        source=source_text(nb["cells"][1]) + "\n### BEGIN SOLUTION\n### END SOLUTION"),
    "a quiz cell holds only": lambda nb: nb["cells"][3].update(source='quiz.show("intro-demo-numeric")\nx = 1'),
    "no quiz question has the id": lambda nb: nb["cells"][3].update(source='quiz.show("no-such-question")'),
    "before a solution cell defines it": lambda nb: nb["cells"].insert(
        2, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": "f = use_yours_or_library(rnn_forward, check_rnn_forward, library_rnn_forward)"}),
    "saved widget state": lambda nb: nb["metadata"].update(widgets={"state": {}}),
}


def test_a_checker_may_take_more_arguments():
    """Value exercises: check_param_count(param_count, 27, [64, 32], 27), check_overflow_step("float32", step)."""
    def more(nb):
        set_source(nb, "check-forward-step", lambda s: s.replace("check_forward_step(forward_step)",
                                                                  'check_overflow_step("float32", forward_step, 10)'))
    assert edited(more) == ""


@pytest.mark.parametrize("message", list(RULES))
def test_each_rule_catches_its_mistake(message):
    assert message in edited(RULES[message])


def test_the_fixture_itself_is_clean():
    assert edited(lambda nb: None) == ""


# ---------------------------------------------------------------- make lab: the work folder

@pytest.fixture
def lessons(tmp_path):
    src = tmp_path / "notebooks"
    src.mkdir()
    (src / FIXTURE.name).write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    return src


def change_course(src):
    """An instructor edits the lesson (a new markdown cell)."""
    path = src / FIXTURE.name
    nb = load(path)
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "A new paragraph."})
    path.write_text(json.dumps(nb), encoding="utf-8")


def test_lab_builds_the_learner_edition_once(lessons, tmp_path):
    work = tmp_path / "work"
    assert sync_work(lessons, work, log=lambda m: None) == {FIXTURE.name: "new"}
    built = load(work / FIXTURE.name)
    assert built["cells"] == learner_notebook(load(FIXTURE))["cells"]
    assert "BEGIN SOLUTION" not in (work / FIXTURE.name).read_text()
    assert sync_work(lessons, work, log=lambda m: None) == {FIXTURE.name: "kept"}


def test_lab_updates_a_lesson_the_learner_has_not_touched(lessons, tmp_path):
    work = tmp_path / "work"
    sync_work(lessons, work, log=lambda m: None)
    change_course(lessons)
    assert sync_work(lessons, work, log=lambda m: None) == {FIXTURE.name: "updated"}
    assert source_text(load(work / FIXTURE.name)["cells"][-1]) == "A new paragraph."
    assert not (work / "updates").exists()


def test_lab_never_overwrites_the_learners_work_and_offers_the_update_beside_it(lessons, tmp_path):
    work, said = tmp_path / "work", []
    sync_work(lessons, work, log=said.append)
    mine = load(work / FIXTURE.name)
    mine["cells"][5]["source"] = "def forward_step(x_t, h_prev, W_F, W_R, b_h):\n    return 'my work'"
    (work / FIXTURE.name).write_text(json.dumps(mine), encoding="utf-8")
    before = (work / FIXTURE.name).read_text()
    assert sync_work(lessons, work, log=said.append) == {FIXTURE.name: "kept"}, "no course change: nothing to offer"
    change_course(lessons)
    assert sync_work(lessons, work, log=said.append) == {FIXTURE.name: "offered"}
    assert (work / FIXTURE.name).read_text() == before
    offer, = (work / "updates").glob("01_fixture_forward.*.ipynb")
    assert source_text(load(offer)["cells"][-1]) == "A new paragraph."
    assert said == [f"A newer version of {FIXTURE.name} is in updates/{offer.name}; your {FIXTURE.name} is unchanged."]
    assert sync_work(lessons, work, log=said.append) == {FIXTURE.name: "kept"}, "offered once, not again"
    assert json.loads((work / MANIFEST).read_text())[FIXTURE.name]["course"] != \
        json.loads((work / MANIFEST).read_text())[FIXTURE.name]["written"]


def test_lab_restores_a_deleted_lesson(lessons, tmp_path):
    work = tmp_path / "work"
    sync_work(lessons, work, log=lambda m: None)
    (work / FIXTURE.name).unlink()
    assert sync_work(lessons, work, log=lambda m: None) == {FIXTURE.name: "new"}


def test_learner_notebook_leaves_its_input_alone():
    nb = load(FIXTURE)
    before = copy.deepcopy(nb)
    learner_notebook(nb)
    assert nb == before
