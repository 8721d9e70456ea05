"""The gradient explorer: move W_R's scale, the activation and the length T, and watch
how ||dL/dh_t|| decays or grows on the way back from the last step.

    explorer = gradient_explorer(seed=0)
    explorer                     # displays the sliders, the plot and a readout

The slider sets the *spectral radius* rho(W_R) = max|eig(W_R)| of a fixed random matrix
(only its scale changes). The readout also reports the largest singular value sigma_max,
because the guarantee ||dh_T/dh_{T-k}|| <= (gamma sigma_max)^k is stated with it.
The data (inputs, targets, weights) are fixed by `seed`, so every frame is reproducible.
"""
import ipywidgets as widgets
import numpy as np

import rnn_edu
from rnn_edu.figures.gradients import frame_width_px, grad_norms_png

CSS_EXPLORER, CSS_PLOT, CSS_READOUT = "rnn-edu-explorer", "rnn-edu-explorer-plot", "rnn-edu-explorer-readout"
ACTIVATIONS = ("tanh", "sigmoid", "relu")
T_MAX, BATCH, N_IN, N_HIDDEN, N_OUT = 100, 8, 4, 16, 4


def explorer_problem(seed=0):
    """The fixed problem the explorer differentiates.

    Returns (params, xs (T_MAX, B, D), targets (B,)): a one-layer RNN (W_R rescaled to
    spectral radius 1), inputs x_t ~ N(0, 0.5^2), and one class per sequence (many-to-one).
    """
    params = rnn_edu.init_params(N_IN, N_HIDDEN, N_OUT, seed=seed, spectral_radius=1.0)
    rng = np.random.default_rng(seed)
    xs = 0.5 * rng.normal(size=(T_MAX, BATCH, N_IN))
    targets = rng.integers(0, N_OUT, size=BATCH)
    return params, xs, targets


def classify(ratio):
    """A word for ||dL/dh_1|| / ||dL/dh_T||."""
    if not np.isfinite(ratio):
        return "overflow (inf or nan)"
    for limit, word in [(0.0, "cut off (no gradient reaches t = 1)"), (1e-3, "vanishing"),
                        (1e-1, "shrinking"), (1e1, "roughly stable"), (1e3, "growing")]:
        if ratio <= limit:
            return word
    return "exploding"


class GradientExplorer:
    """Sliders for rho(W_R), the activation f and T; a log plot of ||dL/dh_t||; a readout.

    Attributes: .radius (FloatSlider, spectral radius of W_R), .activation (ToggleButtons),
    .length (IntSlider, T), .image (Image, PNG), .readout (HTML), .container (VBox),
    .norms (the (T,) array currently shown).
    """

    def __init__(self, seed=0, radius=1.0, activation="tanh", length=50):
        self.params, self.xs, self.targets = explorer_problem(seed)
        self.radius = widgets.FloatSlider(value=radius, min=0.1, max=5.0, step=0.05,
                                          description="rho(W_R)", continuous_update=False,
                                          readout_format=".2f")
        self.activation = widgets.ToggleButtons(options=ACTIVATIONS, value=activation,
                                                description="f")
        self.length = widgets.IntSlider(value=length, min=5, max=T_MAX, step=1,
                                        description="T", continuous_update=False)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{frame_width_px()}px"))
        self.readout = widgets.HTML()
        self.image.add_class(CSS_PLOT)
        self.readout.add_class(CSS_READOUT)
        self.container = widgets.VBox([self.radius, self.activation, self.length,
                                       self.image, self.readout])
        self.container.add_class(CSS_EXPLORER)
        for control in (self.radius, self.activation, self.length):
            control.observe(self.redraw, names="value")
        self.redraw()

    def current_params(self):
        """The problem's weights with W_R scaled to the slider's spectral radius."""
        p = self.params.copy()
        p.W_R[...] = rnn_edu.scale_to_spectral_radius(self.params.W_R, self.radius.value)
        return p

    def compute(self):
        """(||dL/dh_t|| for t = 1..T, gamma * sigma_max(W_R)) for the current settings."""
        p, T, f = self.current_params(), self.length.value, self.activation.value
        norms = rnn_edu.hidden_grad_norms(p, self.xs[:T], self.targets, activation=f)
        return norms, rnn_edu.GAMMA[f] * rnn_edu.largest_singular_value(p.W_R)

    def redraw(self, change=None):
        """Recompute the norms, re-render the PNG and rewrite the readout."""
        self.norms, factor = self.compute()
        f, T = self.activation.value, self.length.value
        title = f"{f}, rho(W_R) = {self.radius.value:.2f}, T = {T}"
        self.image.value = grad_norms_png(self.norms, bound_factor=factor, title=title)
        self.readout.value = self.readout_html(self.norms, factor)

    def readout_html(self, norms, factor):
        """The ratio ||dL/dh_1|| / ||dL/dh_T||, its verdict, and the bound's verdict."""
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = norms[0] / norms[-1]
        sigma = rnn_edu.largest_singular_value(self.current_params().W_R)
        gamma = rnn_edu.GAMMA[self.activation.value]
        if factor < 1:
            bound = f"&lt; 1: vanishing is certain, at least as fast as {factor:.2f}<sup>k</sup>"
        else:
            bound = "&ge; 1: exploding is possible, not certain"
        return (f"<b>||dL/dh_1|| / ||dL/dh_T|| = {ratio:.2e}</b>: {classify(ratio)}<br>"
                f"sigma_max(W_R) = {sigma:.2f}, gamma = {gamma:g}, "
                f"gamma &middot; sigma_max = {factor:.2f} {bound}")

    def __repr__(self):
        return "<GradientExplorer>"

    def _repr_mimebundle_(self, **kwargs):
        """Display as the VBox, with a stable text/plain."""
        bundle = self.container._repr_mimebundle_(**kwargs)
        data = dict((bundle[0] if isinstance(bundle, tuple) else bundle) or {})
        data["text/plain"] = repr(self)
        return data


def gradient_explorer(seed=0):
    """Build the explorer on the fixed problem of `seed`; display it as a cell's last line."""
    return GradientExplorer(seed=seed)
