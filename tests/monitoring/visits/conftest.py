from unittest import mock

import pytest

from .factories import TODAY, build_world


@pytest.fixture(autouse=True)
def fixed_today():
    """Every visits test runs on 1 June 2022 unless it patches another day."""
    with mock.patch("monitoring.progress.today", return_value=TODAY) as patched:
        yield patched


@pytest.fixture
def world(db):
    return build_world()
