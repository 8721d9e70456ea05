"""Pack the exercises' hints, rnn_edu/course/exercises/hints.yaml, into rnn_edu/assets/exercise_hints.packed.

Run through `make bank` after editing the hints, and commit the packed file: tests/test_exercise_hints.py
fails while the two are out of step. The YAML is validated first, so broken hints are never packed.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnn_edu.course.exercises import hints  # noqa: E402


def main(source=hints.SOURCE_PATH, out=hints.PACKED_PATH):
    text = Path(source).read_text(encoding="utf-8")
    found = hints.parse(text, Path(source).name)
    packed = hints.pack(text)
    out = Path(out)
    if out.is_file() and out.read_text(encoding="ascii") == packed:
        print(f"{out.relative_to(ROOT)} is up to date.")
        return
    out.write_text(packed, encoding="ascii")
    print(f"wrote {out.relative_to(ROOT)} ({len(packed):,} characters): hints of {len(found)} exercises.")


if __name__ == "__main__":
    main()
