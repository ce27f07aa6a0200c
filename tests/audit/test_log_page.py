"""Who may read the log, its filters, its pages and its bounded queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from roadmaps.audit import selectors
from roadmaps.models import EditionEvent
from schools.models import Membership, Role
from tests.factories import (
    CuratorAssignmentFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    roadmap_with_edition,
    user_with_role,
)
from tests.helpers import close_response

pytestmark = pytest.mark.django_db

URLS = ("audit:log", "audit:export")


@pytest.mark.parametrize("name", URLS)
def test_only_superusers_read_the_log(client, superuser, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    for user in [
        user_with_role(Role.FEDERAL_OBSERVER),
        user_with_role(Role.ADMINISTRATOR, is_staff=True),
        user_with_role(Role.REGIONAL_STAFF, OrganisationFactory()),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == 403, user
    client.force_login(UserFactory(is_superuser=True, is_active=False))
    assert client.get(url).status_code == 302
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code == 200
    close_response(response)


def test_a_background_export_is_refused_to_others_too(client):
    client.force_login(user_with_role(Role.ADMINISTRATOR, is_staff=True))
    assert client.post(reverse("audit:export")).status_code == 403
    assert client.post(reverse("audit:log")).status_code == 405


def _membership_changed(user, **fields):
    membership = Membership.objects.get(user__username=user)
    for name, value in fields.items():
        setattr(membership, name, value)
    membership._history_user = UserFactory(username="changer")
    membership.save()


def test_filters_by_user_kind_action_and_date(log):
    user_with_role(Role.FEDERAL_OBSERVER, username="watcher")
    _membership_changed("watcher", position="Наблюдатель")
    roadmap_with_edition(owner=OrganisationFactory(), activities=1)
    assert {e.who for e in log(user="CHANGER")} == {"changer"}
    assert {e.kind for e in log(kind="schools.membership")} == {"роль пользователя"}
    assert {e.action for e in log(action="~", kind="schools.membership")} == {"~"}
    assert [e.kind for e in log(action="+", kind="roadmaps.activity")] == [
        "мероприятие"
    ]
    assert log(action="event") == []
    today = timezone.localdate()
    assert len(log(date_from=today, date_to=today)) == len(log())
    tomorrow = today + datetime.timedelta(days=1)
    assert log(date_from=tomorrow) == []
    assert log(date_to=today - datetime.timedelta(days=1)) == []


def test_wrong_filters_show_their_error_and_no_rows(client, superuser):
    roadmap_with_edition(owner=OrganisationFactory())
    client.force_login(superuser)
    page = client.get(
        reverse("audit:log"), {"date_from": "2022-05-02", "date_to": "2022-05-01"}
    )
    assert page.context["page"].entries == []
    assert "Дата начала позже даты окончания." in page.content.decode()
    bad_kind = client.get(reverse("audit:log"), {"kind": "auth.user"})
    assert bad_kind.context["form"].errors
    assert client.get(reverse("audit:export"), {"kind": "x"}).status_code == 404


def test_pages_go_back_in_time(client, superuser, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    body = OrganisationFactory()
    for n in range(4):
        MembershipFactory(user=UserFactory(username=f"u{n}"), organisation=body)
        CuratorAssignmentFactory(curator=UserFactory(username=f"c{n}"))
    everything = list(selectors.log_entries(selectors.Criteria()))
    client.force_login(superuser)
    seen, number = [], 1
    while True:
        page = client.get(reverse("audit:log"), {"page": number}).context["page"]
        seen += page.entries
        assert page.has_previous == (number > 1)
        if not page.has_next:
            break
        number += 1
    assert number == -(-len(everything) // 3)
    assert [(e.at, e.label) for e in seen] == [(e.at, e.label) for e in everything]
    assert [e.at for e in seen] == sorted((e.at for e in seen), reverse=True)
    text = client.get(reverse("audit:log"), {"page": "x"}).content.decode()
    assert "записи 1–3" in text


def _changes(n: int) -> None:
    """N plans with a changed row and an approval, N roles changed, N
    assignments added and removed."""
    editor = UserFactory()
    for i in range(n):
        roadmap = roadmap_with_edition(
            owner=OrganisationFactory(), status="approved", activities=2
        )
        activity = roadmap.current_edition.activities.first()
        activity.title = f"Изменено {i}"
        activity._history_user = editor
        activity.save()
        EditionEvent.objects.create(
            edition=roadmap.current_edition,
            action="approve",
            from_status="agreed",
            to_status="approved",
            actor=editor,
        )
        membership = MembershipFactory(
            user=UserFactory(), organisation=None, role=Role.CURATOR
        )
        membership.position = "Куратор"
        membership._history_user = editor
        membership.save()
        CuratorAssignmentFactory(curator=membership.user).delete()


def _queries(client, **filters) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("audit:log"), filters)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_page_runs_the_same_few_queries_at_any_size(client, superuser):
    client.force_login(superuser)
    client.get(reverse("home"))  # the session's time zone is set once
    _changes(1)
    small = (_queries(client), _queries(client, user=superuser.username, page=2))
    _changes(12)
    large = (_queries(client), _queries(client, user=superuser.username, page=2))
    assert small == large
    assert max(large) <= 12
    assert len(client.get(reverse("audit:log")).context["page"].entries) == 50
