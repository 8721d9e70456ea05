"""pyproject.toml and environment.yml list the same dependencies."""
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
tomllib = pytest.importorskip("tomllib")


def names(requirements):
    """{normalised name: version spec} from PEP 508 / conda style lines."""
    out = {}
    for req in requirements:
        m = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", req)
        out[m.group(1).lower().replace("_", "-")] = m.group(2).replace(" ", "")
    return out


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = names(project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = names(d for d in env["dependencies"] if isinstance(d, str))
    conda.pop("python"), conda.pop("pip")
    assert conda == wanted, "environment.yml and pyproject.toml disagree"


def test_bench_extra_pins_torch():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["optional-dependencies"]["bench"] == ["torch==2.13.0"]


def test_environment_check_asks_for_what_pyproject_requires():
    """rnn_edu.course.env_check keeps its own list (it must run before anything is installed): keep it in step."""
    from rnn_edu.course.env_check import REQUIREMENTS
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {name: spec.lstrip(">=") for name, spec in names(project["dependencies"]).items()}
    checked = {dist: minimum for _, dist, minimum in REQUIREMENTS if dist not in ("python", "rnn-edu")}
    assert checked == wanted
    assert ("python", "python", project["requires-python"].lstrip(">=")) in REQUIREMENTS


def test_the_oldest_environment_pins_every_lower_bound():
    """make nbval-oldest tests the lowest versions pyproject.toml allows, not a list kept by hand."""
    import subprocess
    import sys
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {name: spec for name, spec in names(project["dependencies"]).items()}
    test = names(project["optional-dependencies"]["test"])
    wanted.update(pytest=test["pytest"], nbval=test["nbval"])
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "oldest_pins.py")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    pins = names(run.stdout.split())
    assert {name: spec.replace("==", ">=") for name, spec in pins.items()} == wanted
    assert project["requires-python"] == ">=3.10"


def test_make_test_torch_installs_the_cpu_build_of_the_bench_extras_torch():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    makefile = (ROOT / "Makefile").read_text()
    spec = re.search(r"^TORCH\s*\?=\s*(\S+)", makefile, re.M).group(1)
    assert spec == project["optional-dependencies"]["bench"][0] + "+cpu"


def test_every_module_compiles_without_a_warning():
    """An invalid escape in a docstring warns when the module is first compiled: in a learner's
    kernel that is text on stderr under a lesson's cell (and a failure under nbval)."""
    import warnings
    for path in sorted((ROOT / "rnn_edu").rglob("*.py")):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_every_torch_comparison_is_marked_and_skips_with_the_reason():
    """A test that needs torch calls optional.torch_or_skip (the reason names make test-torch) and is
    marked `torch` (itself or its module), so make test-torch runs it and make test skips it."""
    import ast
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        assert "importorskip(" + '"torch"' not in text, f"{path.name}: use optional.torch_or_skip()"
        tree = ast.parse(text)
        module_marked = "pytestmark = pytest.mark.torch" in text
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                calls = {getattr(n.func, "id", "") for n in ast.walk(node) if isinstance(n, ast.Call)}
                marks = {ast.unparse(d) for d in node.decorator_list}
                if "torch_or_skip" in calls:
                    assert module_marked or "pytest.mark.torch" in marks or "needs_torch" in marks, \
                        f"{path.name}::{node.name} needs torch but is not marked torch"
