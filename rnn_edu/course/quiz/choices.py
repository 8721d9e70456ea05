"""The options of a choice question: a radio group (single choice) or tick boxes (multiple select).

The options are native ``<input type="radio">`` / ``<input type="checkbox">`` elements, each
inside its ``<label>`` with the option's text (math typeset by JupyterLab's MathJax, as ipywidgets
does it), and named by an ``aria-label`` holding the same text with its math as plain characters
(typeset math gives a label no accessible text: axe-core's critical "label" rule), so a screen
reader announces "radio button, 2 of 4" or "checkbox" with the text, and no hover title shows raw
LaTeX.  The group has role ``radiogroup`` (or ``group``) and a name.

Keyboard, as in any web page: Tab enters the group, the arrow keys move between the options of a
radio group (the browser checks the one reached), Space ticks a box.  Inside a notebook,
JupyterLab would take the arrow keys for itself (command mode moves to another cell): the group
carries ``data-lm-suppress-shortcuts`` (JupyterLab's keyboard shortcuts skip such elements) and
stops every key but Tab from leaving it, so the keys stay inside the quiz.

ipywidgets cannot do that (it runs no JavaScript of ours), so this one widget is an
``anywidget``: a few lines of JavaScript shipped as text, with no front-end build step.
"""
import threading

import anywidget
import traitlets

from .markup import inline, spoken as spoken_text

CSS_OPTIONS = "rnn-edu-options"
GROUP_NAMES = {True: "Pick one option", False: "Tick every option that applies"}

ESM = r"""
function render({ model, el }) {
  const single = model.get("single");
  const group = document.createElement("div");
  group.className = "rnn-edu-choice-group";
  group.setAttribute("role", single ? "radiogroup" : "group");
  group.setAttribute("aria-label", model.get("group_label"));
  group.setAttribute("data-lm-suppress-shortcuts", "true");     // JupyterLab's shortcuts skip it
  group.addEventListener("keydown", (event) => {                 // the keys stay in the quiz
    if (event.key !== "Tab") event.stopPropagation();
  });
  const name = "rnn-edu-choice-" + Math.random().toString(36).slice(2);
  const inputs = model.get("labels").map((html, index) => {
    const row = document.createElement("label");
    row.className = "rnn-edu-option";
    const input = document.createElement("input");
    input.type = single ? "radio" : "checkbox";
    input.name = name;
    input.value = String(index);
    input.setAttribute("aria-label", model.get("spoken")[index]);   // typeset math has no text name
    const text = document.createElement("span");
    text.className = "rnn-edu-option-text";
    text.innerHTML = html;                                       // escaped in Python; $...$ kept
    row.append(input, text);
    group.append(row);
    input.addEventListener("change", () => {
      model.set("picked", inputs.filter((x) => x.checked).map((x) => Number(x.value)));
      model.save_changes();
    });
    return input;
  });
  const show = () => {
    const picked = new Set(model.get("picked"));
    inputs.forEach((input, index) => { input.checked = picked.has(index); });
  };
  model.on("change:picked", show);
  show();
  el.append(group);
  const typesetter = model.widget_manager?._rendermime?.latexTypesetter;   // as ipywidgets does
  if (typesetter) requestAnimationFrame(() => typesetter.typeset(group));
  return () => model.off("change:picked", show);
}
export default { render };
"""


class _Answer(traitlets.Any):
    """An Any trait whose None also goes through the validator (Any lets None skip it)."""

    allow_none = False


class OptionBoxes(anywidget.AnyWidget):
    """The options as a radio group (single=True) or tick boxes; `value` is what is chosen.

    single=True: `value` is the chosen option's text, or None.
    single=False: `value` is a tuple of the ticked texts, in option order.
    `picked` (synced with the page) holds the chosen options' indices; setting either updates
    the other.  A text that is not an option raises a TraitError naming the options.
    """

    _esm = ESM
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    spoken = traitlets.List(traitlets.Unicode()).tag(sync=True)     # each option's name, math as text
    single = traitlets.Bool(False).tag(sync=True)
    group_label = traitlets.Unicode("").tag(sync=True)
    picked = traitlets.List(traitlets.Int()).tag(sync=True)
    value = _Answer(None)

    def __init__(self, options, single):
        self.options = tuple(options)
        self._lock, self._syncing = threading.RLock(), False
        super().__init__(labels=[inline(t) for t in self.options], spoken=[spoken_text(t) for t in self.options],
                         single=bool(single),
                         group_label=GROUP_NAMES[bool(single)])
        self.add_class(CSS_OPTIONS)
        self.value = None if self.single else ()
        self.observe(self._on_pick, names="picked")

    @traitlets.validate("value")
    def _check_value(self, proposal):
        """Normalise `value` (None/'' -> nothing; a list -> a tuple in option order)."""
        value = proposal["value"]
        picked = [] if value in (None, "", ()) else [value] if isinstance(value, str) else list(value)
        unknown = [p for p in picked if p not in self.options]
        if unknown:
            raise traitlets.TraitError(f"{unknown[0]!r} is not one of the options: {list(self.options)!r}")
        if self.single:
            if len(picked) > 1:
                raise traitlets.TraitError("a single-choice question takes one option")
            return picked[0] if picked else None
        return tuple(t for t in self.options if t in picked)

    @traitlets.observe("value")
    def _on_value(self, change=None):
        """Show exactly the value's options as chosen."""
        with self._lock:
            self._syncing = True
            try:
                self.picked = [i for i, t in enumerate(self.options) if t in self.chosen()]
            finally:
                self._syncing = False

    def _on_pick(self, change):
        """The learner chose in the page: update `value` (a radio group keeps the last one)."""
        if self._syncing:
            return
        with self._lock:
            picked = [i for i in change["new"] if 0 <= i < len(self.options)]
            if self.single:
                self.value = self.options[picked[-1]] if picked else None
            else:
                self.value = tuple(self.options[i] for i in sorted(set(picked)))
            self._on_value()                   # the page shows exactly `value` (one radio, no repeats)

    def pick(self, index, on=True):
        """What a click (or Space, or an arrow key in a radio group) on option `index` does."""
        if self.single:
            self.picked = [index] if on else []
        else:
            now = set(self.picked)
            self.picked = sorted(now | {index} if on else now - {index})

    def chosen(self):
        """The chosen option texts, as a list in option order."""
        if self.single:
            return [] if self.value is None else [self.value]
        return list(self.value)
