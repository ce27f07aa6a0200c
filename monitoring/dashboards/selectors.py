"""Numbers of the dashboards: one territory (an `Area`) and one project year.

Every number is counted by the rule of the list it links to, so that a click
shows exactly the rows counted: plans by `latest_edition__status` and the
start year of their period (roadmaps:roadmap-list), activities in force by
`monitoring.execution.selectors.state_q` (monitoring:activity-list), monitoring
forms by the completion rules of monitoring.stages.selectors, risks by
`monitoring.risks.selectors` and visits by `monitoring.visits.querysets`.

Each reader runs one query grouped by the rows of the dashboard's table
(regions of the country, municipalities of a region, schools of a
municipality), whatever the number of schools, plans or activities.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404

from monitoring import progress
from monitoring.execution.selectors import month_bounds, month_q
from monitoring.models import (
    ActivityReport,
    CuratorVisit,
    MonitoringStage,
    MonitoringSubmission,
    ProfileStatus,
    ReportDecision,
    ReportResult,
    RiskProfile,
    SubmissionStatus,
)
from monitoring.risks.selectors import PROJECT_CODE, chosen_entries, covering_tags
from monitoring.visits.querysets import state_counts, visits
from roadmaps.models import Activity, Level, Roadmap, RoadmapEdition
from schools.access import Scope, scope_for
from schools.models import (
    CuratorAssignment,
    Municipality,
    Organisation,
    OrganisationKind,
    ProjectParticipation,
    Region,
    Role,
)

COUNTRY = "country"
REGION = "region"
MUNICIPALITY = "municipality"
SCHOOL = "school"
CURATED = "curated"
# A table row of the plans of bodies (not schools) of a region or municipality.
BODIES_LEVEL = "bodies"

# Plan statuses a dashboard shows (a latest edition is never superseded).
PLAN_STATUSES = (
    RoadmapEdition.Status.DRAFT,
    RoadmapEdition.Status.SUBMITTED,
    RoadmapEdition.Status.AGREED,
    RoadmapEdition.Status.APPROVED,
    RoadmapEdition.Status.RETURNED,
)
ACTIVITY_STATES = ("done", "awaiting", "overdue")
# Numbers per row of the UNION that activity_counts reads.
_ACTIVITY_NUMBERS = 16
FORM_STATUSES = tuple(SubmissionStatus.values)
VISIT_STATES = ("planned", "held", "overdue")
# The group of plans owned by bodies, not schools, in a municipality's table;
# and the group of the regional bodies' plans in a region's table.
BODIES = 0


# --- the territory ---------------------------------------------------------------


@dataclass
class Area:
    """The territory a dashboard counts: the country, a region, a municipality,
    one school, or the schools a curator accompanies."""

    level: str
    region: Region | None = None
    municipality: Municipality | None = None
    school: Organisation | None = None
    school_ids: frozenset[int] = field(default_factory=frozenset)

    # Rows of the dashboard's table.
    @property
    def row_level(self) -> str:
        return {
            COUNTRY: REGION,
            REGION: MUNICIPALITY,
            MUNICIPALITY: SCHOOL,
            SCHOOL: SCHOOL,
            CURATED: SCHOOL,
        }[self.level]

    @property
    def region_id(self) -> int | None:
        if self.region is not None:
            return self.region.pk
        if self.school is not None:
            return self.school.region_id
        if self.municipality is not None:
            return self.municipality.region_id
        return None

    def plan_q(self, prefix: str = "") -> Q:
        """Roadmaps (at `prefix`) of the territory."""
        p = prefix
        if self.level == REGION:
            return Q(**{f"{p}region_id": self.region.pk})
        if self.level == MUNICIPALITY:
            return Q(**{f"{p}municipality_id": self.municipality.pk})
        if self.level == SCHOOL:
            return Q(**{f"{p}owner_id": self.school.pk})
        if self.level == CURATED:
            return Q(**{f"{p}level": Level.SCHOOL, f"{p}owner_id__in": self.school_ids})
        return Q()

    def school_q(self, prefix: str = "") -> Q:
        """Schools (organisations at `prefix`) of the territory."""
        p = prefix
        q = Q(**{f"{p}kind__code": OrganisationKind.SCHOOL})
        if self.level == REGION:
            return q & Q(**{f"{p}region_id": self.region.pk})
        if self.level == MUNICIPALITY:
            return q & Q(**{f"{p}municipality_id": self.municipality.pk})
        if self.level == SCHOOL:
            return q & Q(**{f"{p}pk": self.school.pk})
        if self.level == CURATED:
            return q & Q(**{f"{p}pk__in": self.school_ids})
        return q

    def stage_q(self) -> Q:
        """Monitoring stages of the territory's region(s)."""
        if self.level == COUNTRY:
            return Q()
        if self.level == CURATED:
            regions = Organisation.objects.filter(pk__in=self.school_ids).values(
                "region_id"
            )
            return Q(region_id__in=regions)
        return Q(region_id=self.region_id)

    # How rows group: the fields of a plan (at `prefix`) and of a school.
    def plan_group(self, prefix: str = "") -> tuple[str, ...]:
        p = prefix
        if self.level == COUNTRY:
            return (f"{p}region_id",)
        if self.level == REGION:
            return (f"{p}municipality_id",)
        return (f"{p}level", f"{p}owner_id")

    def school_group(self, prefix: str = "") -> str:
        p = prefix
        if self.level == COUNTRY:
            return f"{p}region_id"
        if self.level == REGION:
            return f"{p}municipality_id"
        return f"{p}pk" if p else "pk"

    def plan_key(self, row: dict) -> int:
        """The table row a grouped plan row belongs to (BODIES for bodies)."""
        fields = self.plan_group()
        if len(fields) == 1:
            return row[fields[0]] or BODIES
        level, owner = (row[f] for f in fields)
        return owner if level == Level.SCHOOL else BODIES

    # GET parameters of the lists behind the numbers.
    def filters(self, kind: str) -> dict | None:
        """Territory filters of a list ("plans", "activities", "risks",
        "visits"); None when that list cannot be narrowed to the area."""
        if self.level == BODIES_LEVEL:
            if kind not in ("plans", "activities") or self.region is None:
                return None
            if self.municipality is not None:
                return {"municipality": self.municipality.pk, "level": Level.MUNICIPAL}
            return {"region": self.region.pk, "level": Level.REGIONAL}
        if self.level == REGION:
            return {"region": self.region.pk}
        if self.level == MUNICIPALITY:
            return {"municipality": self.municipality.pk}
        if self.level == SCHOOL:
            return {
                "plans": {"owner": self.school.pk},
                "activities": {"owner": self.school.pk},
                "risks": {"school": self.school.pk},
                "visits": {
                    "municipality": self.school.municipality_id,
                    "school": self.school.pk,
                },
            }[kind]
        if self.level == CURATED:
            return {"level": Level.SCHOOL} if kind in ("plans", "activities") else {}
        return {}

    def query(self) -> dict:
        """The dashboard's own GET parameters for this area."""
        if self.level == REGION:
            return {"region": self.region.pk}
        if self.level == MUNICIPALITY:
            return {"municipality": self.municipality.pk}
        if self.level == SCHOOL:
            return {"school": self.school.pk}
        return {}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def reads_dashboards(scope: Scope) -> bool:
    """Users with a territory (not the administrator's reference data only)."""
    return scope.everything or bool(
        scope.region_ids or scope.municipality_ids or scope.school_ids
    )


def may_see_region(scope: Scope, region_id) -> bool:
    return scope.everything or region_id in scope.region_ids


def may_see_municipality(scope: Scope, municipality) -> bool:
    return (
        scope.everything
        or municipality.region_id in scope.region_ids
        or municipality.pk in scope.municipality_ids
    )


def may_see_school(scope: Scope, school) -> bool:
    return (
        scope.everything
        or school.region_id in scope.region_ids
        or school.municipality_id in scope.municipality_ids
        or school.pk in scope.school_ids
    )


def _own_schools(scope: Scope) -> list[int]:
    return sorted(
        {org for role, org, _r, _m in scope.memberships if role == Role.SCHOOL and org}
    )


def area_resolve(*, user, region=None, municipality=None, school=None) -> Area:
    """The area asked for by GET parameters, inside the user's scope (else 404);
    without parameters the widest area the user has."""
    scope = scope_for(user)
    if not reads_dashboards(scope):
        raise PermissionDenied
    region_id, municipality_id, school_id = (
        _int(region),
        _int(municipality),
        _int(school),
    )
    for raw, parsed in (
        (region, region_id),
        (municipality, municipality_id),
        (school, school_id),
    ):
        if raw not in (None, "") and parsed is None:
            raise Http404
    if school_id is not None:
        found = (
            Organisation.objects.select_related("region", "municipality")
            .filter(pk=school_id, kind__code=OrganisationKind.SCHOOL)
            .first()
        )
        if found is None or not may_see_school(scope, found):
            raise Http404
        if municipality_id is not None and found.municipality_id != municipality_id:
            raise Http404
        if region_id is not None and found.region_id != region_id:
            raise Http404
        return Area(
            SCHOOL, region=found.region, municipality=found.municipality, school=found
        )
    if municipality_id is not None:
        found = (
            Municipality.objects.select_related("region")
            .filter(pk=municipality_id)
            .first()
        )
        if found is None or not may_see_municipality(scope, found):
            raise Http404
        if region_id is not None and found.region_id != region_id:
            raise Http404
        return Area(MUNICIPALITY, region=found.region, municipality=found)
    if region_id is not None:
        found = Region.objects.filter(pk=region_id).first()
        if found is None or not may_see_region(scope, found.pk):
            raise Http404
        return Area(REGION, region=found)
    return area_default(user=user, scope=scope)


def area_default(*, user, scope: Scope) -> Area:
    """The widest area of the user: the country for the observer, the region
    of regional staff, the municipality of its coordinator, the school itself,
    the schools of a curator."""
    if scope.everything:
        return Area(COUNTRY)
    if scope.region_ids:
        return Area(REGION, region=Region.objects.get(pk=min(scope.region_ids)))
    if scope.municipality_ids:
        found = Municipality.objects.select_related("region").get(
            pk=min(scope.municipality_ids)
        )
        return Area(MUNICIPALITY, region=found.region, municipality=found)
    own = _own_schools(scope)
    if own and (len(scope.school_ids) == 1 or Role.CURATOR not in scope.roles):
        found = Organisation.objects.select_related("region", "municipality").get(
            pk=own[0]
        )
        return Area(
            SCHOOL, region=found.region, municipality=found.municipality, school=found
        )
    return Area(CURATED, school_ids=scope.school_ids)


def dashboard_query_for(user, org: Organisation) -> dict | None:
    """GET parameters of the dashboard of a school, a municipal or a regional
    body, or None when the user may not open it."""
    scope = scope_for(user)
    if not reads_dashboards(scope):
        return None
    level = org.kind.level
    if level == OrganisationKind.Level.SCHOOL:
        return {"school": org.pk} if may_see_school(scope, org) else None
    if level == OrganisationKind.Level.MUNICIPAL and org.municipality_id:
        visible = (
            scope.everything
            or org.region_id in scope.region_ids
            or org.municipality_id in scope.municipality_ids
        )
        return {"municipality": org.municipality_id} if visible else None
    if level == OrganisationKind.Level.REGIONAL and org.region_id:
        return (
            {"region": org.region_id} if may_see_region(scope, org.region_id) else None
        )
    return None


def year_default(area: Area) -> int:
    """The latest year with plans or participating schools in the area."""
    plans = (
        Roadmap.objects.filter(area.plan_q())
        .annotate(y=ExtractYear("period_start"))
        .values_list("y", flat=True)
        .order_by()
    )
    schools = (
        ProjectParticipation.objects.filter(area.school_q("school__"))
        .values_list("year", flat=True)
        .order_by()
    )
    years = set(plans.union(schools).order_by())
    return max(years) if years else progress.today().year


# --- the numbers -----------------------------------------------------------------


def _count(qs, group: str):
    """The number of rows of `qs` (correlated by OuterRef), 0 when none."""
    return Coalesce(
        Subquery(
            qs.order_by().values(group).annotate(c=Count("pk")).values("c")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def plan_counts(area: Area, year: int) -> dict[int, dict[str, int]]:
    """{row: {status: plans}} of plans starting in `year` (one query)."""
    group = area.plan_group()
    rows = (
        Roadmap.objects.filter(area.plan_q(), period_start__year=year)
        .order_by()
        .values(*group, "latest_edition__status")
        .annotate(n=Count("pk"))
    )
    result: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(PLAN_STATUSES, 0)
    )
    for r in rows:
        status = r["latest_edition__status"]
        if status in PLAN_STATUSES:
            result[area.plan_key(r)][status] += r["n"]
    return dict(result)


def activity_counts(area: Area, year: int, on: date) -> tuple[dict, dict]:
    """({row: {total, done, awaiting, overdue}}, {month: {due, done}}) of the
    activities in force of plans starting in `year`, in one query.

    Due in a month: the understood deadline touches the month (as the
    activity list's `month` filter). Done in a month: the standing accepted
    done report is dated in it. The numbers are those of
    `monitoring.execution.selectors.state_q` (the list behind the links), but
    read without a subquery per activity: a UNION of the activities grouped by
    row (total, past their deadline, due per month) and of the latest standing
    done reports joined to the activities in force they speak of (done,
    awaiting, past the deadline, done per month). Overdue = past the deadline
    less those with a standing done report.
    """
    p = "edition__roadmap__"
    counts = [Count("pk"), Count("pk", filter=Q(deadline_end__lt=on))]
    counts += [Count("pk", filter=month_q(year, m)) for m in range(1, 13)]
    activities = _activity_part(
        Activity.objects.filter(
            progress.in_force_q(), area.plan_q(p), **{f"{p}period_start__year": year}
        ),
        "activities",
        area.plan_group(p),
        counts,
    )
    # The latest report of (roadmap, lineage) joined to the activity in force
    # of that lineage: one row per such activity, as the activities count.
    r = "roadmap__"
    a = f"{r}editions__activities__"
    accepted = Q(decision__in=progress.ACCEPTED)
    reported = [
        Count("pk", filter=accepted),
        Count("pk", filter=Q(decision=ReportDecision.PENDING)),
        Count("pk", filter=Q(**{f"{a}deadline_end__lt": on})),
        Count("pk", filter=accepted & Q(done_on__lt=date(year, 1, 1))),
    ]
    reported += [
        Count("pk", filter=accepted & Q(done_on__range=month_bounds(year, m)))
        for m in range(1, 13)
    ]
    reports = _activity_part(
        ActivityReport.objects.filter(
            area.plan_q(r),
            is_latest=True,
            result=ReportResult.DONE,
            decision__in=progress.STANDING,
            **{
                f"{r}period_start__year": year,
                f"{r}editions__status": RoadmapEdition.Status.APPROVED,
                f"{a}lineage": F("lineage"),
            },
        ),
        "reports",
        area.plan_group(r),
        reported,
    )
    by_row: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(("total", "done", "awaiting", "overdue"), 0)
    )
    months = {m: {"due": 0, "done": 0} for m in range(0, 13)}
    fields = area.plan_group()
    for row in activities.union(reports, all=True).order_by():
        key = area.plan_key(dict(zip(fields, (row["a_g1"], row["a_g2"]), strict=False)))
        target = by_row[key]
        n = [row[f"a_c{i + 1}"] for i in range(_ACTIVITY_NUMBERS)]
        if row["a_src"] == "activities":
            target["total"] += n[0]
            target["overdue"] += n[1]
            for m in range(1, 13):
                months[m]["due"] += n[m + 1]
        else:
            target["done"] += n[0]
            target["awaiting"] += n[1]
            # A standing done report keeps an activity past its deadline on time.
            target["overdue"] -= n[2]
            months[0]["done"] += n[3]
            for m in range(1, 13):
                months[m]["done"] += n[m + 3]
    return dict(by_row), months


def _activity_part(qs, src: str, group: tuple[str, ...], counts: list):
    """`qs` grouped by the plan fields `group`, in activity_counts' UNION shape."""
    g2 = F(group[1]) if len(group) > 1 else Value(None, output_field=IntegerField())
    numbers = counts + [Value(0)] * (_ACTIVITY_NUMBERS - len(counts))
    return (
        qs.order_by()
        .values(a_src=Value(src), a_g1=F(group[0]), a_g2=g2)
        .annotate(**{f"a_c{i + 1}": n for i, n in enumerate(numbers)})
    )


def published_stages(area: Area, year: int) -> list[MonitoringStage]:
    """The published monitoring stages of the year in the area's region(s)."""
    return list(
        MonitoringStage.objects.filter(area.stage_q(), year=year, is_published=True)
        .select_related("stage_type", "region")
        .order_by("region__name", "stage_type__position", "pk")
    )


def _participation_part(area: Area, year: int):
    group = area.school_group("school__")
    return _shaped(
        ProjectParticipation.objects.filter(area.school_q("school__"), year=year),
        "participation",
        key=group,
        stage="project_id",
        g1="school__region_id",
        g2=Case(
            When(project__code=PROJECT_CODE, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        counts=[Count("school_id", distinct=True)],
    )


def _read_participation(area: Area, rows: dict) -> list[dict]:
    group = area.school_group("school__")
    return [
        {
            "project_id": r["u_stage"],
            "project__code": PROJECT_CODE if r["u_g2"] else "",
            "school__region_id": r["u_g1"],
            group: r["u_key"],
            "n": r["u_c1"],
        }
        for r in rows.get("participation", [])
    ]


# --- one UNION for the per-row numbers of several tables ----------------------
# Participation, forms, risk profiles, their chosen factors and visits are each
# grouped by the table's rows; shaped alike (u_src, u_stage, u_key, u_g1, u_g2
# and six numbers) they are read in one query.

_NUMBERS = 6


def _shaped(qs, src: str, *, key, counts, stage=None, g1=None, g2=None):
    """`qs` grouped by the table's row (`key`), in the UNION's shape."""

    def column(value):
        if value is None:
            return Value(None, output_field=IntegerField())
        return F(value) if isinstance(value, str) else value

    numbers = list(counts) + [Value(0)] * (_NUMBERS - len(counts))
    return (
        qs.order_by()
        .values(
            u_src=Value(src),
            u_stage=column(stage),
            u_key=column(key),
            u_g1=column(g1),
            u_g2=column(g2),
        )
        .annotate(**{f"u_c{i + 1}": n for i, n in enumerate(numbers)})
    )


def _run(parts) -> dict[str, list[dict]]:
    """Run the shaped parts as one query: {src: rows}."""
    parts = [p for p in parts if p is not None]
    found: dict[str, list[dict]] = defaultdict(list)
    if not parts:
        return found
    union = parts[0]
    if len(parts) > 1:
        union = union.union(*parts[1:], all=True).order_by()
    for r in union:
        found[r["u_src"]].append(r)
    return found


def area_numbers(area: Area, year: int, stages, on: date) -> tuple:
    """(participation, forms, risks, visits) of the table's rows, in one query:
    [{project_id, project__code, school__region_id, <row>, n}],
    {(stage id, row): {draft, submitted, confirmed, returned, sent, sent_late}},
    {row: {profiles, verified, chosen, covered, uncovered}} of «500+» risk
    profiles (by monitoring.risks' coverage rule) and
    {row: {planned, held, overdue}} of curators' visits."""
    rows = _run(
        [
            _participation_part(area, year),
            _form_part(area, stages),
            *_risk_parts(area, year),
            _visit_part(area, year, on),
        ]
    )
    return (
        _read_participation(area, rows),
        _read_forms(rows),
        _read_risks(rows),
        _read_visits(rows),
    )


_FORM_NUMBERS = (*FORM_STATUSES, "sent", "sent_late")


def _form_part(area: Area, stages):
    if not stages:
        return None
    takes_part = ProjectParticipation.objects.filter(
        school_id=OuterRef("school_id"),
        project_id=OuterRef("stage__project_id"),
        year=OuterRef("stage__year"),
    )
    counts = [Count("pk", filter=Q(status=s)) for s in FORM_STATUSES]
    counts.append(Count("pk", filter=Q(submitted_at__isnull=False)))
    counts.append(Count("pk", filter=Q(submitted_at__date__gt=F("stage__closes_on"))))
    return _shaped(
        MonitoringSubmission.objects.filter(
            Exists(takes_part),
            area.school_q("school__"),
            stage_id__in=[s.pk for s in stages],
        ),
        "forms",
        key=area.school_group("school__"),
        stage="stage_id",
        counts=counts,
    )


def _read_forms(rows: dict) -> dict[tuple, dict]:
    return {
        (r["u_stage"], r["u_key"]): {
            name: r[f"u_c{i + 1}"] for i, name in enumerate(_FORM_NUMBERS)
        }
        for r in rows.get("forms", [])
    }


def completion(
    stage: MonitoringStage, total: int, forms: dict | None, on: date
) -> dict[str, int]:
    """Completion numbers of one stage (and one row) by the stages' rules."""
    forms = forms or {}
    result = {s: forms.get(s, 0) for s in FORM_STATUSES}
    result["total"] = total
    result["missing"] = max(total - sum(result[s] for s in FORM_STATUSES), 0)
    unsent = total - forms.get("sent", 0) if on > stage.closes_on else 0
    result["late"] = forms.get("sent_late", 0) + max(unsent, 0)
    return result


def _risk_parts(area: Area, year: int) -> list:
    group = area.school_group("school__")
    profiles = _shaped(
        RiskProfile.objects.filter(
            area.school_q("school__"), project__code=PROJECT_CODE, year=year
        ),
        "profiles",
        key=group,
        counts=[
            Count("pk"),
            Count("pk", filter=Q(status=ProfileStatus.VERIFIED)),
        ],
    )
    schools = Organisation.objects.filter(area.school_q())
    entries = _shaped(
        chosen_entries(schools=schools, year=year).annotate(
            covered=Exists(covering_tags())
        ),
        "entries",
        key=f"profile__{group}",
        counts=[Count("pk"), Count("pk", filter=Q(covered=True))],
    )
    return [profiles, entries]


def _read_risks(rows: dict) -> dict[int, dict[str, int]]:
    result: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(
            ("profiles", "verified", "chosen", "covered", "uncovered"), 0
        )
    )
    for r in rows.get("profiles", []):
        result[r["u_key"]]["profiles"] = r["u_c1"]
        result[r["u_key"]]["verified"] = r["u_c2"]
    for r in rows.get("entries", []):
        target = result[r["u_key"]]
        target["chosen"], target["covered"] = r["u_c1"], r["u_c2"]
        target["uncovered"] = r["u_c1"] - r["u_c2"]
    return dict(result)


def _visit_part(area: Area, year: int, on: date):
    states = state_counts(on)
    return _shaped(
        visits().filter(area.school_q("school__"), schedule__year=year),
        "visits",
        key=area.school_group("school__"),
        counts=[states[k] for k in VISIT_STATES],
    )


def _read_visits(rows: dict) -> dict[int, dict[str, int]]:
    return {
        r["u_key"]: {k: r[f"u_c{i + 1}"] for i, k in enumerate(VISIT_STATES)}
        for r in rows.get("visits", [])
    }


@dataclass
class CuratorLoad:
    curator_id: int
    name: str
    schools: int = 0
    reports: int = 0
    forms: int = 0
    profiles: int = 0
    overdue_visits: int = 0
    held_visits: int = 0
    rows: set = field(default_factory=set)

    @property
    def pending(self) -> int:
        return self.reports + self.forms + self.profiles + self.overdue_visits


def curator_load(area: Area, year: int, on: date) -> tuple[list[CuratorLoad], dict]:
    """Per curator assigned in `year` to the area's schools: schools, and what
    waits for them (pending reports, submitted forms and risk profiles of those
    schools, their overdue visits there); also {row: [curator names]}.
    One query (a row per assignment)."""
    group = area.school_group("school__")
    reports = ActivityReport.objects.filter(
        is_latest=True,
        decision=ReportDecision.PENDING,
        roadmap__level=Level.SCHOOL,
        roadmap__current_edition__isnull=False,
        roadmap__owner_id=OuterRef("school_id"),
        roadmap__project_id=OuterRef("project_id"),
        roadmap__period_start__year=OuterRef("year"),
    )
    forms = MonitoringSubmission.objects.filter(
        status=SubmissionStatus.SUBMITTED,
        school_id=OuterRef("school_id"),
        stage__project_id=OuterRef("project_id"),
        stage__year=OuterRef("year"),
    )
    profiles = RiskProfile.objects.filter(
        status=ProfileStatus.SUBMITTED,
        school_id=OuterRef("school_id"),
        project_id=OuterRef("project_id"),
        year=OuterRef("year"),
    )
    own_visits = CuratorVisit.objects.filter(
        curator_id=OuterRef("curator_id"),
        school_id=OuterRef("school_id"),
        schedule__year=OuterRef("year"),
    )
    rows = (
        CuratorAssignment.objects.filter(area.school_q("school__"), year=year)
        .order_by()
        .values(
            "curator_id",
            "curator__last_name",
            "curator__first_name",
            "curator__username",
            "school_id",
            group,
        )
        .annotate(
            n_reports=_count(reports, "roadmap_id"),
            n_forms=_count(forms, "school_id"),
            n_profiles=_count(profiles, "school_id"),
            n_overdue=_count(
                own_visits.filter(held_on__isnull=True, planned_on__lt=on), "school_id"
            ),
            n_held=_count(own_visits.filter(held_on__isnull=False), "school_id"),
        )
    )
    loads: dict[int, CuratorLoad] = {}
    schools_seen: dict[int, set] = defaultdict(set)
    by_row: dict[int, list[str]] = defaultdict(list)
    for r in rows:
        name = (
            " ".join(
                part
                for part in (r["curator__last_name"], r["curator__first_name"])
                if part
            )
            or r["curator__username"]
        )
        load = loads.setdefault(
            r["curator_id"], CuratorLoad(curator_id=r["curator_id"], name=name)
        )
        # One school may be assigned twice (two projects): count it once.
        if r["school_id"] not in schools_seen[r["curator_id"]]:
            schools_seen[r["curator_id"]].add(r["school_id"])
            load.schools += 1
            load.overdue_visits += r["n_overdue"]
            load.held_visits += r["n_held"]
            if name not in by_row[r[group]]:
                by_row[r[group]].append(name)
        load.reports += r["n_reports"]
        load.forms += r["n_forms"]
        load.profiles += r["n_profiles"]
        load.rows.add(r[group])
    ordered = sorted(loads.values(), key=lambda c: (c.name, c.curator_id))
    return ordered, dict(by_row)


def row_names(area: Area, ids) -> dict[int, object]:
    """The regions, municipalities or schools of the table's rows (one query)."""
    ids = [i for i in ids if i]
    if not ids:
        return {}
    if area.row_level == REGION:
        return Region.objects.in_bulk(ids)
    if area.row_level == MUNICIPALITY:
        return Municipality.objects.in_bulk(ids)
    return Organisation.objects.filter(kind__code=OrganisationKind.SCHOOL).in_bulk(ids)
