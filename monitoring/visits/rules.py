"""Object-level rights of visits, registered in schools.access (see ready()).

Seed 004, row 5: municipal coordinators and curators plan the curators'
visits; the municipal coordinator approves the schedule. Hence:

- a curator plans visits to the schools assigned to them in the schedule's
  year, submits the schedule and records held dates and notes of their own
  visits once it is approved;
- the municipal coordinator plans for any assigned curator/school pair of its
  municipality, approves (also straight from the draft it wrote) and reopens;
- regional staff, the regional coordinator, the observer and schools read.

The plan (visits and their dates) changes only while the schedule is a draft.
"""

from __future__ import annotations

from monitoring.models import CuratorVisit, ScheduleStatus, VisitSchedule
from schools.access import Scope, rule, scope_for
from schools.models import CuratorAssignment, Role


def schedule_in_scope(scope: Scope, municipality) -> bool:
    """The schedule of this municipality is readable in the scope."""
    if scope.everything:
        return True
    if municipality.region_id in scope.region_ids:
        return True
    if municipality.pk in scope.municipality_ids:
        return True
    return bool(scope.school_ids) and municipality.pk in scope.upper_municipality_ids


def visit_in_scope(user, visit: CuratorVisit) -> bool:
    """Python twin of querysets.visit_q for one visit."""
    scope = scope_for(user)
    if scope.everything:
        return True
    municipality = visit.schedule.municipality
    return (
        municipality.region_id in scope.region_ids
        or municipality.pk in scope.municipality_ids
        or visit.school_id in scope.school_ids
        or (bool(scope.roles) and visit.curator_id == user.pk)
    )


def is_coordinator(user, municipality_id: int) -> bool:
    """The user is a municipal coordinator of this municipality."""
    return scope_for(user).holds(
        Role.MUNICIPAL_COORDINATOR, municipality=municipality_id
    )


def assigned_schools(user, *, municipality_id: int, project_id: int, year: int):
    """Ids of the schools of the municipality assigned to the curator that year.

    Cached on the user object for the request: pages ask it for every row.
    """
    if Role.CURATOR not in scope_for(user).roles:
        return frozenset()
    cache = user.__dict__.setdefault("_visit_assignments", {})
    key = (municipality_id, project_id, year)
    if key not in cache:
        cache[key] = frozenset(
            CuratorAssignment.objects.filter(
                curator=user,
                project_id=project_id,
                year=year,
                school__municipality_id=municipality_id,
            ).values_list("school_id", flat=True)
        )
    return cache[key]


def is_schedule_curator(user, schedule: VisitSchedule) -> bool:
    """A curator with at least one school of the schedule's municipality that year."""
    return bool(
        assigned_schools(
            user,
            municipality_id=schedule.municipality_id,
            project_id=schedule.project_id,
            year=schedule.year,
        )
    )


def is_planner(user, schedule: VisitSchedule) -> bool:
    """Plans visits on this schedule (whatever its status)."""
    return is_coordinator(user, schedule.municipality_id) or is_schedule_curator(
        user, schedule
    )


def is_visit_planner(user, visit: CuratorVisit) -> bool:
    """Changes this visit's plan (whatever the schedule's status)."""
    if is_coordinator(user, visit.schedule.municipality_id):
        return True
    return visit.curator_id == user.pk and Role.CURATOR in scope_for(user).roles


# Who may take each step on the schedule, whatever its status.
SCHEDULE_ACTORS = {
    "plan": is_planner,
    "submit": is_schedule_curator,
    "approve": lambda user, schedule: is_coordinator(user, schedule.municipality_id),
    "reopen": lambda user, schedule: is_coordinator(user, schedule.municipality_id),
}


@rule(VisitSchedule, "view")
def schedule_view(user, schedule: VisitSchedule) -> bool:
    return schedule_in_scope(scope_for(user), schedule.municipality)


@rule(VisitSchedule, "plan")
def schedule_plan(user, schedule: VisitSchedule) -> bool:
    """Add visits: a draft, by its coordinator or one of its curators."""
    return schedule.status == ScheduleStatus.DRAFT and is_planner(user, schedule)


@rule(VisitSchedule, "submit")
def schedule_submit(user, schedule: VisitSchedule) -> bool:
    """Curators send the draft to the coordinator (who approves directly)."""
    return schedule.status == ScheduleStatus.DRAFT and is_schedule_curator(
        user, schedule
    )


@rule(VisitSchedule, "approve")
def schedule_approve(user, schedule: VisitSchedule) -> bool:
    return schedule.status in (
        ScheduleStatus.DRAFT,
        ScheduleStatus.SUBMITTED,
    ) and is_coordinator(user, schedule.municipality_id)


@rule(VisitSchedule, "reopen")
def schedule_reopen(user, schedule: VisitSchedule) -> bool:
    """Back to a draft: a submitted schedule for revision, an approved one for
    changes."""
    return schedule.status in (
        ScheduleStatus.SUBMITTED,
        ScheduleStatus.APPROVED,
    ) and is_coordinator(user, schedule.municipality_id)


@rule(CuratorVisit, "view")
def visit_view(user, visit: CuratorVisit) -> bool:
    return visit_in_scope(user, visit)


@rule(CuratorVisit, "edit")
def visit_edit(user, visit: CuratorVisit) -> bool:
    """Change the plan of a visit (date, purpose, pair) or delete it."""
    return visit.schedule.status == ScheduleStatus.DRAFT and is_visit_planner(
        user, visit
    )


@rule(CuratorVisit, "delete")
def visit_delete(user, visit: CuratorVisit) -> bool:
    return visit_edit(user, visit)


@rule(CuratorVisit, "record")
def visit_record(user, visit: CuratorVisit) -> bool:
    """The visit's own curator records the held date and notes after approval."""
    return (
        visit.schedule.status == ScheduleStatus.APPROVED
        and visit.curator_id == user.pk
        and Role.CURATOR in scope_for(user).roles
    )
