"""The per-user page cache (config/pagecache.py) on real PostgreSQL connections.

A page comes from the cache only for the same user, URL, day and CSRF secret
while nothing at all was committed since; anything else draws it afresh.
"""

import datetime
from unittest import mock

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from config.pagecache import HEADER
from monitoring.execution import services
from roadmaps.models import Activity
from schools.models import CuratorAssignment, Membership
from tests.factories import RegionFactory
from tests.monitoring.execution.factories import TODAY, build_world
from tests.races import skip_unless_postgres

TASKS = reverse("monitoring:my-tasks")
LIST = reverse("monitoring:activity-list")


@pytest.fixture
def world(transactional_db):
    """The execution world, committed (every request in autocommit)."""
    skip_unless_postgres("the page cache keys pages by a PostgreSQL snapshot")
    with (
        mock.patch("monitoring.progress.today", return_value=TODAY),
        override_settings(PAGE_CACHE_SECONDS=60),
    ):
        yield build_world()


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def warm(client, url=TASKS):
    """Ask until the page is stored: the first answer sets the CSRF cookie."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    assert response[HEADER] == "miss"
    return response


@pytest.mark.postgres
def test_the_same_page_again_comes_from_the_cache_until_anything_is_written(world):
    client = client_of(world.users["school_a1"])
    drawn = warm(client)
    again = client.get(TASKS)
    assert again[HEADER] == "hit"
    assert again.content == drawn.content
    # A report changes the school's tasks: drawn afresh, with the change.
    before = drawn.context["tasks"]
    services.report_create(
        by=world.users["school_a1"],
        activity=world.activities["S_school"],
        result="done",
        done_on=TODAY,
        comment="Сделано",
    )
    after = client.get(TASKS)
    assert after[HEADER] == "miss"
    assert after.context["tasks"] != before
    assert client.get(TASKS)[HEADER] == "hit"


@pytest.mark.postgres
def test_a_write_to_any_other_table_draws_the_page_afresh(world):
    client = client_of(world.users["school_a1"])
    warm(client, LIST)
    RegionFactory(name="Новый регион")
    assert client.get(LIST)[HEADER] == "miss"


@pytest.mark.postgres
def test_a_bulk_update_without_signals_draws_the_page_afresh(world):
    client = client_of(world.users["school_a1"])
    warm(client, LIST)
    Activity.objects.filter(pk=world.activities["S_school"].pk).update(
        title="Переименовано"
    )
    response = client.get(LIST)
    assert response[HEADER] == "miss"
    assert "Переименовано" in response.content.decode()


@pytest.mark.postgres
def test_a_user_never_gets_another_users_page(world):
    first = client_of(world.users["curator_a1"])
    second = client_of(world.users["school_a1"])  # logged in before: no write between
    warm(first)
    # Even with the first user's CSRF cookie, the second user's page is drawn.
    second.cookies["csrftoken"] = first.cookies["csrftoken"].value
    response = second.get(TASKS)
    assert response[HEADER] == "miss"
    assert response.wsgi_request.user == world.users["school_a1"]
    assert response.content != first.get(TASKS).content


@pytest.mark.postgres
def test_a_user_who_loses_the_right_is_refused_at_once(world):
    client = client_of(world.users["curator_a1"])
    plan_page = world.plans["S"].get_absolute_url()
    warm(client, plan_page)
    assert client.get(plan_page)[HEADER] == "hit"
    CuratorAssignment.objects.filter(curator=world.users["curator_a1"]).delete()
    Membership.objects.filter(user=world.users["curator_a1"]).delete()
    for _ in range(2):  # and a refusal is never stored
        refused = client.get(plan_page)
        assert refused.status_code in (403, 404)
        assert refused.get(HEADER) != "hit"


@pytest.mark.postgres
def test_a_new_day_draws_the_page_afresh(world):
    client = client_of(world.users["school_a1"])
    warm(client)
    with mock.patch(
        "monitoring.progress.today", return_value=TODAY + datetime.timedelta(days=1)
    ):
        assert client.get(TASKS)[HEADER] == "miss"


@pytest.mark.postgres
def test_a_page_with_a_flash_message_is_neither_served_nor_stored(world):
    client = client_of(world.users["school_a1"])
    warm(client)
    # A message left by the previous answer (a save, say), as its cookie.
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode(
        [Message(constants.SUCCESS, "Сохранено")]
    )
    shown = client.get(TASKS)
    assert HEADER not in shown  # drawn, the cache not even asked
    assert "Сохранено" in shown.content.decode()
    # Shown once: the next answer is the page stored before, without it (the
    # page that showed the message was never stored).
    again = client.get(TASKS)
    assert again[HEADER] == "hit"
    assert "Сохранено" not in again.content.decode()


@pytest.mark.postgres
def test_refused_and_anonymous_requests_are_not_cached(world):
    stranger = client_of(world.users["school_a1"])
    foreign = world.plans["C"].get_absolute_url()  # another region's school
    for _ in range(3):
        response = stranger.get(foreign)
        assert response.status_code in (403, 404)
        assert response.get(HEADER) != "hit"
    anonymous = Client()
    assert anonymous.get(TASKS).status_code == 302
    assert HEADER not in anonymous.get(TASKS)


@pytest.mark.postgres
def test_off_when_page_cache_seconds_is_zero(world):
    client = client_of(world.users["school_a1"])
    with override_settings(PAGE_CACHE_SECONDS=0):
        client.get(TASKS)
        assert HEADER not in client.get(TASKS)
        assert HEADER not in client.get(TASKS)


@pytest.mark.django_db
def test_never_inside_a_transaction_nor_on_sqlite(client):
    """Inside a transaction a snapshot does not show the transaction's own
    uncommitted writes; SQLite has no snapshot: pages are always drawn."""
    from schools.models import Role
    from tests.factories import user_with_role

    client.force_login(user_with_role(Role.FEDERAL_OBSERVER))
    with override_settings(PAGE_CACHE_SECONDS=60):
        for _ in range(3):
            response = client.get(LIST)
            assert response.status_code == 200
            assert HEADER not in response
