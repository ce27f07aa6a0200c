"""The list, form and completion pages run the same number of queries
whatever the number of schools and forms."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import SubmissionStatus

from .factories import SchoolFactory, form, participate

pytestmark = pytest.mark.django_db
MAX_QUERIES = 12


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(world, n):
    municipality = world.schools["a1"].municipality
    statuses = list(SubmissionStatus)
    for i in range(n):
        school = SchoolFactory(municipality=municipality)
        participate(school)
        form(
            world.stage,
            school,
            statuses[i % len(statuses)],
            pupils=i,
            failing=i % 100,
            plan_ok=bool(i % 2),
        )


@pytest.mark.parametrize(
    "role", ["regional_staff", "municipal_a", "curator_a1", "school_a1", "observer"]
)
def test_pages_queries_do_not_grow(client, world, role):
    client.force_login(world.users[role])
    client.get(reverse("home"))  # the session's time zone
    form(world.stage, world.schools["a1"], pupils=3, failing=2, plan_ok=True)
    urls = [
        reverse("monitoring:stage-list"),
        reverse("monitoring:stage-detail", args=[world.stage.pk]),
        reverse(
            "monitoring:submission-detail",
            args=[world.stage.pk, world.schools["a1"].pk],
        ),
        reverse("monitoring:stage-completion", args=[world.stage.pk]),
        reverse("monitoring:stage-completion", args=[world.stage.pk])
        + "?status=late&include_submitted=1",
    ]
    grow(world, 3)
    small = [count(client, u) for u in urls]
    grow(world, 40)
    large = [count(client, u) for u in urls]
    assert small == large
    assert max(large) <= MAX_QUERIES, large
