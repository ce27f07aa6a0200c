"""Who is who: territories, bodies, schools, projects, people and their roles."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .querysets import MembershipQuerySet, OrganisationQuerySet


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("Unknown time zone %(tz)s."), code="timezone", params={"tz": value}
        ) from exc


class CodeManager(models.Manager):
    """Reference rows are addressed by a stable code in fixtures."""

    def get_by_natural_key(self, code):
        return self.get(code=code)


class Region(models.Model):
    """A federal subject: oblast, republic, krai."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_genitive = models.CharField(
        _("name in the genitive"),
        max_length=200,
        blank=True,
        help_text=_("As documents write it: «Орловской области»."),
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Moscow",
        validators=[validate_timezone],
    )

    objects = CodeManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class Municipality(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("municipal district (район)")
        URBAN_DISTRICT = "urban_district", _("urban district (городской округ)")
        MUNICIPAL_OKRUG = "municipal_okrug", _("municipal okrug")

    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("region"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT
    )

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="municipality_unique_name_in_region"
            )
        ]

    def __str__(self):
        return self.name


class OrganisationKind(models.Model):
    """Reference list of kinds of bodies (fixtures/reference.json)."""

    class Level(models.TextChoices):
        FEDERAL = "federal", _("federal")
        REGIONAL = "regional", _("regional")
        MUNICIPAL = "municipal", _("municipal")
        SCHOOL = "school", _("school")

    # Codes the portal's logic relies on.
    REGIONAL_AUTHORITY = "regional_authority"
    REGIONAL_OPERATOR = "regional_operator"
    REGIONAL_INSTITUTION = "regional_institution"
    MUNICIPAL_AUTHORITY = "municipal_authority"
    MUNICIPAL_ADMINISTRATION = "municipal_administration"
    METHODOLOGICAL_CENTRE = "methodological_centre"
    SCHOOL = "school"
    PARTNER = "partner"
    FEDERAL_BODY = "federal_body"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = CodeManager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("kind of organisation")
        verbose_name_plural = _("kinds of organisations")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class Organisation(models.Model):
    """Every body that issues orders, owns plans or is named as an executor."""

    kind = models.ForeignKey(
        OrganisationKind, on_delete=models.PROTECT, verbose_name=_("kind")
    )
    name = models.CharField(_("full name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=200, blank=True)
    name_genitive = models.CharField(
        _("name in the genitive"),
        max_length=500,
        blank=True,
        help_text=_(
            "As orders write it after «приказ»: «отдела образования администрации "
            "Колпнянского района»."
        ),
    )
    aliases = models.JSONField(
        _("other spellings"),
        default=list,
        blank=True,
        help_text=_("Spellings used in documents, for matching executors."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("region"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent body"),
    )
    # School data.
    is_shnor = models.BooleanField(
        _("low results (ШНОР)"),
        default=False,
        help_text=_("A school with low educational results."),
    )
    director = models.CharField(_("director"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            # One name per territory; NULLs need partial constraints because
            # SQLite has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["name", "municipality"],
                condition=Q(municipality__isnull=False),
                name="organisation_unique_name_in_municipality",
            ),
            models.UniqueConstraint(
                fields=["name", "region"],
                condition=Q(municipality__isnull=True, region__isnull=False),
                name="organisation_unique_name_in_region",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(region__isnull=True),
                name="organisation_unique_federal_name",
            ),
            # A municipal body or school always lies in a region.
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) | Q(region__isnull=False),
                name="organisation_municipality_needs_region",
            ),
        ]
        indexes = [models.Index(fields=["region", "municipality", "kind"])]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("schools:organisation-detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def genitive(self) -> str:
        """The name as it follows «приказ», or the name itself when unknown."""
        return self.name_genitive or self.name

    @property
    def is_school(self) -> bool:
        return self.kind.code == OrganisationKind.SCHOOL

    def clean(self):
        super().clean()
        if (
            self.municipality_id
            and self.region_id
            and self.municipality.region_id != self.region_id
        ):
            raise ValidationError(
                {
                    "municipality": ValidationError(
                        _("The municipality lies in another region."), code="territory"
                    )
                }
            )
        below_region = (OrganisationKind.Level.MUNICIPAL, OrganisationKind.Level.SCHOOL)
        lacks_municipality = not self.municipality_id
        if self.kind_id and self.kind.level in below_region and lacks_municipality:
            raise ValidationError(
                {
                    "municipality": ValidationError(
                        _("A body of this kind needs a municipality."), code="territory"
                    )
                }
            )


class Project(models.Model):
    """The federal 500+ project, or a body's own project (seed 002)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_projects",
        verbose_name=_("owning body"),
        help_text=_("Empty for federal projects."),
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)

    objects = CodeManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True)
                | Q(last_year__gte=models.F("first_year")),
                name="project_years_ordered",
            )
        ]

    def __str__(self):
        return self.short_name or self.name

    def natural_key(self):
        return (self.code,)


class ProjectParticipation(models.Model):
    """A school takes part in a project in a given year."""

    school = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("school"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["year"]
        verbose_name = _("project participation")
        verbose_name_plural = _("project participations")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "project", "year"], name="participation_unique"
            )
        ]

    def __str__(self):
        return f"{self.school} — {self.project} {self.year}"


class Role(models.TextChoices):
    REGIONAL_STAFF = "regional_staff", _("regional department staff")
    REGIONAL_COORDINATOR = (
        "regional_coordinator",
        _("regional coordinator / regional operator"),
    )
    MUNICIPAL_COORDINATOR = "municipal_coordinator", _("municipal coordinator")
    CURATOR = "curator", _("curator")
    SCHOOL = "school", _("school (director / school coordinator)")
    FEDERAL_OBSERVER = "federal_observer", _("federal observer")
    ADMINISTRATOR = "administrator", _("portal administrator")


# Roles whose scope is the organisation they are attached to.
ROLES_NEEDING_ORGANISATION = (
    Role.REGIONAL_STAFF,
    Role.REGIONAL_COORDINATOR,
    Role.MUNICIPAL_COORDINATOR,
    Role.SCHOOL,
)

# Which kinds of body each scoped role may be attached to.
ROLE_ORGANISATION_LEVELS = {
    Role.REGIONAL_STAFF: {OrganisationKind.Level.REGIONAL},
    Role.REGIONAL_COORDINATOR: {OrganisationKind.Level.REGIONAL},
    Role.MUNICIPAL_COORDINATOR: {OrganisationKind.Level.MUNICIPAL},
    Role.SCHOOL: {OrganisationKind.Level.SCHOOL},
}


class Membership(models.Model):
    """A user holds a role, scoped by the organisation it is attached to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    can_approve = models.BooleanField(
        _("approves plans by orders"),
        default=False,
        help_text=_(
            "Regional department staff with this right approve the regional "
            "plan-graph and sign its order."
        ),
    )

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role of a user")
        verbose_name_plural = _("roles of users")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="membership_unique_in_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(organisation__isnull=True),
                name="membership_unique_unscoped",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in ROLES_NEEDING_ORGANISATION])
                | Q(organisation__isnull=False),
                name="membership_scoped_role_has_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(
                    role__in=[Role.FEDERAL_OBSERVER.value, Role.ADMINISTRATOR.value]
                )
                | Q(organisation__isnull=True),
                name="membership_unscoped_role_has_no_organisation",
            ),
        ]

    def __str__(self):
        if self.organisation_id:
            return f"{self.get_role_display()} — {self.organisation}"
        return self.get_role_display()

    def clean(self):
        super().clean()
        levels = ROLE_ORGANISATION_LEVELS.get(self.role)
        if (
            levels
            and self.organisation_id
            and self.organisation.kind.level not in levels
        ):
            raise ValidationError(
                {
                    "organisation": ValidationError(
                        _("This role cannot be held in a body of this kind."),
                        code="role_level",
                    )
                }
            )


class CuratorAssignment(models.Model):
    """A curator accompanies a school in one project year."""

    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="curator_assignments",
        verbose_name=_("curator"),
    )
    school = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="curator_assignments",
        verbose_name=_("school"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("year"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("curator assignment")
        verbose_name_plural = _("curator assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["curator", "school", "project", "year"],
                name="curator_assignment_unique",
            )
        ]

    def __str__(self):
        return f"{self.curator} → {self.school} ({self.year})"


class Profile(models.Model):
    """A user's own settings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    email_notifications = models.BooleanField(
        _("send notifications by e-mail"), default=True
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)
