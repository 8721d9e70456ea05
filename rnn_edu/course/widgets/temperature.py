"""A temperature control that regenerates a sample from a trained character model.

The control is a labelled number box with "colder" / "warmer" buttons, not an ipywidgets
slider: a slider's handle has no accessible name (axe-core reports it as a serious violation,
and ipywidgets offers no way to give it one), while a number box and buttons are named and
work with the keyboard (type a value, or arrow keys in the box; Tab to the buttons, Space).

The text is put into an HTML widget's value (not printed into an Output), so it is stored
with the widget's state and can be tested headless: set `.temperature.value` or click
`.colder` / `.warmer`, then read `.text.value`.
"""
import html

import ipywidgets as widgets

from ..quiz.style import fallback_text, widget_bundle
from rnn_edu.lm.sampling import sample

FALLBACK = fallback_text("Temperature control")
T_MIN, T_MAX, T_STEP = 0.0, 2.0, 0.1


class TemperatureSampler:
    """A temperature T in [0, 2]; each change draws n characters from `prompt`."""

    def __init__(self, params, vocab, prompt="ROMEO:\n", n=300, temperature=0.8, seed=0):
        self.params, self.vocab, self.prompt, self.n, self.seed = params, vocab, prompt, n, seed
        self.temperature = widgets.BoundedFloatText(
            value=temperature, min=T_MIN, max=T_MAX, step=T_STEP, description="temperature T",
            tooltip="sampling temperature, 0 (greedy) to 2", continuous_update=False,
            style={"description_width": "initial"}, layout=widgets.Layout(width="13em"))
        self.colder = widgets.Button(description=f"colder (−{T_STEP})", tooltip="lower T by 0.1")
        self.warmer = widgets.Button(description=f"warmer (+{T_STEP})", tooltip="raise T by 0.1")
        self.colder.on_click(lambda _: self._nudge(-T_STEP))
        self.warmer.on_click(lambda _: self._nudge(+T_STEP))
        self.text = widgets.HTML()
        self.temperature.observe(self.redraw, names="value")
        self.container = widgets.VBox([widgets.HBox([self.temperature, self.colder, self.warmer]),
                                       self.text])
        self.redraw()

    def _nudge(self, delta):
        """Step T by delta, kept in [0, 2] and on the 0.1 grid (no 0.30000000000000004)."""
        self.temperature.value = min(T_MAX, max(T_MIN, round(self.temperature.value + delta, 1)))

    def redraw(self, change=None):
        T = float(self.temperature.value)
        s = sample(self.params, self.vocab, self.prompt, self.n, temperature=T, seed=self.seed)
        note = "greedy: always the most likely character" if T == 0 else f"seed {self.seed}"
        self.text.value = (f"<div role='status' aria-live='polite'><b>T = {T:.1f}</b> ({note})</div>"
                           f"<pre style='font-size: 14px; white-space: pre-wrap'>{html.escape(s)}</pre>")

    def __repr__(self):
        return "<TemperatureSampler>"

    def _repr_mimebundle_(self, **kwargs):
        return widget_bundle(self.container, FALLBACK, **kwargs)
