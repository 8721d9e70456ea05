"""What the browser tests do with a quiz and measure on the page (read from the DOM only).

Helpers: find a quiz widget, answer it by mouse or keyboard, wait for its verdict,
reach a control with Tab alone, and measure focus rings, text sizes and layout.
"""
import re

VERDICTS = ("correct", "incorrect", "invalid")
BODY_TEXT_JS = "() => parseFloat(getComputedStyle(document.querySelector('.jp-RenderedMarkdown p')).fontSize)"

# Outline of the focused element and the contrast of its colour with the page behind it.
FOCUS_RING_JS = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  const rgb = (c) => (c.match(/[0-9.]+/g) || [0, 0, 0]).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let bg = null;
  for (let p = el.parentElement; p && !bg; p = p.parentElement) {
    const c = getComputedStyle(p).backgroundColor;
    if (c && !/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') bg = c;
  }
  bg = bg || 'rgb(255, 255, 255)';
  const [a, b] = [lum(rgb(s.outlineColor)), lum(rgb(bg))];
  return {tag: el.tagName, html: el.outerHTML.slice(0, 120), style: s.outlineStyle,
          width: parseFloat(s.outlineWidth), offset: parseFloat(s.outlineOffset),
          color: s.outlineColor, background: bg,
          contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
}"""

# Every course figure in the notebook: its smallest text as shown, in CSS pixels.
FIGURE_TEXT_JS = """(nb) => [...nb.querySelectorAll('img.rnn-edu-figure, img.rnn-edu-explorer-plot-img')]
  .filter((img) => img.naturalWidth > 0)
  .map((img) => ({alt: (img.alt || '').slice(0, 90), textPx: parseFloat(img.dataset.minTextPx),
                  scale: img.clientWidth / img.naturalWidth, shownPx: parseFloat(img.dataset.minTextPx)
                    * img.clientWidth / img.naturalWidth, width: img.clientWidth}))"""

# Does the placeholder of an input fit inside its box?
PLACEHOLDER_JS = """(input) => {
  const s = getComputedStyle(input);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
  const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  return {text: ctx.measureText(input.placeholder).width, room, placeholder: input.placeholder};
}"""


def quiz_in_cell(nb, qid):
    """The quiz widget shown by `quiz.show("<qid>")`."""
    index = nb.source.find_cell(f'show("{qid}")')
    if index is None:
        index = nb.source.find_cell(f"show('{qid}')")
    assert index is not None, f"{nb.name}: no cell shows quiz {qid!r}"
    widget = nb.cell(index).locator(".rnn-edu-quiz")
    widget.wait_for(state="visible")
    return widget


def feedback_state(quiz):
    """(css classes, text) of the quiz's feedback area."""
    fb = quiz.locator(".rnn-edu-feedback")
    return fb.get_attribute("class") or "", fb.inner_text()


def wait_feedback(quiz, verdict, contains="", timeout=15_000):
    """Wait until the feedback carries rnn-edu-<verdict> (and `contains`); return its text."""
    fb = quiz.locator(f".rnn-edu-feedback.rnn-edu-{verdict}")
    if contains:
        fb = fb.filter(has_text=contains)
    try:
        fb.wait_for(state="visible", timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - say what the page shows instead
        classes, text = feedback_state(quiz)
        raise AssertionError(f"expected {verdict} feedback{' with ' + repr(contains) if contains else ''}; "
                             f"feedback has class {classes!r} and text {text[:300]!r}") from exc
    return fb.inner_text()


def attempts_text(quiz):
    """The attempts counter as shown."""
    return quiz.locator(".rnn-edu-attempts").inner_text()


def wait_attempts(page, quiz, n, timeout=15_000):
    """Wait until the counter reads 'Attempts: n'; fail with what it reads."""
    label = quiz.locator(".rnn-edu-attempts")
    try:
        label.filter(has_text=re.compile(rf"Attempts: {n}\b")).wait_for(timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        raise AssertionError(f"expected 'Attempts: {n}', the quiz shows {label.inner_text()!r}") from exc


def type_and_click(quiz, text):
    """Mouse: click into the number box, type `text`, click Check."""
    box = quiz.locator("input[type='text']")
    box.click()
    box.fill(text)
    quiz.locator("button.rnn-edu-check").click()


def is_focused(locator):
    """True when the locator's element has the keyboard focus."""
    return locator.evaluate("(e) => e === document.activeElement")


def tab_to(page, locator, limit=60, back=False):
    """Press Tab (or Shift+Tab) until `locator` has the focus; return the number of presses."""
    for n in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if is_focused(locator):
            return n
    raise AssertionError(f"{limit} presses of {'Shift+Tab' if back else 'Tab'} never reached "
                         f"{locator}; focus is on {page.evaluate('() => document.activeElement.outerHTML.slice(0, 160)')}")


def focus_ring(page):
    """The focused element's outline: style, width, offset, colour and contrast with the page."""
    return page.evaluate(FOCUS_RING_JS)


def assert_clear_focus_ring(page, what):
    """A focus ring of at least 2 px, solid, and at least 3:1 against the background (WCAG 2.4.11/1.4.11)."""
    ring = focus_ring(page)
    assert ring["style"] not in ("none", "") and ring["width"] >= 2 and ring["contrast"] >= 3, \
        f"{what}: the focus ring is not clearly visible: {ring}"
    return ring


def body_text_px(page):
    """The notebook's body text size (a Markdown paragraph), in CSS pixels."""
    return page.evaluate(BODY_TEXT_JS)


def figure_text_sizes(nb):
    """[{alt, textPx, scale, shownPx, width}] for every course figure on the page."""
    return nb.notebook.evaluate(FIGURE_TEXT_JS)


def placeholder_fit(input_locator):
    """{text, room, placeholder}: the placeholder's width and the room inside the box, in px."""
    return input_locator.evaluate(PLACEHOLDER_JS)


def box(locator):
    """The element's bounding box (x, y, width, height), scrolled into view."""
    locator.scroll_into_view_if_needed()
    return locator.bounding_box()
