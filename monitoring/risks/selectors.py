"""Reads of risk profiles and risk coverage shared by pages, exports and dashboards.

A chosen risk of a school is *covered* when at least one activity addresses
its factor in
- the school's own roadmap for the year: the edition in force, or, while the
  plan has none, its latest edition (a draft being written), or
- the roadmap in force of the school's municipality for the year
  (municipal measures for the schools of the district).
Regional plan-graphs organise the project for the whole region and are not
counted as covering one school's risk. Only active factors count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from monitoring.models import (
    ProfileStatus,
    RiskFactor,
    RiskProfile,
    RiskProfileEntry,
)
from roadmaps.models import Activity, Level, Roadmap, SchoolDocument

Tag = Activity.risk_factors.through
PROJECT_CODE = "500plus"
R = "activity__edition__roadmap__"

# The most advanced anti-risk programme of a factor stands for it.
PROGRAMME_RANK = {
    SchoolDocument.Status.APPROVED: 5,
    SchoolDocument.Status.AGREED: 4,
    SchoolDocument.Status.SUBMITTED: 3,
    SchoolDocument.Status.RETURNED: 2,
    SchoolDocument.Status.DRAFT: 1,
}


def profile_factors(profile: RiskProfile | None):
    """(active factors, the profile's entries with their factors) in one query.

    Entries of factors no longer in use are kept; factors without an entry yet
    have none.
    """
    if profile is None:
        return active_factors(), []
    own = RiskProfileEntry.objects.filter(profile=profile, factor_id=OuterRef("pk"))
    rows = (
        RiskFactor.objects.filter(Q(is_active=True) | Q(entries__profile=profile))
        .distinct()
        .annotate(
            entry_id=Subquery(own.values("pk")[:1]),
            entry_level=Subquery(own.values("level")[:1]),
            entry_chosen=Subquery(own.values("is_chosen")[:1]),
            entry_note=Subquery(own.values("note")[:1]),
        )
        .order_by("number")
    )
    factors, entries = [], []
    for f in rows:
        if f.is_active:
            factors.append(f)
        if f.entry_id is not None:
            entries.append(
                RiskProfileEntry(
                    pk=f.entry_id,
                    profile=profile,
                    factor=f,
                    level=f.entry_level,
                    is_chosen=bool(f.entry_chosen),
                    note=f.entry_note or "",
                )
            )
    return factors, entries


def active_factors() -> list[RiskFactor]:
    """The factors schools rate this year (reference data)."""
    return list(RiskFactor.objects.filter(is_active=True).order_by("number"))


def _project_q(prefix: str, project) -> Q:
    if project is None:
        return Q(**{f"{prefix}project__code": PROJECT_CODE})
    return Q(**{f"{prefix}project": project})


def _plan_q(*, school, municipality, project, year) -> Q:
    """Tags (rows of Activity.risk_factors) of the plans that cover a school."""
    own = Q(**{f"{R}owner_id": school}) & (
        Q(activity__edition_id=F(f"{R}current_edition_id"))
        | Q(
            **{f"{R}current_edition__isnull": True},
            activity__edition_id=F(f"{R}latest_edition_id"),
        )
    )
    municipal = Q(
        **{f"{R}level": Level.MUNICIPAL, f"{R}municipality_id": municipality},
        activity__edition_id=F(f"{R}current_edition_id"),
    )
    return (own | municipal) & Q(
        **{
            f"{R}project_id": project,
            f"{R}period_start__year__lte": year,
            f"{R}period_end__year__gte": year,
        }
    )


def covering_tags(prefix: str = "") -> QuerySet:
    """Tags covering the chosen entry at OuterRef(`prefix`) (a RiskProfileEntry)."""
    p = prefix
    return Tag.objects.filter(
        _plan_q(
            school=OuterRef(f"{p}profile__school_id"),
            municipality=OuterRef(f"{p}profile__school__municipality_id"),
            project=OuterRef(f"{p}profile__project_id"),
            year=OuterRef(f"{p}profile__year"),
        ),
        riskfactor_id=OuterRef(f"{p}factor_id"),
    )


def best_programme_status(prefix: str = "") -> Subquery:
    """Status of the most advanced anti-risk programme for the entry's factor."""
    p = prefix
    rank = Case(
        *(When(status=s, then=Value(r)) for s, r in PROGRAMME_RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    docs = (
        SchoolDocument.objects.filter(
            school_id=OuterRef(f"{p}profile__school_id"),
            year=OuterRef(f"{p}profile__year"),
            kind=SchoolDocument.Kind.ANTI_RISK,
            risk_factor_id=OuterRef(f"{p}factor_id"),
            status__in=list(PROGRAMME_RANK),
        )
        .annotate(rank=rank)
        .order_by("-rank", "-pk")
        .values("status")[:1]
    )
    return Subquery(docs)


def chosen_entries(*, schools, year: int, project=None) -> QuerySet[RiskProfileEntry]:
    """Chosen (active) factors of the profiles of `schools` for the year."""
    return RiskProfileEntry.objects.filter(
        _project_q("profile__", project),
        profile__school__in=schools,
        profile__year=year,
        is_chosen=True,
        factor__is_active=True,
    )


def with_coverage(entries: QuerySet[RiskProfileEntry]) -> QuerySet[RiskProfileEntry]:
    """Annotate `activity_count`, `covered` and `programme_status`."""
    counted = (
        covering_tags()
        .order_by()
        .values("riskfactor_id")
        .annotate(c=Count("activity_id", distinct=True))
        .values("c")
    )
    return entries.annotate(
        activity_count=Coalesce(Subquery(counted), 0),
        covered=Exists(covering_tags()),
        programme_status=best_programme_status(),
    )


def risk_coverage_counts(schools, year: int, project=None) -> dict[str, int]:
    """{profiles, verified, chosen, covered, uncovered} of `schools` in two queries.

    `schools` is a queryset of Organisation (already scoped by the caller);
    `project` defaults to «500+».
    """
    profiles = RiskProfile.objects.filter(
        _project_q("", project), school__in=schools, year=year
    ).aggregate(
        profiles=Count("pk"),
        verified=Count("pk", filter=Q(status=ProfileStatus.VERIFIED)),
    )
    # The Exists goes straight into the aggregate's filter: an aggregate over
    # an annotated Exists loses the annotation in the wrapping subquery.
    entries = chosen_entries(schools=schools, year=year, project=project).aggregate(
        chosen=Count("pk"), covered=Count("pk", filter=Exists(covering_tags()))
    )
    return {
        "profiles": profiles["profiles"],
        "verified": profiles["verified"],
        "chosen": entries["chosen"],
        "covered": entries["covered"],
        "uncovered": entries["chosen"] - entries["covered"],
    }


def coverage_by_area(schools, *, year: int, group: str, project=None) -> dict:
    """Per municipality (group="municipality") or region: the same five numbers
    and the participating schools, in three queries."""
    key = f"school__{group}_id"
    rows: dict[int, dict[str, int]] = {}

    def row(area_id):
        return rows.setdefault(
            area_id,
            {
                "schools": 0,
                "profiles": 0,
                "verified": 0,
                "chosen": 0,
                "covered": 0,
                "uncovered": 0,
            },
        )

    from schools.models import ProjectParticipation

    participating = (
        ProjectParticipation.objects.filter(
            _project_q("", project), school__in=schools, year=year
        )
        .values(key)
        .annotate(n=Count("school", distinct=True))
    )
    for r in participating:
        row(r[key])["schools"] = r["n"]
    profiles = (
        RiskProfile.objects.filter(
            _project_q("", project), school__in=schools, year=year
        )
        .values(key)
        .annotate(
            n=Count("pk"), verified=Count("pk", filter=Q(status=ProfileStatus.VERIFIED))
        )
    )
    for r in profiles:
        target = row(r[key])
        target["profiles"], target["verified"] = r["n"], r["verified"]
    entry_key = f"profile__{key}"
    entries = (
        chosen_entries(schools=schools, year=year, project=project)
        .values(entry_key)
        .annotate(n=Count("pk"), covered_n=Count("pk", filter=Exists(covering_tags())))
    )
    for r in entries:
        target = row(r[entry_key])
        target["chosen"], target["covered"] = r["n"], r["covered_n"]
        target["uncovered"] = r["n"] - r["covered_n"]
    return rows


@dataclass
class FactorCoverage:
    """One chosen factor of a school: its programme and the activities on it."""

    entry: RiskProfileEntry
    programme: SchoolDocument | None = None
    own: list[Activity] = field(default_factory=list)
    municipal: list[Activity] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.own or self.municipal)

    @property
    def programme_status(self) -> str:
        return self.programme.status if self.programme else ""


def school_plan(*, school, year: int, project=None) -> Roadmap | None:
    """The school's roadmap for the year: one in force first, else the latest."""
    plans = Roadmap.objects.filter(
        _project_q("", project),
        owner=school,
        period_start__year__lte=year,
        period_end__year__gte=year,
    ).select_related("current_edition", "latest_edition")
    return plans.order_by(
        F("current_edition").desc(nulls_last=True), "-period_start", "-pk"
    ).first()


def school_coverage(*, profile: RiskProfile, entries) -> list[FactorCoverage]:
    """Per chosen entry: the best anti-risk programme and the covering activities
    (two queries)."""
    chosen = [e for e in entries if e.is_chosen and e.factor.is_active]
    items = {e.factor_id: FactorCoverage(entry=e) for e in chosen}
    if not items:
        return []
    tags = (
        Tag.objects.filter(
            _plan_q(
                school=profile.school_id,
                municipality=profile.school.municipality_id,
                project=profile.project_id,
                year=profile.year,
            ),
            riskfactor_id__in=list(items),
        )
        .select_related("activity__edition__roadmap")
        .order_by(f"{R}level", "activity__position")
    )
    for tag in tags:
        activity = tag.activity
        bucket = items[tag.riskfactor_id]
        if activity.edition.roadmap.owner_id == profile.school_id:
            bucket.own.append(activity)
        else:
            bucket.municipal.append(activity)
    documents = SchoolDocument.objects.filter(
        school_id=profile.school_id,
        year=profile.year,
        kind=SchoolDocument.Kind.ANTI_RISK,
        risk_factor_id__in=list(items),
        status__in=list(PROGRAMME_RANK),
    )
    for doc in documents:
        bucket = items[doc.risk_factor_id]
        if bucket.programme is None or (
            PROGRAMME_RANK[doc.status],
            doc.pk,
        ) > (PROGRAMME_RANK[bucket.programme.status], bucket.programme.pk):
            bucket.programme = doc
    return list(items.values())
