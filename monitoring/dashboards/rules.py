"""Object-level rights of dashboards, registered in schools.access (see ready())."""

from django.urls import reverse
from django.utils.http import urlencode

from schools.access import can, rule
from schools.models import Organisation

from .selectors import dashboard_query_for


@rule(Organisation, "view_dashboard")
def organisation_view_dashboard(user, org) -> bool:
    """The user may open the dashboard of this school or body's territory."""
    return dashboard_query_for(user, org) is not None


def dashboard_url(user, org: Organisation) -> str | None:
    """The dashboard of a school, a municipal or a regional body, if allowed."""
    if not can(user, "view_dashboard", org):
        return None
    query = dashboard_query_for(user, org)
    return f"{reverse('monitoring:dashboard')}?{urlencode(query)}"
