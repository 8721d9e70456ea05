"""The learner edition, built from scratch by nbgrader (scripts/release.py, as `make release` does):
no solution and no quiz key in it; Run All with nothing solved gives no error; the instructor's
solutions put back make every checker pass; nbgrader's autograde gives full points to a solved
submission and zero to an unsolved one.

It runs on the fixture lessons (tests/fixtures/course/) and on every lesson in notebooks/ (all of them
declare nbgrader cells). Each lesson runs twice, in nbgrader's autograde of its two students: `solver`
(the learner edition with the instructor's solutions put back) and `idle` (the learner edition as
released). The tests read the notebooks autograde executed: the idle one is the unsolved edition's Run All.
"""
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from quiz_keys import find_in_lesson_file
from release_helpers import (ROOT, copy_lessons, errors, grade, path_with_venv,
                             restore_solutions, solution_lines, text_of)

sys.path.insert(0, str(ROOT / "scripts"))
from authoring import FALLBACK, declares_nbgrader_cells  # noqa: E402
from edition import CODE_STUB, LESSON, learner_notebook, nbgrader_meta, source_text  # noqa: E402

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "course").glob("[0-9][0-9]_*.ipynb"))
CONVERTED = [p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
             if declares_nbgrader_cells(json.loads(p.read_text(encoding="utf-8")))]
SOURCES = FIXTURES + CONVERTED
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "assert result.passed")


def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    if sys.version_info < (3, 11):
        pytest.skip("nbgrader 0.9 needs Python 3.11 or newer")
    pytest.importorskip("nbgrader", reason="make test installs nbgrader (the instructor extra)")
    tmp = tmp_path_factory.mktemp("release")
    lessons, root = copy_lessons(SOURCES, tmp / "lessons"), tmp / "course"
    root.mkdir()
    saved = {k: os.environ.get(k) for k in ("RNN_EDU_QUIZZES", "RNN_EDU_PROGRESS", "PATH")}
    os.environ.update(RNN_EDU_QUIZZES="packed", RNN_EDU_PROGRESS=str(tmp / "progress.json"), PATH=path_with_venv())
    start = time.perf_counter()
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "release.py"), "--lessons", str(lessons),
                          "--root", str(root)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    yield SimpleNamespace(root=root, tmp=tmp, seconds=time.perf_counter() - start,
                          released={p.name: root / "release" / p.stem / p.name for p in SOURCES})
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def graded(course):
    """nbgrader release_assignment, fetch, submit, collect and autograde for two students: `solver`
    (the learner edition with every instructor solution put back) and `idle` (nothing solved)."""
    sources = {p.name: p for p in SOURCES}
    students = {"solver": lambda nb, name: restore_solutions(nb, load(sources[name])),
                "idle": lambda nb, name: nb}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Object of type")     # nbgrader's own SQLAlchemy warnings
        scores = grade(course.root, [p.stem for p in SOURCES], students, course.tmp)
    return SimpleNamespace(scores=scores, notebooks={
        (p.name, s): course.root / "autograded" / s / p.stem / p.name for p in SOURCES for s in students})


def checker_cells(nb):
    return [c for c in nb["cells"] if nbgrader_meta(c).get("grade")]


def fallback_cells(nb):
    return [c for c in nb["cells"] if FALLBACK.search(source_text(c))]


def test_sources_include_the_fixtures_and_every_lesson():
    assert [p.name for p in FIXTURES] == ["01_fixture_forward.ipynb", "02_fixture_clipping.ipynb"]
    lessons = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(lessons) >= 7 and CONVERTED == lessons, "every lesson declares nbgrader cells"
    assert all(LESSON.match(p.name) for p in SOURCES)


def test_release_has_one_assignment_per_lesson_and_no_solution(course):
    for source in SOURCES:
        released = course.released[source.name]
        assert released.is_file(), f"nbgrader did not write {released}"
        text = released.read_text(encoding="utf-8")
        for marker in MARKERS:
            assert marker not in text, f"{source.name}: {marker!r} in the learner edition"
        nb, instructor = load(released), load(source)
        sources = "\n".join(source_text(c) for c in nb["cells"])
        for cell in instructor["cells"]:
            if nbgrader_meta(cell).get("solution"):
                for line in solution_lines(cell):
                    if len(line.strip()) >= 8:
                        assert line.strip() not in sources, f"{source.name}: solution line {line.strip()!r}"
        solutions = [c for c in nb["cells"] if nbgrader_meta(c).get("solution")]
        assert solutions and all(CODE_STUB.split("\n")[1] in source_text(c) for c in solutions)
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None


def test_release_keeps_quiz_keys_out_of_sight(course):
    files = [p for p in (course.root / "release").rglob("*") if p.is_file()]
    assert len(files) == len(SOURCES)
    for path in files:
        assert find_in_lesson_file(path.read_text(encoding="utf-8")) == [], path.name


def test_make_lab_builds_the_same_cells_as_nbgrader(course):
    """scripts/edition.py (make lab, no nbgrader) and nbgrader agree, apart from nbgrader's checksums."""
    for source in SOURCES:
        ours, theirs = learner_notebook(load(source)), load(course.released[source.name])
        assert ours["metadata"] == theirs["metadata"]
        assert len(ours["cells"]) == len(theirs["cells"])
        for mine, nbg in zip(ours["cells"], theirs["cells"]):
            meta = json.loads(json.dumps(nbg["metadata"]))
            for key in ("checksum", "cell_type"):
                meta.get("nbgrader", {}).pop(key, None)
            assert (mine["cell_type"], mine["source"], mine["metadata"]) == \
                   (nbg["cell_type"], source_text(nbg), meta)
            assert mine.get("outputs") == nbg.get("outputs")
            assert mine.get("execution_count") == nbg.get("execution_count")


def test_gradebook_holds_each_lessons_points(course):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course.root}/gradebook.db", "rnn-edu") as gb:
        for source in SOURCES:
            points = sum(nbgrader_meta(c)["points"] for c in checker_cells(load(source)))
            assert gb.find_assignment(source.stem).max_score == points


def solution_names(nb):
    return {source_text(c).split("def ", 1)[1].split("(", 1)[0] for c in nb["cells"]
            if nbgrader_meta(c).get("solution")}


def test_unsolved_edition_runs_to_the_end_with_no_error(graded):
    """The idle student's submission is the learner edition as released, run by nbgrader's autograde:
    its only errors are the hidden `assert result.passed, result.message` that autograde puts back
    into each checker (the learner's copy has none, and shows "NOT YET: " + that message instead), so
    Run All of the learner edition raises nothing, and each checker asks for a function of the lesson."""
    for source in SOURCES:
        name, nb = source.name, nbformat.read(graded.notebooks[source.name, "idle"], as_version=4)
        hidden = [(nb.cells.index(c), "AssertionError") for c in checker_cells(nb)]
        assert [(i, ename) for i, ename, _ in errors(nb)] == hidden, (name, errors(nb))
        written = solution_names(nb)
        for _, _, message in errors(nb):
            assert message.startswith("write `") and "above" in message, (name, message)
            assert message.split("`")[1] in written, (name, message)     # names a function of this lesson
            assert "Traceback" not in message and "Error" not in message, (name, message)
        for cell in fallback_cells(nb):
            assert "is not written yet; using rnn_edu's instead." in text_of(cell), name


def test_round_trip_every_checker_passes(graded):
    for source in SOURCES:
        nb = nbformat.read(graded.notebooks[source.name, "solver"], as_version=4)
        assert errors(nb) == [], source.name
        passed = [text_of(c).startswith("PASSED:") for c in checker_cells(nb)]
        assert passed and all(passed), (source.name, [text_of(c) for c in checker_cells(nb)])
        for cell in fallback_cells(nb):
            assert text_of(cell).startswith("Using your "), source.name


def test_autograde_full_points_when_solved_and_zero_when_not(graded):
    scores = graded.scores
    for source in SOURCES:
        score, top = scores[source.stem, "solver"]
        assert top > 0 and score == top, (source.name, scores)
        assert scores[source.stem, "idle"] == (0.0, top), (source.name, scores)
