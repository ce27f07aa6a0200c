"""Services of visits: validation, the schedule's steps, locking, history."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from monitoring.models import CuratorVisit, ScheduleStatus
from monitoring.visits import services
from roadmaps.models import Notification
from schools.access import Refused

from .factories import YEAR, VisitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {f: [e.code for e in errs] for f, errs in exc.error_dict.items()}


def plan(w, by, **kwargs):
    data = {
        "curator": w.users["curator"],
        "school": w.bodies["a2"],
        "planned_on": D(YEAR, 10, 5),
        "purpose": "Посещение уроков",
    }
    data.update(kwargs)
    return services.visit_plan(by=by, schedule=w.schedule, **data)


def test_visit_plan_coordinator_plans_for_assigned_pair(world):
    visit = plan(world, world.users["coordinator_a"])
    assert visit.curator == world.users["curator"]
    world.schedule.refresh_from_db()
    assert world.schedule.version == 2  # earlier approval forms go stale


def test_visit_plan_refuses_curator_not_assigned_to_school(world):
    with pytest.raises(ValidationError) as exc:
        plan(world, world.users["coordinator_a"], school=world.bodies["a3"])
    assert codes(exc.value) == {"curator": ["not_assigned"]}
    assert "Кураторова" in exc.value.error_dict["curator"][0].message % (
        exc.value.error_dict["curator"][0].params
    )


def test_visit_plan_refuses_assignment_of_another_year(world):
    from tests.factories import CuratorAssignmentFactory

    CuratorAssignmentFactory(
        curator=world.users["curator"], school=world.bodies["a3"], year=YEAR - 1
    )
    with pytest.raises(ValidationError) as exc:
        plan(world, world.users["coordinator_a"], school=world.bodies["a3"])
    assert codes(exc.value) == {"curator": ["not_assigned"]}


def test_visit_plan_refuses_date_outside_project_year(world):
    with pytest.raises(ValidationError) as exc:
        plan(world, world.users["curator"], planned_on=D(YEAR + 1, 1, 10))
    assert codes(exc.value) == {"planned_on": ["outside_year"]}


def test_visit_plan_refuses_school_of_another_municipality(world):
    with pytest.raises(ValidationError) as exc:
        plan(world, world.users["coordinator_a"], school=world.bodies["b1"])
    assert codes(exc.value) == {"school": ["foreign_school"]}


def test_visit_plan_curator_cannot_plan_for_another_curator(world):
    with pytest.raises(Refused) as exc:
        plan(world, world.users["other_curator"])
    assert exc.value.code == "not_own_visit"


def test_visit_plan_refused_on_approved_schedule_until_reopened(world):
    coordinator = world.users["coordinator_a"]
    services.schedule_approve(by=coordinator, schedule=world.schedule, version=1)
    with pytest.raises(ValidationError) as exc:
        plan(world, world.users["curator"])
    assert exc.value.code == "not_draft"
    with pytest.raises(ValidationError) as exc:
        services.visit_update(
            by=coordinator,
            visit=world.visit,
            curator=world.users["curator"],
            school=world.bodies["a1"],
            planned_on=D(YEAR, 9, 30),
        )
    assert exc.value.code == "not_draft"
    services.schedule_reopen(by=coordinator, schedule=world.schedule)
    assert plan(world, world.users["curator"]).pk


def test_schedule_coordinator_approves_own_draft_directly(world):
    coordinator = world.users["coordinator_a"]
    schedule = services.schedule_approve(by=coordinator, schedule=world.schedule)
    assert schedule.status == ScheduleStatus.APPROVED
    assert schedule.approved_by == coordinator
    assert schedule.approved_at is not None


def test_schedule_submit_then_approve_then_reopen_keeps_history(world):
    curator, coordinator = world.users["curator"], world.users["coordinator_a"]
    services.schedule_submit(by=curator, schedule=world.schedule, version=1)
    services.schedule_approve(by=coordinator, schedule=world.schedule, version=2)
    schedule = services.schedule_reopen(
        by=coordinator, schedule=world.schedule, version=3
    )
    assert schedule.status == ScheduleStatus.DRAFT
    assert schedule.approved_by is None
    moves = [
        (h.history_change_reason, h.history_user, h.status)
        for h in schedule.history.order_by("history_id")
        if h.history_change_reason
    ]
    assert moves == [
        ("submitted", curator, "submitted"),
        ("approved", coordinator, "approved"),
        ("reopened", coordinator, "draft"),
    ]


def test_schedule_submit_refuses_empty_schedule(world):
    world.visit.delete()
    with pytest.raises(ValidationError) as exc:
        services.schedule_submit(by=world.users["curator"], schedule=world.schedule)
    assert exc.value.code == "empty"


def test_schedule_approve_refuses_stale_version(world):
    plan(world, world.users["curator"])  # the schedule changed after the page
    with pytest.raises(ValidationError) as exc:
        services.schedule_approve(
            by=world.users["coordinator_a"], schedule=world.schedule, version=1
        )
    assert exc.value.code == "stale"


def test_schedule_second_approval_loses(world):
    coordinator = world.users["coordinator_a"]
    stale_copy = type(world.schedule).objects.get(pk=world.schedule.pk)
    services.schedule_approve(by=coordinator, schedule=world.schedule, version=1)
    with pytest.raises(ValidationError) as exc:
        services.schedule_approve(by=coordinator, schedule=stale_copy, version=1)
    assert exc.value.code == "wrong_status"


def test_schedule_curator_cannot_approve_or_reopen(world):
    with pytest.raises(Refused):
        services.schedule_approve(by=world.users["curator"], schedule=world.schedule)
    with pytest.raises(Refused):
        services.schedule_reopen(by=world.users["curator"], schedule=world.schedule)


def test_visit_update_refuses_stale_version(world):
    curator = world.users["curator"]
    kwargs = {
        "curator": curator,
        "school": world.bodies["a1"],
        "purpose": "Посещение уроков",
    }
    services.visit_update(
        by=curator, visit=world.visit, planned_on=D(YEAR, 9, 20), version=1, **kwargs
    )
    with pytest.raises(ValidationError) as exc:
        services.visit_update(
            by=world.users["coordinator_a"],
            visit=world.visit,
            planned_on=D(YEAR, 9, 25),
            version=1,
            **kwargs,
        )
    assert exc.value.code == "stale"
    world.visit.refresh_from_db()
    assert world.visit.planned_on == D(YEAR, 9, 20)


def approved(world):
    services.schedule_approve(by=world.users["coordinator_a"], schedule=world.schedule)
    return world.visit


def test_visit_record_held_date_and_notes(world):
    visit = approved(world)
    visit = services.visit_record(
        by=world.users["curator"],
        visit=visit,
        held_on=D(YEAR, 5, 30),
        notes="Посещены уроки математики.",
        version=1,
    )
    assert (visit.held_on, visit.notes, visit.version) == (
        D(YEAR, 5, 30),
        "Посещены уроки математики.",
        2,
    )


def test_visit_record_refuses_future_date(world):
    visit = approved(world)
    with pytest.raises(ValidationError) as exc:
        services.visit_record(
            by=world.users["curator"], visit=visit, held_on=D(YEAR, 6, 2)
        )
    assert codes(exc.value) == {"held_on": ["future"]}
    # Today itself is not the future.
    services.visit_record(by=world.users["curator"], visit=visit, held_on=D(YEAR, 6, 1))


def test_visit_record_refused_before_approval(world):
    with pytest.raises(ValidationError) as exc:
        services.visit_record(
            by=world.users["curator"], visit=world.visit, held_on=D(YEAR, 5, 30)
        )
    assert exc.value.code == "not_approved"


def test_visit_record_refused_to_the_coordinator_and_other_curators(world):
    visit = approved(world)
    for role in ("coordinator_a", "observer", "school_a1"):
        with pytest.raises(Refused):
            services.visit_record(
                by=world.users[role], visit=visit, held_on=D(YEAR, 5, 30)
            )


def test_visit_record_refuses_stale_version(world):
    visit = approved(world)
    curator = world.users["curator"]
    services.visit_record(by=curator, visit=visit, held_on=D(YEAR, 5, 30), version=1)
    with pytest.raises(ValidationError) as exc:
        services.visit_record(
            by=curator, visit=visit, held_on=D(YEAR, 5, 31), notes="x", version=1
        )
    assert exc.value.code == "stale"


def test_visit_delete_keeps_history(world):
    services.visit_delete(by=world.users["curator"], visit=world.visit, version=1)
    assert not CuratorVisit.objects.filter(pk=world.visit.pk).exists()
    last = CuratorVisit.history.filter(id=world.visit.pk).latest("history_id")
    assert (last.history_type, last.history_user) == ("-", world.users["curator"])


def test_notifications_go_to_coordinator_then_curators(
    world, django_capture_on_commit_callbacks
):
    curator, coordinator = world.users["curator"], world.users["coordinator_a"]
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_submit(by=curator, schedule=world.schedule)
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "coord_a"
    }
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_approve(by=coordinator, schedule=world.schedule)
    # Curators of district A only; not the actor, not district B's curator.
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "curator_a",
        "curator_a3",
    }
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_reopen(by=coordinator, schedule=world.schedule)
    assert Notification.objects.count() == 2
    assert all(
        "/monitoring/visits/schedules/" in n.url for n in Notification.objects.all()
    )


def test_notifications_not_sent_for_refused_move(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused):
        services.schedule_approve(by=world.users["curator"], schedule=world.schedule)
    assert not Notification.objects.exists()


def test_visit_of_other_world_is_out_of_scope(world):
    foreign = VisitFactory()
    with pytest.raises(Refused) as exc:
        services.visit_delete(by=world.users["coordinator_a"], visit=foreign)
    assert exc.value.code == "out_of_scope"
