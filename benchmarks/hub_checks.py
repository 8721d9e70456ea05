"""What each simulated learner answers, and the checks that every answer landed in the right file.

Learner i (0-based) answers the three numeric quizzes of lesson 04.  On quiz j
it first gives (i + j) % 3 wrong answers, each a number no other learner gives
(100 * (i + 1) + 10 * j + k), then the right one, except when (i + 2 j) % 7 == 6:
then it gives up after its wrong answers (at least one).  So the counts differ
from learner to learner and a crossed or lost answer shows.
"""
import csv
import json
import subprocess
import sys
from pathlib import Path

QUIZZES = ("exploding-4-byte-overflow", "exploding-float32-overflow", "decay-0-9-below-1e-3")
PROGRESS = Path(".rnn_edu") / "progress.json"


def learner_names(n):
    return [f"learner{i + 1:02d}" for i in range(n)]


def number_text(value):
    """'10' for 10.0, else repr of the float."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def plan(n, keys):
    """{learner: {qid: [answer texts]}}; `keys` = {qid: right answer}."""
    out = {}
    for i, name in enumerate(learner_names(n)):
        answers = {}
        for j, qid in enumerate(QUIZZES):
            wrong = [str(100 * (i + 1) + 10 * j + k) for k in range((i + j) % 3)]
            gives_up = (i + 2 * j) % 7 == 6
            if gives_up:
                answers[qid] = wrong or [str(100 * (i + 1) + 10 * j)]
            else:
                answers[qid] = wrong + [number_text(keys[qid])]
        out[name] = answers
    return out


def expected_record(answers, key_text):
    """What the progress record of one question must say after `answers`."""
    right = [a == key_text for a in answers]
    return {"attempts": len(answers), "first_correct": right[0], "correct": right[-1],
            "ever_correct": any(right), "answers": [repr(a) for a in answers]}


def check_files(homes, the_plan, keys):
    """Problems with the progress files under `homes` (empty list: all N present, none lost or crossed)."""
    problems = []
    found = sorted(p.parent.parent.name for p in Path(homes).glob(f"*/{PROGRESS}"))
    if found != sorted(the_plan):
        problems.append(f"progress files for {found}, expected one for each of {sorted(the_plan)}")
    for name, answers in the_plan.items():
        path = Path(homes) / name / PROGRESS
        try:
            records = json.loads(path.read_text())["questions"]
        except (OSError, ValueError, KeyError) as exc:
            problems.append(f"{name}: {path} unreadable: {exc}")
            continue
        if sorted(records) != sorted(answers):
            problems.append(f"{name}: questions {sorted(records)}, submitted {sorted(answers)}")
        for qid, given in answers.items():
            rec = records.get(qid, {})
            want = expected_record(given, number_text(keys[qid]))
            have = {"attempts": rec.get("attempts"), "first_correct": rec.get("first_correct"),
                    "correct": rec.get("correct"), "ever_correct": rec.get("ever_correct"),
                    "answers": [h.get("answer") for h in rec.get("history", [])]}
            if have != want:
                problems.append(f"{name}/{qid}: file says {have}, submitted {want}")
    return problems


def expected_report(the_plan, keys):
    """The class report's rows as the submitted answers imply: (questions, learner totals)."""
    questions, learners = {}, {}
    for name, answers in the_plan.items():
        total = [0, 0, 0]
        for qid, given in answers.items():
            want = expected_record(given, number_text(keys[qid]))
            q = questions.setdefault(qid, [0, 0, 0, 0])  # tried, first, attempts, right now
            q[0] += 1
            q[1] += want["first_correct"]
            q[2] += want["attempts"]
            q[3] += want["correct"]
            total = [total[0] + 1, total[1] + want["first_correct"], total[2] + want["correct"]]
        learners[name] = total
    return ({qid: (t, f, round(a / t, 4), r) for qid, (t, f, a, r) in questions.items()}, learners)


def check_report(homes, out, the_plan, keys):
    """Run `python -m rnn_edu.course.report` over the homes; compare its CSVs with the plan. Returns problems."""
    run = subprocess.run([sys.executable, "-m", "rnn_edu.course.report", str(homes), "--out", str(out)],
                         capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        return [f"the report failed: {run.stderr[-500:]}"]
    return compare_report(out, the_plan, keys)


def compare_report(out, the_plan, keys):
    """Compare the class report's CSVs in `out` with what the plan submitted. Returns problems."""
    want_q, want_l = expected_report(the_plan, keys)
    with open(Path(out) / "questions.csv", newline="") as fh:
        got_q = {r["question"]: (int(r["learners_tried"]), int(r["right_first_try"]),
                                 round(float(r["mean_attempts"]), 4), int(r["right_now"]))
                 for r in csv.DictReader(fh)}
    with open(Path(out) / "learners.csv", newline="") as fh:
        got_l = {r["learner"]: [int(r["answered"]), int(r["right_first_try"]), int(r["right_now"])]
                 for r in csv.DictReader(fh) if r["lesson"] == "all"}
    problems = []
    if got_q != want_q:
        problems.append(f"report per question {got_q} != submitted {want_q}")
    if got_l != want_l:
        problems.append(f"report per learner {got_l} != submitted {want_l}")
    return problems
