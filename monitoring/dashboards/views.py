"""The dashboard of a school, a municipality, a region or the country."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.pagecache import per_user_page
from monitoring import progress
from schools.access import scope_for

from .selectors import (
    COUNTRY,
    MUNICIPALITY,
    REGION,
    SCHOOL,
    area_resolve,
    may_see_municipality,
    may_see_region,
    year_default,
)
from .summary import dashboard_build, list_url


def _year(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _breadcrumbs(user, area, year) -> list[tuple[str, str | None]]:
    """The areas above this one that the user may open."""
    scope = scope_for(user)
    crumbs = []
    if scope.everything and area.level != COUNTRY:
        crumbs.append((_("All regions"), list_url("monitoring:dashboard", year=year)))
    if area.level in (MUNICIPALITY, SCHOOL) and may_see_region(scope, area.region_id):
        crumbs.append(
            (
                area.region.name,
                list_url("monitoring:dashboard", region=area.region_id, year=year),
            )
        )
    if area.level == SCHOOL and may_see_municipality(scope, area.municipality):
        crumbs.append(
            (
                area.municipality.name,
                list_url(
                    "monitoring:dashboard",
                    municipality=area.municipality.pk,
                    year=year,
                ),
            )
        )
    return crumbs


@require_GET
@per_user_page
def dashboard(request):
    """`monitoring:dashboard`: GET region, municipality, school, year."""
    area = area_resolve(
        user=request.user,
        region=request.GET.get("region"),
        municipality=request.GET.get("municipality"),
        school=request.GET.get("school"),
    )
    year = _year(request.GET.get("year")) or year_default(area)
    context = dashboard_build(
        user=request.user, area=area, year=year, on=progress.today()
    )
    context["breadcrumbs"] = _breadcrumbs(request.user, area, year)
    context["level_region"] = area.level == REGION
    context["area_query"] = area.query()
    return render(request, "monitoring/dashboards/dashboard.html", context)
