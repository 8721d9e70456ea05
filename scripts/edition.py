"""The learner edition of the lessons, and the learner's work folder (`make lab`).

nbgrader builds the learner edition for instructors (`make release`, scripts/release.py). A learner
working alone should not need nbgrader, its database and Python 3.11, so `make lab` uses
`learner_notebook` below: the same transformation in a few lines, with nbgrader's own markers and
stub. tests/test_release.py checks that both give the same cells.

What nbgrader's generate_assignment does to a notebook, and so what `learner_notebook` does:
  * a solution cell's region `### BEGIN SOLUTION` ... `### END SOLUTION` becomes the stub
    `# YOUR CODE HERE` / `raise NotImplementedError()`, indented like the BEGIN line;
    a solution cell without a region becomes the stub as a whole;
  * an autograder test cell loses its `### BEGIN HIDDEN TESTS` ... `### END HIDDEN TESTS` region;
  * every code cell loses its outputs and execution count;
  * solution cells become undeletable; test and read-only cells undeletable and read-only.

    python scripts/edition.py lab SOURCE_DIR WORK_DIR    build into the work folder, never over the learner's edits
"""
import hashlib
import json
import re
import sys
from pathlib import Path

BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"        # nbgrader's stub for python
TEXT_STUB = "YOUR ANSWER HERE"
MANIFEST = ".course-edition.json"
UPDATES = "updates"
LESSON = re.compile(r"^\d\d_.*\.ipynb$")


class MarkerError(ValueError):
    """A solution or hidden-test region that is unbalanced or in the wrong kind of cell."""


def source_text(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _strip_region(text, begin, end, replacement=None):
    """Remove (or replace, indented like the BEGIN line) every region begin..end; (text, found)."""
    out, inside, found = [], False, False
    for line in text.split("\n"):
        if begin in line:
            if inside:
                raise MarkerError(f"nested '{begin}' in:\n{text}")
            inside = found = True
            indent = re.match(r"\s*", line).group(0)
            out += [indent + s for s in replacement.split("\n")] if replacement is not None else []
        elif end in line:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError(f"'{begin}' without '{end}' in:\n{text}")
    return "\n".join(out), found


def learner_cell(cell):
    """One cell of the learner edition (a new dict; the input is not changed)."""
    cell = json.loads(json.dumps(cell))
    meta, text = nbgrader_meta(cell), source_text(cell)
    solution, grade = bool(meta.get("solution")), bool(meta.get("grade"))
    if solution or grade:
        cell["metadata"]["deletable"] = False
        if grade and not solution:
            cell["metadata"]["editable"] = False
    elif meta.get("locked"):
        cell["metadata"].update(deletable=False, editable=False)
    stub = CODE_STUB if cell["cell_type"] == "code" else TEXT_STUB
    text, replaced = _strip_region(text, BEGIN_SOLUTION, END_SOLUTION, stub)
    if replaced and not solution:
        raise MarkerError("a solution region in a cell that is not a solution cell:\n" + source_text(cell))
    if solution and not replaced:
        text = stub
    text, removed = _strip_region(text, BEGIN_HIDDEN, END_HIDDEN)
    if removed and not grade:
        raise MarkerError("a hidden-test region in a cell that is not an autograder test cell:\n" + text)
    cell["source"] = text
    if cell["cell_type"] == "code":
        cell["outputs"], cell["execution_count"] = [], None
        for key in ("collapsed", "scrolled"):
            cell["metadata"].pop(key, None)
    return cell


def learner_notebook(nb):
    """The learner edition of an instructor notebook (a new dict)."""
    out = dict(nb, cells=[learner_cell(c) for c in nb["cells"]])
    out["metadata"] = {k: v for k, v in nb.get("metadata", {}).items() if k != "celltoolbar"}
    return out


def dumps(nb):
    """The notebook as Jupyter writes it (deterministic)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sync_work(source, work, log=print):
    """Put the learner edition of every lesson in source/ into work/, never over the learner's edits.

    A lesson is written when missing, and replaced when the learner has not changed the copy we
    wrote. If the learner has changed it and the course has changed too, the new version goes to
    work/updates/<lesson>.<version>.ipynb beside it, and their copy stays as it is.
    Returns {lesson file name: 'new' | 'updated' | 'offered' | 'kept'}.
    """
    source, work = Path(source), Path(work)
    work.mkdir(parents=True, exist_ok=True)
    manifest_path = work / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    report = {}
    for path in sorted(p for p in source.iterdir() if LESSON.match(p.name)):
        built = dumps(learner_notebook(json.loads(path.read_text(encoding="utf-8"))))
        new, target, seen = _sha(built), work / path.name, manifest.get(path.name, {})
        current = _sha(target.read_text(encoding="utf-8")) if target.exists() else None
        if current is None or (current == seen.get("written") and current != new):
            target.write_text(built, encoding="utf-8")
            seen, report[path.name] = {"written": new, "course": new}, "updated" if current else "new"
        elif current == new:
            seen, report[path.name] = {"written": new, "course": new}, "kept"
        elif current != seen.get("written") and new != seen.get("course"):
            offer = work / UPDATES / f"{path.stem}.{new[:8]}.ipynb"
            offer.parent.mkdir(exist_ok=True)
            offer.write_text(built, encoding="utf-8")
            seen, report[path.name] = dict(seen, course=new), "offered"
            log(f"A newer version of {path.name} is in {offer.relative_to(work)}; your {path.name} is unchanged.")
        else:
            report[path.name] = "kept"
        manifest[path.name] = seen
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return report


def main(argv):
    if len(argv) == 3 and argv[0] == "lab":
        report = sync_work(argv[1], argv[2])
        counts = {k: list(report.values()).count(k) for k in ("new", "updated", "offered", "kept")}
        print(f"Learner edition in {argv[2]}/: " + ", ".join(f"{n} {k}" for k, n in counts.items() if n))
        return 0
    print(__doc__.strip().splitlines()[-1])
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
