"""The instructor's path in the README: `make release`, then `make hub` where two learners each get
every lesson of the learner edition and answer quizzes, Ctrl-C, `make report` over their homes
(its counts against what they submitted), and `nbgrader autograde` of one submission."""
import json
import os
import shutil
import signal
import time

import classroom
import hub_checks
import hubclient
import hubctl
from conftest import Background, REPO, make
from release_helpers import restore_solutions
from test_classroom import assert_learner_edition

LESSON = "05_gradient_clipping"
STUDENT = "journeytest"          # nbgrader's student id for the one graded submission


def keys():
    from rnn_edu.course import quiz
    return {qid: quiz.get_question(qid).key for qid in hub_checks.QUIZZES}


def learner_session(hub_url, name, password, answers, deadline):
    """Log in, start the server, answer through the quiz widgets in a kernel, stop."""
    learner = hubclient.Learner(hub_url, name, password, deadline)
    learner.log_in()
    learner.start_server()
    path, _ = learner.notebook(classroom.COURSE_DIR, "04")
    learner.open_kernel(path)
    try:
        problems = learner.execute([hubclient.quiz_code(answers)], step="quizzes")
    finally:
        learner.close_kernel_channel()
    learner.stop_server()
    assert problems == [], f"{name}: {problems}"


def test_release_then_hub_then_report_then_autograde(tmp_path):
    make("release")
    lessons = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(classroom.lessons_under(REPO / "release")) == lessons

    data, port = tmp_path / "hub-data", hubctl.free_port()
    hub = Background(["hub", f"HUB_PORT={port}", f"HUB_DATA={data}"], log=tmp_path / "hub.log")
    plan = hub_checks.plan(2, keys())
    try:
        password = hub.wait_for(r"learners: any name .*, password (\S+)", 900).group(1)
        assert "lessons copied to each new learner: the learner edition in" in hub.text()
        deadline = time.monotonic() + 600
        for name, answers in plan.items():
            learner_session(f"http://127.0.0.1:{port}", name, password, answers, deadline)
    finally:
        code = hub.interrupt()
    # make itself ends by the Ctrl-C (-SIGINT) once hubctl has stopped everything and said so
    assert code in (0, -signal.SIGINT) and "hub: stopped; no process left behind." in hub.text(), hub.text()[-2000:]
    homes = data / "homes"
    for name in plan:
        assert_learner_edition(homes / name / classroom.COURSE_DIR)     # every lesson, no solution
    assert hub_checks.check_files(homes, plan, keys()) == []

    out = make("report", f"HOMES={homes}")
    assert "2 learner" in out, out
    assert hub_checks.compare_report(REPO / "class-report", plan, keys()) == []

    graded = autograde_one(homes / "learner01" / classroom.COURSE_DIR / f"{LESSON}.ipynb")
    assert graded == (1.0, 1.0)


def autograde_one(learner_copy):
    """The learner's lesson with the instructor's solutions put in, submitted and autograded by
    nbgrader from the repository folder, as the README says; returns (score, max score)."""
    from nbgrader.api import Gradebook
    submitted = REPO / "submitted" / STUDENT / LESSON
    try:
        submitted.mkdir(parents=True)
        solved = restore_solutions(json.loads(learner_copy.read_text(encoding="utf-8")),
                                   json.loads((REPO / "notebooks" / f"{LESSON}.ipynb").read_text(encoding="utf-8")))
        (submitted / f"{LESSON}.ipynb").write_text(json.dumps(solved), encoding="utf-8")
        (submitted / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC")
        path = str(REPO / ".venv" / "bin") + os.pathsep + os.environ.get("PATH", "")
        import subprocess
        run = subprocess.run(["nbgrader", "autograde", LESSON, "--student", STUDENT, "--force"], cwd=REPO,
                             env=dict(os.environ, PATH=path), capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout + run.stderr
        with Gradebook(f"sqlite:///{REPO / 'gradebook.db'}") as gb:
            sub = gb.find_submission(LESSON, STUDENT)
            return sub.score, sub.max_score
    finally:
        with Gradebook(f"sqlite:///{REPO / 'gradebook.db'}") as gb:
            try:
                gb.remove_student(STUDENT)
            except Exception:  # noqa: BLE001 - not there if the test failed before grading
                pass
        for folder in ("submitted", "autograded", "feedback"):
            shutil.rmtree(REPO / folder / STUDENT, ignore_errors=True)
