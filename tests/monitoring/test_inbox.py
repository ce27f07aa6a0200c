"""Monitoring's decisions appear in the «Ждут моего решения» inbox and its count."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.inbox import waiting
from monitoring.models import (
    ActivityReport,
    MonitoringSubmission,
    ReportDecision,
    RiskProfile,
    VisitSchedule,
)
from roadmaps.demo import load_demo
from roadmaps.selectors import inbox_count


@pytest.fixture
def demo(db):
    load_demo()
    return get_user_model().objects


def test_the_curator_sees_what_waits_for_them(client, demo):
    curator = demo.get(username="curator")
    pending = ActivityReport.objects.filter(
        is_latest=True, decision=ReportDecision.PENDING, roadmap__level="school"
    )
    forms = MonitoringSubmission.objects.filter(status="submitted")
    profiles = RiskProfile.objects.filter(status="submitted")
    assert pending.exists()
    assert forms.exists()
    assert profiles.exists()
    found = waiting(curator)
    assert {k: v.count() for k, v in found.items()} == {
        "reports": pending.count(),
        "forms": forms.count(),
        "profiles": profiles.count(),
    }
    client.force_login(curator)
    html = client.get(reverse("roadmaps:inbox")).content.decode()
    assert html.count('data-testid="inbox-report"') == pending.count()
    assert html.count('data-testid="inbox-form"') == forms.count()
    assert html.count('data-testid="inbox-profile"') == profiles.count()
    expected = pending.count() + forms.count() + profiles.count()
    assert inbox_count(user=curator) == expected
    assert f'data-testid="inbox-count">{expected}<' in html


def test_decided_items_leave_the_inbox(demo):
    curator = demo.get(username="curator")
    before = inbox_count(user=curator)
    submitted = MonitoringSubmission.objects.filter(status="submitted")
    n_forms = submitted.count()
    assert n_forms
    submitted.update(status="confirmed")
    assert inbox_count(user=curator) == before - n_forms
    assert not waiting(curator)["forms"].exists()


@pytest.mark.parametrize("username", ["naleyka", "kolpna", "observer", "admin"])
def test_others_do_not_get_the_curators_decisions(demo, username):
    user = demo.get(username=username)
    found = waiting(user)
    assert "reports" not in found
    assert "forms" not in found
    assert not any(qs.exists() for qs in found.values())


def test_the_coordinator_approves_submitted_schedules(demo):
    coordinator = demo.get(username="kuzovatovo")
    schedule = VisitSchedule.objects.get(municipality__name__contains="Кузоватов")
    assert not waiting(coordinator)["schedules"].exists()
    schedule.status = "submitted"
    schedule.save()
    assert list(waiting(coordinator)["schedules"]) == [schedule]
    assert not waiting(demo.get(username="kolpna"))["schedules"].exists()


def test_the_inbox_page_runs_a_bounded_number_of_queries(client, demo):
    curator = demo.get(username="curator")
    client.force_login(curator)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("roadmaps:inbox")).status_code == 200
    # session, user, the curator's scope, the navigation counts, the plans
    # and documents, my plans, three monitoring lists, and the page's own
    assert len(ctx) <= 13
