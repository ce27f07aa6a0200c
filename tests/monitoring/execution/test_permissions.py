"""Who may report, confirm, reject, read and download, for every role (the
pages and the rules agree; outside the scope 404, inside without the right 403)."""

from unittest import mock

import pytest
from django.urls import reverse

from monitoring.execution import services
from monitoring.execution.selectors import reportable_q
from monitoring.models import ActivityReport, ReportDecision, ReportEvidence
from roadmaps.models import Activity
from schools.access import can

from .factories import TODAY, build_world, pdf

pytestmark = pytest.mark.django_db

ACTIVITIES = [
    "R_dept",
    "R_coord",
    "R_a1",
    "M_mouo",
    "M_org",
    "S_school",
    "S_curator",
    "C_school",
    "D_mouo",
]
OK, NO, HIDDEN = 302, 403, 404
# role -> what POSTing a report on each activity answers.
REPORT = {
    "observer": dict.fromkeys(ACTIVITIES, NO),
    "administrator": dict.fromkeys(ACTIVITIES, HIDDEN),
    "regional_staff": {
        **dict.fromkeys(ACTIVITIES, NO),
        "R_dept": OK,
        "C_school": HIDDEN,
    },
    "regional_coordinator": {
        **dict.fromkeys(ACTIVITIES, NO),
        "R_coord": OK,
        "C_school": HIDDEN,
    },
    "municipal_a": {
        **dict.fromkeys(ACTIVITIES, NO),
        "M_mouo": OK,
        "M_org": OK,
        "C_school": HIDDEN,
    },
    "municipal_b": {
        **dict.fromkeys(ACTIVITIES, HIDDEN),
        "R_dept": NO,
        "R_coord": NO,
        "R_a1": NO,
    },
    "school_a1": {
        **dict.fromkeys(ACTIVITIES, NO),
        "R_a1": OK,
        "S_school": OK,
        "C_school": HIDDEN,
        "D_mouo": HIDDEN,
    },
    "school_a2": {
        **dict.fromkeys(ACTIVITIES, NO),
        "S_school": HIDDEN,
        "S_curator": HIDDEN,
        "C_school": HIDDEN,
        "D_mouo": HIDDEN,
    },
    "curator_a1": {
        **dict.fromkeys(ACTIVITIES, NO),
        "S_school": OK,
        "S_curator": OK,
        "C_school": HIDDEN,
        "D_mouo": HIDDEN,
    },
    "curator_c1": {
        **dict.fromkeys(ACTIVITIES, HIDDEN),
        "C_school": OK,
    },
}
CASES = [(role, key, code) for role, row in REPORT.items() for key, code in row.items()]


@pytest.fixture
def world():
    with mock.patch("monitoring.progress.today", return_value=TODAY):
        yield build_world()


def report_data(**extra):
    return {"result": "done", "done_on": "2022-06-01", "comment": "", **extra}


@pytest.mark.parametrize(("role", "key", "code"), CASES)
def test_report_page_and_post_by_role(client, world, role, key, code):
    activity = world.activities[key]
    client.force_login(world.users[role])
    url = reverse("monitoring:activity-reports", args=[activity.pk])
    page = client.get(url)
    assert page.status_code == (404 if code == HIDDEN else 200)
    if code != HIDDEN:
        assert (page.context["form"] is not None) == (code == OK)
    response = client.post(url, report_data())
    assert response.status_code == code
    assert ActivityReport.objects.filter(activity=activity).exists() == (code == OK)


@pytest.mark.parametrize(("role", "key", "code"), CASES)
def test_rule_and_query_agree_with_the_pages(world, role, key, code):
    user, activity = world.users[role], world.activities[key]
    assert can(user, "report", activity) == (code == OK)
    in_query = Activity.objects.filter(reportable_q(user), pk=activity.pk).exists()
    # The query ignores editions; the rule adds "in force".
    assert in_query == (code == OK or (key == "D_mouo" and role == "municipal_a"))


DECIDE = {
    "observer": NO,
    "administrator": HIDDEN,
    "regional_staff": NO,
    "regional_coordinator": NO,
    "municipal_a": NO,
    "municipal_b": HIDDEN,
    "school_a1": NO,
    "school_a2": HIDDEN,
    "curator_a1": OK,
    "curator_c1": HIDDEN,
}


@pytest.fixture
def pending(world):
    with mock.patch("monitoring.progress.today", return_value=TODAY):
        return services.report_create(
            by=world.users["school_a1"],
            activity=world.activities["S_school"],
            result="done",
            done_on=TODAY,
            files=[pdf()],
            links=[services.Link("https://school-a1.example/news/1")],
        )


@pytest.mark.parametrize(("role", "code"), DECIDE.items())
@pytest.mark.parametrize("decision", ["confirmed", "rejected"])
def test_confirm_and_reject_by_role(client, world, pending, role, code, decision):
    assert pending.decision == ReportDecision.PENDING
    client.force_login(world.users[role])
    response = client.post(
        reverse("monitoring:report-decide", args=[pending.pk]),
        {"decision": decision, "comment": "Нет подтверждающих документов"},
    )
    assert response.status_code == code
    pending.refresh_from_db()
    expected = decision if code == OK else ReportDecision.PENDING
    assert pending.decision == expected
    assert can(world.users[role], "decide", pending) is False  # decided or never


@pytest.mark.parametrize(("role", "code"), DECIDE.items())
def test_decide_rule_by_role(world, pending, role, code):
    assert can(world.users[role], "decide", pending) == (code == OK)


# Reading reports and downloading evidence: wherever the plan is read.
VIEW = {
    "observer": 200,
    "administrator": 404,
    "regional_staff": 200,
    "regional_coordinator": 200,
    "municipal_a": 200,
    "municipal_b": 404,
    "school_a1": 200,
    "school_a2": 404,
    "curator_a1": 200,
    "curator_c1": 404,
}


@pytest.mark.parametrize(("role", "code"), VIEW.items())
def test_view_and_download_by_role(client, world, pending, role, code):
    user = world.users[role]
    assert can(user, "view", pending) == (code == 200)
    client.force_login(user)
    page = client.get(
        reverse("monitoring:activity-reports", args=[pending.activity_id])
    )
    assert page.status_code == code
    evidence = ReportEvidence.objects.get(report=pending, url="")
    download = client.get(reverse("monitoring:evidence-download", args=[evidence.pk]))
    assert download.status_code == code
    if code == 200:
        assert b"".join(download.streaming_content).startswith(b"%PDF")
        assert "attachment" in download["Content-Disposition"]
        assert can(user, "download", evidence)
