"""Where a class lives on disk: the course source, a learner's home, the passwords (no hub needed)."""
import json
import os
from pathlib import Path

import classroom
import hubctl

REPO = Path(__file__).resolve().parents[2]


def lessons(folder, names=("00_start_here.ipynb", "01_training.ipynb")):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(json.dumps({"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}))
    return folder


def test_the_course_source_is_the_learner_edition_once_built(tmp_path, monkeypatch):
    monkeypatch.delenv(classroom.COURSE_VAR, raising=False)
    monkeypatch.setattr(classroom, "REPO", tmp_path)
    lessons(tmp_path / "notebooks")
    assert classroom.course_source() == tmp_path / "notebooks"
    (tmp_path / "release").mkdir()                       # an empty or unfinished release is not used
    assert classroom.course_source() == tmp_path / "notebooks"
    lessons(tmp_path / "release" / "rnn-edu")            # nbgrader-style: release/<assignment>/
    assert classroom.course_source() == tmp_path / "release" / "rnn-edu"
    monkeypatch.setenv(classroom.COURSE_VAR, str(tmp_path / "notebooks"))
    assert classroom.course_source() == tmp_path / "notebooks"


def test_a_relative_course_folder_is_made_absolute_for_the_hub(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    env = hubctl.hub_env(tmp_path, 1, 2, 3, course="notebooks")
    assert env[classroom.COURSE_VAR] == str(REPO / "notebooks")
    assert classroom.course_source(env) == REPO / "notebooks"


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
