"""Optional packages in the tests: torch, the reference for the PyTorch comparisons.

`make test` runs without torch: these tests then skip, saying why. `make test-torch` installs the
CPU build of torch and runs just them (`pytest -m torch`), with RNN_EDU_REQUIRE_TORCH=1 so that a
missing torch fails there instead of skipping.
"""
import os

import pytest

TORCH_MISSING = ("torch is not installed: `make test-torch` installs its CPU build and runs the "
                 "PyTorch comparisons")
REQUIRE_TORCH = "RNN_EDU_REQUIRE_TORCH"


def torch_or_skip(module_level=False):
    """The torch module; skips the test (or the module) when it is absent, and fails instead
    under RNN_EDU_REQUIRE_TORCH=1."""
    try:
        import torch
    except ImportError:
        if os.environ.get(REQUIRE_TORCH) == "1":
            pytest.fail(f"{TORCH_MISSING} ({REQUIRE_TORCH}=1)", pytrace=False)
        pytest.skip(TORCH_MISSING, allow_module_level=module_level)
    return torch
