"""The look of the course's widgets: one small stylesheet, shipped inside the widget.

ipywidgets offers no stylesheet of its own and runs no JavaScript we write, so
the CSS travels in a hidden ``HTML`` widget holding a ``<style>`` element
(browsers apply a style element wherever it sits).  Every rule is scoped to
the course's own classes, so JupyterLab's interface is left as it is.

What the rules do:
- text as large as the notebook's body text (ipywidgets default to 13 px);
- a focus ring that is clearly visible (3 px, 2 px away from the control,
  contrast of at least 3:1 on the light and the dark theme);
- an option's label sits beside its radio button or tick box and wraps when long;
- the answer box is wide enough for its whole placeholder.
"""
import ipywidgets as w

CSS_STYLE = "rnn-edu-style"
RUN_HINT = "run this cell (Shift+Enter, or Run > Run All Cells) to use it"
SCOPES = (".rnn-edu-quiz", ".rnn-edu-explorer")
BODY_FONT = "var(--jp-content-font-size1, 14px)"
FOCUS_LIGHT, FOCUS_DARK = "#1a5fb4", "#99c1f1"
# specific enough to beat ipywidgets' "outline: none !important" on its text and number boxes
FOCUSED = ":is(input, button, textarea, select, [tabindex]):focus-visible"


def _scoped(selector):
    """`selector` under every course scope, e.g. ':focus-visible' for quiz and explorer."""
    return ", ".join(f"{scope} {selector}" for scope in SCOPES)


COURSE_CSS = f"""
{", ".join(SCOPES)} {{ --jp-widgets-font-size: {BODY_FONT}; font-size: {BODY_FONT}; }}
{_scoped(".widget-html-content")}, {_scoped(".widget-label")},
{_scoped(".widget-label-basic")}, {_scoped(".widget-readout")} {{ font-size: {BODY_FONT}; }}
{_scoped(FOCUSED)} {{ outline: 3px solid {FOCUS_LIGHT} !important; outline-offset: 2px !important; }}
body[data-jp-theme-light="false"] :is({_scoped(FOCUSED)}) {{ outline-color: {FOCUS_DARK} !important; }}
.rnn-edu-quiz .rnn-edu-option {{ display: flex; align-items: flex-start; gap: 0.5em; margin: 0.15em 0;
  line-height: 1.45; cursor: pointer; }}
.rnn-edu-quiz .rnn-edu-option input {{ margin: 0.3em 0 0 0; flex-shrink: 0; }}
.rnn-edu-quiz .rnn-edu-prompt p:last-child {{ margin-bottom: 0.25em; }}
.rnn-edu-quiz .rnn-edu-instruction {{ margin-top: 0.25em; }}
.rnn-edu-quiz .rnn-edu-verdict {{ margin: 0.35em 0; }}
.rnn-edu-explorer .widget-toggle-buttons {{ display: flex; flex-wrap: wrap; align-items: center; }}
.rnn-edu-explorer .widget-toggle-buttons > .widget-label {{ margin-right: 0.6em; }}
.rnn-edu-explorer .rnn-edu-explorer-readout .widget-html-content {{ line-height: 1.5; }}
"""


def style_widget(css=COURSE_CSS):
    """A hidden HTML widget whose <style> applies `css` to the page."""
    widget = w.HTML(value=f"<style>{css}</style>", layout=w.Layout(display="none"))
    widget.add_class(CSS_STYLE)
    return widget


def fallback_text(what):
    """The text/plain a notebook shows in place of a widget until its cell has run."""
    return f"[{what}: {RUN_HINT}]"


def widget_bundle(container, text, **kwargs):
    """`container`'s display bundle with its text/plain replaced by `text` (for _repr_mimebundle_)."""
    bundle = container._repr_mimebundle_(**kwargs)
    data = dict((bundle[0] if isinstance(bundle, tuple) else bundle) or {})
    data["text/plain"] = text
    return data
