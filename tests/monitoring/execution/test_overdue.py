"""Overdue and execution states on real deadline phrases of the seeds, at
fixed "today" dates; the list filter counts what progress.py derives."""

import datetime
from unittest import mock

import pytest
from django.db.models import Q

from monitoring import progress
from monitoring.execution import services
from monitoring.execution.selectors import state_q, with_execution
from monitoring.progress import ExecState, progress_of
from roadmaps.deadlines import interpret_deadline
from roadmaps.models import Activity, ExecutorRole

from .factories import add_activity, build_world

pytestmark = pytest.mark.django_db
D = datetime.date


def with_deadline(plan, text, roles=(ExecutorRole.MUNICIPAL_AUTHORITY,)):
    deadline = interpret_deadline(text, year=plan.period_start.year)
    return add_activity(
        plan,
        roles=roles,
        deadline_text=text,
        deadline_ranges=deadline.as_json(),
        deadline_start=deadline.start,
        deadline_end=deadline.end,
    )


def state_on(activity, on):
    annotated = with_execution(Activity.objects.filter(pk=activity.pk)).get()
    return progress_of(annotated, on)


@pytest.fixture
def world():
    with mock.patch("monitoring.progress.today", return_value=D(2022, 6, 15)):
        yield build_world()


@pytest.mark.parametrize(
    ("text", "on", "state", "overdue"),
    [
        ("март–апрель 2022", D(2022, 4, 30), ExecState.DUE, False),
        ("март–апрель 2022", D(2022, 5, 1), ExecState.OVERDUE, True),
        ("март-апрель", D(2022, 5, 1), ExecState.OVERDUE, True),
        ("До 15 мая 2022", D(2022, 5, 15), ExecState.DUE, False),
        ("До 15 мая 2022", D(2022, 5, 16), ExecState.OVERDUE, True),
        ("в течение года", D(2022, 6, 15), ExecState.DUE, False),
        ("в течение года", D(2022, 12, 31), ExecState.DUE, False),
        ("в течение года", D(2023, 1, 1), ExecState.OVERDUE, True),
        ("Сентябрь-декабрь 2022", D(2022, 6, 15), ExecState.PLANNED, False),
        ("Декабрь2021-январь2022", D(2022, 2, 1), ExecState.OVERDUE, True),
        ("По плану работы Совета", D(2022, 6, 15), ExecState.NO_DATE, False),
        ("По плану работы Совета", D(2030, 1, 1), ExecState.NO_DATE, False),
    ],
)
def test_state_of_an_unreported_activity(world, text, on, state, overdue):
    activity = with_deadline(world.plans["M"], text)
    found = state_on(activity, on)
    assert (found.state, found.overdue) == (state, overdue)
    assert (
        Activity.objects.filter(progress.overdue_q(on), pk=activity.pk).exists()
        is overdue
    )
    assert Activity.objects.filter(state_q(state, on), pk=activity.pk).exists()


def report(world, who, activity, **kwargs):
    return services.report_create(
        by=world.users[who],
        activity=activity,
        result=kwargs.pop("result", "done"),
        done_on=D(2022, 5, 10),
        comment=kwargs.pop("comment", "Отчёт"),
        **kwargs,
    )


def test_done_report_after_the_deadline_is_not_overdue(world):
    activity = with_deadline(world.plans["M"], "март-апрель")
    report(world, "municipal_a", activity)
    found = state_on(activity, D(2022, 6, 15))
    assert (found.state, found.overdue) == (ExecState.DONE, False)


def test_partly_done_stays_overdue(world):
    activity = with_deadline(world.plans["M"], "До 15 мая 2022")
    report(world, "municipal_a", activity, result="partly")
    found = state_on(activity, D(2022, 6, 15))
    assert (found.state, found.overdue) == (ExecState.PARTLY, True)


def test_awaiting_confirmation_is_neither_overdue_nor_done(world):
    activity = with_deadline(
        world.plans["S"], "март–апрель 2022", roles=[ExecutorRole.SCHOOL]
    )
    report(world, "school_a1", activity)
    on = D(2022, 6, 15)
    found = state_on(activity, on)
    assert (found.state, found.overdue, found.awaiting_confirmation) == (
        ExecState.AWAITING,
        False,
        True,
    )
    assert not Activity.objects.filter(progress.done_exists(), pk=activity.pk).exists()


def test_rejected_report_makes_it_overdue_again(world):
    activity = with_deadline(
        world.plans["S"], "До 15 мая 2022", roles=[ExecutorRole.SCHOOL]
    )
    pending = report(world, "school_a1", activity)
    services.report_decide(
        by=world.users["curator_a1"],
        report=pending,
        decision="rejected",
        comment="Нет протокола",
    )
    found = state_on(activity, D(2022, 6, 15))
    assert (found.state, found.overdue) == (ExecState.REJECTED, True)


def test_state_filter_counts_what_progress_derives(world):
    on = D(2022, 6, 15)
    plan = world.plans["M"]
    texts = [
        "март-апрель",
        "До 15 мая 2022",
        "в течение года",
        "Сентябрь-декабрь 2022",
        "По плану работы Совета",
        "Декабрь2021-январь2022",
    ]
    made = [with_deadline(plan, t) for t in texts]
    report(world, "municipal_a", made[0])
    report(world, "municipal_a", made[1], result="partly")
    report(world, "municipal_a", made[5], result="not_done")
    school = with_deadline(world.plans["S"], "март-апрель", roles=["school"])
    report(world, "school_a1", school)
    ids = [a.pk for a in [*made, school]]
    rows = list(with_execution(Activity.objects.filter(pk__in=ids)))
    derived = [progress_of(a, on) for a in rows]
    base = Activity.objects.filter(pk__in=ids)
    for state in ExecState.values:
        expected = sum(
            (p.overdue if state == ExecState.OVERDUE else p.state == state)
            for p in derived
        )
        assert base.filter(state_q(state, on)).count() == expected, state
    assert base.filter(progress.overdue_q(on)).count() == 2
    assert base.filter(Q(progress.done_exists())).count() == 1
