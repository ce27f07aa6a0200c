"""What happened: reference data of monitoring and risk profiles."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from roadmaps.models import WorkflowEvent
from schools.models import CodeManager, Municipality, Organisation, Project, Region


class RiskFactor(models.Model):
    """A factor of the school risk profile (fixtures/reference.json)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=300)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = CodeManager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")

    def __str__(self):
        return f"{self.number}. {self.name}"

    def natural_key(self):
        return (self.code,)


class MonitoringStageType(models.Model):
    """A kind of monitoring stage: entry survey, first stage, second stage."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    usual_month = models.PositiveSmallIntegerField(
        _("usual month"), help_text=_("1-12: the month the stage usually runs in.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = CodeManager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("kind of monitoring stage")
        verbose_name_plural = _("kinds of monitoring stages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(usual_month__gte=1, usual_month__lte=12),
                name="stage_type_month_valid",
            )
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


# --- activity execution ----------------------------------------------------


def evidence_path(instance, filename):
    return f"evidence/{instance.report.roadmap_id}/{uuid.uuid4().hex}/{filename}"


class ReportResult(models.TextChoices):
    DONE = "done", _("done")
    PARTLY = "partly", _("partly done")
    NOT_DONE = "not_done", _("not done")


class ReportDecision(models.TextChoices):
    NOT_NEEDED = "not_needed", _("no confirmation needed")
    PENDING = "pending", _("awaiting confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class ActivityReport(models.Model):
    """An executor's (or curator's) account of how one activity was carried out.

    Reports attach to the activity's lineage within its roadmap, so they
    survive a new edition. Every report is kept; `is_latest` marks the one
    that states the activity's execution now (a unique partial constraint).
    """

    roadmap = models.ForeignKey(
        "roadmaps.Roadmap",
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("roadmap"),
    )
    lineage = models.UUIDField(_("activity lineage"))
    activity = models.ForeignKey(
        "roadmaps.Activity",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("activity (edition it was reported on)"),
    )
    result = models.CharField(_("result"), max_length=10, choices=ReportResult.choices)
    done_on = models.DateField(_("date"))
    actual_value = models.DecimalField(
        _("actual value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activity_reports",
        verbose_name=_("reported by"),
    )
    reporter_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    decision = models.CharField(
        _("curator's decision"),
        max_length=10,
        choices=ReportDecision.choices,
        default=ReportDecision.NOT_NEEDED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("curator's comment"), blank=True)
    is_latest = models.BooleanField(_("latest"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "lineage"],
                condition=models.Q(is_latest=True),
                name="report_one_latest_per_activity",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_at__isnull=True)
                | models.Q(decision__in=["confirmed", "rejected"]),
                name="report_decided_only_when_decided",
            ),
        ]
        indexes = [
            models.Index(fields=["roadmap", "lineage", "is_latest"]),
            models.Index(fields=["decision", "is_latest"]),
        ]

    def __str__(self):
        return f"{self.get_result_display()} ({self.done_on})"

    @property
    def counts_done(self) -> bool:
        """Done and not awaiting or refused confirmation."""
        return self.result == ReportResult.DONE and self.decision in (
            ReportDecision.NOT_NEEDED,
            ReportDecision.CONFIRMED,
        )


class ReportEvidence(models.Model):
    """A file or a link proving a report."""

    report = models.ForeignKey(
        ActivityReport,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("report"),
    )
    file = models.FileField(
        _("file"), upload_to=evidence_path, max_length=300, blank=True
    )
    url = models.URLField(_("link"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(~models.Q(file="") & models.Q(url=""))
                | (models.Q(file="") & ~models.Q(url="")),
                name="evidence_file_or_link",
            )
        ]

    def __str__(self):
        return self.title or self.url or self.file.name.rsplit("/", 1)[-1]


# --- monitoring stages -----------------------------------------------------


class MonitoringStage(models.Model):
    """One stage of the year's monitoring in a region, with its form."""

    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="monitoring_stages",
        verbose_name=_("region"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    stage_type = models.ForeignKey(
        MonitoringStageType,
        on_delete=models.PROTECT,
        related_name="stages",
        verbose_name=_("kind of stage"),
    )
    title = models.CharField(_("title"), max_length=300)
    instructions = models.TextField(_("instructions"), blank=True)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Schools see and fill only published stages."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["region", "-year", "stage_type__position"]
        verbose_name = _("monitoring stage")
        verbose_name_plural = _("monitoring stages")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "project", "year", "stage_type"],
                name="stage_unique_per_region_year",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="stage_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"


class FieldKind(models.TextChoices):
    NUMBER = "number", _("number")
    PERCENT = "percent", _("percentage")
    BOOLEAN = "boolean", _("yes / no")
    TEXT = "text", _("text")
    FILE = "file", _("file")


def monitoring_file_path(instance, filename):
    sub = instance.submission
    return f"monitoring/{sub.stage_id}/{sub.school_id}/{uuid.uuid4().hex}/{filename}"


class MonitoringField(models.Model):
    """One indicator of a stage's form."""

    stage = models.ForeignKey(
        MonitoringStage,
        on_delete=models.CASCADE,
        related_name="fields",
        verbose_name=_("stage"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("The same code in two stages makes their values comparable."),
    )
    label = models.CharField(_("indicator"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=FieldKind.choices)
    required = models.BooleanField(_("required"), default=False)
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    help_text = models.CharField(_("hint"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["stage", "position", "pk"]
        verbose_name = _("form indicator")
        verbose_name_plural = _("form indicators")
        constraints = [
            models.UniqueConstraint(fields=["stage", "code"], name="field_code_unique"),
            models.CheckConstraint(
                condition=models.Q(min_value__isnull=True)
                | models.Q(max_value__isnull=True)
                | models.Q(max_value__gte=models.F("min_value")),
                name="field_limits_ordered",
            ),
        ]

    def __str__(self):
        return self.label


class SubmissionStatus(models.TextChoices):
    # «форма» is checked by the curator, not agreed: its own words.
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", pgettext_lazy("monitoring form", "submitted")
    CONFIRMED = "confirmed", pgettext_lazy("monitoring form", "confirmed")
    RETURNED = "returned", _("returned for revision")


class MonitoringSubmission(models.Model):
    """A school's filled form of one stage."""

    stage = models.ForeignKey(
        MonitoringStage,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("stage"),
    )
    school = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="monitoring_submissions",
        verbose_name=_("school"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_comment = models.TextField(_("curator's comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["stage", "school__name"]
        verbose_name = _("monitoring form")
        verbose_name_plural = _("monitoring forms")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "school"], name="submission_one_per_school"
            ),
        ]
        indexes = [models.Index(fields=["stage", "status"])]

    def __str__(self):
        return f"{self.school} — {self.stage}"


class MonitoringAnswer(models.Model):
    """The value one school gave for one indicator."""

    submission = models.ForeignKey(
        MonitoringSubmission,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("form"),
    )
    field = models.ForeignKey(
        MonitoringField,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("indicator"),
    )
    number = models.DecimalField(
        _("number"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    boolean = models.BooleanField(_("yes / no"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(
        _("file"), upload_to=monitoring_file_path, max_length=300, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["submission", "field__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "field"], name="answer_one_per_field"
            ),
        ]

    def __str__(self):
        return f"{self.field}: {self.value}"

    @property
    def value(self):
        kind = self.field.kind
        if kind in (FieldKind.NUMBER, FieldKind.PERCENT):
            return self.number
        if kind == FieldKind.BOOLEAN:
            return self.boolean
        if kind == FieldKind.FILE:
            return self.file.name if self.file else ""
        return self.text


class SubmissionEvent(WorkflowEvent):
    """One move of a monitoring form: submitted, confirmed, returned."""

    submission = models.ForeignKey(
        MonitoringSubmission,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("form"),
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("monitoring form event")
        verbose_name_plural = _("monitoring form events")


# --- risk profiles ---------------------------------------------------------


class RiskLevel(models.TextChoices):
    NONE = "none", _("not a risk")
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class ProfileStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted to the curator")
    VERIFIED = "verified", _("verified by the curator")
    RETURNED = "returned", _("returned for revision")


class RiskProfile(models.Model):
    """A school's risk profile for one project year (self-diagnostics)."""

    school = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="risk_profiles",
        verbose_name=_("school"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProfileStatus.choices,
        default=ProfileStatus.DRAFT,
    )
    diagnosed_on = models.DateField(
        _("self-diagnostics held on"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    decision_comment = models.TextField(_("curator's comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-year", "school__name"]
        verbose_name = _("risk profile")
        verbose_name_plural = _("risk profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "project", "year"], name="risk_profile_unique"
            ),
        ]

    def __str__(self):
        return f"{self.school} ({self.year})"


class RiskProfileEntry(models.Model):
    """The level of one factor in a profile, and whether the school works on it."""

    profile = models.ForeignKey(
        RiskProfile,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("risk profile"),
    )
    factor = models.ForeignKey(
        RiskFactor,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("risk factor"),
    )
    level = models.CharField(
        _("level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.NONE
    )
    is_chosen = models.BooleanField(
        _("chosen"),
        default=False,
        help_text=_("The school works on this factor with an anti-risk programme."),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["profile", "factor__number"]
        verbose_name = _("risk profile entry")
        verbose_name_plural = _("risk profile entries")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "factor"], name="risk_entry_one_per_factor"
            ),
        ]
        indexes = [models.Index(fields=["factor", "is_chosen"])]

    def __str__(self):
        return f"{self.factor}: {self.get_level_display()}"


# --- curators' visits ------------------------------------------------------


class ScheduleStatus(models.TextChoices):
    # «график» is masculine: its own forms of the shared words.
    DRAFT = "draft", pgettext_lazy("schedule", "draft")
    SUBMITTED = "submitted", pgettext_lazy("schedule", "submitted for approval")
    APPROVED = "approved", pgettext_lazy("schedule", "approved")


class VisitSchedule(models.Model):
    """The schedule of curators' visits to a municipality's schools in a year."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="visit_schedules",
        verbose_name=_("municipality"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ScheduleStatus.choices,
        default=ScheduleStatus.DRAFT,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "municipality__name"]
        verbose_name = _("schedule of curators' visits")
        verbose_name_plural = _("schedules of curators' visits")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "project", "year"],
                name="visit_schedule_unique",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} ({self.year})"


class CuratorVisit(models.Model):
    """One visit of a curator to a school."""

    schedule = models.ForeignKey(
        VisitSchedule,
        on_delete=models.CASCADE,
        related_name="visits",
        verbose_name=_("schedule"),
    )
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("curator"),
    )
    school = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="curator_visits",
        verbose_name=_("school"),
    )
    planned_on = models.DateField(_("planned date"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["planned_on", "pk"]
        verbose_name = _("curator's visit")
        verbose_name_plural = _("curators' visits")
        indexes = [models.Index(fields=["school", "planned_on"])]

    def __str__(self):
        return f"{self.school} {self.planned_on}"
