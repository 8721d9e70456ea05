"""The harness catches what it must: a raising cell, stderr, a widget shown as text.

Runs two tiny notebooks written into the served temporary copy (never the repo).
"""
import json
import sys

import pytest

WIDGET_CELL = """import ipywidgets as w
s = w.IntSlider(value=3, min=0, max=10, description="n")
s.add_class("harness-slider")
s"""
ERROR_CELLS = [
    "import sys, ipywidgets as w\nprint('fine')",
    "print('to stderr', file=sys.stderr)",
    "class Fallback:\n    def __repr__(self):\n        return '<Fallback widget>'\nFallback()",
    "class Stale:  # what a quiz shows before its cell has run\n    def __repr__(self):\n"
    "        return '[Quiz weight-roles: run this cell (Shift+Enter, or Run > Run All Cells) to use it]'\nStale()",
    "1 / 0",
    "print('never reached')",
]


def write_notebook(path, sources):
    """A minimal nbformat-4 notebook with one code cell per source."""
    cells = [{"cell_type": "code", "metadata": {}, "source": src, "outputs": [],
              "execution_count": None} for src in sources]
    nb = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                      "language": "python"}}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb))
    return path


@pytest.fixture(scope="module")
def scratch(lab_server):
    """Folder for throwaway notebooks inside the served temporary copy."""
    return lab_server.root / "scratch"


def test_clean_notebook_with_a_live_widget(course, scratch):
    write_notebook(scratch / "clean.ipynb", ["import sys\nprint(sys.executable)", WIDGET_CELL])
    nb = course.run("scratch/clean.ipynb")
    assert nb.problems() == []
    kernel_python = nb.cells()[0]["outputs"][0]["text"].strip()
    assert kernel_python == sys.executable, "the kernel must run the test environment's Python"
    assert nb.count(".harness-slider") == 1, "the IntSlider should render as a live widget"


def test_errors_are_reported_with_their_cell(course, scratch):
    write_notebook(scratch / "broken.ipynb", ERROR_CELLS)
    nb = course.run("scratch/broken.ipynb")
    report = "\n".join(nb.problems())
    assert "cell 1 (`print('to stderr', file=sys.stderr)`) wrote to stderr" in report, report
    assert "cell 2 (`class Fallback:`) shows the text fallback '<Fallback widget>'" in report, report
    assert "cell 3 (`class Stale:  # what a quiz shows before its cell has run`) shows the text fallback " \
           "'[Quiz weight-roles: run this cell" in report, report
    assert "cell 4 (`1 / 0`) wrote to stderr or raised" in report and "ZeroDivisionError" in report, report
    assert "cell 5 (`print('never reached')`) did not run" in report, report
