"""The portal's list exports, registered with the export jobs (exports/jobs.py).

A builder reads the same filters as the page it exports, checks them against
the user's scope (Http404 outside it) and counts the rows it will write.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from schools.models import Municipality, Region

from ..filters import RoadmapFilter
from ..models import Activity, Roadmap
from ..selectors import roadmap_list_visible
from .jobs import Prepared, export_kind
from .lists import scope_filter, write_consolidated, write_roadmap_list


@export_kind("roadmaps")
def roadmap_list(user, filters: QueryDict, today: date) -> Prepared:
    """The roadmap list with the page's own filters."""
    visible = Roadmap.objects.visible_to(user)
    filterset = RoadmapFilter(
        filters, queryset=roadmap_list_visible(user=user), visible=visible
    )
    roadmaps = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    roadmaps = roadmaps.order_by("-period_start", "title")
    return Prepared(
        title=_("Roadmaps (list)"),
        filename=f"dorozhnye_karty_{today:%Y-%m-%d}.xlsx",
        rows=roadmaps.count(),
        write=lambda out, progress: write_roadmap_list(
            roadmaps, out, today=today, progress=progress
        ),
    )


@export_kind("consolidated")
def consolidated(user, filters: QueryDict, today: date) -> Prepared:
    """Every plan of a municipality or a region in the user's scope."""
    roadmaps = roadmap_list_visible(user=user)
    if filters.get("municipality"):
        place = get_object_or_404(
            Municipality.objects.filter(pk__in=roadmaps.values("municipality")),
            pk=_id(filters["municipality"]),
        )
        scoped = scope_filter(roadmaps, municipality=place)
        name = f"svod_mo{place.pk}"
    elif filters.get("region"):
        place = get_object_or_404(
            Region.objects.filter(pk__in=roadmaps.values("region")),
            pk=_id(filters["region"]),
        )
        scoped = scope_filter(roadmaps, region=place)
        name = f"svod_reg{place.pk}"
    else:
        raise Http404
    scoped = scoped.order_by("title")
    rows = (
        scoped.count()
        + Activity.objects.filter(edition__in=scoped.values("latest_edition")).count()
    )
    return Prepared(
        title=_("Consolidated workbook: %(place)s") % {"place": place},
        filename=f"{name}_{today:%Y-%m-%d}.xlsx",
        rows=rows,
        write=lambda out, progress: write_consolidated(
            scoped, out, today=today, progress=progress
        ),
    )


def _id(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
