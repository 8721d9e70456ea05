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


def _asset(name):
    path = resources.files("rnn_edu").joinpath("assets", name)
    if not path.is_file():
        raise FileNotFoundError(f"rnn_edu/assets/{name}: expected the shipped results of the capstone run, "
                                f"found no file. Run `make capstone` (about 10 minutes) to make it.")
    return path


def load_capstone_run():
    """The run's record as a dict with 'main' (the shipped model) and 'compare' (short runs)."""
    try:
        record = json.loads(_asset(RUN_FILE).read_text())
    except json.JSONDecodeError as e:
        raise ValueError(f"rnn_edu/assets/{RUN_FILE}: expected JSON written by scripts/capstone.py, "
                         f"got a file that does not parse ({e}). Run `make capstone` again.") from None
    for key in ("main", "compare"):
        if key not in record:
            raise ValueError(f"rnn_edu/assets/{RUN_FILE}: expected the sections 'main' and 'compare', "
                             f"got {sorted(record)}. Run `make capstone` again.")
    return record


def load_capstone_checks():
    """The checks' record: {'runs': {name: {base, change, config, val_full, final_train, ...}}, ...}."""
    try:
        record = json.loads(_asset(CHECKS_FILE).read_text())
    except json.JSONDecodeError as e:
        raise ValueError(f"rnn_edu/assets/{CHECKS_FILE}: expected JSON written by scripts/capstone_checks.py, "
                         f"got a file that does not parse ({e}). Run `make capstone-checks` again.") from None
    if not isinstance(record, dict) or "runs" not in record:
        raise ValueError(f"rnn_edu/assets/{CHECKS_FILE}: expected a section 'runs', got "
                         f"{sorted(record) if isinstance(record, dict) else type(record).__name__}. "
                         f"Run `make capstone-checks` again.")
    return record


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
