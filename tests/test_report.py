"""The instructor's class report, on hand-built progress files whose counts are worked out by hand."""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_edu.course import report
from rnn_edu.course.report.writing import figure_order

REPO = Path(__file__).resolve().parents[1]


def rec(lesson, attempts, first, now):
    """A version-1 progress record (history left out: the report does not need it)."""
    return {"lesson": lesson, "attempts": attempts, "correct": now, "first_correct": first,
            "ever_correct": now or first, "first_time": "2026-01-01T00:00:00+00:00",
            "last_time": "2026-01-01T00:00:00+00:00", "history": []}


def write(path, questions):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "questions": questions}))
    return path


# Three learners; "exploding-4-byte-overflow" is in the bank (lesson 04), "mystery-q" is not
# (its lesson comes from the record), and ada's "vanishing-product" has 0 attempts (not tried).
ADA = {"exploding-4-byte-overflow": rec("04", 1, True, True),
       "sgd-step-value": rec("01", 3, False, True),
       "vanishing-product": rec("04", 0, False, False)}
BEN = {"exploding-4-byte-overflow": rec("04", 2, False, True),
       "sgd-step-value": rec("01", 1, True, True),
       "mystery-q": rec("09", 4, False, False)}
CY = {"exploding-4-byte-overflow": rec("04", 3, False, False),
      "mystery-q": rec("09", 1, True, True)}


@pytest.fixture
def class_dir(tmp_path):
    """ada: a home folder in a homes folder; ben: a second home; cy: a bare file elsewhere."""
    base = tmp_path / "class"
    write(base / "homes" / "ada" / ".rnn_edu" / "progress.json", ADA)
    write(base / "homes" / "ben" / ".rnn_edu" / "progress.json", BEN)
    write(base / "loose" / "cy.json", CY)
    return base


def read_csv(path):
    with open(path, newline="") as fh:
        return list(csv.reader(fh))


def test_counts_per_question_and_per_learner(class_dir, tmp_path):
    rep = report.build([class_dir / "homes", class_dir / "loose" / "cy.json"])
    assert [learner.name for learner in rep.learners] == ["ada", "ben", "cy"]
    assert rep.skipped == []
    paths = report.write(rep, tmp_path / "out")
    # exploding: tried by 3, first try right 1 (ada), attempts 1+2+3 = 6 -> mean 2, right now 2 (ada, ben)
    # sgd-step-value (lesson 01 from the bank): tried 2, first 1 (ben), attempts 3+1 -> 2, right now 2
    # mystery-q (not in the bank: lesson 09 from the record): tried 2, first 1 (cy), 4+1 -> 2.5, now 1
    # vanishing-product: 0 attempts, so nobody tried it: no row
    assert read_csv(paths["questions"]) == [
        report.writing.QUESTION_COLUMNS,
        ["sgd-step-value", "01", "2", "1", "0.5000", "2.0000", "2"],
        ["exploding-4-byte-overflow", "04", "3", "1", "0.3333", "2.0000", "2"],
        ["mystery-q", "09", "2", "1", "0.5000", "2.5000", "1"],
    ]
    assert read_csv(paths["learners"]) == [
        report.writing.LEARNER_COLUMNS,
        ["ada", "01", "1", "0", "1"], ["ada", "04", "1", "1", "1"], ["ada", "all", "2", "1", "2"],
        ["ben", "01", "1", "1", "1"], ["ben", "04", "1", "0", "1"], ["ben", "09", "1", "0", "0"],
        ["ben", "all", "3", "1", "2"],
        ["cy", "04", "1", "0", "0"], ["cy", "09", "1", "1", "1"], ["cy", "all", "2", "1", "1"],
    ]


def test_a_folder_of_learner_folders_holding_progress_json(class_dir, tmp_path):
    """The layout of a shared volume: <learner>/progress.json (docs/deploy.md)."""
    write(tmp_path / "volume" / "ada" / "progress.json", ADA)
    write(tmp_path / "volume" / "cy" / "progress.json", CY)
    (tmp_path / "volume" / "dee").mkdir()
    rep = report.build([tmp_path / "volume"])
    assert [learner.name for learner in rep.learners] == ["ada", "cy"]
    assert [str(s.path.relative_to(tmp_path)) for s in rep.skipped] == ["volume/dee/.rnn_edu/progress.json"]
    assert {q.qid: (q.tried, q.first_try) for q in rep.questions} == {
        "sgd-step-value": (1, 0), "exploding-4-byte-overflow": (2, 1), "mystery-q": (1, 1)}


def test_without_the_bank_lessons_come_from_the_records(class_dir):
    rep = report.build([class_dir / "homes"], use_bank=False)
    assert {q.qid: q.lesson for q in rep.questions} == {
        "sgd-step-value": "01", "exploding-4-byte-overflow": "04", "mystery-q": "09"}


def test_the_five_hardest_are_named_in_order(tmp_path):
    # seven questions; question qN is right at the first try for N of 6 learners
    for learner in range(6):
        questions = {f"q{n}": rec("04", 1 if learner < n else 2, learner < n, True) for n in range(7)}
        write(tmp_path / "homes" / f"l{learner}" / ".rnn_edu" / "progress.json", questions)
    rep = report.build([tmp_path / "homes"], use_bank=False)
    assert [q.qid for q in rep.hardest] == ["q0", "q1", "q2", "q3", "q4"]
    text = report.writing.summary_text(rep.learners, rep.skipped, rep.questions, rep.hardest, {})
    assert "1. q0 (lesson 04): 0/6 right at the first try (0%), 2.00 attempts on average" in text
    assert "5. q4 (lesson 04): 4/6 right at the first try (67%)" in text
    assert "q5" not in text and "q6" not in text
    # the figure is drawn bottom to top from the easiest: the hardest ends at the top
    assert [q.qid for q in figure_order(rep.questions)] == [f"q{n}" for n in range(6, -1, -1)]


def test_bad_files_are_one_line_each_and_never_fatal(class_dir, tmp_path):
    bad = class_dir / "bad"
    write(bad / "ok.json", {"q": rec("04", 1, True, True)})
    (bad / "empty.json").write_text("")
    (bad / "corrupt.json").write_text('{"version": 1, "questions": {"q": ')
    (bad / "list.json").write_text("[1, 2, 3]")
    (bad / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    (bad / "nohome").mkdir()
    args = [str(bad / n) for n in ("ok.json", "empty.json", "corrupt.json", "list.json", "binary.json",
                                   "missing.json", "nohome")]
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "rnn_edu.course.report", *args, "--out", str(out)],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    lines = [ln.strip() for ln in run.stdout.splitlines() if ln.strip().startswith("skipped ")]
    assert len(lines) == 6, run.stdout
    for name, reason in [("empty.json", "empty file"), ("corrupt.json", "not valid JSON"),
                         ("list.json", "not a progress file"), ("binary.json", "not valid JSON"),
                         ("missing.json", "no such file"), ("progress.json", "no such file")]:
        assert any(name in ln and reason in ln for ln in lines), (name, reason, lines)
    assert "1 learner(s) read, 6 file(s) skipped" in run.stdout
    assert (out / "summary.txt").read_text().count("skipped ") == 6


def snapshot(root):
    """Every path under root with its bytes, mode and mtime."""
    return {p: (p.read_bytes() if p.is_file() else None, p.stat().st_mode, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*"))}


def test_the_report_never_writes_to_a_learners_files(class_dir, tmp_path):
    for p in sorted(class_dir.rglob("*"), reverse=True):
        os.chmod(p, 0o555 if p.is_dir() else 0o444)
    before = snapshot(class_dir)
    try:
        run = subprocess.run([sys.executable, "-m", "rnn_edu.course.report", str(class_dir / "homes"),
                              str(class_dir / "loose" / "cy.json"), "--out", str(tmp_path / "report-out")],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert snapshot(class_dir) == before, "the report changed, added or touched a learner's file"
    finally:
        for p in class_dir.rglob("*"):
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
    assert sorted(p.name for p in (tmp_path / "report-out").iterdir()) == sorted(report.FILES.values())


def test_the_figure_is_a_png_sized_to_the_questions(class_dir, tmp_path):
    rep = report.build([class_dir / "homes"])
    paths = report.write(rep, tmp_path / "out")
    data = paths["figure"].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1000, 256)  # 10 in x (1.6 + 3 questions * 0.32) in at 100 dpi


def test_no_learner_yet(tmp_path):
    (tmp_path / "homes").mkdir()
    rep = report.build([tmp_path / "homes"])
    paths = report.write(rep, tmp_path / "out")
    assert "No learner has answered a question yet." in paths["summary"].read_text()
    assert read_csv(paths["questions"]) == [report.writing.QUESTION_COLUMNS]
