"""Where a class lives on disk: the course source, a learner's home, the passwords (no hub needed)."""
import json
import os
import sys
from pathlib import Path

import pytest

import classroom
import hubctl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from release_helpers import nbgrader_meta, solution_lines, source_text  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def lessons(folder, names=("00_start_here.ipynb", "01_training.ipynb")):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(json.dumps({"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}))
    return folder


def solved_lesson(folder, name):
    """A lesson with an nbgrader solution region, as in notebooks/ (the instructor edition)."""
    cell = {"cell_type": "code", "execution_count": None, "id": "a1", "outputs": [],
            "metadata": {"nbgrader": {"solution": True, "grade": False, "grade_id": "f", "locked": False,
                                      "schema_version": 3}},
            "source": "def f(x):\n    ### BEGIN SOLUTION\n    return x * 12345\n    ### END SOLUTION\n"}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps({"cells": [cell], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}))


NAMES = ("00_start_here.ipynb", "01_training.ipynb")


def test_without_a_release_the_hub_builds_the_learner_edition_of_every_lesson(tmp_path, monkeypatch):
    monkeypatch.delenv(classroom.COURSE_VAR, raising=False)
    monkeypatch.setattr(classroom, "REPO", tmp_path)
    for name in NAMES:
        solved_lesson(tmp_path / "notebooks", name)
    assert classroom.course_source()[0] == "edition"
    course = classroom.prepare_course(tmp_path / "data", log=pytest.fail)
    assert course == tmp_path / "data" / "course"
    assert sorted(p.name for p in course.iterdir()) == list(NAMES)
    for name in NAMES:
        text = (course / name).read_text()
        assert "12345" not in text and "BEGIN SOLUTION" not in text and "NotImplementedError" in text


def test_after_make_release_the_hub_gathers_every_lesson_from_nbgraders_folders(tmp_path, monkeypatch):
    monkeypatch.delenv(classroom.COURSE_VAR, raising=False)
    monkeypatch.setattr(classroom, "REPO", tmp_path)
    for name in NAMES:
        solved_lesson(tmp_path / "notebooks", name)
    lessons(tmp_path / "release" / "00_start_here", NAMES[:1])          # unfinished: one lesson of two
    assert classroom.course_source()[0] == "edition"
    lessons(tmp_path / "release" / "01_training", NAMES[1:])            # nbgrader: release/NN_name/NN_name.ipynb
    assert classroom.course_source() == ("release", tmp_path / "release")
    course = classroom.prepare_course(tmp_path / "data", log=pytest.fail)
    assert sorted(p.name for p in course.iterdir()) == list(NAMES)      # one flat folder, every lesson
    assert (course / NAMES[1]).read_bytes() == (tmp_path / "release" / "01_training" / NAMES[1]).read_bytes()


def test_a_lesson_edited_after_make_release_is_named_in_a_warning(tmp_path, monkeypatch):
    monkeypatch.delenv(classroom.COURSE_VAR, raising=False)
    monkeypatch.setattr(classroom, "REPO", tmp_path)
    for name in NAMES:
        solved_lesson(tmp_path / "notebooks", name)
    lessons(tmp_path / "release" / "00_start_here", NAMES[:1])
    lessons(tmp_path / "release" / "01_training", NAMES[1:])
    edited = tmp_path / "notebooks" / NAMES[1]
    later = (tmp_path / "release" / "01_training" / NAMES[1]).stat().st_mtime + 60
    os.utime(edited, (later, later))                          # saved a minute after the release
    said = []
    course = classroom.prepare_course(tmp_path / "data", log=said.append)
    assert len(said) == 1 and "WARNING" in said[0] and NAMES[1] in said[0] and "make release" in said[0]
    assert (course / NAMES[1]).read_bytes() == (tmp_path / "release" / "01_training" / NAMES[1]).read_bytes()


def test_a_chosen_folder_with_solutions_is_used_with_a_warning(tmp_path, monkeypatch):
    for name in NAMES:
        solved_lesson(tmp_path / "mine", name)
    monkeypatch.setenv(classroom.COURSE_VAR, str(tmp_path / "mine"))
    said = []
    course = classroom.prepare_course(tmp_path / "data", log=said.append)
    assert "12345" in (course / NAMES[0]).read_text()
    assert len(said) == 1 and "holds the solutions" in said[0] and "WARNING" in said[0]
    monkeypatch.setenv(classroom.COURSE_VAR, str(tmp_path / "nothing-here"))
    with pytest.raises(FileNotFoundError, match="holds no lesson notebooks"):
        classroom.prepare_course(tmp_path / "data")


def test_two_lessons_of_one_name_are_refused(tmp_path, monkeypatch):
    lessons(tmp_path / "a" / "x", NAMES[:1])
    lessons(tmp_path / "a" / "y", NAMES[:1])
    monkeypatch.setenv(classroom.COURSE_VAR, str(tmp_path / "a"))
    with pytest.raises(ValueError, match="two lessons named 00_start_here.ipynb"):
        classroom.prepare_course(tmp_path / "data")


def test_the_real_course_gives_every_lesson_and_no_solution_line(tmp_path, monkeypatch):
    """notebooks/ as it is: nine lessons, each solution line gone (before any make release)."""
    monkeypatch.delenv(classroom.COURSE_VAR, raising=False)
    monkeypatch.setattr(classroom, "REPO", tmp_path)
    (tmp_path / "notebooks").symlink_to(REPO / "notebooks")
    course = classroom.prepare_course(tmp_path / "data", log=pytest.fail)
    assert_learner_edition(course)


def assert_learner_edition(course):
    """`course` holds every lesson of notebooks/ and none of their solution lines."""
    instructor = sorted((REPO / "notebooks").glob(classroom.LESSON_GLOB))
    assert len(instructor) >= 9
    assert sorted(p.name for p in course.glob(classroom.LESSON_GLOB)) == [p.name for p in instructor]
    for path in instructor:
        learner = json.loads((course / path.name).read_text(encoding="utf-8"))
        text = "\n".join(source_text(c) for c in learner["cells"])
        assert "BEGIN SOLUTION" not in text, path.name
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if nbgrader_meta(cell).get("solution"):
                for line in solution_lines(cell):
                    if len(line.strip()) >= 8:
                        assert line.strip() not in text, f"{path.name}: solution line {line.strip()!r}"


def test_a_relative_course_folder_is_made_absolute_for_the_hub(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    env = hubctl.hub_env(tmp_path, 1, 2, 3, course="notebooks")
    assert env[classroom.COURSE_VAR] == str(REPO / "notebooks")
    assert classroom.course_source(env) == ("chosen", REPO / "notebooks")


def test_a_home_gets_the_course_once_and_keeps_the_learners_work(tmp_path):
    source = lessons(tmp_path / "course")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "fontlist-v0.json").write_text("{}")
    home = tmp_path / "homes" / "ada"
    url = classroom.prepare_home(home, source, fonts)
    assert url == "/lab/tree/rnn-edu/00_start_here.ipynb"
    copy = home / classroom.COURSE_DIR / "00_start_here.ipynb"
    assert copy.read_bytes() == (source / "00_start_here.ipynb").read_bytes()
    assert (home / ".cache" / "matplotlib" / "fontlist-v0.json").exists()
    assert (home / classroom.PROGRESS).parent.is_dir()
    copy.write_text("the learner's edits")
    (source / "00_start_here.ipynb").write_text("a newer course")
    classroom.prepare_home(home, source, fonts)
    assert copy.read_text() == "the learner's edits"


def test_passwords_are_made_once_kept_private_and_can_be_chosen(tmp_path, monkeypatch):
    for var in (classroom.PASSWORD_VAR, classroom.ADMIN_PASSWORD_VAR):
        monkeypatch.delenv(var, raising=False)
    first = classroom.credentials(tmp_path)
    assert len(first["password"]) >= 8 and len(first["admin_password"]) >= 32
    assert first["password"] != first["admin_password"]
    assert classroom.credentials(tmp_path) == first
    assert os.stat(tmp_path / "credentials.json").st_mode & 0o077 == 0
    chosen = classroom.credentials(tmp_path, {classroom.PASSWORD_VAR: "class-2026"})
    assert chosen == {"password": "class-2026", "admin_password": first["admin_password"]}
