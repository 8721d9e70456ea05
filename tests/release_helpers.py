"""Helpers for tests/test_release.py: errors in a run notebook, put solutions back into a learner
edition, and take a learner edition through nbgrader's exchange, collect and autograde."""
import json
import os
import shutil
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from edition import BEGIN_SOLUTION, CODE_STUB, END_SOLUTION, nbgrader_meta, source_text  # noqa: E402


def errors(nb):
    """(cell index, error name, value) for every error output, and every stderr text."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append((i, out.ename, out.evalue))
            elif out.output_type == "stream" and out.name == "stderr" and "Kernel is running over TCP" not in out.text:
                found.append((i, "stderr", out.text))
    return found


def text_of(cell):
    """Everything a cell printed or displayed as text."""
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", "") or out.get("data", {}).get("text/plain", ""))
    return "".join("".join(p) if isinstance(p, list) else p for p in parts)


def solution_lines(cell):
    """The instructor's lines between the solution markers (with their indentation)."""
    lines = source_text(cell).split("\n")
    start = next(i for i, line in enumerate(lines) if BEGIN_SOLUTION in line)
    end = next(i for i, line in enumerate(lines) if END_SOLUTION in line)
    return lines[start + 1:end]


def restore_solutions(learner, instructor):
    """The learner edition with each stub replaced by the instructor's solution (matched by grade_id)."""
    solutions = {nbgrader_meta(c)["grade_id"]: c for c in instructor["cells"] if nbgrader_meta(c).get("solution")}
    nb = json.loads(json.dumps(learner))
    stub = CODE_STUB.split("\n")
    for cell in nb["cells"]:
        meta = nbgrader_meta(cell)
        if not meta.get("solution"):
            continue
        lines = source_text(cell).split("\n")
        at = next(i for i, line in enumerate(lines) if line.strip() == stub[0])
        assert lines[at + 1].strip() == stub[1], "the stub is not nbgrader's"
        lines[at:at + 2] = solution_lines(solutions[meta["grade_id"]])
        cell["source"] = "\n".join(lines)
    return nb


def nbgrader_config(root, exchange):
    """The course's nbgrader_config.py, pointed at root and a private exchange."""
    from traitlets.config.loader import PyFileConfigLoader
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    config.Exchange.root = str(exchange)
    return config


def grade(root, assignments, students, tmp):
    """release_assignment, fetch and submit for each student (students: {id: edit(notebook dict,
    notebook file name) -> notebook dict}), collect, autograde. Returns {(assignment, student): (score, max)}."""
    from traitlets.config import Config
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit

    exchange = Path(tmp) / "exchange"
    exchange.mkdir()
    base = nbgrader_config(root, exchange)
    api = NbGraderAPI(config=base)
    for a in assignments:
        result = api.release_assignment(a)
        assert result["success"], result.get("error") or result.get("log")
    for student, edit in students.items():
        home = Path(tmp) / student
        home.mkdir()
        for a in assignments:
            config = Config(base)
            config.merge(Config({"CourseDirectory": {"assignment_id": a, "student_id": student},
                                 "Exchange": {"assignment_dir": str(home)}}))
            coursedir, auth = CourseDirectory(config=config), Authenticator(config=config)
            ExchangeFetchAssignment(coursedir=coursedir, authenticator=auth, config=config).start()
            for path in (home / a).glob("*.ipynb"):
                path.write_text(json.dumps(edit(json.loads(path.read_text()), path.name)))
            ExchangeSubmit(coursedir=coursedir, authenticator=auth, config=config).start()
    scores = {}
    for a in assignments:
        result = api.collect(a)
        assert result["success"], result.get("error")
        for student in students:
            result = api.autograde(a, student)
            assert result["success"], result.get("error") or result.get("log")
    with Gradebook(f"sqlite:///{root}/gradebook.db", base.CourseDirectory.course_id) as gb:
        for a in assignments:
            for student in students:
                sub = gb.find_submission(a, student)
                scores[a, student] = (sub.score, sub.max_score)
    return scores


def path_with_venv():
    """PATH with this Python's bin first: nbgrader runs `alembic` from PATH."""
    return str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")


def copy_lessons(sources, dest):
    dest.mkdir(parents=True)
    for path in sources:
        shutil.copyfile(path, dest / path.name)
    return dest
