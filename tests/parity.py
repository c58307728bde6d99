"""Helpers for comparing lstm_ref with torch: dtypes, tolerances, conversions."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

DTYPES = {np.float32: torch.float32, np.float64: torch.float64}
# float64 agrees to rounding; float32 sums in a different order than torch's kernels.
TOLERANCE = {np.float32: dict(rtol=2e-5, atol=2e-5), np.float64: dict(rtol=1e-9, atol=1e-10)}


def assert_close(actual, expected, dtype):
    """Compare a numpy result with a torch tensor (or array): shape, dtype and values."""
    if hasattr(expected, "detach"):
        expected = expected.detach().numpy()
    assert actual.shape == expected.shape
    assert actual.dtype == expected.dtype
    np.testing.assert_allclose(actual, expected, **TOLERANCE[dtype])


def to_tensor(array):
    return None if array is None else torch.from_numpy(np.ascontiguousarray(array))
