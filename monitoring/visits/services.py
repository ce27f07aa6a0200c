"""Every change of curators' visits and their schedules.

Each service locks the schedule (`select_for_update`), checks the actor's
right (`Refused` with a code), validates (`ValidationError` with a code and a
Russian-translatable message), compares the version the user saw (code
"stale"), writes with history (simple_history: who and when; the reason of a
status move) and notifies after commit.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring import progress
from monitoring.models import CuratorVisit, ScheduleStatus, VisitSchedule
from schools.access import Refused, can
from schools.models import CuratorAssignment, Municipality, Project

from . import notifications
from .rules import (
    SCHEDULE_ACTORS,
    is_coordinator,
    is_planner,
    is_schedule_curator,
    is_visit_planner,
)

# The reasons written into the schedule's history, shown in its timeline.
REASON_SUBMIT = "submitted"
REASON_APPROVE = "approved"
REASON_REOPEN = "reopened"
REASON_CREATE = "created"


class StaleVersion(ValidationError):
    """The row changed since the user read it."""

    def __init__(self, message: str):
        super().__init__(message, code="stale")


def _check_version(obj, version, message: str) -> None:
    if version is not None and int(version) != obj.version:
        raise StaleVersion(message)


def _stale_visit() -> str:
    return _(
        "Someone else changed this visit while you were editing it. The saved "
        "version is shown; check it and save again."
    )


def _stale_schedule() -> str:
    return _("The schedule changed since you opened it. Review it and try again.")


def _lock(schedule: VisitSchedule) -> VisitSchedule:
    return (
        VisitSchedule.objects.select_for_update(of=("self",))
        .select_related("municipality", "project")
        .get(pk=schedule.pk)
    )


def _wrong_status(schedule: VisitSchedule) -> ValidationError:
    return ValidationError(
        _("The schedule is «%(status)s» now: this step is not possible."),
        code="wrong_status",
        params={"status": ScheduleStatus(schedule.status).label},
    )


def _not_draft() -> ValidationError:
    return ValidationError(
        _(
            "The schedule is approved or awaits approval: planned visits change "
            "only after the municipal coordinator reopens it."
        ),
        code="not_draft",
    )


# --- the schedule ------------------------------------------------------------


def schedule_get_or_create(
    *, municipality: Municipality, project: Project, year: int, by
) -> VisitSchedule:
    """The schedule of a municipality for a project year, created as a draft."""
    existing = VisitSchedule.objects.filter(
        municipality=municipality, project=project, year=year
    ).first()
    if existing is not None:
        return existing
    schedule = VisitSchedule(municipality=municipality, project=project, year=year)
    if not is_planner(by, schedule):
        raise Refused("not_allowed")
    schedule._history_user = by
    schedule._change_reason = REASON_CREATE
    try:
        with transaction.atomic():
            schedule.save()
    except IntegrityError:
        # Two first visits at once: the other request created it.
        return VisitSchedule.objects.get(
            municipality=municipality, project=project, year=year
        )
    return schedule


def _touch(schedule: VisitSchedule, by) -> None:
    """A change of the plan makes earlier approval forms stale."""
    schedule.version += 1
    schedule._history_user = by
    schedule.save(update_fields=["version"])


def _move(schedule, *, by, action: str, version, target: str, reason: str):
    schedule = _lock(schedule)
    if not can(by, "view", schedule):
        raise Refused("out_of_scope")
    if not can(by, action, schedule):
        if SCHEDULE_ACTORS[action](by, schedule):
            raise _wrong_status(schedule)
        raise Refused("not_allowed")
    _check_version(schedule, version, _stale_schedule())
    if target != ScheduleStatus.DRAFT and not schedule.visits.exists():
        raise ValidationError(
            _("The schedule has no visits yet: plan them first."), code="empty"
        )
    schedule.status = target
    if target == ScheduleStatus.APPROVED:
        schedule.approved_by = by
        schedule.approved_at = timezone.now()
    elif target == ScheduleStatus.DRAFT:
        schedule.approved_by = None
        schedule.approved_at = None
    schedule.version += 1
    schedule._history_user = by
    schedule._change_reason = reason
    schedule.save()
    transaction.on_commit(
        lambda: notifications.notify_schedule(
            schedule_id=schedule.pk, action=reason, actor_id=by.pk
        )
    )
    return schedule


@transaction.atomic
def schedule_submit(*, by, schedule: VisitSchedule, version=None) -> VisitSchedule:
    """A curator sends the draft schedule to the municipal coordinator."""
    return _move(
        schedule,
        by=by,
        action="submit",
        version=version,
        target=ScheduleStatus.SUBMITTED,
        reason=REASON_SUBMIT,
    )


@transaction.atomic
def schedule_approve(*, by, schedule: VisitSchedule, version=None) -> VisitSchedule:
    """The municipal coordinator approves (a submitted one, or its own draft)."""
    return _move(
        schedule,
        by=by,
        action="approve",
        version=version,
        target=ScheduleStatus.APPROVED,
        reason=REASON_APPROVE,
    )


@transaction.atomic
def schedule_reopen(*, by, schedule: VisitSchedule, version=None) -> VisitSchedule:
    """The municipal coordinator turns the schedule back into a draft."""
    return _move(
        schedule,
        by=by,
        action="reopen",
        version=version,
        target=ScheduleStatus.DRAFT,
        reason=REASON_REOPEN,
    )


# --- visits ------------------------------------------------------------------


def _validate_plan(schedule: VisitSchedule, *, curator, school, planned_on: date):
    errors = {}
    if school is None:
        errors["school"] = ValidationError(_("Choose the school."), code="required")
    elif school.municipality_id != schedule.municipality_id:
        errors["school"] = ValidationError(
            _("The school is not in %(municipality)s."),
            code="foreign_school",
            params={"municipality": schedule.municipality},
        )
    if curator is None:
        errors["curator"] = ValidationError(_("Choose the curator."), code="required")
    elif school is not None and "school" not in errors:
        assigned = CuratorAssignment.objects.filter(
            curator=curator,
            school=school,
            project_id=schedule.project_id,
            year=schedule.year,
        ).exists()
        if not assigned:
            errors["curator"] = ValidationError(
                _(
                    "%(curator)s is not the curator of %(school)s in %(year)s: "
                    "choose a curator assigned to this school."
                ),
                code="not_assigned",
                params={
                    "curator": curator.get_full_name() or curator.username,
                    "school": school.display_name,
                    "year": schedule.year,
                },
            )
    if planned_on is None:
        errors["planned_on"] = ValidationError(
            _("Give the planned date."), code="required"
        )
    elif planned_on.year != schedule.year:
        errors["planned_on"] = ValidationError(
            _(
                "The planned date must fall within the project year %(year)s "
                "(from 01.01.%(year)s to 31.12.%(year)s)."
            ),
            code="outside_year",
            params={"year": schedule.year},
        )
    if errors:
        raise ValidationError(errors)


def _check_planner(by, schedule: VisitSchedule, curator) -> None:
    """Curators plan only their own visits; the coordinator plans any pair."""
    if is_coordinator(by, schedule.municipality_id):
        return
    if curator is not None and curator.pk != by.pk:
        raise Refused("not_own_visit")


@transaction.atomic
def visit_plan(
    *,
    by,
    schedule: VisitSchedule,
    curator,
    school,
    planned_on: date,
    purpose: str = "",
) -> CuratorVisit:
    """Add a visit to a draft schedule."""
    schedule = _lock(schedule)
    if not can(by, "view", schedule):
        raise Refused("out_of_scope")
    if not is_planner(by, schedule):
        raise Refused("not_allowed")
    if schedule.status != ScheduleStatus.DRAFT:
        raise _not_draft()
    _check_planner(by, schedule, curator)
    _validate_plan(schedule, curator=curator, school=school, planned_on=planned_on)
    visit = CuratorVisit(
        schedule=schedule,
        curator=curator,
        school=school,
        planned_on=planned_on,
        purpose=(purpose or "").strip(),
    )
    visit._history_user = by
    visit.save()
    _touch(schedule, by)
    return visit


def _lock_visit(visit: CuratorVisit) -> tuple[CuratorVisit, VisitSchedule]:
    schedule = _lock(visit.schedule)
    current = (
        CuratorVisit.objects.select_for_update(of=("self",))
        .select_related("curator", "school")
        .get(pk=visit.pk)
    )
    current.schedule = schedule
    return current, schedule


def check_visit_action(by, visit: CuratorVisit, action: str) -> None:
    """Refuse (`Refused`) an actor who may not take `action` ("edit", "delete",
    "record") on the visit; explain (`ValidationError`) a status that forbids
    it to an actor who may take it in another status."""
    if not can(by, "view", visit):
        raise Refused("out_of_scope")
    if can(by, action, visit):
        return
    status = visit.schedule.status
    if action == "record":
        own = visit.curator_id == by.pk and is_schedule_curator(by, visit.schedule)
        if own and status != ScheduleStatus.APPROVED:
            raise ValidationError(
                _("Held visits are recorded once the schedule is approved."),
                code="not_approved",
            )
    elif is_visit_planner(by, visit) and status != ScheduleStatus.DRAFT:
        raise _not_draft()
    raise Refused("not_allowed")


@transaction.atomic
def visit_update(
    *,
    by,
    visit: CuratorVisit,
    curator,
    school,
    planned_on: date,
    purpose: str = "",
    version=None,
) -> CuratorVisit:
    """Change a planned visit of a draft schedule, refusing a stale version."""
    visit, schedule = _lock_visit(visit)
    check_visit_action(by, visit, "edit")
    _check_version(visit, version, _stale_visit())
    _check_planner(by, schedule, curator)
    _validate_plan(schedule, curator=curator, school=school, planned_on=planned_on)
    visit.curator = curator
    visit.school = school
    visit.planned_on = planned_on
    visit.purpose = (purpose or "").strip()
    visit.version += 1
    visit._history_user = by
    visit.save()
    _touch(schedule, by)
    return visit


@transaction.atomic
def visit_delete(*, by, visit: CuratorVisit, version=None) -> None:
    """Remove a planned visit from a draft schedule (history keeps it)."""
    visit, schedule = _lock_visit(visit)
    check_visit_action(by, visit, "delete")
    _check_version(visit, version, _stale_visit())
    visit._history_user = by
    visit.delete()
    _touch(schedule, by)


@transaction.atomic
def visit_record(
    *,
    by,
    visit: CuratorVisit,
    held_on: date | None,
    notes: str = "",
    version=None,
) -> CuratorVisit:
    """The curator records when the visit was held and what was done."""
    visit, _schedule = _lock_visit(visit)
    check_visit_action(by, visit, "record")
    _check_version(visit, version, _stale_visit())
    notes = (notes or "").strip()
    if held_on is not None and held_on > progress.today():
        raise ValidationError(
            {
                "held_on": ValidationError(
                    _("The visit cannot be held on a future date."),
                    code="future",
                )
            }
        )
    if held_on is None and notes:
        raise ValidationError(
            {
                "held_on": ValidationError(
                    _("Give the date the visit was held on."), code="required"
                )
            }
        )
    visit.held_on = held_on
    visit.notes = notes
    visit.version += 1
    visit._history_user = by
    visit.save(update_fields=["held_on", "notes", "version"])
    return visit
