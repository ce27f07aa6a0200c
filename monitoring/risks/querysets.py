"""Which schools and risk profiles a user may read (scoped by schools.access)."""

from __future__ import annotations

from django.db.models import QuerySet

from monitoring.models import RiskProfile
from schools.access import organisation_q, scope_for
from schools.models import Organisation, OrganisationKind


def reads_schools(user) -> bool:
    """False for users without territory (administrators keep to reference data)."""
    scope = scope_for(user)
    return not scope.is_empty and (scope.everything or not scope.reference)


def schools_visible_to(user) -> QuerySet[Organisation]:
    """Schools whose risk profiles and coverage the user may read."""
    if not reads_schools(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        organisation_q(scope_for(user)), kind__code=OrganisationKind.SCHOOL
    )


def risk_profiles_visible_to(user) -> QuerySet[RiskProfile]:
    """Risk profiles of the schools the user may read."""
    if not reads_schools(user):
        return RiskProfile.objects.none()
    return RiskProfile.objects.filter(
        organisation_q(scope_for(user), prefix="school__"),
        school__kind__code=OrganisationKind.SCHOOL,
    )
