"""The instructor's class report: how the class is doing, from the learners' progress files.

    python -m rnn_edu.course.report PATH... [--out class-report]

PATH: progress files, learners' home folders, or a folder of homes (the hub's
``homes/``).  Writes ``questions.csv`` (per question: learners who tried it,
right at the first try, mean attempts), ``exercises.csv`` (per exercise: learners who
tried it, passed once and passing now, median attempts until passing, the mistake the
checker named to the most learners, hints used), ``learners.csv`` (per learner and
lesson: answered, right at the first try, right now), ``first_try.png`` (the
questions sorted by first-try success) and ``summary.txt`` (the five hardest
questions, and the exercises the class is stuck on).  Unreadable files are named in one line each and skipped.  The
learners' files are only ever read.
"""
from dataclasses import dataclass, field
from pathlib import Path

from .exercises import exercise_info, exercise_stats, summary_lines, write_exercises_csv
from .reading import Learner, Skipped, read_learners
from .stats import LessonCounts, QuestionStats, hardest, learner_stats, lesson_lookup, question_stats
from .writing import summary_text, write_figure, write_learners_csv, write_questions_csv

__all__ = ["build", "write", "ClassReport", "Learner", "Skipped", "QuestionStats", "LessonCounts",
           "read_learners", "question_stats", "learner_stats", "hardest", "main"]
FILES = {"questions": "questions.csv", "learners": "learners.csv", "figure": "first_try.png",
         "summary": "summary.txt", "exercises": "exercises.csv"}


@dataclass
class ClassReport:
    """Everything the report says, before it is written."""

    learners: list
    skipped: list
    questions: list        # [QuestionStats]
    per_learner: dict      # name -> {lesson: LessonCounts}
    hardest: list          # [QuestionStats]
    lesson_titles: dict
    exercises: list = field(default_factory=list)   # [ExerciseStats]


def bank_info():
    """({qid: lesson}, {lesson: title}) from the quiz bank, or empty when it cannot be read."""
    try:
        from rnn_edu.course.quiz import load_bank
        bank = load_bank()
    except Exception:  # noqa: BLE001 - the report works without the bank
        return {}, {}
    return {qid: q.lesson for qid, q in bank.questions.items()}, dict(bank.titles)


def build(paths, top=5, use_bank=True):
    """Read the PATHs and compute the report (nothing is written)."""
    learners, skipped = read_learners(paths)
    bank_lessons, titles = bank_info() if use_bank else ({}, {})
    lessons = lesson_lookup(learners, bank_lessons)
    stats = question_stats(learners, lessons)
    per_learner = {learner.name: learner_stats(learner, lessons) for learner in learners}
    exercises = exercise_stats(learners, exercise_info() if use_bank else {})
    return ClassReport(learners, skipped, stats, per_learner, hardest(stats, top), titles, exercises)


def write(report, out):
    """Write the five files into folder `out`; returns {kind: path}."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {kind: out / name for kind, name in FILES.items()}
    write_questions_csv(paths["questions"], report.questions)
    write_learners_csv(paths["learners"], report.per_learner)
    write_figure(paths["figure"], report.questions, len(report.learners))
    write_exercises_csv(paths["exercises"], report.exercises)
    text = summary_text(report.learners, report.skipped, report.questions, report.hardest, report.lesson_titles)
    paths["summary"].write_text(text + "\n".join(summary_lines(report.exercises)) + "\n", encoding="utf-8")
    return paths


def main(argv=None):
    """Command line: build, write, print the summary."""
    import argparse
    ap = argparse.ArgumentParser(prog="python -m rnn_edu.course.report", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", metavar="PATH", help="progress file, home folder, or folder of homes")
    ap.add_argument("--out", type=Path, default=Path("class-report"), help="output folder (class-report)")
    ap.add_argument("--top", type=int, default=5, help="how many hardest questions to name (5)")
    args = ap.parse_args(argv)
    report = build(args.paths, top=args.top)
    learner_files = {learner.path.resolve() for learner in report.learners}
    if args.out.resolve() in learner_files or any(p.parent == args.out.resolve() for p in learner_files):
        ap.error(f"--out {args.out} is a learner's folder; choose another output folder")
    paths = write(report, args.out)
    print(paths["summary"].read_text(encoding="utf-8"), end="")
    print("Wrote " + ", ".join(str(p) for p in paths.values()))
    return 0
