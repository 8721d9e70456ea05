"""The shipped results of lesson 08's long run (scripts/capstone.py, `make capstone`).

load_capstone_run()     the record: configuration, learning curves, losses, samples, comparisons
load_capstone_params()  the trained weights (float32), as the params container of their cell
load_capstone_checks()  the checks on it (scripts/capstone_checks.py): a second seed, other dropout
params_from_arrays()    named arrays (W_F, W_R, ...) as the container of a cell type

Lesson 08 (notebooks/08_capstone_char_lm.ipynb).
"""
import json
from importlib import resources

import numpy as np

from ..params import RNNParams

RUN_FILE, WEIGHTS_FILE, CHECKS_FILE = "capstone_run.json", "capstone_weights.npz", "capstone_checks.json"


MAKES = {CHECKS_FILE: "make capstone-checks"}          # the command that writes each file (else make capstone)


def _asset(name):
    path = resources.files("rnn_edu").joinpath("assets", name)
    if not path.is_file():
        raise FileNotFoundError(f"rnn_edu/assets/{name}: expected the shipped results of the capstone run, "
                                f"found no file. Run `{MAKES.get(name, 'make capstone')}` to make it.")
    return path


def _record(name, script, sections):
    """The JSON record rnn_edu/assets/<name> that scripts/<script> writes, with its sections checked."""
    make = MAKES.get(name, "make capstone")
    try:
        record = json.loads(_asset(name).read_text())
    except json.JSONDecodeError as e:
        raise ValueError(f"rnn_edu/assets/{name}: expected JSON written by scripts/{script}, "
                         f"got a file that does not parse ({e}). Run `{make}` again.") from None
    if not isinstance(record, dict) or any(key not in record for key in sections):
        got = sorted(record) if isinstance(record, dict) else type(record).__name__
        wanted = ("a section " if len(sections) == 1 else "the sections ") + " and ".join(map(repr, sections))
        raise ValueError(f"rnn_edu/assets/{name}: expected {wanted}, got {got}. Run `{make}` again.")
    return record


def load_capstone_run():
    """The run's record as a dict with 'main' (the shipped model) and 'compare' (short runs)."""
    return _record(RUN_FILE, "capstone.py", ("main", "compare"))


def load_capstone_checks():
    """The checks' record: {'runs': {name: {base, change, config, val_full, final_train, ...}}, ...}."""
    return _record(CHECKS_FILE, "capstone_checks.py", ("runs",))


def load_capstone_params():
    """The shipped model's weights (the best by validation loss)."""
    with np.load(_asset(WEIGHTS_FILE)) as data:
        arrays = {k: data[k] for k in data.files}
    return params_from_arrays(load_capstone_run()["main"]["config"].get("cell", "rnn"), arrays)


def params_from_arrays(cell, arrays):
    """The params container of `cell` ('rnn', 'lstm', 'gru') holding the named arrays."""
    if cell == "rnn":
        return RNNParams.from_named(arrays)
    from .. import gated_params                      # gated cells: LSTMParams / GRUParams
    cls = getattr(gated_params, f"{cell.upper()}Params", None)
    if cls is None:
        raise ValueError(f"capstone weights: expected a cell this rnn_edu knows, got {cell!r}.")
    return cls.from_named(arrays)
