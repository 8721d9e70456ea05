"""The load test's data checks catch a lost, a crossed and a miscounted answer (no hub needed).

The progress files are written by the quiz engine's own writer (progress_store),
one learner at a time, as the kernels do on the hub.
"""
import json
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import hub_checks  # noqa: E402

from rnn_edu.course.quiz import progress_store  # noqa: E402

KEYS = {"exploding-4-byte-overflow": 10.0, "exploding-float32-overflow": 39.0, "decay-0-9-below-1e-3": 66.0}


def write_homes(homes, the_plan, monkeypatch):
    for name, answers in the_plan.items():
        monkeypatch.setenv("RNN_EDU_PROGRESS", str(homes / name / hub_checks.PROGRESS))
        for qid, given in answers.items():
            for text in given:
                right = text == hub_checks.number_text(KEYS[qid])
                progress_store.record_answer(qid, "04", right, repr(text))


@pytest.fixture
def homes(tmp_path, monkeypatch):
    the_plan = hub_checks.plan(8, KEYS)
    write_homes(tmp_path / "homes", the_plan, monkeypatch)
    return tmp_path / "homes", the_plan


def test_the_plan_varies_between_learners_and_is_counted_by_hand():
    p = hub_checks.plan(8, KEYS)
    # learner01 (i = 0): quiz 0: no wrong answer; quiz 1: one wrong; quiz 2: two wrong, then right
    assert p["learner01"] == {"exploding-4-byte-overflow": ["10"], "exploding-float32-overflow": ["110", "39"],
                              "decay-0-9-below-1e-3": ["120", "121", "66"]}
    # learner07 (i = 6): (6 + 0) % 7 == 6 on quiz 0: gives up after its wrong answer
    assert p["learner07"]["exploding-4-byte-overflow"] == ["700"]
    questions, learners = hub_checks.expected_report(p, KEYS)
    # quiz 0: right at the first try when i % 3 == 0 and i != 6: i = 0, 3 -> 2 of 8
    assert questions["exploding-4-byte-overflow"][:2] == (8, 2)


def test_files_as_submitted_pass_and_the_report_agrees(homes, tmp_path):
    root, the_plan = homes
    assert hub_checks.check_files(root, the_plan, KEYS) == []
    assert hub_checks.check_report(root, tmp_path / "report", the_plan, KEYS) == []


def test_a_lost_file_is_caught(homes, tmp_path):
    root, the_plan = homes
    shutil.rmtree(root / "learner03")
    problems = hub_checks.check_files(root, the_plan, KEYS)
    assert any("progress files for" in p for p in problems) and any("learner03" in p for p in problems)
    assert hub_checks.check_report(root, tmp_path / "report", the_plan, KEYS) != []


def test_crossed_answers_are_caught(homes, tmp_path):
    root, the_plan = homes
    a, b = (root / n / hub_checks.PROGRESS for n in ("learner01", "learner02"))
    data_a, data_b = json.loads(a.read_text()), json.loads(b.read_text())
    data_a["questions"]["exploding-4-byte-overflow"] = data_b["questions"]["exploding-4-byte-overflow"]
    a.write_text(json.dumps(data_a))
    problems = hub_checks.check_files(root, the_plan, KEYS)
    assert len(problems) == 1 and problems[0].startswith("learner01/exploding-4-byte-overflow")


def test_a_miscounted_attempt_is_caught_by_the_report_check(homes, tmp_path):
    root, the_plan = homes
    path = root / "learner05" / hub_checks.PROGRESS
    data = json.loads(path.read_text())
    data["questions"]["decay-0-9-below-1e-3"]["attempts"] += 1
    path.write_text(json.dumps(data))
    assert hub_checks.check_files(root, the_plan, KEYS) != []
    problems = hub_checks.check_report(root, tmp_path / "report", the_plan, KEYS)
    assert len(problems) == 1 and "per question" in problems[0]
