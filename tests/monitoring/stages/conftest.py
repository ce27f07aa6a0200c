import datetime
from unittest import mock

import pytest

from .factories import build_world

TODAY_USERS = (
    "monitoring.stages.rules.today",
    "monitoring.stages.services.today",
    "monitoring.stages.selectors.today",
    "monitoring.stages.views.today",
)


@pytest.fixture
def on():
    """Pin "today" for the stage rules: `on(date(2022, 6, 15))`."""
    patches = []

    def pin(day: datetime.date):
        for target in TODAY_USERS:
            p = mock.patch(target, return_value=day)
            p.start()
            patches.append(p)

    yield pin
    for p in reversed(patches):
        p.stop()


@pytest.fixture
def world(db, on):
    on(datetime.date(2022, 6, 15))
    return build_world()
