"""Who may plan, edit, submit, approve, reopen, record, view and export visits.

Every role of the two-region world against the schedule of district A
(tests/monitoring/visits/factories.py): outside the scope 404, inside it
without the right 403, allowed 302 (a POST) or 200 (a page).
"""

import datetime

import pytest
from django.urls import reverse

from monitoring.models import CuratorVisit, ScheduleStatus

from .factories import YEAR, build_world

pytestmark = pytest.mark.django_db

ROLES = [
    "observer",
    "administrator",
    "regional_staff",
    "regional_coordinator",
    "coordinator_a",
    "coordinator_b",
    "coordinator_c",
    "curator",
    "other_curator",
    "curator_b",
    "school_a1",
    "school_a3",
    "nobody",
]

OUTSIDE = {"administrator", "coordinator_b", "coordinator_c", "curator_b", "nobody"}
READERS = {"observer", "regional_staff", "regional_coordinator", "school_a1"}


def expected(allowed: set[str], *, hidden: set[str] = frozenset()) -> dict:
    """Allowed roles succeed, roles outside the scope (or the row) get 404,
    the rest 403."""
    codes = {}
    for role in ROLES:
        if role in allowed:
            codes[role] = "ok"
        elif role in OUTSIDE or role in hidden:
            codes[role] = 404
        else:
            codes[role] = 403
    return codes


def schedule_url(w):
    return reverse("monitoring:schedule-detail", args=[w.bodies["mun_a"].pk, YEAR])


def visit_url(w):
    return reverse("monitoring:visit-detail", args=[w.visit.pk])


def check(response, want, ok_status=302):
    if want == "ok":
        assert response.status_code == ok_status, response.content[:500]
    else:
        assert response.status_code == want


VIEW_SCHEDULE = expected(
    READERS | {"coordinator_a", "curator", "other_curator", "school_a3"}
)


@pytest.mark.parametrize("role", ROLES)
def test_schedule_page_view_matrix(client, role):
    w = build_world()
    client.force_login(w.users[role])
    check(client.get(schedule_url(w)), VIEW_SCHEDULE[role], ok_status=200)


# The visit of `curator` to school A1: the other curator and school A3 do not see it.
VIEW_VISIT = expected(
    READERS | {"coordinator_a", "curator"}, hidden={"other_curator", "school_a3"}
)


@pytest.mark.parametrize("role", ROLES)
def test_visit_page_view_matrix(client, role):
    w = build_world()
    client.force_login(w.users[role])
    check(client.get(visit_url(w)), VIEW_VISIT[role], ok_status=200)


PLAN = expected({"coordinator_a", "curator", "other_curator"})


def plan_data(w, role):
    user = w.users[role]
    if role == "other_curator":
        curator, school = user, w.bodies["a3"]
    elif role in ("curator", "coordinator_a"):
        curator, school = w.users["curator"], w.bodies["a2"]
    else:
        curator, school = user, w.bodies["a1"]
    return {
        "do": "plan",
        "curator": curator.pk,
        "school": school.pk,
        "planned_on": f"{YEAR}-10-05",
        "purpose": "Консультация по дорожной карте",
    }


@pytest.mark.parametrize("role", ROLES)
def test_plan_matrix(client, role):
    w = build_world()
    client.force_login(w.users[role])
    response = client.post(schedule_url(w), plan_data(w, role))
    check(response, PLAN[role])
    planned = CuratorVisit.objects.filter(planned_on=datetime.date(YEAR, 10, 5))
    assert planned.exists() == (PLAN[role] == "ok")


EDIT = expected({"coordinator_a", "curator"}, hidden={"other_curator", "school_a3"})


@pytest.mark.parametrize("role", ROLES)
def test_edit_matrix(client, role):
    w = build_world()
    client.force_login(w.users[role])
    response = client.post(
        visit_url(w),
        {
            "do": "edit",
            "curator": w.users["curator"].pk,
            "school": w.bodies["a1"].pk,
            "planned_on": f"{YEAR}-09-20",
            "purpose": "Посещение уроков",
            "version": 1,
        },
    )
    check(response, EDIT[role])
    w.visit.refresh_from_db()
    changed = w.visit.planned_on == datetime.date(YEAR, 9, 20)
    assert changed == (EDIT[role] == "ok")


@pytest.mark.parametrize("role", ROLES)
def test_delete_matrix(client, role):
    w = build_world()
    client.force_login(w.users[role])
    response = client.post(visit_url(w), {"do": "delete", "version": 1})
    check(response, EDIT[role])
    assert CuratorVisit.objects.filter(pk=w.visit.pk).exists() == (EDIT[role] != "ok")


SUBMIT = expected({"curator", "other_curator"})


@pytest.mark.parametrize("role", ROLES)
def test_submit_matrix(client, role):
    w = build_world()
    client.force_login(w.users[role])
    response = client.post(schedule_url(w), {"do": "submit", "version": 1})
    check(response, SUBMIT[role])
    w.schedule.refresh_from_db()
    submitted = w.schedule.status == ScheduleStatus.SUBMITTED
    assert submitted == (SUBMIT[role] == "ok")


APPROVE = expected({"coordinator_a"})


@pytest.mark.parametrize("role", ROLES)
def test_approve_matrix(client, role):
    w = build_world(status=ScheduleStatus.SUBMITTED)
    client.force_login(w.users[role])
    response = client.post(schedule_url(w), {"do": "approve", "version": 1})
    check(response, APPROVE[role])
    w.schedule.refresh_from_db()
    approved = w.schedule.status == ScheduleStatus.APPROVED
    assert approved == (APPROVE[role] == "ok")


@pytest.mark.parametrize("role", ROLES)
def test_reopen_matrix(client, role):
    w = build_world(status=ScheduleStatus.APPROVED)
    client.force_login(w.users[role])
    response = client.post(schedule_url(w), {"do": "reopen", "version": 1})
    check(response, APPROVE[role])
    w.schedule.refresh_from_db()
    reopened = w.schedule.status == ScheduleStatus.DRAFT
    assert reopened == (APPROVE[role] == "ok")


RECORD = expected({"curator"}, hidden={"other_curator", "school_a3"})


@pytest.mark.parametrize("role", ROLES)
def test_record_matrix(client, role):
    w = build_world(status=ScheduleStatus.APPROVED)
    client.force_login(w.users[role])
    response = client.post(
        visit_url(w),
        {"do": "record", "held_on": f"{YEAR}-05-30", "notes": "Посетили уроки."},
    )
    check(response, RECORD[role])
    w.visit.refresh_from_db()
    assert (w.visit.held_on is not None) == (RECORD[role] == "ok")


# Visits each role finds in the list and the export (the one visit of A1).
LISTS_THE_VISIT = READERS | {"coordinator_a", "curator"}


@pytest.mark.parametrize("role", ROLES)
def test_list_and_export_matrix(client, role):
    from io import BytesIO

    from openpyxl import load_workbook

    w = build_world()
    client.force_login(w.users[role])
    page = client.get(reverse("monitoring:visit-list"))
    export = client.get(reverse("monitoring:visit-export"))
    if role in ("administrator", "nobody"):
        assert page.status_code == 404
        assert export.status_code == 404
        return
    assert page.status_code == 200
    listed = {row.record.pk for row in page.context["table"].page.object_list}
    assert listed == ({w.visit.pk} if role in LISTS_THE_VISIT else set())
    rows = list(load_workbook(BytesIO(export.getvalue())).active.iter_rows(min_row=2))
    assert len(rows) == (1 if role in LISTS_THE_VISIT else 0)


def test_school_reads_its_visits_without_forms(client):
    w = build_world(status=ScheduleStatus.APPROVED)
    client.force_login(w.users["school_a1"])
    page = client.get(visit_url(w))
    assert page.context["plan_form"] is None
    assert page.context["record_form"] is None
    schedule_page = client.get(schedule_url(w))
    assert schedule_page.context["plan_form"] is None
    assert schedule_page.context["steps"] == []
    assert [v.pk for v in schedule_page.context["visits"]] == [w.visit.pk]
