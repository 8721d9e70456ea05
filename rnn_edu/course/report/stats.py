"""The class's numbers: per question and per learner (pure functions of the records)."""
from dataclasses import dataclass

UNKNOWN_LESSON = "?"


def attempts_of(record):
    """A record's attempt count as a non-negative int (0 when missing or not a number)."""
    value = record.get("attempts", 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
        return 0
    return int(value)


@dataclass(frozen=True)
class QuestionStats:
    """How the class did on one question."""

    qid: str
    lesson: str
    tried: int            # learners with at least one attempt
    first_try: int        # of those, right at the first try
    right_now: int        # of those, right at their last answer
    total_attempts: int   # attempts summed over the learners who tried

    @property
    def first_try_share(self):
        return self.first_try / self.tried if self.tried else float("nan")

    @property
    def mean_attempts(self):
        return self.total_attempts / self.tried if self.tried else float("nan")


@dataclass(frozen=True)
class LessonCounts:
    """One learner in one lesson: questions answered, right at the first try, right now."""

    answered: int = 0
    first_try: int = 0
    right_now: int = 0

    def __add__(self, other):
        return LessonCounts(self.answered + other.answered, self.first_try + other.first_try,
                            self.right_now + other.right_now)


def lesson_lookup(learners, bank_lessons=None):
    """qid -> lesson: the bank's lesson when it knows the question, else the record's own."""
    bank_lessons = bank_lessons or {}
    out = {}
    for learner in learners:
        for qid, rec in learner.questions.items():
            if qid in bank_lessons:
                out[qid] = bank_lessons[qid]
            elif qid not in out or out[qid] == UNKNOWN_LESSON:
                lesson = rec.get("lesson")
                out[qid] = str(lesson) if isinstance(lesson, (str, int)) and str(lesson) else UNKNOWN_LESSON
    return out


def question_stats(learners, lessons):
    """[QuestionStats] for every question any learner tried, in (lesson, id) order."""
    acc = {}
    for learner in learners:
        for qid, rec in learner.questions.items():
            n = attempts_of(rec)
            if n == 0:
                continue
            tried, first, now, total = acc.get(qid, (0, 0, 0, 0))
            acc[qid] = (tried + 1, first + (rec.get("first_correct") is True),
                        now + (rec.get("correct") is True), total + n)
    return sorted((QuestionStats(qid, lessons.get(qid, UNKNOWN_LESSON), *vals) for qid, vals in acc.items()),
                  key=lambda q: (q.lesson, q.qid))


def learner_stats(learner, lessons):
    """{lesson: LessonCounts} for one learner (only lessons with an answered question)."""
    out = {}
    for qid, rec in learner.questions.items():
        if attempts_of(rec) == 0:
            continue
        lesson = lessons.get(qid, UNKNOWN_LESSON)
        out[lesson] = out.get(lesson, LessonCounts()) + LessonCounts(
            1, int(rec.get("first_correct") is True), int(rec.get("correct") is True))
    return dict(sorted(out.items()))


def hardest(stats, k=5):
    """The k hardest questions: lowest share right at the first try, then most attempts, then id."""
    return sorted(stats, key=lambda q: (q.first_try_share, -q.mean_attempts, q.qid))[:k]
