"""The package's import structure (docs/architecture.md): no import circles, and the layers point one way.

Every `import` and `from ... import` in every module of rnn_edu/ is read with ast, including the
ones inside functions (a lazy import still ties two modules together). Layers, lowest first:

    the network   rnn_edu/*.py and rnn_edu/cells/ (params, forward, gradients, training, ...)
    rnn_edu.lm, rnn_edu.studies   built on the network
    rnn_edu.course                the course machinery, may use all of the above

A module may import its own layer or a lower one, never a higher one. The one exception is
rnn_edu/report.py, a three-line forwarder that keeps `python -m rnn_edu.report` working.
"""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "rnn_edu"
LAYER = {"network": 0, "lm": 1, "studies": 1, "course": 2}
FORWARDERS = {"rnn_edu.report"}
# the numerics (network, lm, studies) never load plotting, widgets or the notebook machinery
COURSE_ONLY_LIBRARIES = {"matplotlib", "ipywidgets", "IPython", "yaml"}


def module_name(path, package_dir=PACKAGE):
    parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package_dir=PACKAGE):
    """{module name: path} for every .py file of the package."""
    return {module_name(p, package_dir): p for p in sorted(package_dir.rglob("*.py"))}


def imports_of(name, path, known):
    """(rnn_edu modules, outside top-level packages) that module `name` imports anywhere in its file."""
    is_package = path.name == "__init__.py"
    inside, outside = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                (inside if alias.name.split(".")[0] == "rnn_edu" else outside).add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            if target.split(".")[0] != "rnn_edu":
                outside.add(target)
                continue
            for alias in node.names:         # `from pkg import submodule` imports the submodule
                sub = f"{target}.{alias.name}"
                inside.add(sub if sub in known else target)
    inside = {m for m in inside if m != name}
    unknown = inside - set(known)
    assert not unknown, f"{name} imports {sorted(unknown)}, which are not modules of rnn_edu"
    return inside, {m.split(".")[0] for m in outside}


def graph(package_dir=PACKAGE):
    known = modules(package_dir)
    return {name: imports_of(name, path, known) for name, path in known.items()}


def find_cycle(edges):
    """One import circle [a, b, ..., a] in {module: set of modules}, or None."""
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for n in sorted(edges.get(m, ())):
            if state.get(n) == "open":
                return stack[stack.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = "done"
        return None

    for m in sorted(edges):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def layer(name):
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYER else "network"


GRAPH = graph()


def test_the_reader_sees_relative_lazy_and_submodule_imports():
    inside = {m: edges for m, (edges, _) in GRAPH.items()}
    assert "rnn_edu.containers" in inside["rnn_edu.params"]                 # from .containers import ...
    assert "rnn_edu.cells.lstm" in inside["rnn_edu.cells"]                   # from . import gru, lstm, rnn
    assert "rnn_edu.containers" in inside["rnn_edu.cells"]                   # inside a function
    assert "rnn_edu.validate" in inside["rnn_edu.lm.batching"]               # from ..validate import ...
    assert "rnn_edu.lm.sampling" in inside["rnn_edu.course.widgets.temperature"]
    assert "rnn_edu.course.report" in inside["rnn_edu.course.report.__main__"]
    assert "matplotlib" in GRAPH["rnn_edu.course.figures"][1]


def test_find_cycle_finds_a_circle_and_only_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"x": {"a"}, "a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]


def test_no_import_circles():
    cycle = find_cycle({m: edges for m, (edges, _) in GRAPH.items()})
    assert cycle is None, "import circle: " + " -> ".join(cycle)


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_layers_point_one_way(name):
    if name in FORWARDERS:
        return
    upward = sorted(m for m in GRAPH[name][0]
                    if LAYER[layer(m)] > LAYER[layer(name)] or
                    (LAYER[layer(m)] == LAYER[layer(name)] and layer(m) != layer(name)))
    assert not upward, (f"{name} ({layer(name)}) imports {upward}: the network never imports rnn_edu.lm, "
                        "rnn_edu.studies or rnn_edu.course; lm and studies never import the course machinery "
                        "nor each other (docs/architecture.md)")
    if LAYER[layer(name)] < LAYER["course"]:
        libraries = sorted(GRAPH[name][1] & COURSE_ONLY_LIBRARIES)
        assert not libraries, f"{name} imports {libraries}: only rnn_edu.course may"


def test_forwarder_keeps_python_m_rnn_edu_report_working(tmp_path):
    run = subprocess.run([sys.executable, "-m", "rnn_edu.report", "--help"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert run.returncode == 0 and "--out" in run.stdout, run.stderr


def test_importing_the_network_loads_no_course_machinery():
    code = ("import sys, rnn_edu; bad = sorted(m for m in sys.modules if m.startswith(('rnn_edu.course', "
            "'rnn_edu.lm', 'rnn_edu.studies', 'matplotlib', 'ipywidgets'))); print(bad)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "[]", run.stdout + run.stderr
