"""Reports on activities and the curator's decision on them.

Every report is kept (with its history); `is_latest` marks the one that states
the activity's execution now and is moved only here, under a row lock. A form
carries the latest report id and version it was based on: a stale form is
refused with a clear message instead of silently replacing a newer report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring import progress
from monitoring.models import (
    ActivityReport,
    ReportDecision,
    ReportEvidence,
    ReportResult,
)
from roadmaps.models import Activity, Level
from roadmaps.notifications import deliver
from roadmaps.workflow import check_document_file
from schools.access import Refused, scope_for
from schools.models import CuratorAssignment, Role

from .rules import in_force
from .selectors import READ_ONLY_ROLES, reportable_q, reports_visible

MAX_FILES = 10
MAX_LINKS = 10
# Reports older than the year before the plan began are surely a typing error.
EARLIEST_YEARS_BEFORE_PLAN = 1

_link_validator = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Link:
    url: str
    title: str = ""


def _stale() -> ValidationError:
    return ValidationError(
        _(
            "Someone has reported on this activity (or the curator has decided on "
            "the report) since you opened the form. Read the latest report below "
            "and send yours again if it is still needed."
        ),
        code="stale",
    )


def _check_fields(*, activity, result, done_on, actual_value, comment, on) -> dict:
    errors: dict[str, ValidationError] = {}
    if result not in ReportResult.values:
        errors["result"] = ValidationError(
            _("Choose whether the activity is done, partly done or not done."),
            code="required",
        )
    if done_on is None:
        errors["done_on"] = ValidationError(_("Give the date."), code="required")
    else:
        earliest = date(
            activity.edition.roadmap.period_start.year - EARLIEST_YEARS_BEFORE_PLAN,
            1,
            1,
        )
        if done_on > on:
            errors["done_on"] = ValidationError(
                _("The date cannot be in the future."), code="future"
            )
        elif done_on < earliest:
            errors["done_on"] = ValidationError(
                _("The date cannot be earlier than %(date)s."),
                code="too_early",
                params={"date": earliest.strftime("%d.%m.%Y")},
            )
    if actual_value is not None and Decimal(actual_value) < 0:
        errors["actual_value"] = ValidationError(
            _("The actual value cannot be negative."), code="negative"
        )
    if result in (ReportResult.PARTLY, ReportResult.NOT_DONE) and not comment:
        errors["comment"] = ValidationError(
            _("Say what was not done and why."), code="comment_required"
        )
    return errors


def _check_files(files) -> list[ValidationError]:
    problems = []
    if len(files) > MAX_FILES:
        problems.append(
            ValidationError(
                _("Attach at most %(count)s files to one report."),
                code="too_many",
                params={"count": MAX_FILES},
            )
        )
    for upload in files:
        try:
            check_document_file(upload)
        except ValidationError as exc:
            for message in exc.messages:
                problems.append(
                    ValidationError(
                        "«%(name)s»: %(message)s",
                        code=exc.error_dict["file"][0].code,
                        params={"name": Path(upload.name).name, "message": message},
                    )
                )
    return problems


def _check_links(links: list[Link]) -> list[ValidationError]:
    problems = []
    if len(links) > MAX_LINKS:
        problems.append(
            ValidationError(
                _("Give at most %(count)s links to one report."),
                code="too_many",
                params={"count": MAX_LINKS},
            )
        )
    for link in links:
        try:
            _link_validator(link.url)
        except ValidationError:
            problems.append(
                ValidationError(
                    _("«%(url)s» is not a web address (http:// or https://)."),
                    code="bad_link",
                    params={"url": link.url[:200]},
                )
            )
    return problems


def _reporter_body(user, activity: Activity):
    """The body the user reports for: the executor body they belong to, or
    the body of the role the plan names."""
    scope = scope_for(user)
    own = {
        org for role, org, _r, _m in scope.memberships if role not in READ_ONLY_ROLES
    }
    named = [e.organisation_id for e in activity.executors.all() if e.organisation_id]
    for org in named:
        if org in own:
            return org
    roadmap = activity.edition.roadmap
    if scope.holds(Role.SCHOOL, organisation=roadmap.owner_id):
        return roadmap.owner_id
    for role, org, _r, _m in scope.memberships:
        if role not in READ_ONLY_ROLES and role != Role.CURATOR and org:
            return org
    return None


def _curates(user, roadmap) -> bool:
    return (
        roadmap.level == Level.SCHOOL
        and Role.CURATOR in scope_for(user).roles
        and CuratorAssignment.objects.filter(
            curator=user,
            school_id=roadmap.owner_id,
            project_id=roadmap.project_id,
            year=roadmap.period_start.year,
        ).exists()
    )


def _curators_of(roadmap):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            curator_assignments__school_id=roadmap.owner_id,
            curator_assignments__project_id=roadmap.project_id,
            curator_assignments__year=roadmap.period_start.year,
            memberships__role=Role.CURATOR,
        )
        .distinct()
    )


def report_url(activity: Activity) -> str:
    return reverse("monitoring:activity-reports", args=[activity.pk])


@transaction.atomic
def report_create(
    *,
    by,
    activity: Activity,
    result: str,
    done_on: date | None,
    actual_value: Decimal | None = None,
    comment: str = "",
    files=(),
    links=(),
    based_on: int | None = None,
    based_on_version: int | None = None,
) -> ActivityReport:
    """Report how an activity of a plan in force was carried out.

    `based_on`/`based_on_version` name the latest report the form showed
    (None when there was none). Nothing is saved when anything is wrong.
    """
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("edition", "edition__roadmap")
        .get(pk=activity.pk)
    )
    roadmap = activity.edition.roadmap
    if not Activity.objects.visible_to(by).filter(pk=activity.pk).exists():
        raise Refused("out_of_scope")
    if not in_force(activity):
        raise ValidationError(
            _("Reports are made only on a plan in force (an approved edition)."),
            code="not_in_force",
        )
    if not Activity.objects.filter(reportable_q(by), pk=activity.pk).exists():
        raise Refused("not_executor")

    comment = (comment or "").strip()
    files = list(files)
    links = [Link(link.url.strip(), link.title.strip()) for link in links if link.url]
    errors = _check_fields(
        activity=activity,
        result=result,
        done_on=done_on,
        actual_value=actual_value,
        comment=comment,
        on=progress.today(),
    )
    if problems := _check_files(files):
        errors["files"] = problems
    if problems := _check_links(links):
        errors["links"] = problems
    if errors:
        raise ValidationError(errors)

    latest = (
        ActivityReport.objects.select_for_update()
        .filter(roadmap=roadmap, lineage=activity.lineage, is_latest=True)
        .first()
    )
    if latest is None:
        if based_on is not None:
            raise _stale()
    elif latest.pk != based_on or latest.version != based_on_version:
        raise _stale()

    now = timezone.now()
    curator = _curates(by, roadmap)
    if roadmap.level != Level.SCHOOL:
        decision = ReportDecision.NOT_NEEDED
    elif curator:
        decision = ReportDecision.CONFIRMED
    else:
        decision = ReportDecision.PENDING
    if latest is not None:
        latest.is_latest = False
        latest._history_user = by
        latest.save(update_fields=["is_latest"])
    report = ActivityReport(
        roadmap=roadmap,
        lineage=activity.lineage,
        activity=activity,
        result=result,
        done_on=done_on,
        actual_value=actual_value,
        comment=comment,
        reporter=by,
        reporter_organisation_id=None if curator else _reporter_body(by, activity),
        decision=decision,
        decided_by=by if decision == ReportDecision.CONFIRMED else None,
        decided_at=now if decision == ReportDecision.CONFIRMED else None,
    )
    report._history_user = by
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # a concurrent first report won the race
        raise _stale() from exc
    for upload in files:
        ReportEvidence.objects.create(
            report=report,
            file=upload,
            title=Path(upload.name).name[:300],
            size=upload.size,
        )
    for link in links:
        ReportEvidence.objects.create(report=report, url=link.url, title=link.title)

    if decision == ReportDecision.PENDING:
        text = _("A report on «%(activity)s» awaits your confirmation.") % {
            "activity": activity.title[:200]
        }
        url = report_url(activity)
        transaction.on_commit(lambda: deliver(list(_curators_of(roadmap)), text, url))
    return report


@transaction.atomic
def report_decide(
    *,
    by,
    report: ActivityReport,
    decision: str,
    comment: str = "",
    version: int | None = None,
) -> ActivityReport:
    """The school's curator confirms or rejects (with a comment) a report."""
    report = (
        ActivityReport.objects.select_for_update(of=("self",))
        .select_related("activity", "roadmap")
        .get(pk=report.pk)
    )
    if not reports_visible(user=by).filter(pk=report.pk).exists():
        raise Refused("out_of_scope")
    if not _curates(by, report.roadmap):
        raise Refused("not_curator")
    if decision not in (ReportDecision.CONFIRMED, ReportDecision.REJECTED):
        raise ValidationError(_("Confirm or reject the report."), code="bad_decision")
    if version is not None and version != report.version:
        raise _stale()
    if not report.is_latest or report.decision != ReportDecision.PENDING:
        raise ValidationError(
            _("This report is not awaiting confirmation any more."),
            code="not_pending",
        )
    comment = (comment or "").strip()
    if decision == ReportDecision.REJECTED and not comment:
        raise ValidationError(
            {
                "comment": ValidationError(
                    _("Say what is wrong: a rejection needs a comment."),
                    code="comment_required",
                )
            }
        )
    report.decision = decision
    report.decided_by = by
    report.decided_at = timezone.now()
    report.decision_comment = comment
    report.version += 1
    report._history_user = by
    report.save(
        update_fields=[
            "decision",
            "decided_by",
            "decided_at",
            "decision_comment",
            "version",
        ]
    )
    values = {
        "activity": report.activity.title[:200],
        "curator": by.get_full_name() or by.username,
        "comment": comment,
    }
    if decision == ReportDecision.REJECTED:
        text = (
            _(
                "The curator %(curator)s rejected your report on «%(activity)s»: "
                "%(comment)s"
            )
            % values
        )
    else:
        text = (
            _("The curator %(curator)s confirmed your report on «%(activity)s».")
            % values
        )
    url = report_url(report.activity)
    reporter = report.reporter
    if reporter.pk != by.pk:
        transaction.on_commit(lambda: deliver([reporter], text, url))
    return report
