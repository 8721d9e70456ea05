"""`make release`: the learner edition, built by nbgrader itself.

    python scripts/release.py [--lessons notebooks] [--root .]

1. checks every lesson against docs/authoring.md (scripts/authoring.py);
2. lays out nbgrader's source directory, one assignment per lesson:
   <root>/source/NN_name/NN_name.ipynb, a link to <lessons>/NN_name.ipynb;
3. runs `nbgrader generate_assignment "*" --force` in <root> with nbgrader_config.py, which writes
   <root>/release/NN_name/NN_name.ipynb and records the assignments in <root>/gradebook.db
   (kept between runs: on a class's course directory it holds the grades).
The root defaults to the repository, the course directory described in nbgrader_config.py.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from authoring import problems  # noqa: E402
from edition import LESSON  # noqa: E402


def lessons_in(folder):
    return sorted(p for p in Path(folder).iterdir() if LESSON.match(p.name))


def check(lessons):
    """Raise SystemExit listing every convention problem."""
    sys.path.insert(0, str(ROOT))
    from rnn_edu.course.quiz import load_bank
    ids = set(load_bank().questions)
    found = [f"{p}: {m}" for p in lessons for m in problems(json.loads(p.read_text(encoding="utf-8")), ids)]
    if found:
        raise SystemExit("release: the lessons break docs/authoring.md:\n  " + "\n  ".join(found))


def stage(lessons, root):
    """source/NN_name/NN_name.ipynb -> the lesson, for every lesson (links where the system allows)."""
    for lesson in lessons:
        folder = root / "source" / lesson.stem
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / lesson.name
        if target.is_symlink() or target.exists():
            target.unlink()
        try:
            target.symlink_to(os.path.relpath(lesson.resolve(), folder.resolve()))
        except OSError:                          # no symlinks (some file systems): a copy
            shutil.copyfile(lesson, target)


def generate(root):
    """nbgrader generate_assignment for every assignment in root/source."""
    if not (root / "nbgrader_config.py").is_file():
        shutil.copyfile(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    bin_dir = str(Path(sys.executable).parent)            # nbgrader runs `alembic` from PATH
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    nbgrader = shutil.which("nbgrader", path=env["PATH"])
    if nbgrader is None:
        raise SystemExit("release: nbgrader is not installed; `make release` installs it "
                         "(pip install -e '.[instructor]', Python 3.11 or newer).")
    run = subprocess.run([nbgrader, "generate_assignment", "*", "--force"], cwd=root, env=env,
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"release: nbgrader generate_assignment failed:\n{run.stdout}\n{run.stderr}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lessons", default=str(ROOT / "notebooks"))
    parser.add_argument("--root", default=str(ROOT))
    args = parser.parse_args(argv)
    lessons, root = lessons_in(args.lessons), Path(args.root).resolve()
    start = time.perf_counter()
    check(lessons)
    stage(lessons, root)
    generate(root)
    exercises = sum(1 for p in lessons for c in json.loads(p.read_text())["cells"]
                    if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    print(f"release: {len(lessons)} lessons, {exercises} exercises -> {root / 'release'} "
          f"(gradebook {root / 'gradebook.db'}) in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
