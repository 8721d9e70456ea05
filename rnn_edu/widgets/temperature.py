"""A temperature slider that regenerates a sample from a trained character model.

The text is put into an HTML widget's value (not printed into an Output), so it is stored
with the widget's state and can be tested headless: set `.slider.value`, read `.text.value`.
"""
import html

import ipywidgets as widgets

from ..quiz.style import fallback_text
from ..sampling import sample

FALLBACK = fallback_text("Temperature slider")


class TemperatureSampler:
    """Slider over the temperature T in [0, 2]; each move draws n characters from `prompt`."""

    def __init__(self, params, vocab, prompt="ROMEO:\n", n=300, temperature=0.8, seed=0):
        self.params, self.vocab, self.prompt, self.n, self.seed = params, vocab, prompt, n, seed
        self.slider = widgets.FloatSlider(value=temperature, min=0.0, max=2.0, step=0.1,
                                          description="temperature T", continuous_update=False,
                                          style={"description_width": "initial"},
                                          layout=widgets.Layout(width="24em"))
        self.text = widgets.HTML()
        self.slider.observe(self.redraw, names="value")
        self.container = widgets.VBox([self.slider, self.text])
        self.redraw()

    def redraw(self, change=None):
        T = float(self.slider.value)
        s = sample(self.params, self.vocab, self.prompt, self.n, temperature=T, seed=self.seed)
        note = "greedy: always the most likely character" if T == 0 else f"seed {self.seed}"
        self.text.value = (f"<div role='status'><b>T = {T:.1f}</b> ({note})</div>"
                           f"<pre style='font-size: 14px; white-space: pre-wrap'>{html.escape(s)}</pre>")

    def __repr__(self):
        return "<TemperatureSampler>"

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.container._repr_mimebundle_(**kwargs)
        data = dict((bundle[0] if isinstance(bundle, tuple) else bundle) or {})
        data["text/plain"] = FALLBACK
        return data
