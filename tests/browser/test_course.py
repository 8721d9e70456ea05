"""The course in JupyterLab and Chromium, end to end.

Every lesson notebook is opened in a clean workspace, its outputs cleared, Run
All clicked in the Run menu; then no cell may have raised or written to stderr,
every quiz, explorer and progress view must be a live widget (not its text
fallback), every figure's text must be at least as large as the body text, and
axe-core must find no serious or critical violation in the course's own
content (JupyterLab's interface is reported, not failed).

Lesson 04 is then used as a learner would: the uint32 quiz is answered four
times by clicking Check (plus three answers that are not numbers and do not
count), choice quizzes are answered with the keyboard alone, the explorer is
driven by keyboard, and everything is looked at in an 820 px window.  After a
kernel restart the quiz shows its saved attempts; lesson 00's progress view
must show them too.

Order: the lessons run in order except 04, which runs last so the interactive
tests reuse its live kernel; 00 runs at the very end, after the answers.
"""
import json
import re
from pathlib import Path

import pytest

import a11y
import quizdriver as qd
from conftest import unavailable

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("[0-9]*.ipynb"))
INTERACTIVE, START = "04", "00"
OVERFLOW_QID, SINGLE_QID, MULTIPLE_QID = "exploding-4-byte-overflow", "vanishing-not-true", "overflow-behaviour"
EXPLORER_CALLS = ("gradient_explorer(", "GradientExplorer(")
SHOW = re.compile(r"\bquiz\.show\(\s*[\"']([a-z0-9][a-z0-9-]*)[\"']")
SHOW_LESSON = re.compile(r"\bshow_lesson\(\s*[\"']?(\d+)")
PROGRESS_CALL = re.compile(r"\bprogress\(\s*\)")
ANSWERED = {}  # what the interactive tests did: {"overflow": number of attempts}
NARROW = {"width": 820, "height": 900}
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
    from rnn_edu.course import quiz
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


def check_figure_text(nb):
    """Every figure is an image with alt text, its smallest text as shown >= the body text."""
    body = qd.body_text_px(nb.page)
    bare = nb.count(".jp-OutputArea-output .jp-RenderedImage img")
    assert bare == 0, f"{nb.name}: {bare} figure(s) shown as a bare PNG, without alt text"
    small = [f for f in qd.figure_text_sizes(nb) if not f["shownPx"] >= body]
    assert not small, (f"{nb.name}: figure text smaller than the body text ({body} px): "
                       + "; ".join(f"{f['shownPx']:.1f} px in {f['alt']!r}" for f in small))


def check_accessibility(nb):
    """axe-core: no serious or critical violation in the course's content; the interface reported."""
    if not a11y.AXE_JS.exists():
        unavailable(a11y.NO_AXE)
    result = a11y.audit(nb.page)
    stem = Path(nb.name).stem
    report = a11y.write_report(a11y.REPORTS / f"axe-{stem}.json", stem, result)
    bad = a11y.blocking(result["course"])
    assert not bad, (f"{nb.name}: axe-core finds {len(bad)} serious or critical violation(s) in the "
                     f"course's content (full report: {report}):\n{a11y.describe(bad)}")


def cell_screenshot(nb, index, path):
    """Save one cell (input and outputs) as a PNG."""
    with nb.tall_viewport():  # a cell taller than the window is not cut off
        nb.cell(index).screenshot(path=str(path))


def run_and_check(course, name):
    """Run All, save a screenshot, and assert: no error, all widgets live, figures readable, axe clean."""
    nb = course.run(name)
    course.screenshot(f"{Path(name).stem}.png")
    for needle, filename in CELL_SHOTS.get(name[:2], []):
        index = nb.source.find_cell(needle)
        if index is not None:
            cell_screenshot(nb, index, course.shots_dir / filename)
    problems = nb.problems()
    assert not problems, "\n\n".join(problems)
    check_live_widgets(nb)
    check_figure_text(nb)
    check_accessibility(nb)
    return nb


# ------------------------------------------------------------------ every lesson

@pytest.mark.parametrize("name", run_order())
def test_notebook_runs_clean_readable_and_accessible(course, name):
    run_and_check(course, name)


# ------------------------------------------------------------------ lesson 04: the uint32 quiz

def progress_record(lab_server, qid):
    """The question's record in the served course's progress file ({} if none)."""
    path = Path(lab_server.progress)
    return json.loads(path.read_text())["questions"].get(qid, {}) if path.exists() else {}


def answer_overflow_quiz(course, lab_server):
    """Four valid answers by clicking Check (9, 11, 32, 10), with three non-numbers in between."""
    nb = course.run(need(INTERACTIVE))
    page, quiz = nb.page, qd.quiz_in_cell(nb, OVERFLOW_QID)
    cell = nb.source.find_cell(OVERFLOW_QID)

    qd.type_and_click(quiz, "9")
    text = qd.wait_feedback(quiz, "incorrect", "still fits")
    assert text.startswith("✘ Close, but not correct: 9"), text
    qd.wait_attempts(page, quiz, 1)
    assert quiz.locator(".rnn-edu-verdict mjx-container").count() >= 1, "the course's math is typeset"
    cell_screenshot(nb, cell, course.shots_dir / "04_quiz_wrong_answer.png")

    for typed, says in [("abc", "names such as 'abc' are not allowed"),
                        ("0,39", "the decimal separator is a point: write 0.39"),
                        ("1e999999", "too large to be a finite number"),
                        ("2**x", "names such as 'x' are not allowed")]:
        qd.type_and_click(quiz, typed)
        text = qd.wait_feedback(quiz, "invalid", says)
        assert "Not counted as an attempt" in text, text
        qd.wait_attempts(page, quiz, 1)
    shown_code = quiz.locator(".rnn-edu-verdict code").all_inner_texts()
    from rnn_edu.course.quiz import get_question
    from rnn_edu.course.quiz.safe_number import examples_for
    examples = examples_for(get_question(OVERFLOW_QID).key)           # the format examples, far from 10
    assert "'2**x'" in shown_code and set(examples) <= set(shown_code), f"typed text shown literally: {shown_code}"
    assert quiz.locator(".rnn-edu-verdict code mjx-container, .rnn-edu-verdict strong").count() == 0
    cell_screenshot(nb, cell, course.shots_dir / "04_quiz_not_a_number.png")

    for n, typed in enumerate(["11", "32"], start=2):
        qd.type_and_click(quiz, typed)
        qd.wait_feedback(quiz, "incorrect", f"{typed} is")
        qd.wait_attempts(page, quiz, n)
    qd.type_and_click(quiz, "10")
    text = qd.wait_feedback(quiz, "correct", "Correct: 10")
    assert "4,294,967,295" in text, "after a right answer the full explanation is shown"
    qd.wait_attempts(page, quiz, 4)
    assert "Attempts: 4 · answered right" in qd.attempts_text(quiz)
    record = progress_record(lab_server, OVERFLOW_QID)
    assert record.get("attempts") == 4, f"the progress file records {record.get('attempts')} attempts, not 4"
    assert [h["answer"] for h in record["history"]] == ["'9'", "'11'", "'32'", "'10'"]

    # the keyboard: Tab from the box to Check, Space: the same answer again, not counted again
    quiz.locator("input[type='text']").focus()
    check = quiz.locator("button.rnn-edu-check")
    qd.tab_to(page, check)
    qd.assert_clear_focus_ring(page, "the Check button")
    page.keyboard.press("Space")
    page.wait_for_timeout(800)
    assert "rnn-edu-correct" in qd.feedback_state(quiz)[0]
    qd.wait_attempts(page, quiz, 4)
    assert progress_record(lab_server, OVERFLOW_QID)["attempts"] == 4
    course.current.screenshot(course.shots_dir / "04_quiz_feedback_page.png", full=False)
    cell_screenshot(nb, cell, course.shots_dir / "04_quiz_right_answer.png")
    ANSWERED["overflow"] = 4
    return nb


def test_uint32_quiz_four_clicks_four_attempts(course, lab_server):
    answer_overflow_quiz(course, lab_server)


# ------------------------------------------------------------------ lesson 04: keyboard alone

def tick_with_keyboard(page, quiz, wanted, wrong_first=None):
    """From the question text: Tab through the boxes, Space on each wanted one, then Enter on Check."""
    quiz.locator(".rnn-edu-prompt").click()          # put the reading point on the question, no control
    boxes = quiz.locator("input[type='checkbox']")
    labels = quiz.locator(".rnn-edu-options .rnn-edu-option-text")
    texts = [t.strip() for t in labels.all_text_contents()]
    rings = []
    for i in range(boxes.count()):
        qd.tab_to(page, boxes.nth(i), limit=3)
        rings.append(qd.assert_clear_focus_ring(page, f"tick box {i}"))
        if wrong_first is not None and i == wrong_first:
            page.keyboard.press("Space")
            assert boxes.nth(i).is_checked()
        if i in wanted:
            page.keyboard.press("Space")
    page.wait_for_timeout(500)
    qd.tab_to(page, quiz.locator("button.rnn-edu-check"), limit=3)
    page.keyboard.press("Enter")
    return texts, rings


def pick_with_arrows(page, quiz, key):
    """From the question text: Tab into the radio group, arrow keys to option `key` (passing a
    wrong one on the way), then Tab to Check and Enter."""
    quiz.locator(".rnn-edu-prompt").click()
    radios = quiz.locator("[role='radiogroup'] input[type='radio']")
    qd.tab_to(page, radios.nth(0), limit=3)
    qd.assert_clear_focus_ring(page, "the first radio button")
    for _ in range((key + 1) % radios.count()):       # one option past the key, then back to it
        page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert qd.is_focused(radios.nth(key)) and radios.nth(key).is_checked()
    page.wait_for_timeout(500)
    qd.tab_to(page, quiz.locator("button.rnn-edu-check"), limit=3)
    page.keyboard.press("Enter")


def test_choice_quizzes_work_with_the_keyboard_alone(course):
    from rnn_edu.course import quiz as bank
    nb = course.run(need(INTERACTIVE))
    page = nb.page
    single = bank.get_question(SINGLE_QID)
    quiz = qd.quiz_in_cell(nb, SINGLE_QID)
    key = list(single.options).index(single.key)
    pick_with_arrows(page, quiz, key)
    text = qd.wait_feedback(quiz, "correct")
    checked = [b.is_checked() for b in quiz.locator("input[type='radio']").all()]
    assert checked == [i == key for i in range(len(single.options))], "one radio checked: the last one reached"
    assert quiz.locator(".rnn-edu-feedback [role='alert']").count() == 1, "feedback is announced (role=alert)"
    assert page.get_by_role("alert").filter(has_text="Correct").count() >= 1
    cell_screenshot(nb, nb.source.find_cell(SINGLE_QID), course.shots_dir / "04_quiz_keyboard_single.png")

    multiple = bank.get_question(MULTIPLE_QID)
    quiz = qd.quiz_in_cell(nb, MULTIPLE_QID)
    wanted = {i for i, t in enumerate(multiple.options) if t in multiple.key}
    texts, _ = tick_with_keyboard(page, quiz, wanted)
    assert "Correct" in qd.wait_feedback(quiz, "correct"), texts
    cell_screenshot(nb, nb.source.find_cell(MULTIPLE_QID), course.shots_dir / "04_quiz_keyboard_multiple.png")


def test_every_control_has_an_accessible_name(course):
    nb = course.run(need(INTERACTIVE))
    if not a11y.AXE_JS.exists():
        unavailable(a11y.NO_AXE)
    for css in (".rnn-edu-quiz", ".rnn-edu-explorer"):
        widgets = nb.notebook.locator(css)
        for i in range(widgets.count()):
            names = a11y.accessible_names(nb.page, widgets.nth(i))
            assert names, f"{css} #{i} has no focusable control"
            nameless = [n["html"] for n in names if not n["name"]]
            assert not nameless, f"{css} #{i}: controls without an accessible name: {nameless}"


# ------------------------------------------------------------------ lesson 04: the look

def check_quiz_look(nb, where):
    """The placeholder fits its box; no gap before 'Tick every option that applies'."""
    fit = qd.placeholder_fit(qd.quiz_in_cell(nb, OVERFLOW_QID).locator("input[type='text']"))
    assert fit["text"] <= fit["room"], f"{where}: the placeholder is cut off: {fit}"
    quiz = qd.quiz_in_cell(nb, MULTIPLE_QID)
    prompt = qd.box(quiz.locator(".rnn-edu-prompt p").first)
    tick = qd.box(quiz.locator(".rnn-edu-instruction"))
    gap = tick["y"] - (prompt["y"] + prompt["height"])
    assert gap <= qd.body_text_px(nb.page), f"{where}: a {gap:.0f} px gap before 'Tick every option'"


def check_explorer_look(nb, where):
    """Each button group's label ('cell', 'activation f') sits on its buttons' row; text and
    plot as large as the body text."""
    explorer = nb.notebook.locator(".rnn-edu-explorer")
    groups = explorer.locator(".widget-toggle-buttons")
    assert groups.count() >= 2, f"{where}: expected the cell and activation button groups"
    for i in range(groups.count()):
        label = qd.box(groups.nth(i).locator(".widget-label"))
        button = qd.box(groups.nth(i).locator(".widget-toggle-button").first)
        middle = label["y"] + label["height"] / 2
        assert button["y"] <= middle <= button["y"] + button["height"], \
            f"{where}: the label of button group {i} is not on its row"
    body = qd.body_text_px(nb.page)
    sizes = nb.page.evaluate("""(root) => [...root.querySelectorAll('.widget-label, .widget-html-content, button, input')]
        .filter((e) => e.offsetParent !== null).map((e) => parseFloat(getComputedStyle(e).fontSize))""",
                             explorer.element_handle())
    assert min(sizes) >= body, f"{where}: explorer text of {min(sizes)} px, body text {body} px"
    plot = [f for f in qd.figure_text_sizes(nb) if f["alt"].startswith("Plot of ||dL/dh_t||")]
    assert plot and plot[0]["shownPx"] >= body, f"{where}: explorer plot text {plot}"


def test_quiz_and_explorer_look_right_wide_and_narrow(course):
    nb = course.run(need(INTERACTIVE))
    page = nb.page
    check_quiz_look(nb, "1280 px")
    check_explorer_look(nb, "1280 px")
    saved = page.viewport_size
    try:
        page.set_viewport_size(NARROW)
        page.wait_for_timeout(600)
        check_quiz_look(nb, "820 px")
        check_explorer_look(nb, "820 px")
        explorer_cell = next(i for i, src in nb.source.code_cells() if any(c in src for c in EXPLORER_CALLS))
        cell_screenshot(nb, explorer_cell, course.shots_dir / "04_gradient_explorer_820px.png")
        cell_screenshot(nb, nb.source.find_cell(MULTIPLE_QID), course.shots_dir / "04_quiz_multiple_820px.png")
    finally:
        page.set_viewport_size(saved)


# ------------------------------------------------------------------ lesson 04: the explorer

def test_explorer_by_keyboard_says_what_was_measured(course):
    nb = course.run(need(INTERACTIVE))
    page = nb.page
    index = next((i for i, src in nb.source.code_cells() if any(c in src for c in EXPLORER_CALLS)), None)
    assert index is not None, f"{nb.name}: no cell builds the gradient explorer"
    explorer = nb.cell(index).locator(".rnn-edu-explorer")
    explorer.scroll_into_view_if_needed()
    plot = explorer.locator("img.rnn-edu-explorer-plot-img")      # a new <img> at every redraw
    readout = explorer.locator(".rnn-edu-explorer-readout")
    changed = """([root, src, text]) => {
      const img = root.querySelector('img.rnn-edu-explorer-plot-img');
      const out = root.querySelector('.rnn-edu-explorer-readout');
      return img && img.getAttribute('src') !== src && out.innerText !== text;
    }"""

    def wait_redraw(before_src, before_text, what):
        try:
            page.wait_for_function(changed, arg=[explorer.element_handle(), before_src, before_text],
                                   timeout=30_000)
        except Exception as exc:  # noqa: BLE001
            raise AssertionError(f"{nb.name}: {what} did not redraw the explorer") from exc

    rho = explorer.locator("input[type='number']").first
    rho.click()
    qd.assert_clear_focus_ring(page, "the rho(W_R) box")
    before = plot.get_attribute("src"), readout.inner_text()
    page.keyboard.press("ArrowUp")                    # one step of 0.05, applied at once
    wait_redraw(*before, "ArrowUp in the rho box")
    assert "ρ(W_R) = 1.05" in plot.get_attribute("alt")

    before = plot.get_attribute("src"), readout.inner_text()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    wait_redraw(*before, "typing 5 and Enter")
    before = plot.get_attribute("src"), readout.inner_text()
    qd.tab_to(page, explorer.locator(".widget-toggle-button", has_text="sigmoid"), limit=8)
    qd.assert_clear_focus_ring(page, "the sigmoid button")
    page.keyboard.press("Space")
    wait_redraw(*before, "Space on sigmoid")
    nb.wait_kernel_idle()
    text = readout.inner_text()
    assert re.search(r"Measured: .* = [0-9.]+e-0\d: vanishing", text), text     # sigmoid at rho = 5 vanishes
    assert "exploding" not in text and "decides nothing" in text and "Upper bound" in text, text
    assert "sigmoid, ρ(W_R) = 5.00, T = 50" in plot.get_attribute("alt")
    cell_screenshot(nb, index, course.shots_dir / "04_gradient_explorer.png")


# ------------------------------------------------------------------ lesson 04: after a restart

def test_after_a_kernel_restart_the_quiz_shows_its_saved_state(course, lab_server):
    if not ANSWERED.get("overflow"):
        answer_overflow_quiz(course, lab_server)
    nb = course.run(need(INTERACTIVE), fresh=True)          # a new kernel, Run All again
    quiz = qd.quiz_in_cell(nb, OVERFLOW_QID)
    text = qd.attempts_text(quiz)
    assert text.startswith("Attempts: 4") and "answered right" in text, f"after a restart the quiz shows {text!r}"
    cell_screenshot(nb, nb.source.find_cell(OVERFLOW_QID), course.shots_dir / "04_quiz_after_restart.png")


# ------------------------------------------------------------------ lesson 00

def progress_rows(nb):
    """{lesson id: [questions, answered, first try, correct now]} from the quiz progress table
    (the exercises' table beside it has rows of its own)."""
    rows = nb.notebook.locator(".rnn-edu-progress table.rnn-edu-progress-table tr").evaluate_all(
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
        answer_overflow_quiz(course, lab_server)
    nb = run_and_check(course, name)
    table = progress_rows(nb)
    assert table, f"{name}: the progress view shows no lesson rows"

    monkeypatch.setenv("RNN_EDU_PROGRESS", str(lab_server.progress))
    from rnn_edu.course import quiz
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
