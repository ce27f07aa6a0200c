"""How far an activity is carried out, derived honestly from its reports.

One place for the rules every page, export and dashboard counts by:

- *done* — the latest report says done and needs no confirmation or was
  confirmed by the curator;
- *done, awaiting confirmation* — the latest report says done, the curator
  has not decided yet; it is not overdue (a done report exists) but it is not
  counted done either;
- *overdue* — the understood deadline (its latest date) has passed and no
  done report stands (a rejected one does not count); an activity whose
  deadline was not understood ("no date") is never overdue;
- reports attach to (roadmap, lineage), so they carry over to new editions.

Activities "in force" are those of approved (current) editions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ActivityReport, ReportDecision, ReportResult

ACCEPTED = (ReportDecision.NOT_NEEDED, ReportDecision.CONFIRMED)
STANDING = (ReportDecision.NOT_NEEDED, ReportDecision.CONFIRMED, ReportDecision.PENDING)


class ExecState(models.TextChoices):
    DONE = "done", _("done")
    AWAITING = "awaiting", _("done, awaiting confirmation")
    PARTLY = "partly", _("partly done")
    NOT_DONE = "not_done", _("not done")
    REJECTED = "rejected", _("report rejected")
    OVERDUE = "overdue", _("overdue")
    DUE = "due", _("in progress")
    PLANNED = "planned", _("planned")
    NO_DATE = "no_date", _("no date")


def today() -> date:
    """Today in the active time zone (the user's region)."""
    return timezone.localdate()


def latest_reports(prefix: str = ""):
    """Latest reports of the activity at OuterRef(`prefix`)."""
    return ActivityReport.objects.filter(
        roadmap_id=OuterRef(f"{prefix}edition__roadmap_id"),
        lineage=OuterRef(f"{prefix}lineage"),
        is_latest=True,
    )


def done_exists(prefix: str = "") -> Exists:
    """The activity is done (accepted or confirmed)."""
    return Exists(
        latest_reports(prefix).filter(result=ReportResult.DONE, decision__in=ACCEPTED)
    )


def done_reported_exists(prefix: str = "") -> Exists:
    """A done report stands (confirmed, not needing it, or awaiting it)."""
    return Exists(
        latest_reports(prefix).filter(result=ReportResult.DONE, decision__in=STANDING)
    )


def overdue_q(on: date | None = None, prefix: str = "") -> Q:
    """Activities whose deadline passed without a standing done report."""
    on = on or today()
    return Q(**{f"{prefix}deadline_end__lt": on}) & ~Q(done_reported_exists(prefix))


def in_force_q(prefix: str = "") -> Q:
    """Activities of editions in force (approved, not superseded)."""
    return Q(**{f"{prefix}edition__status": "approved"})


def with_progress(activities):
    """Annotate `latest_result`, `latest_decision`, `latest_report_id`."""
    latest = latest_reports()
    return activities.annotate(
        latest_report_id=Subquery(latest.values("pk")[:1]),
        latest_result=Subquery(latest.values("result")[:1]),
        latest_decision=Subquery(latest.values("decision")[:1]),
    )


@dataclass(frozen=True)
class Progress:
    state: str
    overdue: bool
    awaiting_confirmation: bool

    @property
    def label(self):
        return ExecState(self.state).label


def progress_of(activity, on: date | None = None) -> Progress:
    """The execution state of an activity annotated by `with_progress`."""
    on = on or today()
    result = getattr(activity, "latest_result", None)
    decision = getattr(activity, "latest_decision", None)
    pending = decision == ReportDecision.PENDING
    done_standing = result == ReportResult.DONE and decision in STANDING
    end = activity.deadline_end
    overdue = end is not None and end < on and not done_standing
    if decision == ReportDecision.REJECTED:
        state = ExecState.REJECTED
    elif result == ReportResult.DONE:
        state = ExecState.AWAITING if pending else ExecState.DONE
    elif result == ReportResult.PARTLY:
        state = ExecState.PARTLY
    elif result == ReportResult.NOT_DONE:
        state = ExecState.NOT_DONE
    elif end is None:
        state = ExecState.NO_DATE
    elif overdue:
        state = ExecState.OVERDUE
    elif activity.deadline_start is not None and activity.deadline_start > on:
        state = ExecState.PLANNED
    else:
        state = ExecState.DUE
    return Progress(state=state, overdue=overdue, awaiting_confirmation=pending)
