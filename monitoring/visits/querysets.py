"""Chainable filters of curators' visits and their schedules, scoped by roles.

Who reads what (schools.access.Scope):

- the federal observer: everything;
- regional staff and the regional coordinator: their region;
- a municipal coordinator: its municipality;
- a curator: the visits they make and the visits to their assigned schools;
- a school: the visits to it (read-only);
- the portal administrator: nothing (reference data only).

A schedule is readable wherever one of its visits may be: curators and schools
open their municipality's schedule but see only their own visits on it.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.utils.translation import gettext_lazy as _

from monitoring.models import CuratorVisit, VisitSchedule
from schools.access import Scope, scope_for


class VisitState(models.TextChoices):
    PLANNED = "planned", _("Planned visits")
    HELD = "held", _("Held visits")
    OVERDUE = "overdue", _("Overdue visits")


# How one visit's state reads in a table row.
STATE_BADGES = {
    VisitState.PLANNED: _("visit is planned"),
    VisitState.HELD: _("visit is held"),
    VisitState.OVERDUE: _("visit is overdue"),
}


def schedule_q(scope: Scope, prefix: str = "") -> Q | None:
    """Schedules (at `prefix`) the scope may open; None means none at all."""
    if scope.everything:
        return Q()
    p = prefix
    q = None

    def add(part: Q) -> None:
        nonlocal q
        q = part if q is None else q | part

    if scope.region_ids:
        add(Q(**{f"{p}municipality__region_id__in": scope.region_ids}))
    municipalities = scope.municipality_ids | scope.upper_municipality_ids
    if municipalities and (scope.municipality_ids or scope.school_ids):
        add(Q(**{f"{p}municipality_id__in": municipalities}))
    return q


def visit_q(scope: Scope, user) -> Q | None:
    """Visits the scope may read; None means none at all."""
    if scope.everything:
        return Q()
    q = None

    def add(part: Q) -> None:
        nonlocal q
        q = part if q is None else q | part

    if scope.region_ids:
        add(Q(schedule__municipality__region_id__in=scope.region_ids))
    if scope.municipality_ids:
        add(Q(schedule__municipality_id__in=scope.municipality_ids))
    if scope.school_ids:
        # A school's own visits; a curator's assigned schools.
        add(Q(school_id__in=scope.school_ids))
    if getattr(user, "pk", None) is not None and scope.roles:
        add(Q(curator_id=user.pk))
    return q


def state_q(state: str, on: date) -> Q:
    """Visits in one state on the date `on`."""
    if state == VisitState.HELD:
        return Q(held_on__isnull=False)
    if state == VisitState.OVERDUE:
        return Q(held_on__isnull=True, planned_on__lt=on)
    return Q(held_on__isnull=True, planned_on__gte=on)


def state_counts(on: date, prefix: str = "") -> dict[str, Count]:
    """Aggregates counting visits (at `prefix`) per state on the date `on`."""
    held = f"{prefix}held_on__isnull"
    planned = f"{prefix}planned_on"
    pk = f"{prefix}pk"
    return {
        "planned": Count(pk, filter=Q(**{held: True, f"{planned}__gte": on})),
        "held": Count(pk, filter=Q(**{held: False})),
        "overdue": Count(pk, filter=Q(**{held: True, f"{planned}__lt": on})),
    }


class CuratorVisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Visits the user may read."""
        q = visit_q(scope_for(user), user)
        return self.none() if q is None else self.filter(q)

    def held(self):
        """Visits with a recorded held date."""
        return self.filter(state_q(VisitState.HELD, date.min))

    def overdue(self, on: date):
        """Visits planned before `on` and not held."""
        return self.filter(state_q(VisitState.OVERDUE, on))

    def planned(self, on: date):
        """Visits still ahead on `on` (not held, date not passed)."""
        return self.filter(state_q(VisitState.PLANNED, on))

    def in_state(self, state: str, on: date):
        """Visits in one of the VisitState values on `on`."""
        return self.filter(state_q(state, on))

    def with_state(self, on: date):
        """Annotate `state` (planned / held / overdue) as of `on`."""
        return self.annotate(
            state=Case(
                When(held_on__isnull=False, then=Value(VisitState.HELD.value)),
                When(planned_on__lt=on, then=Value(VisitState.OVERDUE.value)),
                default=Value(VisitState.PLANNED.value),
                output_field=models.CharField(),
            )
        )

    def counts(self, on: date) -> dict[str, int]:
        """{planned, held, overdue} of these visits on `on`, in one query."""
        return self.order_by().aggregate(**state_counts(on))


class VisitScheduleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Schedules the user may open."""
        q = schedule_q(scope_for(user))
        return self.none() if q is None else self.filter(q)


def visits() -> CuratorVisitQuerySet:
    """All visits, as a chainable queryset with the methods above."""
    return CuratorVisitQuerySet(model=CuratorVisit)


def schedules() -> VisitScheduleQuerySet:
    """All schedules, as a chainable queryset with the methods above."""
    return VisitScheduleQuerySet(model=VisitSchedule)
