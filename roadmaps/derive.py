"""What the portal understands of an activity's cells.

The text stays as written; from it the portal derives date ranges, the
indicator's target and links to the bodies and roles the executors cell names.
Import, editing and restoring all derive through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import Q

from schools.models import Organisation, OrganisationKind

from .deadlines import Deadline, interpret_deadline
from .executors import (
    Candidate,
    CandidateIndex,
    ExecutorMatch,
    ExecutorRole,
    match_executors,
)
from .indicators import parse_target
from .models import Activity, ActivityExecutor, RoadmapEdition

EXECUTOR_ROLE_OF_KIND = {
    OrganisationKind.REGIONAL_AUTHORITY: ExecutorRole.DEPARTMENT,
    OrganisationKind.REGIONAL_OPERATOR: ExecutorRole.REGIONAL_OPERATOR,
    OrganisationKind.MUNICIPAL_AUTHORITY: ExecutorRole.MUNICIPAL_AUTHORITY,
    OrganisationKind.METHODOLOGICAL_CENTRE: ExecutorRole.METHODOLOGICAL_CENTRE,
    OrganisationKind.SCHOOL: ExecutorRole.SCHOOL,
}
KIND_OF_EXECUTOR_ROLE = {role: kind for kind, role in EXECUTOR_ROLE_OF_KIND.items()}
REGIONAL_KINDS = (
    OrganisationKind.REGIONAL_AUTHORITY,
    OrganisationKind.REGIONAL_OPERATOR,
)


def org_names(org: Organisation) -> tuple[str, ...]:
    return tuple(n for n in (org.name, org.short_name, *(org.aliases or [])) if n)


def territory_bodies(owner: Organisation) -> list[Organisation]:
    """Bodies an owner's plan may name: federal ones, its region's regional
    bodies, and (below the region) the bodies of its own municipality."""
    q = Q(region__isnull=True)
    if owner.region_id:
        if owner.municipality_id:
            q |= Q(region_id=owner.region_id, municipality__isnull=True)
            q |= Q(municipality_id=owner.municipality_id)
        else:
            q |= Q(region_id=owner.region_id)
    return list(Organisation.objects.select_related("kind").filter(q).order_by("pk"))


def role_bodies(owner: Organisation, bodies: list[Organisation]) -> dict[str, int]:
    """Executor role -> the one body of the owner's territory that plays it.

    A role named without a body («МОУО», «Департамент») stands for the body of
    that kind in the plan's own territory, when there is exactly one.
    """
    found: dict[str, int] = {}
    for role, kind in KIND_OF_EXECUTOR_ROLE.items():
        if role == ExecutorRole.SCHOOL:
            continue
        regional = kind in REGIONAL_KINDS
        matching = [
            b
            for b in bodies
            if b.kind.code == kind
            and b.region_id == owner.region_id
            and (
                b.municipality_id is None
                if regional
                else owner.municipality_id is not None
                and b.municipality_id == owner.municipality_id
            )
        ]
        if len(matching) == 1:
            found[str(role)] = matching[0].pk
    return found


@dataclass
class PlanContext:
    """Everything derivation needs about one plan, loaded once."""

    period: tuple[date, date]
    bodies: list[Organisation]
    candidates: list[Candidate]
    by_role: dict[str, int]

    @classmethod
    def for_owner(cls, owner: Organisation, period: tuple[date, date]) -> PlanContext:
        bodies = territory_bodies(owner)
        candidates = [
            Candidate(
                key=org.pk,
                names=org_names(org),
                role=EXECUTOR_ROLE_OF_KIND.get(org.kind.code),
            )
            for org in bodies
        ]
        return cls(period, bodies, candidates, role_bodies(owner, bodies))

    @classmethod
    def for_edition(cls, edition: RoadmapEdition) -> PlanContext:
        roadmap = edition.roadmap
        return cls.for_owner(roadmap.owner, (roadmap.period_start, roadmap.period_end))

    def deadline(self, text: str) -> Deadline:
        return interpret_deadline(
            text or "", year=self.period[0].year, period=self.period
        )

    @cached_property
    def candidate_index(self) -> CandidateIndex:
        """The candidates' names normalised once for all the plan's cells."""
        return CandidateIndex(self.candidates)

    def executors(self, text: str) -> list[ExecutorMatch]:
        return match_executors(text or "", self.candidate_index) if text else []


def apply_derived(activity: Activity, ctx: PlanContext) -> None:
    """Set the understood deadline and target from the cells as written."""
    deadline = ctx.deadline(activity.deadline_text)
    activity.deadline_ranges = deadline.as_json()
    activity.deadline_start = deadline.start
    activity.deadline_end = deadline.end
    target = parse_target(activity.indicator_text) if activity.indicator_text else None
    activity.target_value = target.value if target else None
    activity.target_unit = target.unit if target else ""
    activity.target_comparator = str(target.comparator) if target else ""


def executor_rows(
    activity: Activity, matches: list[ExecutorMatch], ctx: PlanContext
) -> list[ActivityExecutor]:
    """Unsaved executor links for an activity."""
    rows = []
    for i, m in enumerate(matches):
        org_id = m.key if m.key is not None else ctx.by_role.get(str(m.role))
        if org_id is None and m.role is None:
            continue
        rows.append(
            ActivityExecutor(
                activity=activity,
                organisation_id=org_id,
                role=str(m.role) if m.role else "",
                fragment=m.fragment[:500],
                position=i,
            )
        )
    return rows


def save_executors(activities: list[Activity], ctx: PlanContext) -> None:
    """Replace the executor links of saved activities from their cells."""
    ActivityExecutor.objects.filter(activity__in=activities).delete()
    rows = []
    for activity in activities:
        rows.extend(
            executor_rows(activity, ctx.executors(activity.responsible_text), ctx)
        )
    ActivityExecutor.objects.bulk_create(rows)
