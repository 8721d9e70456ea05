"""Lesson 02 exercises: counting the trainable parameters of a (stacked) RNN.

    check_count_params(fn)   fn(n_in, hidden_sizes, n_out) -> int, hidden_sizes a list [H_1, ..., H_L]
    check_param_count(answer, n_in, hidden_sizes, n_out)    one number for one architecture

Layer l with H_l units reading D_l inputs (D_1 = n_in, D_l = H_{l-1}) has
H_l D_l (W_F) + H_l^2 (W_R) + H_l (b_h); the output layer has O H_L (W_O) + O (b_o).
"""
import numbers

import numpy as np

from rnn_edu import count_params
from . import ExerciseResult, answer_value, call_unchanged, function_name, run_checks


def _sizes(hidden):
    return [int(hidden)] if np.isscalar(hidden) else [int(h) for h in hidden]


def _wrong_counts(n_in, hidden, n_out):
    """Typical wrong totals, each with the hint that explains it (first match wins)."""
    sizes = _sizes(hidden)
    right = count_params(n_in, sizes, n_out)
    H_L, biases_h = sizes[-1], sum(sizes)
    all_read_D = sum(H * n_in + H * H + H for H in sizes) + n_out * H_L + n_out
    out_reads_first = right - n_out * H_L + n_out * sizes[0]
    return [
        (right - biases_h - n_out, "you forgot the biases: each layer adds b_h (H entries) and the "
                                   "output adds b_o (O entries)."),
        (right - biases_h, "the hidden biases b_h are missing: H entries for every recurrent layer."),
        (right - n_out, "the output bias b_o is missing: O more entries."),
        (all_read_D, "a layer above the first reads the H units of the layer below, not the D inputs: "
                     "its W_F is H_l x H_{l-1}, not H_l x D."),
        (right - sum(H * H for H in sizes), "the recurrent weights W_R are missing: H x H for every layer."),
        (right - n_out * H_L - n_out, "the output layer (W_O: O x H_L, and b_o: O) is missing."),
        (out_reads_first, "the output layer sits on the last layer: W_O is O x H_L, using the top layer's size."),
        (right - sum(H * H for H in sizes) + sum(sizes),
         "W_R is H x H (every unit feeds every unit), not H entries."),
    ]


def _diagnose(value, n_in, hidden, n_out):
    """(ok, hint) for one total."""
    right = count_params(n_in, _sizes(hidden), n_out)
    if value is None:
        return False, "got None: did you forget the `return`?"
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.number)):
        return False, f"expected a whole number, got {type(value).__name__}."
    if not np.isfinite(float(value)) or float(value) != int(value):
        return False, f"expected a whole number, got {value!r}."
    value = int(value)
    if value == right:
        return True, ""
    for wrong, hint in _wrong_counts(n_in, hidden, n_out):
        if value == wrong and wrong != right:
            return False, f"got {value}: {hint}"
    return False, (f"got {value}, expected a different total. Count each layer's arrays from their shapes "
                   f"(what each layer reads, its own units, its bias), then the output layer's; "
                   f"the hints below go through it.")


def check_param_count(answer, n_in, hidden, n_out):
    """Check one number (or a zero-argument function returning it): the parameter count of
    the RNN (n_in, hidden sizes, n_out)."""
    answer, stub = answer_value(answer)
    if stub:
        return stub
    desc = f"D = {n_in}, hidden sizes {_sizes(hidden)}, O = {n_out}"
    return run_checks([(desc, lambda: _diagnose(answer, n_in, hidden, n_out))])


def check_count_params(fn):
    """Check fn(n_in, hidden_sizes, n_out) on one, two and three layers of different sizes."""
    if not callable(fn):
        return ExerciseResult(False, f"expected a function fn(n_in, hidden_sizes, n_out), got {type(fn).__name__}.")
    cases = [(10, [20], 5), (3, [4, 6], 2), (7, [5, 9, 4], 3)]

    def case(D, H, O):
        def check():
            got, hint = call_unchanged(fn, (D, list(H), O), ("n_in", "hidden_sizes", "n_out"))
            return (False, hint) if hint else _diagnose(got, D, H, O)
        return check
    return run_checks([(f"D = {D}, hidden sizes {H}, O = {O}", case(D, H, O)) for D, H, O in cases],
                      function_name(fn))
