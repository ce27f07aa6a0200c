"""Reads of curators' visits shared by the pages and the export.

`visit_counts`, `visit_counts_by_municipality` and `curator_load` count the
visits of a set of schools in a fixed number of queries (one, one and two).
The dashboards do not call them: monitoring.dashboards.selectors counts
visits per table row inside its own UNION (by `querysets.state_counts`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode

from monitoring import progress
from monitoring.models import VisitSchedule
from schools.models import CuratorAssignment

from .querysets import CuratorVisitQuerySet, state_counts, visits

DEFAULT_PROJECT = "500plus"
EMPTY_COUNTS = {"planned": 0, "held": 0, "overdue": 0}


def schedule_url(schedule: VisitSchedule) -> str:
    """The page of a schedule (the project is named unless it is 500+)."""
    url = reverse(
        "monitoring:schedule-detail", args=[schedule.municipality_id, schedule.year]
    )
    code = schedule.project.code
    return url if code == DEFAULT_PROJECT else f"{url}?{urlencode({'project': code})}"


def visit_list_visible(*, user, on: date | None = None) -> CuratorVisitQuerySet:
    """Visits the user may read, with what a table row shows and their state."""
    return (
        visits()
        .visible_to(user)
        .with_state(on or progress.today())
        .select_related(
            "curator",
            "school",
            "schedule__municipality__region",
            "schedule__project",
        )
        .order_by("planned_on", "pk")
    )


def _in(schools, year: int | None, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}school__in": schools})
    if year is not None:
        q &= Q(**{f"{prefix}schedule__year": year})
    return q


def visit_counts(
    schools: Iterable, year: int | None = None, *, on: date | None = None
) -> dict[str, int]:
    """{planned, held, overdue} of the visits to `schools` (a queryset of
    organisations or ids) in `year` (all years when None), in one query."""
    return visits().filter(_in(schools, year)).counts(on or progress.today())


def visit_counts_by_municipality(
    schools: Iterable, year: int | None = None, *, on: date | None = None
) -> dict[int, dict[str, int]]:
    """{municipality id: {planned, held, overdue}} for bars, in one query."""
    rows = (
        visits()
        .filter(_in(schools, year))
        .order_by()
        .values("schedule__municipality_id")
        .annotate(**state_counts(on or progress.today()))
    )
    return {
        r["schedule__municipality_id"]: {k: r[k] for k in EMPTY_COUNTS} for r in rows
    }


@dataclass(frozen=True)
class CuratorLoad:
    curator_id: int
    name: str
    schools: int
    planned: int
    held: int
    overdue: int

    @property
    def visits(self) -> int:
        return self.planned + self.held + self.overdue


def curator_load(
    schools: Iterable, year: int | None = None, *, on: date | None = None
) -> list[CuratorLoad]:
    """Per curator of `schools`: schools assigned in `year` and their visits
    by state; sorted by name; two queries."""
    assignments = CuratorAssignment.objects.filter(school__in=schools)
    if year is not None:
        assignments = assignments.filter(year=year)
    people = (
        assignments.order_by()
        .values(
            "curator_id",
            "curator__last_name",
            "curator__first_name",
            "curator__username",
        )
        .annotate(n=Count("school", distinct=True))
    )
    counts = {
        r["curator_id"]: r
        for r in visits()
        .filter(_in(schools, year))
        .order_by()
        .values("curator_id")
        .annotate(**state_counts(on or progress.today()))
    }
    loads = []
    for p in people:
        c = counts.get(p["curator_id"], EMPTY_COUNTS)
        name = " ".join(
            part for part in (p["curator__last_name"], p["curator__first_name"]) if part
        )
        loads.append(
            CuratorLoad(
                curator_id=p["curator_id"],
                name=name or p["curator__username"],
                schools=p["n"],
                planned=c["planned"],
                held=c["held"],
                overdue=c["overdue"],
            )
        )
    return sorted(loads, key=lambda load: (load.name, load.curator_id))
