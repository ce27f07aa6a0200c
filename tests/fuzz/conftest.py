"""Hypothesis profiles of the fuzz tests.

"fuzz" (the default) is what CI runs: derandomized, so every run draws the
same examples, with no example database written into the checkout.
HYPOTHESIS_PROFILE=fuzz-deep draws fresh random examples, ten times as many
(see support.fuzz), for a longer hunt before a release.
"""

import os

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, settings

from .support import MAX_ROWS

settings.register_profile(
    "fuzz",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    # Files are slow to build and some strategies are big by design; the
    # Django fixtures are shared by the examples on purpose (read-only, or
    # rolled back per example).
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
)
settings.register_profile(
    "fuzz-deep", parent=settings.get_profile("fuzz"), derandomize=False
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))


@pytest.fixture
def few_rows():
    """A low row limit, so that «too many rows» is reached by small files."""
    with override_settings(ROADMAP_IMPORT_MAX_ROWS=MAX_ROWS):
        yield
