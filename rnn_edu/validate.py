"""Input checks that turn wrong shapes, dtypes and names into clear messages.

Every check names the argument, what was expected and what came, so a learner
who passes the wrong thing sees at once which argument to fix.
"""
import numpy as np


def shape_str(shape):
    """Render a shape as '(T, B, D)' style text."""
    return str(tuple(int(s) for s in shape))


def as_float_array(name, value, dtype):
    """Convert `value` to a real float array of `dtype`, refusing anything else.

    Raises TypeError for non-numeric, complex or boolean input and ValueError
    for NaN or infinite entries.
    """
    arr = np.asarray(value)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.integer)
                                   or np.issubdtype(arr.dtype, np.floating)):
        raise TypeError(f"{name}: expected a real-valued numeric array, "
                        f"got dtype {arr.dtype} ({type(value).__name__}).")
    arr = arr.astype(dtype, copy=False)
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name}: expected finite numbers, got {bad} NaN or inf "
                         f"entr{'y' if bad == 1 else 'ies'} in an array of shape "
                         f"{shape_str(arr.shape)}.")
    return arr


def check_shape(name, arr, expected, meaning):
    """Require `arr.shape == expected`; `meaning` spells the axes, e.g. '(T, B, D)'."""
    if tuple(arr.shape) != tuple(expected):
        raise ValueError(f"{name}: expected shape {meaning} = {shape_str(expected)}, "
                         f"got shape {shape_str(arr.shape)}.")


def check_ndim(name, arr, ndim, meaning):
    """Require `arr.ndim == ndim`; used before the sizes are known."""
    if arr.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-D array of shape {meaning}, "
                         f"got shape {shape_str(arr.shape)} ({arr.ndim}-D).")


def check_choice(name, value, choices):
    """Require `value` to be one of `choices` (strings)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name}: expected one of {sorted(choices)}, got {value!r}.")
    return value


def check_positive_int(name, value, allow_none=False):
    """Require a positive integer (or None when allowed)."""
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name}: expected a positive integer"
                         f"{' or None' if allow_none else ''}, got {value!r}.")
    return int(value)


def check_positive_finite(name, value):
    """Require a positive finite real number (thresholds, learning rates)."""
    ok = (isinstance(value, (int, float, np.integer, np.floating))
          and not isinstance(value, (bool, np.bool_)) and np.isfinite(value) and value > 0)
    if not ok:
        raise ValueError(f"{name}: expected a positive finite number, got {value!r}.")
    return float(value)


def int_targets(name, value, shape, meaning, n_classes):
    """Integer class targets of a given shape, each in [0, n_classes)."""
    arr = np.asarray(value)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.integer)
                                   or (np.issubdtype(arr.dtype, np.floating)
                                       and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)))):
        raise TypeError(f"{name}: expected integer class labels for cross-entropy, "
                        f"got dtype {arr.dtype}.")
    check_shape(name, arr, shape, meaning)
    arr = arr.astype(np.intp)
    if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
        raise ValueError(f"{name}: expected class labels in [0, {n_classes - 1}] "
                         f"(O = {n_classes} outputs), got values from {arr.min()} to {arr.max()}.")
    return arr


def check_finite_number(name, value):
    """Require a finite real number (any sign)."""
    ok = (isinstance(value, (int, float, np.integer, np.floating))
          and not isinstance(value, (bool, np.bool_)) and np.isfinite(value))
    if not ok:
        raise ValueError(f"{name}: expected a finite number, got {value!r}.")
    return float(value)
