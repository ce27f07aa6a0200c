"""Who hears of a schedule's move (called from `transaction.on_commit`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from monitoring.models import VisitSchedule
from roadmaps.notifications import notify
from schools.models import CuratorAssignment, Role

from .selectors import schedule_url


def _texts() -> dict[str, str]:
    # Built per call so that the active language applies.
    return {
        "submitted": _(
            "The schedule of curators' visits of %(municipality)s for %(year)s "
            "was submitted for approval by %(actor)s."
        ),
        "approved": _(
            "The schedule of curators' visits of %(municipality)s for %(year)s "
            "was approved by %(actor)s."
        ),
        "reopened": _(
            "The schedule of curators' visits of %(municipality)s for %(year)s "
            "was reopened for changes by %(actor)s."
        ),
    }


def recipients(schedule: VisitSchedule, action: str) -> Q:
    """The coordinators hear of a submission, the curators of the rest."""
    if action == "submitted":
        return Q(
            memberships__role=Role.MUNICIPAL_COORDINATOR,
            memberships__organisation__municipality_id=schedule.municipality_id,
        )
    curators = CuratorAssignment.objects.filter(
        school__municipality_id=schedule.municipality_id,
        project_id=schedule.project_id,
        year=schedule.year,
    ).values("curator")
    return Q(pk__in=curators, memberships__role=Role.CURATOR)


def notify_schedule(*, schedule_id: int, action: str, actor_id: int) -> int:
    """Notify whom the move concerns; returns how many were told."""
    schedule = VisitSchedule.objects.select_related("municipality", "project").get(
        pk=schedule_id
    )
    actor = get_user_model().objects.get(pk=actor_id)
    text = _texts()[action] % {
        "municipality": schedule.municipality.name,
        "year": schedule.year,
        "actor": actor.get_full_name() or actor.username,
    }
    return notify(
        recipients(schedule, action),
        actor_id=actor_id,
        text=text,
        url=schedule_url(schedule),
    )
