"""What is planned: orders, roadmaps, their editions, sections and activities."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import CodeManager, Organisation, Project

from .querysets import ActivityQuerySet, OrderQuerySet, RoadmapQuerySet


class Level(models.TextChoices):
    REGIONAL = "regional", _("regional")
    MUNICIPAL = "municipal", _("municipal")
    SCHOOL = "school", _("school")


class Numbering(models.TextChoices):
    FLAT = "flat", _("1., 2., 3. …")
    FLAT_PLAIN = "flat_plain", _("1, 2, 3 … (no dot)")
    SECTIONS = "sections", _("1.1., 1.2. … within numbered sections")
    NONE = "none", _("no numbering (no № column)")


class Order(models.Model):
    """An order (приказ) of a body: approves or amends a plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNED = "signed", _("signed")

    issuer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("issuing body"),
    )
    issuer_text = models.TextField(
        _("issuing body as written"),
        blank=True,
        help_text=_("The body's name in the order's header, line by line."),
    )
    kind_text = models.CharField(_("document word"), max_length=40, default="ПРИКАЗ")
    number = models.CharField(_("number"), max_length=40)
    date = models.DateField(_("date"))
    year = models.GeneratedField(
        expression=models.functions.ExtractYear("date"),
        output_field=models.IntegerField(),
        db_persist=True,
        verbose_name=_("year"),
    )
    date_text = models.CharField(_("date as written"), max_length=60, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    title = models.TextField(_("title"))
    preamble = models.TextField(_("preamble"), blank=True)
    signatory_position = models.CharField(
        _("signatory's position"), max_length=300, blank=True
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    based_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="basis_for",
        verbose_name=_("based on orders"),
    )
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amended_by",
        verbose_name=_("amends order"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    text_loaded = models.BooleanField(
        _("text loaded"),
        default=True,
        help_text=_("False for an order known only from references to it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrderQuerySet.as_manager()
    # The year is generated from the date: nothing of its own to record.
    history = HistoricalRecords(excluded_fields=["year"])

    class Meta:
        ordering = ["-date", "number"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.UniqueConstraint(
                F("issuer"),
                F("year"),
                F("number"),
                name="order_unique_number_per_issuer_year",
            ),
            models.CheckConstraint(
                condition=~Q(number=""), name="order_number_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["issuer", "-date"])]

    def __str__(self):
        return _("Order of %(date)s No. %(number)s") % {
            "date": self.date.strftime("%d.%m.%Y"),
            "number": self.number,
        }

    def get_absolute_url(self):
        return reverse("roadmaps:order-detail", args=[self.pk])


class OrderClause(models.Model):
    """A numbered clause of an order; sub-clauses point at their parent."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="clauses", verbose_name=_("order")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent clause"),
    )
    position = models.PositiveIntegerField(_("position"))
    number = models.CharField(_("number"), max_length=20, blank=True)
    text = models.TextField(_("text"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")

    def __str__(self):
        return f"{self.number} {self.text[:60]}"


class OrderReference(models.Model):
    """A document an order cites, as written, linked when it is registered."""

    class Relation(models.TextChoices):
        BASIS = "basis", _("based on")
        AMENDS = "amends", _("amends")

    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        related_name="references",
        verbose_name=_("order"),
    )
    relation = models.CharField(
        _("relation"), max_length=10, choices=Relation.choices, default=Relation.BASIS
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("text as written"))
    issuer_text = models.CharField(_("issuer as written"), max_length=500, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=40, blank=True)
    title = models.TextField(_("title"), blank=True)
    target = models.ForeignKey(
        Order,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cited_by",
        verbose_name=_("registered order"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]
        verbose_name = _("cited document")
        verbose_name_plural = _("cited documents")

    def __str__(self):
        return self.text[:80]


class Roadmap(models.Model):
    """The lasting identity of one body's plan for one project and period."""

    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="roadmaps",
        verbose_name=_("owning body"),
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    # Copied from the owner so that scoping and filters need no join.
    region = models.ForeignKey(
        "schools.Region",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("region"),
    )
    municipality = models.ForeignKey(
        "schools.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="roadmaps",
        verbose_name=_("project"),
    )
    title = models.TextField(_("title"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    current_edition = models.OneToOneField(
        "RoadmapEdition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current edition"),
        help_text=_("The approved edition in force."),
    )
    latest_edition = models.OneToOneField(
        "RoadmapEdition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest edition"),
    )
    # Lower-cased title and owner names: Cyrillic search that works on SQLite.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = RoadmapQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text", "latest_edition"])

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="roadmap_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "level", "-period_start"]),
            models.Index(fields=["municipality", "level"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmaps:roadmap-detail", args=[self.pk])

    @property
    def year(self) -> int:
        return self.period_start.year


class RoadmapEdition(models.Model):
    """One version (редакция) of a roadmap; sections and activities belong here."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        AGREED = "agreed", _("agreed by the curator")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned for revision")
        SUPERSEDED = "superseded", _("superseded")

    IN_WORK = (Status.DRAFT, Status.SUBMITTED, Status.AGREED, Status.RETURNED)
    FROZEN = (Status.APPROVED, Status.SUPERSEDED)

    roadmap = models.ForeignKey(
        Roadmap,
        on_delete=models.CASCADE,
        related_name="editions",
        verbose_name=_("roadmap"),
    )
    number = models.PositiveSmallIntegerField(_("edition number"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces edition"),
    )
    approving_order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_editions",
        verbose_name=_("approving order"),
    )
    approved_at = models.DateField(_("approved on"), null=True, blank=True)
    # [{"key": "number", "header": "№ п/п"}, ...] in the plan's own order.
    columns = models.JSONField(_("columns"), default=list)
    appendix_text = models.TextField(
        _("appendix header"),
        blank=True,
        help_text=_("«Приложение к приказу …» as printed above the plan."),
    )
    numbering = models.CharField(
        _("numbering"), max_length=12, choices=Numbering.choices, default=Numbering.FLAT
    )
    content_loaded = models.BooleanField(
        _("content loaded"),
        default=True,
        help_text=_("False for an edition known only from a later amendment."),
    )
    # Optimistic locking: every save of the settings bumps it.
    version = models.PositiveIntegerField(_("version"), default=1)
    status_changed_at = models.DateTimeField(
        _("status changed"), null=True, blank=True, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["roadmap", "number"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "number"], name="edition_unique_number"
            ),
            models.UniqueConstraint(
                fields=["roadmap"],
                condition=Q(status="approved"),
                name="edition_one_current_per_roadmap",
            ),
            models.UniqueConstraint(
                fields=["roadmap"],
                condition=Q(status__in=["draft", "submitted", "agreed", "returned"]),
                name="edition_one_in_work_per_roadmap",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="edition_number_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "superseded"])
                | Q(approving_order__isnull=False),
                name="edition_approved_has_order",
            ),
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | Q(number__gt=1),
                name="edition_first_replaces_nothing",
            ),
        ]

    def __str__(self):
        return _("%(roadmap)s, edition %(number)s") % {
            "roadmap": self.roadmap,
            "number": self.number,
        }

    def get_absolute_url(self):
        return reverse("roadmaps:edition-detail", args=[self.roadmap_id, self.number])

    @property
    def is_frozen(self) -> bool:
        return self.status in self.FROZEN

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def column_keys(self) -> list[str]:
        return [c["key"] for c in self.columns]

    def has_column(self, key: str) -> bool:
        return key in self.column_keys()


class Section(models.Model):
    edition = models.ForeignKey(
        RoadmapEdition,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("edition"),
    )
    position = models.PositiveIntegerField(_("position"))
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.TextField(_("title"))
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["edition", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return f"{self.number} {self.title}".strip()


class TargetComparator(models.TextChoices):
    GTE = "gte", _("not less than")
    GT = "gt", _("more than")
    LTE = "lte", _("not more than")
    LT = "lt", _("less than")
    EQ = "eq", _("equal to")


class ExecutorRole(models.TextChoices):
    DEPARTMENT = "department", _("regional education authority")
    REGIONAL_OPERATOR = "regional_operator", _("regional operator")
    REGIONAL_COORDINATOR = "regional_coordinator", _("regional coordinator")
    MUNICIPAL_AUTHORITY = (
        "municipal_authority",
        _("municipal education authority (МОУО, ОМС)"),
    )
    MUNICIPAL_COORDINATOR = "municipal_coordinator", _("municipal coordinator")
    METHODOLOGICAL_CENTRE = (
        "methodological_centre",
        _("municipal methodological centre (МОЦ)"),
    )
    SCHOOL = "school", _("schools (ОО)")
    CURATOR = "curator", _("curators")


class Activity(models.Model):
    """One row of a roadmap: what, when, who, and how success is measured."""

    edition = models.ForeignKey(
        RoadmapEdition,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("edition"),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("section"),
    )
    position = models.PositiveIntegerField(_("position"))
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.TextField(_("activity"))
    description = models.TextField(_("description"), blank=True)
    deadline_text = models.CharField(
        _("deadline as written"), max_length=300, blank=True
    )
    # [["2021-03-01", "2021-04-30"], ...]; empty when not understood.
    deadline_ranges = models.JSONField(_("deadline as understood"), default=list)
    deadline_start = models.DateField(_("earliest date"), null=True, blank=True)
    deadline_end = models.DateField(_("latest date"), null=True, blank=True)
    responsible_text = models.TextField(_("responsible as written"), blank=True)
    indicator_text = models.TextField(_("indicator as written"), blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(_("target unit"), max_length=100, blank=True)
    target_comparator = models.CharField(
        _("target comparator"),
        max_length=3,
        choices=TargetComparator.choices,
        blank=True,
    )
    risk_factors = models.ManyToManyField(
        "monitoring.RiskFactor",
        blank=True,
        related_name="activities",
        verbose_name=_("risk factors addressed"),
    )
    # Stays the same across editions so that reports survive a new edition.
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, db_index=True)
    source_activity = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_out_by",
        verbose_name=_("upper-level activity"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["edition", "position"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_start__isnull=True)
                | Q(deadline_end__gte=F("deadline_start")),
                name="activity_deadline_ordered",
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | ~Q(target_comparator=""),
                name="activity_target_has_comparator",
            ),
            models.UniqueConstraint(
                fields=["edition", "lineage"], name="activity_lineage_unique_in_edition"
            ),
        ]
        indexes = [
            models.Index(fields=["edition", "position"]),
            # Overdue filters and the activity lists' order. A composite
            # (deadline_end, deadline_start) index was measured worse: with it
            # PostgreSQL walks the whole order for a region's 50 rows.
            models.Index(fields=["deadline_end"]),
        ]

    def __str__(self):
        return f"{self.number} {self.title[:80]}".strip()

    @property
    def deadline_recognised(self) -> bool:
        return bool(self.deadline_ranges)

    def deadline_outside(self, start, end) -> bool:
        """True when the understood deadline leaves the period start..end."""
        if self.deadline_start is None:
            return False
        return self.deadline_start < start or self.deadline_end > end


class ActivityExecutor(models.Model):
    """A body or role named in an activity's executors cell."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="executors",
        verbose_name=_("activity"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="executed_activities",
        verbose_name=_("body"),
    )
    role = models.CharField(
        _("role"), max_length=30, choices=ExecutorRole.choices, blank=True
    )
    fragment = models.CharField(_("as written"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["activity", "position"]
        verbose_name = _("executor")
        verbose_name_plural = _("executors")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(role=""),
                name="executor_names_body_or_role",
            ),
        ]

    def __str__(self):
        if self.organisation_id:
            return str(self.organisation)
        return self.get_role_display()


class RoadmapTemplate(models.Model):
    """A ready-made plan to start from (fixtures/templates.json)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    description = models.TextField(_("description"), blank=True)
    # {"columns": [...], "numbering": "...", "sections": [{"title": str|None,
    #  "activities": [{"title", "description", "deadline_text", "responsible",
    #  "indicator"}]}]}
    content = models.JSONField(_("content"), default=dict)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = CodeManager()

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("roadmap template")
        verbose_name_plural = _("roadmap templates")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class Comment(models.Model):
    """A remark on a plan or one of its activities (curators comment here)."""

    edition = models.ForeignKey(
        RoadmapEdition,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("edition"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("activity"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="comment_not_empty")
        ]

    def __str__(self):
        return self.text[:60]


class WorkflowAction(models.TextChoices):
    SUBMIT = "submit", _("submitted for approval")
    AGREE = "agree", _("agreed")
    APPROVE = "approve", _("approved")
    RETURN = "return", _("returned for revision")
    NEW_EDITION = "new_edition", _("new edition started")


class WorkflowEvent(models.Model):
    """One move through the approval workflow: who, when, from, to, why."""

    action = models.CharField(
        _("action"), max_length=12, choices=WorkflowAction.choices
    )
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class EditionEvent(WorkflowEvent):
    """One move of an edition through the approval workflow."""

    edition = models.ForeignKey(
        RoadmapEdition,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("edition"),
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")
        indexes = [models.Index(fields=["edition", "created_at"])]

    def __str__(self):
        return f"{self.edition}: {self.from_status} → {self.to_status}"


def school_document_path(instance, filename):
    folder = f"school-documents/{instance.school_id}/{instance.year}"
    return f"{folder}/{uuid.uuid4().hex}/{filename}"


class SchoolDocument(models.Model):
    """A school's concept, medium-term programme or anti-risk programme (a file)."""

    class Kind(models.TextChoices):
        CONCEPT = "concept", _("development concept")
        MEDIUM_TERM = "medium_term", _("medium-term development programme")
        ANTI_RISK = "anti_risk", _("anti-risk programme")

    Status = RoadmapEdition.Status

    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="school_documents",
        verbose_name=_("school"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    risk_factor = models.ForeignKey(
        "monitoring.RiskFactor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("risk factor"),
    )
    title = models.CharField(_("title"), max_length=500)
    file = models.FileField(_("file"), upload_to=school_document_path, max_length=300)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RoadmapEdition.Status.choices,
        default=RoadmapEdition.Status.DRAFT,
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "kind", "title"]
        verbose_name = _("school document")
        verbose_name_plural = _("school documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="anti_risk") | Q(risk_factor__isnull=False),
                name="anti_risk_document_names_its_factor",
            ),
        ]
        indexes = [models.Index(fields=["school", "year"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmaps:document-list", args=[self.school_id])

    @property
    def level(self) -> str:
        return Level.SCHOOL


class DocumentEvent(WorkflowEvent):
    """One move of a school document through the agree/approve path."""

    document = models.ForeignKey(
        SchoolDocument,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("document"),
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("document event")
        verbose_name_plural = _("document events")

    def __str__(self):
        return f"{self.document}: {self.from_status} → {self.to_status}"


class Notification(models.Model):
    """A message in the portal (and, if the user wants, by e-mail)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self):
        return self.text


class ImportUpload(models.Model):
    """A file (or pasted text) read for a preview, kept until the user confirms.

    Nothing of the plan is saved before the confirmation; this row only keeps
    the bytes between the preview and the confirmation, and is deleted then.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    data = models.BinaryField(_("content"))
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("body"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project")
    )
    # A new edition of this plan instead of a new plan.
    target = models.ForeignKey(
        Roadmap,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new edition of"),
    )
    mapping = models.JSONField(_("column mapping"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import in preview")
        verbose_name_plural = _("imports in preview")

    def __str__(self):
        return self.filename or str(self.pk)


def export_path(instance, filename):
    return f"exports/{instance.user_id}/{uuid.uuid4().hex}/{filename}"


class ExportJob(models.Model):
    """A large export generated in the background (see roadmaps/exports/jobs.py).

    The file is kept for the user who asked for it and served only to them.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being generated")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("export"), max_length=40)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(
        _("file"), upload_to=export_path, max_length=300, blank=True
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
