"""Who may see what: one place for the portal's scoping rules.

A user's roles are turned once per request into a `Scope`; every app's
`visible_to(user)` QuerySet method and `can(user, action, obj)` read it, so
views, services, exports and tests agree. The table `VIEW_RIGHTS` says, per
role, which relation to an object lets the role read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, F, IntegerField, Q, Value

from .models import CuratorAssignment, Membership, Role

# Relation of a role to the territory it reads:
# "all"      every row in the portal (read-only for the observer);
# "region"   the whole region of the role's body;
# "municipality"  the municipality of the role's body, its schools, and the
#            approved plans of its region above it;
# "school"   the school itself and the approved plans above it;
# "curated"  the schools assigned to the curator, as "school";
# "reference" reference data only (bodies, schools), no plans.
VIEW_RIGHTS: dict[str, str] = {
    Role.FEDERAL_OBSERVER: "all",
    Role.ADMINISTRATOR: "reference",
    Role.REGIONAL_STAFF: "region",
    Role.REGIONAL_COORDINATOR: "region",
    Role.MUNICIPAL_COORDINATOR: "municipality",
    Role.SCHOOL: "school",
    Role.CURATOR: "curated",
}


@dataclass(frozen=True)
class Scope:
    """The territory a user reads, derived from their roles."""

    everything: bool = False
    reference: bool = False
    # Full reading of whole regions / municipalities / single schools.
    region_ids: frozenset[int] = field(default_factory=frozenset)
    municipality_ids: frozenset[int] = field(default_factory=frozenset)
    school_ids: frozenset[int] = field(default_factory=frozenset)
    # Where the user may read the approved plans of the levels above.
    upper_region_ids: frozenset[int] = field(default_factory=frozenset)
    upper_municipality_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    # (role, organisation id, region id, municipality id) of every membership.
    memberships: tuple[tuple[str, int | None, int | None, int | None], ...] = ()
    # Regions whose plan-graph the user approves (regional staff with the right).
    approver_region_ids: frozenset[int] = field(default_factory=frozenset)
    # (school id, project id, year) of every curator assignment (with the
    # curator role held), so rules ask them without a query.
    assignments: frozenset[tuple[int, int, int]] = field(default_factory=frozenset)

    def assigned(self, school_id, *, year=None, project=None) -> bool:
        """True if the user is the school's curator (in `year`, for `project`)."""
        return any(
            s == school_id
            and (year is None or y == year)
            and (project is None or p == project)
            for s, p, y in self.assignments
        )

    def holds(self, role: str, *, organisation=None, region=None, municipality=None):
        """True if a membership of `role` matches every given id."""
        for m_role, org, reg, mun in self.memberships:
            if m_role != role:
                continue
            if organisation is not None and org != organisation:
                continue
            if region is not None and reg != region:
                continue
            if municipality is not None and mun != municipality:
                continue
            return True
        return False

    @property
    def is_empty(self) -> bool:
        return not (
            self.everything
            or self.reference
            or self.region_ids
            or self.municipality_ids
            or self.school_ids
        )


EMPTY_SCOPE = Scope()


def scope_for(user) -> Scope:
    """Return (and cache on the user object) the user's reading scope."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_portal_scope", None)
    if cached is not None:
        return cached

    everything = reference = False
    regions: set[int] = set()
    municipalities: set[int] = set()
    schools: set[int] = set()
    upper_regions: set[int] = set()
    upper_municipalities: set[int] = set()
    roles: set[str] = set()
    held = []
    assigned = []
    approver_regions: set[int] = set()

    for row in _roles_and_assignments(user):
        if row["s_kind"] == "assignment":
            assigned.append(row)
            continue
        role, org_id = row["s_role"], row["s_org"]
        region_id, municipality_id = row["s_region"], row["s_municipality"]
        roles.add(role)
        held.append((role, org_id, region_id, municipality_id))
        if role == Role.REGIONAL_STAFF and row["s_approves"] and org_id is not None:
            approver_regions.add(region_id)
        kind = VIEW_RIGHTS.get(role)
        if kind == "all":
            everything = True
        elif kind == "reference":
            reference = True
        elif kind == "region" and org_id is not None and region_id:
            regions.add(region_id)
        elif kind == "municipality" and org_id is not None and municipality_id:
            municipalities.add(municipality_id)
            upper_regions.add(region_id)
        elif kind == "school" and org_id is not None:
            schools.add(org_id)
            if municipality_id:
                upper_municipalities.add(municipality_id)
            if region_id:
                upper_regions.add(region_id)

    assignments: set[tuple[int, int, int]] = set()
    if Role.CURATOR in roles:
        for row in assigned:
            schools.add(row["s_org"])
            assignments.add((row["s_org"], row["s_project"], row["s_year"]))
            if row["s_municipality"]:
                upper_municipalities.add(row["s_municipality"])
            if row["s_region"]:
                upper_regions.add(row["s_region"])

    scope = Scope(
        everything=everything,
        reference=reference,
        region_ids=frozenset(regions),
        municipality_ids=frozenset(municipalities),
        school_ids=frozenset(schools),
        upper_region_ids=frozenset(upper_regions - regions),
        upper_municipality_ids=frozenset(upper_municipalities - municipalities),
        roles=frozenset(roles),
        memberships=tuple(held),
        approver_region_ids=frozenset(approver_regions),
        assignments=frozenset(assignments),
    )
    user._portal_scope = scope
    return scope


def _roles_and_assignments(user) -> list[dict]:
    """The user's memberships and curator assignments, in one query (a UNION
    of rows of the same shape: s_kind, s_role, s_org, s_region,
    s_municipality, s_approves, s_project, s_year)."""
    none = Value(None, output_field=IntegerField())
    memberships = (
        Membership.objects.filter(user=user)
        .order_by()
        .values(
            s_kind=Value("membership"),
            s_role=F("role"),
            s_org=F("organisation_id"),
            s_region=F("organisation__region_id"),
            s_municipality=F("organisation__municipality_id"),
            s_approves=F("can_approve"),
            s_project=none,
            s_year=none,
        )
    )
    assignments = (
        CuratorAssignment.objects.filter(curator=user)
        .order_by()
        .values(
            s_kind=Value("assignment"),
            s_role=Value(Role.CURATOR),
            s_org=F("school_id"),
            s_region=F("school__region_id"),
            s_municipality=F("school__municipality_id"),
            s_approves=Value(False, output_field=BooleanField()),
            s_project=F("project_id"),
            s_year=F("year"),
        )
    )
    return list(memberships.union(assignments, all=True).order_by())


def organisation_q(scope: Scope, prefix: str = "") -> Q:
    """Rows whose organisation (at `prefix`) the scope may read."""
    if scope.everything or scope.reference:
        return Q()
    p = prefix
    q = Q(**{f"{p}region__isnull": True})  # federal bodies are public
    if scope.region_ids:
        q |= Q(**{f"{p}region_id__in": scope.region_ids})
    if scope.municipality_ids:
        q |= Q(**{f"{p}municipality_id__in": scope.municipality_ids})
    if scope.school_ids:
        q |= Q(**{f"{p}pk__in": scope.school_ids})
    # Above a school or a municipality: the bodies of its municipality (not
    # the other schools) and the regional bodies of its region.
    upper_regions = scope.upper_region_ids
    if scope.upper_municipality_ids:
        q |= Q(**{f"{p}municipality_id__in": scope.upper_municipality_ids}) & ~Q(
            **{f"{p}kind__level": "school"}
        )
    if upper_regions:
        q |= Q(
            **{
                f"{p}region_id__in": upper_regions,
                f"{p}municipality__isnull": True,
            }
        )
    return q


class Refused(PermissionDenied):
    """A refused action, with a code the caller and the tests can read."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code
        self.message = message


# --- object-level rights -------------------------------------------------
# Each app registers the checks of its models here (see roadmaps/permissions),
# so views, services and the permission-matrix tests ask one function.

_CHECKS: dict[tuple[type, str], object] = {}


def rule(model: type, action: str):
    """Register the check deciding `action` on instances of `model`."""

    def decorator(func):
        _CHECKS[(model, action)] = func
        return func

    return decorator


def can(user, action: str, obj) -> bool:
    """May the user do `action` to `obj`? Unknown actions are refused."""
    check = _CHECKS.get((type(obj), action))
    if check is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(check(user, obj))
