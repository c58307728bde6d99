"""Shared test set-up: torch's random state, and the `site` marker on the site tests.

Tests that need torch import it themselves (``pytest.importorskip``), so the
numpy-only tests run where torch is not installed.
"""

from pathlib import Path

import pytest

try:
    from hypothesis import settings
except ImportError:
    pass
else:
    # No time limit on an example: the properties are what is checked, and on a machine that
    # other builds share an example's time says nothing of the package (the tests that set
    # their own settings already say deadline=None).
    settings.register_profile("no-deadline", deadline=None)
    settings.load_profile("no-deadline")

SITE_TESTS = Path(__file__).parent / "site"


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/site with `site`: `pytest -m "not site"` runs the package alone."""
    for item in items:
        if SITE_TESTS in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.site)


@pytest.fixture(autouse=True)
def _seed_torch():
    """Every test starts from the same torch random state, where torch is installed."""
    try:
        import torch
    except ImportError:
        return
    torch.manual_seed(0)
