"""Object-level rights on roadmaps and orders (registered in schools.access)."""

from schools.access import rule, scope_for

from .models import Order, Roadmap, RoadmapEdition


def has_full_view(user, roadmap: Roadmap) -> bool:
    """True when the plan lies in the user's own territory (drafts included),
    not merely above it."""
    scope = scope_for(user)
    return (
        scope.everything
        or roadmap.region_id in scope.region_ids
        or (
            roadmap.municipality_id is not None
            and roadmap.municipality_id in scope.municipality_ids
        )
        or roadmap.owner_id in scope.school_ids
    )


@rule(Roadmap, "view")
def roadmap_view(user, roadmap: Roadmap) -> bool:
    return Roadmap.objects.visible_to(user).filter(pk=roadmap.pk).exists()


@rule(RoadmapEdition, "view")
def edition_view(user, edition: RoadmapEdition) -> bool:
    roadmap = edition.roadmap
    if has_full_view(user, roadmap):
        return True
    # Above one's own level only what is (or was) in force is shown.
    return edition.is_frozen and roadmap_view(user, roadmap)


@rule(Order, "view")
def order_view(user, order: Order) -> bool:
    return Order.objects.visible_to(user).filter(pk=order.pk).exists()
