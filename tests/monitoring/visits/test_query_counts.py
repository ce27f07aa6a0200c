"""Visits pages run the same number of queries whatever the number of rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import ScheduleStatus
from tests.helpers import close_response

from .factories import YEAR, VisitFactory, build_world

pytestmark = pytest.mark.django_db
MAX_QUERIES = 12


def count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    if response.streaming:
        close_response(response)
    return len(ctx.captured_queries)


def grow(w, n):
    for i in range(n):
        VisitFactory(
            schedule=w.schedule,
            curator=w.users["curator"],
            school=w.bodies["a1" if i % 2 else "a2"],
            planned_on=datetime.date(YEAR, 1 + i % 12, 1 + i % 28),
            held_on=datetime.date(YEAR, 1, 5) if i % 3 == 0 else None,
            notes="Заметки" if i % 3 == 0 else "",
        )


@pytest.mark.parametrize("role", ["coordinator_a", "curator", "regional_staff"])
def test_visit_pages_queries_do_not_grow(client, role):
    w = build_world()
    client.force_login(w.users[role])
    client.get(reverse("home"))  # warm the session's time zone
    schedule_page = reverse(
        "monitoring:schedule-detail", args=[w.bodies["mun_a"].pk, YEAR]
    )
    pages = [
        (reverse("monitoring:visit-list"), {}),
        (reverse("monitoring:visit-list"), {"state": "overdue", "year": YEAR}),
        (reverse("monitoring:schedule-list"), {}),
        (schedule_page, {}),
        (reverse("monitoring:visit-detail", args=[w.visit.pk]), {}),
    ]
    grow(w, 3)
    small = [count(client, url, params) for url, params in pages]
    grow(w, 60)
    large = [count(client, url, params) for url, params in pages]
    assert small == large
    assert max(large) <= MAX_QUERIES, large


def test_approved_schedule_page_for_curator_queries(client):
    w = build_world(status=ScheduleStatus.APPROVED)
    client.force_login(w.users["curator"])
    client.get(reverse("home"))
    url = reverse("monitoring:schedule-detail", args=[w.bodies["mun_a"].pk, YEAR])
    grow(w, 3)
    small = count(client, url)
    grow(w, 40)
    assert count(client, url) == small <= MAX_QUERIES


def test_export_queries_do_not_grow(client):
    w = build_world()
    client.force_login(w.users["coordinator_a"])
    client.get(reverse("home"))
    url = reverse("monitoring:visit-export")
    grow(w, 3)
    small = count(client, url)
    grow(w, 60)
    assert count(client, url) == small <= MAX_QUERIES
