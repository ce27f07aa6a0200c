"""Reads that the roadmap views share; each applies the user's scope."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from schools.access import scope_for
from schools.models import Organisation, Role

from .models import Activity, ActivityExecutor, Order, Roadmap, RoadmapEdition
from .permissions import CREATE_KINDS, has_full_view


def roadmap_list_visible(*, user):
    """Roadmaps the user may read, with what the list shows, in one query."""
    activity_count = (
        Activity.objects.filter(edition=OuterRef("latest_edition"))
        .order_by()
        .values("edition")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return (
        Roadmap.objects.visible_to(user)
        .select_related(
            "owner",
            "owner__kind",
            "region",
            "municipality",
            "project",
            "current_edition",
            "current_edition__approving_order",
            "latest_edition",
        )
        .annotate(
            activity_count=Coalesce(
                Subquery(activity_count, output_field=IntegerField()), 0
            )
        )
    )


def roadmap_get_visible(*, user, pk: int) -> Roadmap:
    """One roadmap the user may read, or 404."""
    roadmap = (
        Roadmap.objects.visible_to(user)
        .select_related("owner", "owner__kind", "region", "municipality", "project")
        .filter(pk=pk)
        .first()
    )
    if roadmap is None:
        raise Http404
    return roadmap


def editions_visible(*, user, roadmap: Roadmap) -> list[RoadmapEdition]:
    """The roadmap's editions the user may read, oldest first."""
    editions = roadmap.editions.select_related("approving_order").order_by("number")
    if not has_full_view(user, roadmap):
        editions = editions.filter(status__in=RoadmapEdition.FROZEN)
    return list(editions)


def edition_for_display(*, edition: RoadmapEdition) -> RoadmapEdition:
    """The edition with sections, activities and executors prefetched."""
    activities = Activity.objects.order_by("position").prefetch_related(
        Prefetch(
            "executors",
            queryset=ActivityExecutor.objects.select_related("organisation").order_by(
                "position"
            ),
        )
    )
    return (
        RoadmapEdition.objects.select_related(
            "approving_order",
            "approving_order__issuer",
            "replaces",
            "replaces__approving_order",
        )
        .prefetch_related(
            "sections",
            Prefetch("activities", queryset=activities),
            "approving_order__clauses",
        )
        .get(pk=edition.pk)
    )


def edition_rows(edition: RoadmapEdition) -> list[tuple[str, object]]:
    """("section", Section) and ("activity", Activity) rows in document order."""
    rows: list[tuple[str, object]] = []
    sections = sorted(edition.sections.all(), key=lambda s: s.position)
    by_section: dict[int | None, list[Activity]] = {}
    for activity in edition.activities.all():
        by_section.setdefault(activity.section_id, []).append(activity)
    rows.extend(("activity", a) for a in by_section.get(None, []))
    for section in sections:
        rows.append(("section", section))
        rows.extend(("activity", a) for a in by_section.get(section.pk, []))
    return rows


def order_get_visible(*, user, pk: int) -> Order:
    """One order the user may read, with everything its page shows, or 404."""
    order = (
        Order.objects.visible_to(user)
        .select_related("issuer", "issuer__region", "amends")
        .prefetch_related(
            "clauses",
            "references__target",
            "based_on",
            "amended_by",
        )
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise Http404
    return order


def order_editions_visible(*, user, order: Order) -> list[RoadmapEdition]:
    """Editions the order approved that the user may read."""
    visible = Roadmap.objects.visible_to(user).values("pk")
    return list(
        order.approved_editions.filter(roadmap__in=visible).select_related("roadmap")
    )


def owners_creatable_by(*, user):
    """Bodies the user may open a plan for."""
    scope = scope_for(user)
    bodies = Organisation.objects.none()
    for role, org_id, region_id, municipality_id in scope.memberships:
        kinds = CREATE_KINDS.get(role)
        if not kinds:
            continue
        if role == Role.REGIONAL_STAFF:
            part = Organisation.objects.filter(
                region_id=region_id, municipality__isnull=True, kind__code__in=kinds
            )
        elif role == Role.MUNICIPAL_COORDINATOR:
            part = Organisation.objects.filter(
                municipality_id=municipality_id, kind__code__in=kinds
            )
        else:
            part = Organisation.objects.filter(pk=org_id)
        bodies = bodies | part
    return bodies.select_related("kind", "municipality").order_by("name").distinct()
