"""Check lessons against the authoring conventions of docs/authoring.md.

    python scripts/authoring.py notebooks/*.ipynb        prints every problem; exit 1 if any

`problems(nb, quiz_ids)` returns a list of messages, each naming the cell (its number and first
line) and what is wrong. It runs in `make release` before nbgrader, and in tests/test_authoring.py
on every lesson that declares nbgrader cells, and on the fixture lessons.
"""
import ast
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from edition import (BEGIN_HIDDEN, BEGIN_SOLUTION, END_HIDDEN, END_SOLUTION,  # noqa: E402
                     nbgrader_meta, source_text)

SCHEMA_KEYS = {"schema_version", "grade", "locked", "solution", "task", "grade_id", "points"}
GRADE_ID = re.compile(r"^[a-zA-Z0-9_\-]+$")
CHECKER_TAIL = [f"### {BEGIN_HIDDEN}", "assert result.passed, result.message", f"### {END_HIDDEN}"]
SHOW = re.compile(r"""^result\.show\(["'](?P<id>[a-zA-Z0-9_\-]+)["']\)\s*$""")   # records the run, offers hints
QUIZ = re.compile(r"""^quiz\.show(?:_lesson)?\(["'](?P<id>[^"']+)["']\)$""")
FALLBACK = re.compile(r"use_yours_or_library\(\s*(?P<name>[A-Za-z_]\w*)\s*,\s*(?P<check>[A-Za-z_][\w.]*)\s*,")


def declares_nbgrader_cells(nb):
    return any(nbgrader_meta(c) for c in nb.get("cells", []))


def _where(i, cell):
    first = source_text(cell).strip().split("\n")[0][:60]
    return f"cell {i} ({first!r})"


def _solution_problems(text, meta):
    """The solution cell holds one function whose body holds exactly one solution region."""
    out = []
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        return [f"does not parse: {exc.msg} (line {exc.lineno})"], None
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    others = [n for n in tree.body if not isinstance(n, ast.FunctionDef)]
    if len(defs) != 1 or others:
        out.append("a solution cell holds exactly one `def` and nothing else at top level "
                   "(the stub must not raise when the cell runs)")
    lines = text.split("\n")
    begins = [i for i, line in enumerate(lines) if BEGIN_SOLUTION in line]
    ends = [i for i, line in enumerate(lines) if END_SOLUTION in line]
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        out.append(f"expected one `### {BEGIN_SOLUTION}` ... `### {END_SOLUTION}` region")
    elif not lines[begins[0]].startswith((" ", "\t")) or lines[begins[0]].strip() != f"### {BEGIN_SOLUTION}":
        out.append(f"`### {BEGIN_SOLUTION}` must be alone on its line, indented inside the function body")
    elif any(line.strip() for line in lines[ends[0] + 1:]):
        out.append(f"nothing may follow `### {END_SOLUTION}` (it ends the cell)")
    name = defs[0].name if len(defs) == 1 else None
    if name and meta.get("grade_id") != name.replace("_", "-"):
        out.append(f"grade_id should be {name.replace('_', '-')!r} (the function name with '-' for '_')")
    if meta.get("grade") or meta.get("points") is not None:
        out.append("a solution cell is not graded itself: grade false, no points (its checker cell has them)")
    return out, name


def checked_function(first_line):
    """For `result = check_x(..., name, ...)`: the names passed to the checker, else None."""
    try:
        node = ast.parse(first_line).body[0]
    except (SyntaxError, IndexError):
        return None
    ok = (isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["result"]
          and isinstance(node.value, ast.Call) and ast.unparse(node.value.func).split(".")[-1].startswith("check"))
    return [a.id for a in node.value.args if isinstance(a, ast.Name)] if ok else None


def _checker_problems(text, meta, solutions):
    out, lines = [], text.strip().split("\n")
    names = checked_function(lines[0])
    if names is None or [line.rstrip() for line in lines[1:-1]] != CHECKER_TAIL or not SHOW.match(lines[-1]):
        return ["a checker cell is exactly: result = check_<name>(<name>[, other arguments]) / "
                "### BEGIN HIDDEN TESTS / assert result.passed, result.message / ### END HIDDEN TESTS / "
                "result.show(\"<name with '-' for '_'>\")"]
    name = next((n for n in names if n in solutions), None)
    if name is None:
        return [f"checks {', '.join(names) or 'nothing'}, which no earlier solution cell defines"]
    if SHOW.match(lines[-1]).group("id") != name.replace("_", "-"):
        out.append(f"the last line should be result.show(\"{name.replace('_', '-')}\"): it records the run "
                   "under the exercise's id and shows its hints")
    if meta.get("grade_id") != "check-" + name.replace("_", "-"):
        out.append(f"grade_id should be 'check-{name.replace('_', '-')}'")
    if not meta.get("locked"):
        out.append("a checker cell is locked (locked: true): learners run it, they do not edit it")
    points = meta.get("points")
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        out.append("a checker cell carries points > 0")
    return out


def problems(nb, quiz_ids=None):
    """Every way the notebook departs from docs/authoring.md, as messages."""
    out = []
    if "widgets" in nb.get("metadata", {}):
        out.append("notebook metadata holds saved widget state (metadata.widgets), which nbgrader keeps "
                   "in the learner edition and which can hold quiz feedback: run with store_widget_state=False")
    solutions, grade_ids = {}, set()
    for i, cell in enumerate(nb.get("cells", [])):
        where, text, meta = _where(i, cell), source_text(cell), nbgrader_meta(cell)
        markers = [m for m in (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN, "MARK SCHEME") if m in text]
        if meta:
            unknown = set(meta) - SCHEMA_KEYS
            if unknown:
                out.append(f"{where}: unknown nbgrader metadata {sorted(unknown)}")
            if meta.get("schema_version") != 3 or not all(isinstance(meta.get(k), bool)
                                                           for k in ("grade", "locked", "solution")):
                out.append(f"{where}: nbgrader metadata needs schema_version 3 and booleans grade, locked, solution")
            gid = meta.get("grade_id", "")
            if not GRADE_ID.match(str(gid)) or gid in grade_ids:
                out.append(f"{where}: grade_id {gid!r} is missing, malformed or used twice")
            grade_ids.add(gid)
        if meta.get("solution"):
            if cell.get("cell_type") != "code":
                out.append(f"{where}: solution cells are code cells")
                continue
            found, name = _solution_problems(text, meta)
            out += [f"{where}: {p}" for p in found]
            if name:
                solutions[name] = i
        elif meta.get("grade"):
            out += [f"{where}: {p}" for p in _checker_problems(text, meta, solutions)]
        elif meta:
            out.append(f"{where}: nbgrader metadata on a cell that is neither a solution nor a checker; "
                       "leave other cells (task text, quizzes, fallbacks) without it")
        elif markers:
            out.append(f"{where}: {markers[0]!r} outside a solution or checker cell")
        for line in text.split("\n"):
            if "quiz.show" in line:
                quiz = QUIZ.match(text.strip())
                if not quiz:
                    out.append(f"{where}: a quiz cell holds only quiz.show(\"<id>\") (or quiz.show_lesson(\"NN\"))")
                elif quiz_ids is not None and "show_lesson" not in text and quiz.group("id") not in quiz_ids:
                    out.append(f"{where}: no quiz question has the id {quiz.group('id')!r}")
                break
        fallback = FALLBACK.search(text)
        if fallback and fallback.group("name") not in solutions:
            out.append(f"{where}: uses {fallback.group('name')!r} before a solution cell defines it")
    return out


def main(paths):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from rnn_edu.course.quiz import load_bank
    ids = set(load_bank().questions)
    bad = 0
    for path in paths:
        for message in problems(json.loads(Path(path).read_text(encoding="utf-8")), ids):
            print(f"{path}: {message}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
