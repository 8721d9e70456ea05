"""A single-choice quiz is a real radio group, and its arrow keys stay inside it (issue 22, item 3).

Lesson 04 runs in JupyterLab; the learner clicks the question text of `vanishing-product` (its
cell becomes JupyterLab's active cell), tabs into the options and presses ArrowDown.  The
selection must move to the next option inside the quiz, and JupyterLab must not take the key:
the active cell stays the quiz's cell.  Then: the page exposes the options as a radio group
(role radiogroup with a name, radios named by their text, which a screen reader announces as
"radio button"), no option has a hover title with raw LaTeX, axe-core finds no serious or
critical violation, and the answer reached by the arrow keys is the one the kernel checks.
"""
import re

import a11y
import quizdriver as qd
from conftest import unavailable

LESSON, QID = "04", "vanishing-product"
ACTIVE_CELL_JS = """(nb) => [...nb.querySelectorAll('.jp-Cell')].findIndex((c) => c.classList.contains('jp-mod-active'))"""
TITLES_JS = """(root) => [...root.querySelectorAll('[title]')].map((e) => e.getAttribute('title'))"""


def test_arrow_down_moves_the_selection_inside_the_quiz_not_the_active_cell(course):
    from rnn_edu.course import quiz as bank
    question = bank.get_question(QID)
    nb = course.run(LESSON)
    page = nb.page
    quiz = qd.quiz_in_cell(nb, QID)
    cell = nb.source.find_cell(f'show("{QID}")')
    group = quiz.locator("[role='radiogroup']")
    assert group.count() == 1, "the options of a single-choice quiz are one radio group"
    radios = group.locator("input[type='radio']")
    assert radios.count() == len(question.options)

    quiz.locator(".rnn-edu-prompt").click()                  # the learner reads the question
    active = nb.notebook.evaluate(ACTIVE_CELL_JS)
    assert active == cell, f"clicking the question made cell {active} active, not the quiz's cell {cell}"
    qd.tab_to(page, radios.nth(0), limit=3)
    qd.assert_clear_focus_ring(page, "the first radio button")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert qd.is_focused(radios.nth(1)) and radios.nth(1).is_checked(), \
        "ArrowDown should move the focus and the selection to the second option"
    assert not radios.nth(0).is_checked()
    after = nb.notebook.evaluate(ACTIVE_CELL_JS)
    assert after == cell, f"JupyterLab took ArrowDown: the active cell moved from {cell} to {after}"
    page.keyboard.press("ArrowUp")
    assert qd.is_focused(radios.nth(0)) and radios.nth(0).is_checked()
    assert nb.notebook.evaluate(ACTIVE_CELL_JS) == cell

    # what a screen reader is given: a named radio group of radios named by their option text
    tree = group.aria_snapshot()
    assert re.search(r'radiogroup "Pick one option"', tree), tree
    assert len(re.findall(r"^\s*- radio ", tree, re.M)) == len(question.options), tree
    assert quiz.locator(".rnn-edu-options mjx-container").count() >= 1, "the options' math is typeset"
    titles = quiz.locator(".rnn-edu-options").evaluate(TITLES_JS)
    assert not [t for t in titles if "$" in t or "\\" in t], f"hover titles with raw LaTeX: {titles}"

    # the option reached by the arrow keys is the answer the kernel checks
    page.wait_for_timeout(500)
    qd.tab_to(page, quiz.locator("button.rnn-edu-check"), limit=3)
    page.keyboard.press("Enter")
    text = qd.wait_feedback(quiz, "correct" if question.options[0] == question.key else "incorrect")
    assert text, "no feedback after Check"
    nb.cell(cell).screenshot(path=str(course.shots_dir / "04_quiz_radio_group.png"))

    if not a11y.AXE_JS.exists():
        unavailable(a11y.NO_AXE)
    bad = a11y.blocking(a11y.audit(page)["course"])
    assert not bad, f"axe-core: serious or critical violations in the course's content:\n{a11y.describe(bad)}"
