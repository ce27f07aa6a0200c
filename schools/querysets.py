"""Chainable filters of the schools app."""

from django.db import models


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Bodies and schools the user may read."""
        from .access import organisation_q, scope_for

        scope = scope_for(user)
        if scope.is_empty:
            return self.none()
        return self.filter(organisation_q(scope))

    def schools(self):
        """Only schools."""
        return self.filter(kind__code="school")


class MembershipQuerySet(models.QuerySet):
    pass
