"""Reads of monitoring stages that pages, exports and dashboards share.

Completion statuses of a school in a stage:
- *missing* — the school takes part but has no form at all;
- *draft*, *submitted*, *confirmed*, *returned* — the status of its form;
- *late* (a mark, not a status) — first sent after the closing date, or not
  sent at all once the closing date has passed (missing or a draft).
Only schools that take part in the stage's project that year, in the
stage's region, count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from monitoring.models import (
    FieldKind,
    MonitoringAnswer,
    MonitoringField,
    MonitoringStage,
    MonitoringSubmission,
    SubmissionStatus,
)
from monitoring.progress import today
from schools.models import Organisation, ProjectParticipation

MISSING = "missing"
LATE = "late"
STATUSES = (MISSING, *SubmissionStatus.values)
FILTERS = (*STATUSES, LATE)


def _count(qs, group: str) -> Coalesce:
    return Coalesce(
        Subquery(
            qs.order_by().values(group).annotate(c=Count("pk")).values("c")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def completion_counts(
    *, stage_ids, schools: QuerySet[Organisation] | None = None, on: date | None = None
) -> dict[int, dict[str, int]]:
    """Per stage id: {total, missing, draft, submitted, confirmed, returned, late}.

    `schools` narrows the count to the schools a user may see (pass e.g.
    `Organisation.objects.visible_to(user)` or a municipality's schools);
    None counts every participating school. One query whatever the number
    of stages or schools.
    """
    on = on or today()
    participants = ProjectParticipation.objects.filter(
        project_id=OuterRef("project_id"),
        year=OuterRef("year"),
        school__region_id=OuterRef("region_id"),
        school__kind__code="school",
    )
    forms = MonitoringSubmission.objects.filter(
        stage_id=OuterRef("pk"),
        school__participations__project_id=OuterRef("project_id"),
        school__participations__year=OuterRef("year"),
    )
    if schools is not None:
        ids = schools.values("pk")
        participants = participants.filter(school_id__in=ids)
        forms = forms.filter(school_id__in=ids)
    annotations = {"n_total": _count(participants, "year")}
    for status in SubmissionStatus.values:
        annotations[f"n_{status}"] = _count(forms.filter(status=status), "stage")
    annotations["n_sent"] = _count(forms.filter(submitted_at__isnull=False), "stage")
    annotations["n_sent_late"] = _count(
        forms.filter(submitted_at__date__gt=OuterRef("closes_on")), "stage"
    )
    rows = (
        MonitoringStage.objects.filter(pk__in=list(stage_ids))
        .order_by()
        .annotate(**annotations)
        .values("pk", "closes_on", *annotations)
    )
    result = {}
    for row in rows:
        counts = {s: row[f"n_{s}"] for s in SubmissionStatus.values}
        total = row["n_total"]
        counts[MISSING] = max(total - sum(counts.values()), 0)
        unsent = total - row["n_sent"] if on > row["closes_on"] else 0
        counts[LATE] = row["n_sent_late"] + max(unsent, 0)
        counts["total"] = total
        result[row["pk"]] = counts
    return result


def completion_rows(
    *,
    stage: MonitoringStage,
    schools: QuerySet[Organisation],
    status: str = "",
    municipality_id: int | None = None,
    on: date | None = None,
) -> QuerySet[Organisation]:
    """The schools of a stage with their form's status and dates, filtered.

    Rows carry `form_id`, `form_status` (None when missing), `form_submitted`,
    `form_decided`, `form_version` and `is_late`.
    """
    on = on or today()
    form = MonitoringSubmission.objects.filter(stage=stage, school=OuterRef("pk"))
    rows = schools.select_related("municipality").annotate(
        form_id=Subquery(form.values("pk")[:1]),
        form_status=Subquery(form.values("status")[:1]),
        form_submitted=Subquery(form.values("submitted_at")[:1]),
        form_decided=Subquery(form.values("decided_at")[:1]),
    )
    late_sent = Exists(form.filter(submitted_at__date__gt=stage.closes_on))
    unsent = ~Exists(form.filter(submitted_at__isnull=False))
    late_q = Q(late_sent) | (Q(unsent) if on > stage.closes_on else Q(pk__in=[]))
    if municipality_id:
        rows = rows.filter(municipality_id=municipality_id)
    if status == MISSING:
        rows = rows.filter(~Exists(form))
    elif status in SubmissionStatus.values:
        rows = rows.filter(Exists(form.filter(status=status)))
    elif status == LATE:
        rows = rows.filter(late_q)
    return rows.order_by("municipality__name", "name")


def is_late(stage: MonitoringStage, submitted_at, on: date | None = None) -> bool:
    """Sent after the closing date, or not sent once it has passed."""
    from django.utils import timezone

    if submitted_at is None:
        return (on or today()) > stage.closes_on
    return timezone.localdate(submitted_at) > stage.closes_on


def counts_for(*, stage: MonitoringStage, schools, municipality_id=None, on=None):
    """Counts of one stage's schools (optionally of one municipality)."""
    if municipality_id:
        schools = schools.filter(municipality_id=municipality_id)
    return completion_counts(stage_ids=[stage.pk], schools=schools, on=on).get(
        stage.pk, dict.fromkeys((*FILTERS, "total"), 0)
    )


# --- consolidated values ------------------------------------------------------


@dataclass
class Aggregate:
    count: int = 0
    total: Decimal = Decimal(0)
    low: Decimal | None = None
    high: Decimal | None = None
    yes: int = 0

    @property
    def average(self) -> Decimal | None:
        if not self.count:
            return None
        return (self.total / self.count).quantize(Decimal("0.01"))

    @property
    def yes_share(self) -> Decimal | None:
        if not self.count:
            return None
        return (Decimal(self.yes) * 100 / self.count).quantize(Decimal("0.1"))

    def add(self, other: Aggregate) -> None:
        self.count += other.count
        self.total += other.total
        self.yes += other.yes
        for name, pick in (("low", min), ("high", max)):
            mine, theirs = getattr(self, name), getattr(other, name)
            if theirs is not None:
                setattr(self, name, theirs if mine is None else pick(mine, theirs))


@dataclass
class FieldSummary:
    field: MonitoringField
    region: Aggregate = field(default_factory=Aggregate)
    # municipality id -> aggregate
    by_municipality: dict[int, Aggregate] = field(default_factory=dict)


def consolidated(
    *,
    stage: MonitoringStage,
    schools: QuerySet[Organisation],
    include_submitted: bool = False,
) -> list[FieldSummary]:
    """Count, average, minimum and maximum of each number and percentage,
    and the share of «yes» of each yes/no indicator, over confirmed forms
    (and sent ones when asked), per municipality and for the whole region."""
    statuses = [SubmissionStatus.CONFIRMED]
    if include_submitted:
        statuses.append(SubmissionStatus.SUBMITTED)
    fields = [
        f
        for f in stage.fields.order_by("position", "pk")
        if f.kind in (FieldKind.NUMBER, FieldKind.PERCENT, FieldKind.BOOLEAN)
    ]
    summaries = {f.pk: FieldSummary(field=f) for f in fields}
    rows = (
        MonitoringAnswer.objects.filter(
            submission__stage=stage,
            submission__status__in=statuses,
            submission__school__in=schools,
            field_id__in=list(summaries),
        )
        .order_by()
        .values("field_id", municipality_id=F("submission__school__municipality_id"))
        .annotate(
            n_number=Count("number"),
            n_boolean=Count("boolean"),
            yes=Count("pk", filter=Q(boolean=True)),
            total=Sum("number"),
            low=Min("number"),
            high=Max("number"),
            mean=Avg("number"),
        )
    )
    for row in rows:
        summary = summaries[row["field_id"]]
        boolean = summary.field.kind == FieldKind.BOOLEAN
        part = Aggregate(
            count=row["n_boolean"] if boolean else row["n_number"],
            total=Decimal(row["total"] or 0),
            low=row["low"],
            high=row["high"],
            yes=row["yes"],
        )
        summary.by_municipality[row["municipality_id"]] = part
        summary.region.add(part)
    return list(summaries.values())


# --- comparing stages ----------------------------------------------------------


@dataclass
class Comparison:
    code: str
    label: str
    kind: str
    earlier: object = None
    later: object = None

    @property
    def change(self) -> Decimal | None:
        if isinstance(self.earlier, Decimal) and isinstance(self.later, Decimal):
            return self.later - self.earlier
        return None


def answer_value(answer: MonitoringAnswer | None, kind: str):
    if answer is None:
        return None
    if kind in (FieldKind.NUMBER, FieldKind.PERCENT):
        return answer.number
    if kind == FieldKind.BOOLEAN:
        return answer.boolean
    if kind == FieldKind.FILE:
        return answer.file.name.rsplit("/", 1)[-1] if answer.file else None
    return answer.text or None


def compare_stages(
    *, school: Organisation, earlier: MonitoringStage, later: MonitoringStage
) -> list[Comparison]:
    """One school's values in two stages, indicators matched by their code."""
    fields = list(
        MonitoringField.objects.filter(stage__in=[earlier, later]).order_by(
            "position", "pk"
        )
    )
    answers = {
        a.field_id: a
        for a in MonitoringAnswer.objects.filter(
            submission__school=school, submission__stage__in=[earlier, later]
        )
    }
    by_code: dict[str, Comparison] = {}
    for f in sorted(fields, key=lambda f: (f.stage_id != later.pk, f.position)):
        row = by_code.setdefault(
            f.code, Comparison(code=f.code, label=f.label, kind=f.kind)
        )
        value = answer_value(answers.get(f.pk), f.kind)
        if f.stage_id == earlier.pk:
            row.earlier = value
        else:
            row.later = value
    return list(by_code.values())
