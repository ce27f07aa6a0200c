"""The list's region/municipality choices come from the user's scope, and
«my tasks» narrows to candidate ids without changing what it finds."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db.models import Q
from django.urls import reverse

from monitoring.execution import services
from monitoring.execution.selectors import (
    activities_in_force,
    my_tasks,
    task_candidates,
    task_parts,
)
from roadmaps.models import Activity

from .factories import TODAY, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    with mock.patch("monitoring.progress.today", return_value=TODAY):
        yield build_world()


def choices(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("monitoring:activity-list"), params)
    assert response.status_code == 200
    form = response.context["filter"].form
    return (
        {str(r) for r in form.fields["region"].queryset},
        {m.name for m in form.fields["municipality"].queryset},
        response,
    )


def test_municipal_user_chooses_only_own_territory(client, world):
    regions, municipalities, _ = choices(client, world.users["municipal_a"])
    assert regions == {"Регион-1"}
    assert municipalities == {"Район А"}


def test_regional_staff_chooses_the_municipalities_of_the_region(client, world):
    regions, municipalities, _ = choices(client, world.users["regional_staff"])
    assert regions == {"Регион-1"}
    assert municipalities == {"Район А", "Район Б"}


def test_observer_chooses_a_region_before_its_municipalities(client, world):
    observer = world.users["observer"]
    regions, municipalities, _ = choices(client, observer)
    assert regions == {"Регион-1", "Регион-2"}
    assert municipalities == set()
    region2 = world.bodies["c1"].municipality.region
    regions, municipalities, response = choices(client, observer, region=region2.pk)
    assert municipalities == {"Район В"}
    titles = {row.record.title for row in response.context["table"].page.object_list}
    assert titles == {world.activities["C_school"].title}


def test_observer_drill_down_by_municipality_alone_still_filters(client, world):
    mun_c = world.bodies["c1"].municipality
    _, municipalities, response = choices(
        client, world.users["observer"], municipality=mun_c.pk
    )
    assert municipalities == {"Район В"}
    titles = {row.record.title for row in response.context["table"].page.object_list}
    assert titles == {world.activities["C_school"].title}


@pytest.mark.parametrize(
    "who",
    [
        "school_a1",
        "municipal_a",
        "regional_staff",
        "regional_coordinator",
        "curator_a1",
    ],
)
def test_candidates_hold_every_task(world, who):
    user = world.users[who]
    # Every activity is overdue: each user has the tasks of what it reports on.
    Activity.objects.update(
        deadline_start=TODAY - timedelta(days=60),
        deadline_end=TODAY - timedelta(days=1),
    )
    with mock.patch("monitoring.progress.today", return_value=TODAY):
        parts = task_parts(user, TODAY)
        every = Q(pk__in=[])
        for part in parts.values():
            every |= part
        wanted = set(activities_in_force(user=user).filter(every).values_list("pk"))
        candidates = {next(iter(row.values())) for row in task_candidates(user)}
        assert wanted  # every user of the world has a task, or the test is idle
        assert {pk for (pk,) in wanted} <= candidates
        found = set(my_tasks(user=user, on=TODAY).values_list("pk"))
        assert found == wanted


def test_rejected_report_stays_a_task_of_its_reporter(world):
    activity = world.activities["S_school"]
    school, curator = world.users["school_a1"], world.users["curator_a1"]
    with mock.patch("monitoring.progress.today", return_value=TODAY):
        report = services.report_create(
            by=school, activity=activity, result="done", done_on=TODAY, comment="Акт"
        )
        services.report_decide(
            by=curator,
            report=report,
            decision="rejected",
            comment="Нет акта",
            version=report.version,
        )
        tasks = my_tasks(user=school, on=TODAY, kind="redo")
        assert list(tasks.values_list("pk", flat=True)) == [activity.pk]
