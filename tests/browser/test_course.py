"""The course in JupyterLab and Chromium, end to end.

Every lesson notebook is opened in a clean workspace, its outputs cleared, Run
All clicked in the Run menu; then no cell may have raised or written to stderr,
and every quiz, explorer and progress view must be a live widget (not its text
fallback).  Lesson 04's overflow quiz is answered wrong then right (the right
answer with the keyboard alone) and the gradient explorer's slider is moved;
lesson 00's progress view must then show those attempts.

Order: the lessons run in order except 04, which runs last so the interactive
tests reuse its live kernel; 00 runs at the very end, after the answers.
"""
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("[0-9]*.ipynb"))
INTERACTIVE, START = "04", "00"
OVERFLOW_QID = "exploding-4-byte-overflow"
EXPLORER_CALLS = ("gradient_explorer(", "GradientExplorer(")
SHOW = re.compile(r"\bshow\(\s*[\"']([a-z0-9][a-z0-9-]*)[\"']")
SHOW_LESSON = re.compile(r"\bshow_lesson\(\s*[\"']?(\d+)")
PROGRESS_CALL = re.compile(r"\bprogress\(\s*\)")
ANSWERED = {}  # what the interactive tests did: {"overflow": True}
# Cells also saved on their own (candidates for docs/): lesson -> [(code it contains, file)]
CELL_SHOTS = {"05": [("plot_cliff(", "05_cliff_figure.png")]}


def lesson(prefix):
    """The notebook file name starting with `prefix`, or None."""
    return next((n for n in NOTEBOOKS if n.startswith(prefix)), None)


def run_order():
    """Lessons except 00, with 04 moved last (the tests after it reuse its page)."""
    rest = [n for n in NOTEBOOKS if not n.startswith(START)]
    return sorted(rest, key=lambda n: (n.startswith(INTERACTIVE), n))


def need(prefix):
    """Skip (saying so) when lesson `prefix` has not been written yet."""
    name = lesson(prefix)
    if name is None:
        pytest.skip(f"notebooks/{prefix}_*.ipynb does not exist yet")
    return name


# ------------------------------------------------------------------ expectations

def expected_widgets(source):
    """How many quizzes, explorers and progress views the notebook's code displays."""
    from rnn_edu import quiz
    counts = {"quiz": 0, "explorer": 0, "progress": 0}
    for _, src in source.code_cells():
        code = "\n".join(ln for ln in src.splitlines() if not ln.lstrip().startswith("#"))
        counts["quiz"] += len(SHOW.findall(code))
        counts["quiz"] += sum(len(quiz.lesson_questions(k)) for k in SHOW_LESSON.findall(code))
        counts["explorer"] += any(call in code for call in EXPLORER_CALLS)
        counts["progress"] += bool(PROGRESS_CALL.search(code)) and "quiz" in code
    return counts


def check_live_widgets(nb):
    """Every quiz/explorer/progress view and every stored widget output renders live."""
    want = expected_widgets(nb.source)
    have = {"quiz": nb.count(".rnn-edu-quiz"), "explorer": nb.count(".rnn-edu-explorer"),
            "progress": nb.count(".rnn-edu-progress")}
    assert have == want, (f"{nb.name}: live widgets on the page {have}, but the code displays "
                          f"{want} (quiz.show/show_lesson, gradient_explorer, quiz.progress)")
    for kind, css in (("quiz", ".rnn-edu-quiz .rnn-edu-check"),
                      ("explorer", ".rnn-edu-explorer .rnn-edu-explorer-plot")):
        assert nb.count(css) == want[kind], f"{nb.name}: a {kind} is missing its {css.split()[-1]}"
    # ipywidgets' renderer puts the widget view directly in the output node
    live = nb.count(".jp-OutputArea-output > .jupyter-widgets")
    stored = nb.source.stored_widget_outputs()
    assert live == stored, (f"{nb.name}: the stored run displayed {stored} widgets, "
                            f"the browser shows {live} live widget views")


def cell_screenshot(nb, index, path):
    """Save one cell (input and outputs) as a PNG."""
    with nb.tall_viewport():  # a cell taller than the window is not cut off
        nb.cell(index).screenshot(path=str(path))


def run_and_check(course, name):
    """Run All, save a screenshot, and assert: no error, no stderr, all widgets live."""
    nb = course.run(name)
    course.screenshot(f"{Path(name).stem}.png")
    for needle, filename in CELL_SHOTS.get(name[:2], []):
        index = nb.source.find_cell(needle)
        if index is not None:
            cell_screenshot(nb, index, course.shots_dir / filename)
    problems = nb.problems()
    assert not problems, "\n\n".join(problems)
    check_live_widgets(nb)
    return nb


# ------------------------------------------------------------------ every lesson

@pytest.mark.parametrize("name", run_order())
def test_notebook_runs_clean(course, name):
    run_and_check(course, name)


# ------------------------------------------------------------------ lesson 04

def quiz_in_cell(nb, qid):
    """The quiz widget shown by `quiz.show("<qid>")`."""
    index = nb.source.find_cell(f'show("{qid}")')
    if index is None:
        index = nb.source.find_cell(f"show('{qid}')")
    assert index is not None, f"{nb.name}: no cell shows quiz {qid!r}"
    widget = nb.cell(index).locator(".rnn-edu-quiz")
    widget.wait_for(state="visible")
    return widget


def feedback_state(quiz_widget):
    """(css classes, text) of the quiz's feedback area."""
    fb = quiz_widget.locator(".rnn-edu-feedback")
    return fb.get_attribute("class") or "", fb.inner_text()


def wait_feedback(page, quiz_widget, verdict):
    """Wait until the feedback carries rnn-edu-<verdict>; return its text."""
    fb = quiz_widget.locator(f".rnn-edu-feedback.rnn-edu-{verdict}")
    try:
        fb.wait_for(state="visible", timeout=15_000)
    except Exception as exc:  # noqa: BLE001 - say what the page shows instead
        classes, text = feedback_state(quiz_widget)
        raise AssertionError(f"expected {verdict} feedback; feedback has class {classes!r} "
                             f"and text {text[:300]!r}") from exc
    return fb.inner_text()


def answer_overflow_quiz(course):
    """Answer the 4-byte overflow quiz 9 (mouse), then 10 (keyboard alone); check feedback."""
    nb = course.run(need(INTERACTIVE))
    page, quiz = nb.page, quiz_in_cell(nb, OVERFLOW_QID)
    box = quiz.locator("input[type='text']")
    check = quiz.locator("button.rnn-edu-check")
    attempts = quiz.locator(".rnn-edu-attempts")

    # 1. mouse: type 9, click Check -> incorrect, with the explanation of that mistake
    box.click()
    box.fill("9")
    check.click()
    text = wait_feedback(page, quiz, "incorrect")
    assert "✘" in text and "still fits" in text, f"{nb.name}: feedback for 9 was {text[:300]!r}"
    assert "Attempts: 1" in attempts.inner_text()
    cell_screenshot(nb, nb.source.find_cell(OVERFLOW_QID), course.shots_dir / "04_quiz_wrong_answer.png")

    # 2. keyboard alone: from Check, Shift+Tab to the box, replace 9 by 10, Enter
    page.keyboard.press("Shift+Tab")
    assert box.evaluate("(e) => e === document.activeElement"), "Shift+Tab from Check should reach the answer box"
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("10")
    page.keyboard.press("Enter")
    text = wait_feedback(page, quiz, "correct")
    assert "✔" in text and "Correct" in text, f"{nb.name}: feedback for 10 was {text[:300]!r}"
    assert "Attempts: 2" in attempts.inner_text()

    # 3. Tab to Check and Space: same answer again, same verdict, not counted twice
    page.keyboard.press("Tab")
    assert check.evaluate("(e) => e === document.activeElement"), "Tab from the answer box should reach Check"
    page.keyboard.press("Space")
    page.wait_for_timeout(500)
    assert "rnn-edu-correct" in feedback_state(quiz)[0]
    assert "Attempts: 2" in attempts.inner_text(), "re-checking the same answer must not count"
    course.current.screenshot(course.shots_dir / "04_quiz_feedback_page.png", full=False)
    cell_screenshot(nb, nb.source.find_cell(OVERFLOW_QID), course.shots_dir / "04_quiz_right_answer.png")
    ANSWERED["overflow"] = True
    return nb


def test_overflow_quiz_feedback_mouse_and_keyboard(course):
    answer_overflow_quiz(course)


def test_explorer_slider_redraws_the_plot(course):
    nb = course.run(need(INTERACTIVE))
    index = next((i for i, src in nb.source.code_cells() if any(c in src for c in EXPLORER_CALLS)), None)
    assert index is not None, f"{nb.name}: no cell builds the gradient explorer"
    explorer = nb.cell(index).locator(".rnn-edu-explorer")
    explorer.scroll_into_view_if_needed()
    plot = explorer.locator("img.rnn-edu-explorer-plot, .rnn-edu-explorer-plot img").first
    plot.wait_for(state="visible")
    before = plot.get_attribute("src")
    readout = explorer.locator(".rnn-edu-explorer-readout")
    readout_before = readout.inner_text() if readout.count() else ""

    slider = explorer.locator(".widget-slider").first
    value_before = slider.locator(".widget-readout").inner_text()
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    for _ in range(4):  # 4 steps of 0.05 on rho(W_R)
        nb.page.keyboard.press("ArrowRight")
    value_after = slider.locator(".widget-readout").inner_text()
    assert value_after != value_before, (f"{nb.name}: the arrow keys did not move the explorer's "
                                         f"first slider (still {value_before})")
    changed = "([el, attr, old]) => (attr ? el.getAttribute(attr) : el.innerText) !== old"
    try:
        nb.page.wait_for_function(changed, arg=[plot.element_handle(), "src", before], timeout=20_000)
        if readout_before:
            nb.page.wait_for_function(changed, arg=[readout.element_handle(), None, readout_before],
                                      timeout=20_000)
    except Exception as exc:  # noqa: BLE001
        raise AssertionError(f"{nb.name}: moving the explorer's first slider from {value_before} to "
                             f"{value_after} did not redraw its plot and readout") from exc
    nb.wait_kernel_idle()  # every queued redraw has been sent
    nb.page.wait_for_timeout(500)
    cell_screenshot(nb, index, course.shots_dir / "04_gradient_explorer.png")


# ------------------------------------------------------------------ lesson 00

def progress_rows(nb):
    """{lesson id: [questions, answered, first try, correct now]} from the progress table."""
    rows = nb.notebook.locator(".rnn-edu-progress tr").evaluate_all(
        "(rows) => rows.map((r) => [...r.children].map((c) => c.innerText.trim()))")
    table = {}
    for cells in rows:
        match = re.match(r"^(\d\d)\b", cells[0]) if cells else None
        if match:
            table[match.group(1)] = [int(c) for c in cells[1:5]]
    return table


def test_start_here_runs_clean_and_shows_progress(course, lab_server, monkeypatch):
    name = need(START)
    need(INTERACTIVE)
    if not ANSWERED.get("overflow"):
        answer_overflow_quiz(course)
    nb = run_and_check(course, name)
    table = progress_rows(nb)
    assert table, f"{name}: the progress view shows no lesson rows"

    monkeypatch.setenv("RNN_EDU_PROGRESS", str(lab_server.progress))
    from rnn_edu import quiz
    summary = quiz.progress_summary()
    expected = {k: [s["questions"], s["answered"], s["first_try"], s["correct_now"]]
                for k, s in summary.items()}
    assert table == expected, (f"{name}: the progress view {table} does not match the progress "
                               f"file {lab_server.progress} {expected}")
    questions, answered, first_try, correct_now = table[INTERACTIVE]
    assert answered >= 1 and correct_now >= 1, (
        f"{name}: lesson 04 should show the overflow quiz as answered and correct, got {table['04']}")
    assert first_try <= answered - 1, (
        f"{name}: the overflow quiz was first answered wrong, yet lesson 04 shows {table['04']}")
    progress = nb.notebook.locator(".rnn-edu-progress").first
    progress.screenshot(path=str(course.shots_dir / "00_progress_view.png"))
