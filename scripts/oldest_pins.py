"""The oldest environment pyproject.toml allows: each lower bound it names, pinned exactly.

    python scripts/oldest_pins.py            print the pins, e.g. "numpy==1.24 matplotlib==3.7 ..."
    python scripts/oldest_pins.py --check    exit 1 unless this Python is 3.10 and has exactly those

`make nbval-oldest` installs these into .venv-oldest (Python 3.10) and runs the lessons under nbval
there, so that the lower bounds in pyproject.toml are tested, not hoped for. The runtime
dependencies are all pinned; of the test extra, only what nbval needs (pytest, nbval).
Reads pyproject.toml with a few regular expressions: tomllib is not in Python 3.10.
"""
import re
import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
FROM_TEST_EXTRA = ("pytest", "nbval")
REQUIREMENT = re.compile(r'"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9.]*)"')


def _list(text, name):
    """The text of the TOML array `name = [ ... ]` (first one)."""
    match = re.search(rf"^{re.escape(name)}\s*=\s*\[(.*?)\]", text, re.S | re.M)
    if match is None:
        raise SystemExit(f"oldest_pins: no `{name} = [...]` in {PYPROJECT}")
    return match.group(1)


def lower_bounds(text):
    """{package: lowest version} for the runtime dependencies and nbval's part of the test extra."""
    bounds = dict(REQUIREMENT.findall(_list(text, "dependencies")))
    test = dict(REQUIREMENT.findall(_list(text, "test")))
    missing = [name for name in FROM_TEST_EXTRA if name not in test]
    if missing:
        raise SystemExit(f"oldest_pins: the test extra names no lower bound for {missing}")
    bounds.update({name: test[name] for name in FROM_TEST_EXTRA})
    return bounds


def pins(text):
    return [f"{name}=={version}" for name, version in lower_bounds(text).items()]


def check(text):
    """Problems, if this interpreter is not the oldest environment."""
    from importlib.metadata import PackageNotFoundError, version
    problems = [] if sys.version_info[:2] == (3, 10) else [f"Python {sys.version.split()[0]}, not 3.10"]
    for name, lowest in lower_bounds(text).items():
        try:
            found = version(name)
        except PackageNotFoundError:
            found = "not installed"
        if _release(found) != _release(lowest):
            problems.append(f"{name} {found}, not the lowest allowed {lowest}")
    return problems


def _release(text):
    """'1.24' and '1.24.0' are the same release."""
    parts = [int(p) for p in re.findall(r"\d+", text.split("+")[0])[:3]] if text[:1].isdigit() else [-1]
    return parts + [0] * (3 - len(parts))


def main(argv):
    text = PYPROJECT.read_text(encoding="utf-8")
    if argv == ["--check"]:
        problems = check(text)
        for p in problems:
            print(f"oldest environment: {p}", file=sys.stderr)
        if not problems:
            print("oldest environment: Python 3.10 with " + ", ".join(pins(text)))
        return 1 if problems else 0
    print(" ".join(pins(text)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
