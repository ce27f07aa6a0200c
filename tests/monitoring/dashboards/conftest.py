from unittest import mock

import pytest

from .factories import TODAY, build_world


@pytest.fixture
def today():
    """Pin "today" of the execution, visit and dashboard rules."""
    with mock.patch("monitoring.progress.today", return_value=TODAY):
        yield TODAY


@pytest.fixture
def world(db, today):
    return build_world()
