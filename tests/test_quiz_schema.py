"""Loading the bank: schema errors name file, id and problem; discovery; lookups."""
from pathlib import Path

import pytest

from rnn_edu.course import quiz
from rnn_edu.course.quiz import bank

ROOT = Path(__file__).resolve().parents[1]

GOOD = """\
questions:
  - id: good-one
    type: single
    prompt: Pick A.
    options: [A, B]
    answer: A
    explanation: A is right.
"""

BAD_FILES = {
    "missing-field": ("""\
questions:
  - id: q-missing
    type: single
    prompt: Pick A.
    options: [A, B]
    answer: A
""", "q-missing", "missing field 'explanation'"),
    "key-not-in-options": ("""\
questions:
  - id: q-key
    type: single
    prompt: Pick A.
    options: [A, B]
    answer: C
    explanation: x
""", "q-key", "answer 'C' is not among the options"),
    "multiple-key-not-in-options": ("""\
questions:
  - id: q-multi
    type: multiple
    prompt: Pick.
    options: [A, B, C]
    answer: [A, D]
    explanation: x
""", "q-multi", "answer 'D' is not among the options"),
    "duplicate-id": (GOOD + GOOD.replace("questions:\n", ""), "good-one", "duplicate id"),
    "unknown-type": ("""\
questions:
  - id: q-type
    type: essay
    prompt: Write.
    answer: x
    explanation: x
""", "q-type", "unknown type 'essay'"),
    "tolerance-missing": ("""\
questions:
  - id: q-tol
    type: numeric
    prompt: How many?
    answer: 10
    explanation: x
""", "q-tol", "missing field 'tolerance'"),
    "numeric-answer-text": ("""\
questions:
  - id: q-num
    type: numeric
    prompt: How small?
    answer: 1e-3
    tolerance: 0
    explanation: x
""", "q-num", "write 1.0e-3"),
    "relative-tolerance-as-percent": ("""\
questions:
  - id: q-rel
    type: numeric
    prompt: How small?
    answer: 0.25
    relative_tolerance: 1
    explanation: x
""", "q-rel", "0.01 means 1 %"),
    "relative-tolerance-negative": ("""\
questions:
  - id: q-neg
    type: numeric
    prompt: How small?
    answer: 0.25
    relative_tolerance: -0.01
    explanation: x
""", "q-neg", "'relative_tolerance' must not be negative"),
    "unknown-field": ("""\
questions:
  - id: q-typo
    type: single
    prompt: Pick A.
    options: [A, B]
    answer: A
    explaination: typo
    explanation: x
""", "q-typo", "unknown field(s) explaination"),
    "missing-id": ("""\
questions:
  - type: single
    prompt: Pick A.
    options: [A, B]
    answer: A
    explanation: x
""", "#1", "missing or invalid 'id'"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_error_names_file_id_and_problem(tmp_path, case):
    text, qid, problem = BAD_FILES[case]
    (tmp_path / "lesson01.yaml").write_text(text)
    with pytest.raises(quiz.BankError) as info:
        bank.load_bank(tmp_path)
    message = str(info.value)
    assert "lesson01.yaml" in message and repr(qid) in message and problem in message
    assert info.value.qid == qid and problem in info.value.problem


def test_relative_tolerance_alone_is_enough(tmp_path):
    (tmp_path / "lesson01.yaml").write_text("""\
questions:
  - id: q-rel
    type: numeric
    prompt: What is 1/3?
    answer: 0.3333333333
    relative_tolerance: 0.01
    explanation: x
""")
    q = bank.load_bank(tmp_path).questions["q-rel"]
    assert (q.tolerance, q.relative_tolerance, q.exact) == (0.0, 0.01, False)
    assert q.check("0.333").correct and q.check("1/3").correct and not q.check("0.32").correct


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    (tmp_path / "lesson03.yaml").write_text("questions:\n  - id: a\n    prompt: [unclosed\n")
    with pytest.raises(quiz.BankError, match=r"lesson03\.yaml: YAML syntax error at line \d+"):
        bank.load_bank(tmp_path)


def test_duplicate_id_across_files_names_both(tmp_path):
    (tmp_path / "lesson01.yaml").write_text(GOOD)
    (tmp_path / "lesson02.yaml").write_text(GOOD)
    with pytest.raises(quiz.BankError) as info:
        bank.load_bank(tmp_path)
    assert str(info.value).endswith("lesson02.yaml: question 'good-one': duplicate id (already used in lesson01.yaml)")


def test_env_var_points_the_loader_at_a_directory(tmp_path, monkeypatch):
    (tmp_path / "lesson01.yaml").write_text(GOOD)
    monkeypatch.setenv("RNN_EDU_QUIZZES", str(tmp_path))
    assert [q.id for q in quiz.all_questions()] == ["good-one"]
    (tmp_path / "lesson02.yaml").write_text(BAD_FILES["unknown-type"][0])
    with pytest.raises(quiz.BankError, match="lesson02.yaml"):
        quiz.get_question("good-one")


def test_env_var_to_missing_directory_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_EDU_QUIZZES", str(tmp_path / "nope"))
    with pytest.raises(quiz.BankNotFoundError, match="RNN_EDU_QUIZZES"):
        quiz.get_question("anything")


def test_checkout_bank_found_and_installed_location_searched(monkeypatch):
    monkeypatch.delenv("RNN_EDU_QUIZZES", raising=False)
    assert bank.find_quiz_dir().resolve() == (ROOT / "quizzes").resolve()
    import sys
    assert Path(sys.prefix) / "share" / "rnn-edu" / "quizzes" in bank.candidate_dirs()


def test_not_found_lists_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.delenv("RNN_EDU_QUIZZES", raising=False)
    places = [tmp_path / "a", tmp_path / "b"]
    monkeypatch.setattr(bank, "candidate_dirs", lambda: places)
    with pytest.raises(quiz.BankNotFoundError) as info:
        bank.find_quiz_dir()
    assert all(str(p) in str(info.value) for p in places) and "RNN_EDU_QUIZZES" in str(info.value)


def test_unknown_id_suggests_close_matches():
    with pytest.raises(KeyError) as info:
        quiz.get_question("exploding-4-byte-overflw")
    assert "exploding-4-byte-overflw" in str(info.value)
    assert "Did you mean: exploding-4-byte-overflow" in str(info.value)
    with pytest.raises(ValueError):
        quiz.get_question(None)


def test_lesson_names_are_normalised():
    ids = [q.id for q in quiz.lesson_questions("04")]
    assert [q.id for q in quiz.lesson_questions(4)] == ids
    assert [q.id for q in quiz.lesson_questions("lesson04")] == ids
    with pytest.raises(KeyError, match="lessons are"):
        quiz.lesson_questions("99")
