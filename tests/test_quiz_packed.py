"""The packed question bank: in step with quizzes/*.yaml, loaded by the engine when chosen or when
no YAML is found, and with nothing of the bank readable (see quiz_keys.py for what that means)."""
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from quiz_keys import find_in_bank_file, find_in_lesson_file
from script_loader import load_script
from rnn_edu.course import quiz
from rnn_edu.course.exercises import hints
from rnn_edu.course.quiz import bank, packed

ROOT = Path(__file__).resolve().parents[1]
pack_bank = load_script("pack_bank")


def test_packed_bank_is_in_step_with_the_yaml():
    """Fails when someone edits quizzes/*.yaml and forgets to rebuild the packed file."""
    shipped = packed.unpack(packed.PACKED_PATH.read_text(encoding="ascii"))
    assert shipped == pack_bank.source_files(), (
        "rnn_edu/assets/quiz_bank.packed is out of step with quizzes/*.yaml: run `make bank` and commit it.")
    assert packed.PACKED_PATH.read_text(encoding="ascii") == packed.pack(pack_bank.source_files())


def test_pack_round_trip_and_determinism():
    files = {"lesson01.yaml": "title: x\nquestions: []\n", "lesson00.yaml": "é ünïcode: ∂L/∂W\n"}
    text = packed.pack(files)
    assert packed.unpack(text) == files
    assert packed.pack(dict(reversed(list(files.items())))) == text


def _same_question(a, b):
    fields = ("id", "lesson", "type", "prompt", "explanation", "key", "options", "option_feedback",
              "tolerance", "mistakes", "source")
    return all(getattr(a, f, None) == getattr(b, f, None) for f in fields)


def test_packed_bank_loads_the_same_questions_as_the_yaml():
    from_yaml, from_packed = bank.load_bank(ROOT / "quizzes"), packed.load_packed_bank()
    assert from_packed.titles == from_yaml.titles
    assert list(from_packed.questions) == list(from_yaml.questions)
    for qid, q in from_yaml.questions.items():
        assert _same_question(from_packed.questions[qid], q), qid


def test_engine_uses_the_packed_bank_when_chosen(monkeypatch):
    monkeypatch.setenv(bank.ENV_VAR, "packed")
    assert quiz.load_bank().directory == packed.PACKED_PATH
    assert quiz.get_question("exploding-4-byte-overflow").check("10").correct
    monkeypatch.setenv(bank.ENV_VAR, str(ROOT / "quizzes"))
    assert quiz.load_bank().directory == ROOT / "quizzes"


def test_engine_falls_back_to_the_packed_bank_without_yaml(monkeypatch, tmp_path):
    """An installed wheel has no quizzes/ directory: the packed bank is loaded offline."""
    monkeypatch.delenv(bank.ENV_VAR, raising=False)
    monkeypatch.setattr(bank, "candidate_dirs", lambda: [tmp_path / "nowhere"])
    assert quiz.load_bank().directory == packed.PACKED_PATH
    assert len(quiz.lessons()) >= 7
    monkeypatch.setattr(packed, "PACKED_PATH", tmp_path / "missing.packed")
    with pytest.raises(bank.BankNotFoundError):
        quiz.load_bank()


@pytest.mark.parametrize("damage", [
    lambda t: t.replace(packed.HEADER, "something else"),
    lambda t: t[:200] + "Z" + t[201:],
    lambda t: t[: len(t) // 2],
])
def test_a_damaged_packed_file_names_the_problem(tmp_path, damage):
    broken = tmp_path / "quiz_bank.packed"
    broken.write_text(damage(packed.PACKED_PATH.read_text(encoding="ascii")), encoding="ascii")
    with pytest.raises(bank.BankError, match="packed question bank is damaged.*make bank"):
        packed.load_packed_bank(broken)


def test_nothing_of_the_bank_is_readable_in_the_packed_file():
    text = packed.PACKED_PATH.read_text(encoding="ascii")
    header, _, body = text.partition("\n")
    assert header == packed.HEADER and not any(c.isdigit() for c in header)
    assert set(body) <= set("ABCDEFGHIJKLMNOP\n"), "the body must be letters A..P only: no digit can appear"
    assert find_in_bank_file(text) == []


def test_the_key_finders_find_what_the_yaml_shows():
    """The finders are not vacuous: the YAML source shows every kind of secret they look for."""
    found = "\n".join(find_in_bank_file((ROOT / "quizzes" / "lesson04.yaml").read_text(encoding="utf-8")))
    for expected in ("explanation", "feedback", "numeric key 66", "option text", "'answer:' field"):
        assert expected in found
    leak = "x = 1\nanswer: 39\n" + quiz.get_question("clip-cliff").explanation
    found = "\n".join(find_in_lesson_file(leak))
    assert "exploding-float32-overflow: numeric key record 39" in found
    assert "clip-cliff: explanation" in found
    assert find_in_lesson_file("The first 39 steps fit; 66 steps later it is below 1e-3.") == []


def test_the_wheel_ships_the_bank_packed_only(tmp_path):
    """Build the wheel as a class hub would install it: no YAML bank, the same packed file."""
    out = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True, cwd=tmp_path,
                   env={**os.environ, "PIP_NO_INPUT": "1"})
    wheel, = out.glob("rnn_edu-*.whl")
    hint_texts = [" ".join(h.split()) for e in hints.all_exercises().values() for h in e.hints]
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert not [n for n in names if n.endswith((".yaml", ".yml"))], names
        assert "rnn_edu/assets/quiz_bank.packed" in names
        shipped = zf.read("rnn_edu/assets/quiz_bank.packed").decode("ascii")
        assert shipped == packed.PACKED_PATH.read_text(encoding="ascii")
        assert find_in_bank_file(shipped) == []
        for name in names:
            if name == "rnn_edu/assets/tinyshakespeare.txt":
                continue          # the corpus (lesson 08): Shakespeare, e.g. "It was an answer: how apply you this?"
            if name.endswith((".py", ".txt", ".md", ".json", "METADATA")):
                text = zf.read(name).decode("utf-8", errors="replace")
                assert find_in_lesson_file(text) == [], name
                flat = " ".join(text.split())
                assert not [h for h in hint_texts if h in flat], name        # exercise hints: packed only
        assert "rnn_edu/assets/exercise_hints.packed" in names
