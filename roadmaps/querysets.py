"""Chainable filters of the roadmaps app, all scoped through schools.access."""

from django.db import models
from django.db.models import Q

from schools.access import Scope, organisation_q, scope_for


def roadmap_q(scope: Scope, prefix: str = "") -> Q | None:
    """Roadmaps (at `prefix`) the scope may read; None means none at all."""
    if scope.everything:
        return Q()
    p = prefix
    q = None

    def add(part: Q) -> None:
        nonlocal q
        q = part if q is None else q | part

    if scope.region_ids:
        add(Q(**{f"{p}region_id__in": scope.region_ids}))
    if scope.municipality_ids:
        add(Q(**{f"{p}municipality_id__in": scope.municipality_ids}))
    if scope.school_ids:
        add(Q(**{f"{p}owner_id__in": scope.school_ids}))
    # The plans above: only in force, never drafts.
    approved = Q(**{f"{p}current_edition__isnull": False})
    if scope.upper_municipality_ids:
        add(
            approved
            & Q(
                **{
                    f"{p}level": "municipal",
                    f"{p}municipality_id__in": scope.upper_municipality_ids,
                }
            )
        )
    if scope.upper_region_ids:
        add(
            approved
            & Q(
                **{f"{p}level": "regional", f"{p}region_id__in": scope.upper_region_ids}
            )
        )
    return q


class RoadmapQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Roadmaps the user may read."""
        q = roadmap_q(scope_for(user))
        return self.none() if q is None else self.filter(q)

    def in_force(self):
        """Roadmaps with an approved edition."""
        return self.filter(current_edition__isnull=False)


class OrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Orders whose issuing body the user may read."""
        scope = scope_for(user)
        if scope.is_empty or (scope.reference and not scope.everything):
            return self.none()
        return self.filter(organisation_q(scope, prefix="issuer__"))


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Activities of the roadmaps the user may read."""
        q = roadmap_q(scope_for(user), prefix="edition__roadmap__")
        return self.none() if q is None else self.filter(q)
