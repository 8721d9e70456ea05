"""The gradient explorer: choose the cell (plain RNN, LSTM or GRU), set W_R's scale and the
activation (RNN) or the gate bias (LSTM, GRU) and the length T, and watch how ||dL/dh_t||
decays or grows on the way back from the last step.

    explorer = gradient_explorer(seed=0)
    explorer                     # displays the controls, the plot and a readout

The box rho(W_R) sets the *spectral radius* max|eig(W_R)| of a fixed random matrix (only
its scale changes).  The readout first says what was measured: the ratio
||dL/dh_1|| / ||dL/dh_T|| and its average factor per step.  Then it states the upper
bound ||dh_T/dh_{T-k}|| <= (gamma sigma_max)^k as a bound: below 1 it guarantees
vanishing; from 1 up it allows growth but does not make it happen.
For the gated cells the box "gate bias" sets the bias of the gate on the additive path of
every unit (the LSTM's forget gate f, the GRU's update gate z; PyTorch's b_ih block) and the
plot adds ||dL/dc_t|| for the LSTM; rho(W_R) and f do not apply there and are disabled.
The data (inputs, targets, weights) are fixed by `seed`, so every frame is reproducible.

The controls are number boxes (the arrow keys step the value; a typed value applies
on Enter or when focus leaves the box) and buttons: both work with the keyboard inside
JupyterLab and have accessible names, which ipywidgets' sliders do not (axe-core:
"aria-input-field-name", serious).  The plot is an <img> with a text alternative.
"""
import ipywidgets as widgets
import numpy as np

import rnn_edu
from rnn_edu.course.figures.display import img_html
from rnn_edu.diagnostics import growth_word
from rnn_edu.course.figures.gradients import frame_width_px, grad_norms_frame, measured_factor
from rnn_edu.course.quiz.style import fallback_text, style_widget, widget_bundle

CSS_EXPLORER, CSS_PLOT, CSS_READOUT = "rnn-edu-explorer", "rnn-edu-explorer-plot", "rnn-edu-explorer-readout"
ACTIVATIONS = ("tanh", "sigmoid", "relu")
CELLS = ("rnn", "lstm", "gru")
GATE = {"lstm": ("forget gate f", "b_f"), "gru": ("update gate z", "b_z")}
T_MAX, BATCH, N_IN, N_HIDDEN, N_OUT = 100, 8, 4, 16, 4
FALLBACK = fallback_text("Gradient explorer")
NORM_RATIO = "‖∂L/∂h<sub>1</sub>‖ / ‖∂L/∂h<sub>T</sub>‖"


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


def gated_params(seed, cell, gate_bias):
    """The explorer's LSTM or GRU weights (seeded like `explorer_problem`), with the bias of
    the additive path's gate (LSTM forget gate: rows H:2H of b_h; GRU update gate z: rows
    H:2H of the input-side bias b_h) set to `gate_bias` for every unit."""
    params = rnn_edu.init_params(N_IN, N_HIDDEN, N_OUT, seed=seed, cell=cell)
    params.b_h[N_HIDDEN:2 * N_HIDDEN] = gate_bias
    return params


def classify(ratio):
    """A word for ||dL/dh_1|| / ||dL/dh_T|| (`rnn_edu.diagnostics.growth_word`)."""
    return growth_word(ratio)


def _number_box(kind, value, low, high, step, description, tooltip):
    """A labelled number box that applies its value on Enter or when focus leaves it."""
    return kind(value=value, min=low, max=high, step=step, description=description, tooltip=tooltip,
                continuous_update=False, style={"description_width": "initial"},
                layout=widgets.Layout(width="13em"))


class GradientExplorer:
    """Buttons for the cell, boxes for rho(W_R), the gate bias and T, buttons for f; a log plot
    of ||dL/dh_t||; a readout.

    Attributes: .cell (ToggleButtons rnn / lstm / gru), .radius (BoundedFloatText, spectral
    radius of W_R), .gate_bias (BoundedFloatText, LSTM/GRU only), .activation (ToggleButtons),
    .length (BoundedIntText, T), .image (HTML holding the plot's <img>), .png (the plot's PNG
    bytes), .readout (HTML), .container (VBox), .norms (the (T,) array currently shown),
    .cell_norms (||dL/dc_t|| for the LSTM, else None).
    """

    def __init__(self, seed=0, radius=1.0, activation="tanh", length=50, cell="rnn", gate_bias=1.0):
        self.seed = seed
        self.params, self.xs, self.targets = explorer_problem(seed)
        self.radius = _number_box(widgets.BoundedFloatText, radius, 0.1, 5.0, 0.05, "ρ(W_R)",
                                  "Spectral radius of W_R, 0.1 to 5 (arrow keys step by 0.05)")
        self.length = _number_box(widgets.BoundedIntText, length, 5, T_MAX, 1, "T (steps)",
                                  f"Sequence length, 5 to {T_MAX}")
        self.activation = widgets.ToggleButtons(options=ACTIVATIONS, value=activation,
                                                description="activation f",
                                                tooltips=[f"f = {a}" for a in ACTIVATIONS],
                                                style={"description_width": "initial", "button_width": "6em"})
        self.cell = widgets.ToggleButtons(options=CELLS, value=cell, description="cell",
                                          tooltips=["plain RNN", "LSTM (gates i, f, g, o)", "GRU (gates r, z, n)"],
                                          style={"description_width": "initial", "button_width": "6em"})
        self.gate_bias = _number_box(widgets.BoundedFloatText, gate_bias, -3.0, 6.0, 0.5, "gate bias",
                                     "LSTM: forget-gate bias b_f; GRU: update-gate bias b_z; -3 to 6")
        self.image = widgets.HTML(layout=widgets.Layout(width=f"{frame_width_px()}px", max_width="100%"))
        self.readout = widgets.HTML()
        self.image.add_class(CSS_PLOT)
        self.readout.add_class(CSS_READOUT)
        controls = widgets.HBox([self.radius, self.gate_bias, self.length],
                                layout=widgets.Layout(flex_flow="row wrap"))
        self.container = widgets.VBox([style_widget(), self.cell, controls, self.activation, self.image,
                                       self.readout])
        self.container.add_class(CSS_EXPLORER)
        self._holding = False
        for control in (self.cell, self.radius, self.gate_bias, self.activation, self.length):
            control.observe(self.redraw, names="value")
        self.redraw()

    def set(self, radius=None, activation=None, length=None, cell=None, gate_bias=None):
        """Change several controls at once, with a single redraw."""
        self._holding = True
        try:
            for control, value in ((self.cell, cell), (self.radius, radius), (self.gate_bias, gate_bias),
                                   (self.activation, activation), (self.length, length)):
                if value is not None:
                    control.value = value
        finally:
            self._holding = False
        self.redraw()

    def current_params(self):
        """The problem's weights: for the RNN with W_R scaled to the chosen spectral radius,
        for the LSTM and GRU with the chosen gate bias (`gated_params`)."""
        if self.cell.value != "rnn":
            return gated_params(self.seed, self.cell.value, self.gate_bias.value)
        p = self.params.copy()
        p.W_R[...] = rnn_edu.scale_to_spectral_radius(self.params.W_R, self.radius.value)
        return p

    def compute(self):
        """(||dL/dh_t|| for t = 1..T, gamma * sigma_max(W_R)) for the current settings; for
        the gated cells the factor is None (no such bound), and .cell_norms is set for the LSTM."""
        p, T, f = self.current_params(), self.length.value, self.activation.value
        self.cell_norms = None
        if self.cell.value == "lstm":
            norms, self.cell_norms = rnn_edu.hidden_grad_norms(p, self.xs[:T], self.targets, cell_state=True)
            return norms, None
        if self.cell.value == "gru":
            return rnn_edu.hidden_grad_norms(p, self.xs[:T], self.targets), None
        norms = rnn_edu.hidden_grad_norms(p, self.xs[:T], self.targets, activation=f)
        return norms, rnn_edu.GAMMA[f] * rnn_edu.largest_singular_value(p.W_R)

    def title(self):
        """The plot's title: the cell and its settings."""
        T = self.length.value
        if self.cell.value == "rnn":
            return f"{self.activation.value}, ρ(W_R) = {self.radius.value:.2f}, T = {T}"
        gate, name = GATE[self.cell.value]
        return f"{self.cell.value.upper()}, {gate.split()[0]}-gate bias {name} = {self.gate_bias.value:.1f}, T = {T}"

    def redraw(self, change=None):
        """Recompute the norms, re-render the plot and rewrite the readout."""
        if self._holding:
            return
        gated = self.cell.value != "rnn"
        self.radius.disabled = self.activation.disabled = gated      # they do not apply to gated cells
        self.gate_bias.disabled = not gated
        self.norms, factor = self.compute()
        title = self.title()
        self.png, text_px = grad_norms_frame(self.norms, bound_factor=factor, title=title,
                                             cell_norms=self.cell_norms)
        self.image.value = img_html(self.png, self.alt_text(title), text_px,
                                    width_css=f"{frame_width_px()}px", css=f"{CSS_PLOT}-img")
        self.readout.value = self.readout_html(self.norms, factor)

    def alt_text(self, title):
        """What the plot shows, in words."""
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = self.norms[0] / self.norms[-1]
        cell = "" if self.cell_norms is None else ", with ||dL/dc_t|| of the cell state dashed"
        return (f"Plot of ||dL/dh_t|| against t = 1 to {self.norms.size} on a log scale ({title}){cell}: "
                f"{self.norms[-1]:.1e} at t = T and {self.norms[0]:.1e} at t = 1, ratio {ratio:.1e}, "
                f"{classify(ratio)}.")

    def readout_html(self, norms, factor):
        """What was measured (the ratio, its per-step average), then the bound, stated as a bound."""
        T = norms.size
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ratio = norms[0] / norms[-1]
            bound = None if factor is None else factor ** (T - 1)
        g = measured_factor(norms)
        per_step = f"; on average × {g:.2f} per step over the {T - 1} steps" if np.isfinite(g) else ""
        if factor is None:
            return self.gated_readout(ratio, per_step)
        sigma = rnn_edu.largest_singular_value(self.current_params().W_R)
        gamma = rnn_edu.GAMMA[self.activation.value]
        if factor < 1:
            verdict = ("γ·σ<sub>max</sub> &lt; 1, so this bound alone guarantees vanishing, "
                       "whatever the inputs.")
        else:
            verdict = ("γ·σ<sub>max</sub> &ge; 1, so the bound decides nothing: it allows growth "
                       "but does not cause it. What happens is what was measured above.")
        return (f"<div role='status'><b>Measured: {NORM_RATIO} = {ratio:.2e}: {classify(ratio)}</b>{per_step}.<br>"
                f"Upper bound: each step multiplies the gradient's norm by at most "
                f"γ·σ<sub>max</sub>(W<sub>R</sub>) = {gamma:g} × {sigma:.2f} = {factor:.2f}, so "
                f"{NORM_RATIO} &le; {factor:.2f}<sup>{T - 1}</sup> = {bound:.1e}. {verdict}</div>")

    def gated_readout(self, ratio, per_step):
        """The LSTM's or GRU's readout: what was measured, and the gate on the additive path."""
        gate, name = GATE[self.cell.value]
        b = self.gate_bias.value
        cell = ""
        if self.cell_norms is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                c_ratio = self.cell_norms[0] / self.cell_norms[-1]
            cell = (f"<br>Cell state: ‖∂L/∂c<sub>1</sub>‖ / ‖∂L/∂c<sub>T</sub>‖ = {c_ratio:.2e}: "
                    f"{classify(c_ratio)}.")
        return (f"<div role='status'><b>Measured: {NORM_RATIO} = {ratio:.2e}: {classify(ratio)}</b>{per_step}."
                f"{cell}<br>Along the additive path each step back multiplies the gradient by the {gate}, "
                f"which starts near σ({name}) = σ({b:.1f}) = {float(rnn_edu.sigmoid(np.array([b]))[0]):.2f} for small inputs; "
                f"the other paths go through W<sub>R</sub> (not square here, so ρ(W<sub>R</sub>) and the "
                f"bound of the plain RNN do not apply).</div>")

    def __repr__(self):
        return "<GradientExplorer>"

    def _repr_mimebundle_(self, **kwargs):
        """Display as the VBox; the text/plain tells the learner to run the cell."""
        return widget_bundle(self.container, FALLBACK, **kwargs)


def gradient_explorer(seed=0, cell="rnn"):
    """Build the explorer on the fixed problem of `seed`, starting with `cell` (rnn, lstm or gru);
    display it as a cell's last line."""
    return GradientExplorer(seed=seed, cell=cell)
