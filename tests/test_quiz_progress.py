"""The progress file: location, records, atomic writes, corruption and concurrency."""
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from rnn_edu.course import quiz
from rnn_edu.course.quiz import progress_store as progress

ROOT = Path(__file__).resolve().parents[1]


def test_env_var_is_read_at_call_time(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_EDU_PROGRESS", str(tmp_path / "one.json"))
    quiz.get_question("weight-roles").submit("$W_R$")
    monkeypatch.setenv("RNN_EDU_PROGRESS", str(tmp_path / "two.json"))
    assert quiz.load_progress() == {}
    quiz.get_question("weight-roles").submit("$W_F$")
    assert json.loads((tmp_path / "one.json").read_text())["questions"]["weight-roles"]["correct"] is True
    assert json.loads((tmp_path / "two.json").read_text())["questions"]["weight-roles"]["correct"] is False


def test_default_location_is_in_the_home_directory(monkeypatch):
    monkeypatch.delenv("RNN_EDU_PROGRESS", raising=False)
    assert progress.progress_path() == Path.home() / ".rnn_edu" / "progress.json"


def test_missing_file_reads_as_empty_without_creating_it(progress_file):
    assert quiz.load_progress() == {}
    assert not progress_file.exists()


def test_records_attempts_verdicts_first_try_lesson_and_time(progress_file):
    q = quiz.get_question("decay-0-9-below-1e-3")
    q.submit("20")
    q.submit("66")
    q.submit("65")
    rec = quiz.load_progress()[q.id]
    assert rec["attempts"] == 3 and rec["correct"] is False and rec["first_correct"] is False
    assert rec["ever_correct"] is True and rec["lesson"] == "04"
    assert [h["correct"] for h in rec["history"]] == [False, True, False]
    assert rec["last_time"].endswith("+00:00") and rec["first_time"] <= rec["last_time"]


def test_writes_are_atomic_via_os_replace_in_the_same_dir(progress_file, monkeypatch):
    calls = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(progress.os, "replace", spy)
    quiz.get_question("weight-roles").submit("$W_R$")
    (src, dst), = calls
    assert dst == progress_file and src.parent == progress_file.parent


def test_a_failed_write_leaves_the_old_file_intact(progress_file, monkeypatch):
    quiz.get_question("weight-roles").submit("$W_R$")
    before = progress_file.read_text()

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(progress.os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        quiz.get_question("weight-roles").submit("$W_F$")
    assert progress_file.read_text() == before
    assert sorted(p.name for p in progress_file.parent.iterdir()) == ["progress.json", "progress.json.lock"]


@pytest.mark.parametrize("garbage", [b"{not json", b"", b"[1, 2, 3]", b'{"questions": []}', b"\xff\xfe\x00"])
def test_corrupted_file_is_moved_aside_and_a_fresh_one_started(progress_file, garbage):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_bytes(garbage)
    with pytest.warns(quiz.ProgressWarning, match="moved to"):
        assert quiz.load_progress() == {}
    aside = progress_file.with_name("progress.json.corrupt-1")
    assert aside.read_bytes() == garbage
    quiz.get_question("weight-roles").submit("$W_R$")
    assert quiz.load_progress()["weight-roles"]["attempts"] == 1


def test_second_corruption_gets_a_new_name_and_submit_recovers(progress_file):
    progress_file.parent.mkdir(parents=True)
    for n in (1, 2):
        progress_file.write_text(f"corrupt {n}")
        with pytest.warns(quiz.ProgressWarning):
            quiz.get_question("weight-roles").submit("$W_R$")
        assert progress_file.with_name(f"progress.json.corrupt-{n}").read_text() == f"corrupt {n}"
    assert quiz.load_progress()["weight-roles"]["attempts"] == 1


def test_unresettable_corrupt_file_warns_instead_of_crashing(progress_file, monkeypatch):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text("{broken")

    def refuse(src, dst):
        raise PermissionError("read-only")

    monkeypatch.setattr(progress.os, "replace", refuse)
    with pytest.warns(quiz.ProgressWarning, match="could not be reset"):
        assert quiz.load_progress() == {}
    with pytest.warns(quiz.ProgressWarning):
        assert quiz.progress_summary()["04"]["answered"] == 0


WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from rnn_edu.course.quiz import progress_store as progress, get_question
    name, start = sys.argv[1], Path(sys.argv[2])
    while not start.exists():
        time.sleep(0.001)
    shared = get_question("weight-roles")
    for i in range(50):
        progress.record_answer(f"{name}-q{i}", "99", i % 2 == 0)
        shared.submit("$W_R$" if i % 2 else "$W_F$")
""")


def test_two_processes_writing_at_once_lose_nothing(progress_file, tmp_path):
    start = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, name, str(start)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for name in ("a", "b")]
    try:
        time.sleep(0.2)
        start.touch()
        errors = [p.communicate(timeout=60)[1] for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate()
    assert [p.returncode for p in procs] == [0, 0], b"".join(errors).decode()
    records = quiz.load_progress()
    own = [k for k in records if k.startswith(("a-q", "b-q"))]
    assert len(own) == 100 and all(records[k]["attempts"] == 1 for k in own)
    assert records["weight-roles"]["attempts"] == 100
