"""The learner edition in JupyterLab, used as a learner would: lesson 05 built without solutions
(scripts/edition.py, the cells nbgrader's release gives too), Run All with nothing solved shows no
error, the checker says "Not yet: write `my_clip_by_norm` above" and the training cell uses
rnn_edu's clipping; its hint button, used with the keyboard alone, reveals hint 1 then hint 2
(announced, axe-clean). Then a wrong solution is typed into the exercise: the checker names the
mistake; then a right one: "Passed", and the training cell runs on the learner's function.
"""
import json
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
from edition import learner_notebook  # noqa: E402

LESSON = "05_gradient_clipping.ipynb"
WRONG = '''def my_clip_by_norm(grads, max_norm):
    """Each array clipped by its own norm (the classic mistake)."""
    def clip(a):
        n = np.linalg.norm(a)
        return a * max_norm / n if n > max_norm else a.copy()
    return grads.map(clip)
'''
RIGHT = '''def my_clip_by_norm(grads, max_norm):
    """One global norm over all the arrays; rescale only above the threshold."""
    norm = np.sqrt(sum(np.sum(a ** 2) for a in grads.named_arrays().values()))
    scale = max_norm / norm if norm > max_norm else 1.0
    return grads.map(lambda a: a * scale)
'''


@pytest.fixture(scope="module")
def learner_lesson(lab_server):
    """The learner edition of lesson 05, written into the served course as learner/05_...ipynb."""
    nb = learner_notebook(json.loads((REPO / "notebooks" / LESSON).read_text(encoding="utf-8")))
    path = lab_server.root / "learner" / LESSON
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return f"learner/{LESSON}"


def output_text(nb, index):
    cell = nb.cells()[index]
    return "\n".join(o["text"] for o in cell["outputs"]).strip(), cell["prompt"]


def wait_output(nb, index, needle, after_prompt, timeout=60):
    """Wait until cell `index` has run again (a new prompt number) and shows `needle`."""
    deadline, text = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        text, prompt = output_text(nb, index)
        if prompt != after_prompt and "*" not in prompt and needle in text:
            return text
        nb.page.wait_for_timeout(250)
    raise AssertionError(f"cell {index} never showed {needle!r}; it shows {text!r}")


def type_solution(nb, index, code):
    """Replace the whole content of cell `index` with `code`, as pasted text (no auto-indent)."""
    editor = nb.cell(index).locator(".cm-content")
    editor.click()
    nb.page.keyboard.press("Control+a")
    nb.page.keyboard.insert_text(code)
    nb.page.keyboard.press("Escape")          # command mode, the cell stays selected


def run_cell(nb, index):
    """Select cell `index` and run it (Ctrl+Enter); returns the prompt it showed before."""
    before = output_text(nb, index)[1]
    nb.cell(index).locator(".jp-InputPrompt").click()
    nb.page.keyboard.press("Control+Enter")
    return before


def check_hints_by_keyboard(nb, checker):
    """The hint button under the verdict: reached with Tab, pressed with Enter, hint 1 then hint 2
    revealed and announced (role=alert, only the newest), an accessible name, and axe-clean."""
    import a11y
    from conftest import unavailable
    from rnn_edu.course.exercises.hints import hints_for
    cell, texts = nb.cell(checker), hints_for("my-clip-by-norm").hints
    button = cell.locator("button.widget-button", has_text="Show a hint (1 of 3)")
    assert button.count() == 1, output_text(nb, checker)[0]
    cell.locator(".rnn-edu-exercise").first.click()           # focus inside the output, then Tab to the button
    for _ in range(10):
        if button.evaluate("(b) => document.activeElement === b"):
            break
        nb.page.keyboard.press("Tab")
    assert button.evaluate("(b) => document.activeElement === b"), "the hint button is not reachable with Tab"
    for n in (1, 2):
        nb.page.keyboard.press("Enter")
        hint = cell.locator(".rnn-edu-hints")
        hint.get_by_text(f"Hint {n} of 3:").wait_for(timeout=10_000)
        assert texts[n - 1] in hint.inner_text()
        alerts = hint.locator("[role='alert']")
        assert alerts.count() == 1 and f"Hint {n} of 3:" in alerts.inner_text()
    assert texts[2] not in cell.inner_text()
    assert cell.locator("button.widget-button", has_text="Show the next hint (3 of 3)").count() == 1
    if not a11y.AXE_JS.exists():
        unavailable(a11y.NO_AXE)
    names = a11y.accessible_names(nb.page, cell.locator(".rnn-edu-exercise-box"))
    assert names and all(n["name"] for n in names), names
    bad = [e for e in a11y.blocking(a11y.audit(nb.page)["course"])]
    assert not bad, a11y.describe(bad)


def test_learner_types_a_wrong_then_a_right_solution(course, learner_lesson):
    nb = course.run(learner_lesson, fresh=True)
    assert nb.problems() == [], "\n\n".join(nb.problems())
    src = nb.source
    solution = src.find_cell("def my_clip_by_norm(")
    checker = src.find_cell("result = lesson05.check_clip_by_norm(my_clip_by_norm)")
    fallback = src.find_cell("use_yours_or_library(my_clip_by_norm")
    assert solution is not None and checker == solution + 1 and fallback > checker
    assert "raise NotImplementedError()" in src.source(solution)
    assert "norm" not in src.source(solution).split('"""')[-1], "the learner edition shows no solution"

    text = output_text(nb, checker)[0]
    assert text.startswith("Not yet: write `my_clip_by_norm` above, then run its cell and this one again."), text
    assert "Your my_clip_by_norm is not written yet; using rnn_edu's instead." in output_text(nb, fallback)[0]
    check_hints_by_keyboard(nb, checker)
    nb.cell(checker).screenshot(path=str(course.shots_dir / "05_learner_hints.png"))

    type_solution(nb, solution, WRONG)
    run_cell(nb, solution)
    before = run_cell(nb, checker)
    text = wait_output(nb, checker, "Not yet", before)
    assert "you clipped each parameter by its own norm instead of the global norm" in text, text
    nb.cell(checker).screenshot(path=str(course.shots_dir / "05_learner_wrong_solution.png"))

    type_solution(nb, solution, RIGHT)
    run_cell(nb, solution)
    before = run_cell(nb, checker)
    text = wait_output(nb, checker, "Passed", before)
    assert text.startswith("Passed: all checks passed"), text
    nb.cell(checker).screenshot(path=str(course.shots_dir / "05_learner_right_solution.png"))

    before = run_cell(nb, fallback)
    text = wait_output(nb, fallback, "median of the last 50 losses", before)
    assert text.startswith("Using your my_clip_by_norm."), text
    assert "the same losses as rnn_edu.train(..., clip_norm=1.0): True" in text, text
    assert nb.problems() == [], "\n\n".join(nb.problems())
