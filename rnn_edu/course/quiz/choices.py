"""Tick boxes for choice questions, usable with the keyboard alone inside JupyterLab.

Why not radio buttons: in a notebook, JupyterLab's command-mode shortcuts take
the arrow keys (they move to another cell), so a radio group cannot be used
from the keyboard there, and ipywidgets cannot stop them.  Tick boxes need
only Tab (move) and Space (tick), which JupyterLab leaves alone.  A
single-choice question keeps at most one box ticked: ticking one unticks the
others.  Each option's text is the box's label (its math typeset by MathJax),
so every box has an accessible name.
"""
import threading

import ipywidgets as w
import traitlets

CSS_OPTIONS = "rnn-edu-options"


class _Answer(traitlets.Any):
    """An Any trait whose None also goes through the validator (Any lets None skip it)."""

    allow_none = False


class OptionBoxes(w.VBox):
    """One Checkbox per option; `value` is what is ticked.

    single=True: `value` is the ticked option's text, or None.
    single=False: `value` is a tuple of the ticked texts, in option order.
    Setting `value` ticks the boxes; ticking boxes sets `value`.  A text that
    is not an option raises a TraitError naming the options.
    """

    value = _Answer(None)

    def __init__(self, options, single):
        self.options, self.single = tuple(options), bool(single)
        self.boxes = [w.Checkbox(value=False, description=text, indent=False,
                                 layout=w.Layout(width="auto")) for text in self.options]
        self._lock, self._syncing = threading.RLock(), False
        super().__init__(self.boxes)
        self.add_class(CSS_OPTIONS)
        self.value = None if self.single else ()
        for box in self.boxes:
            box.observe(self._on_tick, names="value")

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
    def _on_value(self, change):
        """Tick exactly the boxes of the new value."""
        chosen = self.chosen()
        with self._lock:
            self._syncing = True
            try:
                for box in self.boxes:
                    box.value = box.description in chosen
            finally:
                self._syncing = False

    def _on_tick(self, change):
        """A box was ticked or unticked (by the learner): update `value`."""
        if self._syncing:
            return
        with self._lock:
            if self.single:
                self.value = change["owner"].description if change["new"] else None
            else:
                self.value = tuple(b.description for b in self.boxes if b.value)

    def chosen(self):
        """The ticked option texts, as a list in option order."""
        if self.single:
            return [] if self.value is None else [self.value]
        return list(self.value)
