"""What of monitoring waits for the user's decision, for the inbox.

The curator decides on the reports, monitoring forms and risk profiles of
the schools assigned to them for the matching project year; the municipal
coordinator approves its municipality's schedule of curators' visits. The
same rules as the areas' own rights (`rules.py`), as querysets.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from schools.access import scope_for
from schools.models import CuratorAssignment, Role

from .execution.selectors import decidable_q
from .models import (
    ActivityReport,
    MonitoringSubmission,
    ProfileStatus,
    RiskProfile,
    ScheduleStatus,
    SubmissionStatus,
    VisitSchedule,
)


def _assigned(user, *, school: str, project: str, year: str) -> Exists:
    return Exists(
        CuratorAssignment.objects.filter(
            curator=user,
            school_id=OuterRef(school),
            project_id=OuterRef(project),
            year=OuterRef(year),
        )
    )


def waiting(user) -> dict[str, QuerySet]:
    """{kind: queryset} of what waits for the user; no query is run here."""
    scope = scope_for(user)
    found: dict[str, QuerySet] = {}
    if Role.CURATOR in scope.roles:
        found["reports"] = (
            ActivityReport.objects.filter(decidable_q(user))
            .exclude(reporter=user)
            .select_related("activity", "roadmap__owner")
            .order_by("created_at", "pk")
        )
        found["forms"] = (
            MonitoringSubmission.objects.filter(status=SubmissionStatus.SUBMITTED)
            .filter(
                _assigned(
                    user,
                    school="school_id",
                    project="stage__project_id",
                    year="stage__year",
                )
            )
            .select_related("school", "stage")
            .order_by("submitted_at", "pk")
        )
        found["profiles"] = (
            RiskProfile.objects.filter(status=ProfileStatus.SUBMITTED)
            .filter(
                _assigned(user, school="school_id", project="project_id", year="year")
            )
            .select_related("school")
            .order_by("submitted_at", "pk")
        )
    municipalities = {
        mun
        for role, _org, _region, mun in scope.memberships
        if role == Role.MUNICIPAL_COORDINATOR and mun
    }
    if municipalities:
        found["schedules"] = (
            VisitSchedule.objects.filter(
                status=ScheduleStatus.SUBMITTED, municipality_id__in=municipalities
            )
            .select_related("municipality")
            .order_by("pk")
        )
    return found
