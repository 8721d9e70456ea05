"""Pack the question bank, quizzes/lessonNN.yaml, into rnn_edu/assets/quiz_bank.packed.

Run through `make bank` after editing any quizzes/*.yaml, and commit the packed file:
tests/test_quiz_packed.py fails while the two are out of step. The YAML is validated first,
so a broken bank is never packed.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnn_edu.course.quiz import bank, packed  # noqa: E402


def source_files(quiz_dir=ROOT / "quizzes"):
    """{file name: text} of every lessonNN.yaml in quiz_dir."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(Path(quiz_dir).iterdir())
            if bank.FILE_PATTERN.match(p.name)}


def main(quiz_dir=ROOT / "quizzes", out=packed.PACKED_PATH):
    bank.load_bank(Path(quiz_dir))
    text = packed.pack(source_files(quiz_dir))
    out = Path(out)
    if out.is_file() and out.read_text(encoding="ascii") == text:
        print(f"{out.relative_to(ROOT)} is up to date.")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="ascii")
    print(f"wrote {out.relative_to(ROOT)} ({len(text):,} characters) from {len(source_files(quiz_dir))} files.")


if __name__ == "__main__":
    main()
