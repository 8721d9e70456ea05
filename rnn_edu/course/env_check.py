"""Check that the course's software is installed, and say how to fix it if not.

    report = check_environment()
    print(report)          # one "name ...... ok (>= x.y)" or "MISSING" line per package

The printed report shows only ok / missing / too old, never exact version numbers, so
its text is the same on every machine where the course works (nbval compares it).
Exact versions are in `report.versions()` when you need them for a bug report.
"""
import importlib.metadata
import re
import sys
from dataclasses import dataclass

# (name shown, distribution name or "python", minimum version); mirrors pyproject.toml
REQUIREMENTS = (
    ("python", "python", "3.10"),
    ("numpy", "numpy", "1.24"),
    ("matplotlib", "matplotlib", "3.7"),
    ("ipywidgets", "ipywidgets", "8.0"),
    ("anywidget", "anywidget", "0.9"),
    ("jupyterlab", "jupyterlab", "4.0"),
    ("pyyaml", "pyyaml", "6.0"),
    ("rnn_edu", "rnn-edu", "0.1"),
)

FIX_ADVICE = (
    "How to fix it:\n"
    "  * from the repository folder, run `make lab`: it creates .venv with everything and opens\n"
    "    JupyterLab on this lesson (then pick that kernel, or simply restart it here);\n"
    "  * or with conda: `conda env create -f environment.yml`, then `conda activate rnn-edu`\n"
    "    and start `jupyter lab` from that environment;\n"
    "  * a package that is too old: `python -m pip install -U <name>` in the course environment;\n"
    "    Python itself older than 3.10: install a newer Python first, then `make lab`."
)


def version_tuple(text):
    """'1.24.3' -> (1, 24, 3); '8.1.9rc1' -> (8, 1, 9); leading numbers only, at most 3."""
    numbers = re.findall(r"\d+", str(text).split("+")[0])
    return tuple(int(n) for n in numbers[:3])


def installed_version(dist):
    """The installed version of a distribution as a string, or None if it is not installed."""
    if dist == "python":
        return ".".join(str(v) for v in sys.version_info[:3])
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


@dataclass
class PackageStatus:
    """name: as shown; minimum: required version; found: installed version or None."""
    name: str
    minimum: str
    found: object = None

    @property
    def status(self):
        """'ok', 'missing' or 'too old'."""
        if self.found is None:
            return "missing"
        return "ok" if version_tuple(self.found) >= version_tuple(self.minimum) else "too old"

    def line(self, width=14):
        """One report line without the exact version, e.g. 'numpy ........ ok (>= 1.24)'."""
        dots = "." * max(2, width - len(self.name))
        word = {"ok": "ok", "missing": "MISSING", "too old": "TOO OLD"}[self.status]
        need = ">=" if self.status == "ok" else "needs >="
        return f"{self.name} {dots} {word} ({need} {self.minimum})"


@dataclass
class EnvReport:
    """The result of `check_environment`: one PackageStatus per requirement."""
    packages: list

    @property
    def ok(self):
        """True when every package is installed and new enough."""
        return all(p.status == "ok" for p in self.packages)

    @property
    def problems(self):
        """The PackageStatus entries that are missing or too old."""
        return [p for p in self.packages if p.status != "ok"]

    def versions(self):
        """{name: exact installed version or None} (varies between machines; not printed)."""
        return {p.name: p.found for p in self.packages}

    def __str__(self):
        lines = [p.line() for p in self.packages]
        if self.ok:
            lines.append("All set: every package the course needs is installed.")
        else:
            names = ", ".join(p.name for p in self.problems)
            lines += [f"Problem with: {names}.", FIX_ADVICE]
        return "\n".join(lines)

    def __repr__(self):
        return f"<EnvReport: {'ok' if self.ok else str(len(self.problems)) + ' problem(s)'}>"


def check_environment(requirements=REQUIREMENTS, version_of=installed_version):
    """Look up each required package and return an EnvReport (print it to read it).

    requirements: (name shown, distribution name, minimum version) triples.
    version_of: dist name -> installed version string or None (swappable for tests).
    """
    return EnvReport([PackageStatus(name, minimum, version_of(dist))
                      for name, dist, minimum in requirements])
