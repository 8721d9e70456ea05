"""The learner's exercises in lesson 00's progress view, beside the quiz table (rnn_edu.course.quiz.view).

One row per exercise of the course (the ids of hints.yaml, in lesson order): its state now
("Passed", "Not yet", "Not written", "Not tried"), whether it passed once, the attempts and the hints seen.
"""
import html

from .hints import all_exercises
from .record import NOT_WRITTEN, PASSED, _int, load_exercise_progress

STATE_WORDS = {PASSED: "Passed", "not yet": "Not yet", NOT_WRITTEN: "Not written", None: "Not tried"}
COLUMNS = ["Lesson", "Exercise", "Now", "Passed once", "Attempts", "Hints seen"]


def exercise_summary(records=None, exercises=None):
    """[{lesson, id, title, state, passed_once, runs, hints_seen, hints}] for every exercise."""
    records = load_exercise_progress() if records is None else records
    exercises = all_exercises() if exercises is None else exercises
    rows = []
    for eid, info in exercises.items():
        rec = records.get(eid) if isinstance(records.get(eid), dict) else {}
        state = rec.get("state") if rec.get("state") in STATE_WORDS else None
        rows.append({"lesson": info.lesson, "id": eid, "title": info.title, "state": STATE_WORDS[state],
                     "passed_once": rec.get("ever_passed") is True, "runs": _int(rec.get("runs")),
                     "hints_seen": min(_int(rec.get("hints_seen")), len(info.hints)), "hints": len(info.hints)})
    return rows


def _cell(tag, text, column):
    align = "left" if column < 3 else "right"
    rule = "border-bottom:1px solid #999;" if tag == "th" else ""
    return f"<{tag} style='text-align:{align};padding:3px 12px;{rule}'>{html.escape(str(text))}</{tag}>"


def exercises_table_html(rows=None):
    """An HTML table of the exercise summary, with a caption saying how many pass now."""
    rows = exercise_summary() if rows is None else rows
    passed = sum(r["state"] == STATE_WORDS[PASSED] for r in rows)
    head = "<tr>" + "".join(_cell("th", h, i) for i, h in enumerate(COLUMNS)) + "</tr>"
    body = "".join("<tr>" + "".join(_cell("td", v, i) for i, v in enumerate([
        r["lesson"], r["title"], r["state"], "yes" if r["passed_once"] else "no", r["runs"],
        f"{r['hints_seen']} of {r['hints']}"])) + "</tr>" for r in rows)
    caption = f"Exercises: {passed} of {len(rows)} pass now"
    return (f"<table class='rnn-edu-exercise-table' style='border-collapse:collapse;margin-top:1em'>"
            f"<caption style='text-align:left;font-weight:bold'>{caption}</caption>{head}{body}</table>")
