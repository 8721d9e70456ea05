"""The class report's exercise numbers: who passed, after how many attempts, the mistake named most,
and the hints used (pure functions of the learners' "exercises" records, rnn_edu.course.exercises.record)."""
import csv
from dataclasses import dataclass
from statistics import median

from .stats import UNKNOWN_LESSON

EXERCISE_COLUMNS = ["exercise", "lesson", "title", "learners_tried", "passed_once", "passing_now",
                    "median_attempts_to_pass", "most_common_mistake", "learners_with_that_mistake",
                    "learners_used_hints", "mean_hints_seen", "not_written_yet"]


@dataclass(frozen=True)
class ExerciseStats:
    """How the class did on one exercise."""

    exercise: str
    lesson: str
    title: str
    tried: int                  # learners with at least one real attempt
    passed_once: int            # of all learners, passed at some attempt
    passing_now: int            # of all learners, passing at their last run
    median_runs_to_pass: float  # over the learners who passed (nan when none)
    mistake: str                # the mistake named to the most learners ("" when none)
    mistake_learners: int
    used_hints: int             # learners who opened at least one hint
    mean_hints: float           # hints opened, mean over the learners with a record
    not_written: int            # learners whose function is still the unwritten stub, never attempted

    @property
    def share_passed(self):
        return self.passed_once / self.tried if self.tried else float("nan")


def _count(value):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value == value and value >= 0
    return int(value) if ok else 0


def exercise_info():
    """{exercise id: (lesson, title)} from the hints (empty when they cannot be read)."""
    try:
        from rnn_edu.course.exercises.hints import all_exercises
        return {eid: (h.lesson, h.title) for eid, h in all_exercises().items()}
    except Exception:  # noqa: BLE001 - the report works without them
        return {}


def exercise_stats(learners, info=None):
    """[ExerciseStats] for every exercise any learner has a record of, in (lesson, id) order."""
    info = info or {}
    per = {}
    for learner in learners:
        for eid, rec in learner.exercises.items():
            per.setdefault(eid, []).append(rec)
    out = []
    for eid, recs in per.items():
        lesson, title = info.get(eid, (None, ""))
        if lesson is None:
            lessons = [str(r.get("lesson")) for r in recs if isinstance(r.get("lesson"), (str, int))]
            lesson = lessons[0] if lessons else UNKNOWN_LESSON
        runs = [_count(r.get("runs")) for r in recs]
        to_pass = [_count(r.get("runs_to_pass")) for r in recs
                   if r.get("ever_passed") is True and _count(r.get("runs_to_pass")) > 0]
        by_mistake = {}
        for r in recs:
            mistakes = r.get("mistakes") if isinstance(r.get("mistakes"), dict) else {}
            for text, n in mistakes.items():
                learners_n, times = by_mistake.get(text, (0, 0))
                by_mistake[text] = (learners_n + 1, times + _count(n))
        top = min(by_mistake.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]), default=("", (0, 0)))
        hints = [_count(r.get("hints_seen")) for r in recs]
        out.append(ExerciseStats(
            eid, lesson, title, sum(n > 0 for n in runs), sum(r.get("ever_passed") is True for r in recs),
            sum(r.get("passed") is True for r in recs), median(to_pass) if to_pass else float("nan"),
            top[0], top[1][0], sum(h > 0 for h in hints), sum(hints) / len(hints),
            sum(n == 0 and r.get("state") == "not written" for n, r in zip(runs, recs))))
    return sorted(out, key=lambda s: (s.lesson, s.exercise))


def write_exercises_csv(path, stats):
    """One row per exercise."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(EXERCISE_COLUMNS)
        for s in stats:
            med = "" if s.median_runs_to_pass != s.median_runs_to_pass else f"{s.median_runs_to_pass:g}"
            out.writerow([s.exercise, s.lesson, s.title, s.tried, s.passed_once, s.passing_now, med,
                          s.mistake, s.mistake_learners, s.used_hints, f"{s.mean_hints:.2f}", s.not_written])


def stuck(stats, k=5):
    """The k exercises the class is most stuck on: lowest share passed among those who tried."""
    return sorted((s for s in stats if s.tried), key=lambda s: (s.share_passed, -s.tried, s.exercise))[:k]


def summary_lines(stats, k=5):
    """Plain-text lines for summary.txt: where the class is stuck, and the mistake named most."""
    if not stats:
        return ["", "No learner has run an exercise's checker yet."]
    lines = ["", f"Exercises: {len(stats)} with a record. Where the class is stuck (lowest share passed "
                 f"of those who tried):"]
    for rank, s in enumerate(stuck(stats, k), 1):
        name = s.exercise + (f", {s.title}" if s.title else "")
        med = ("" if s.median_runs_to_pass != s.median_runs_to_pass
               else f", median {s.median_runs_to_pass:g} attempts to pass")
        lines.append(f"  {rank}. {name} (lesson {s.lesson}): {s.passed_once}/{s.tried} passed{med}, "
                     f"{s.passing_now} passing now, {s.used_hints} used hints")
        if s.mistake:
            lines.append(f"     most common mistake ({s.mistake_learners} learner(s)): {s.mistake[:160]}")
    return lines
