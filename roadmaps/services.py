"""Every write to orders and roadmaps that is not an import goes here."""

from django.db import transaction

from .models import Order, Roadmap, RoadmapEdition


@transaction.atomic
def edition_register_approved(
    *, edition: RoadmapEdition, order: Order
) -> RoadmapEdition:
    """Record that a signed paper order approved this edition (historic documents).

    The edition it replaces, if any, becomes superseded; the roadmap's current
    edition moves to this one.
    """
    edition = RoadmapEdition.objects.select_for_update().get(pk=edition.pk)
    roadmap = Roadmap.objects.select_for_update().get(pk=edition.roadmap_id)
    # Saved one by one, not updated, so that the audit log records them.
    if roadmap.current_edition_id and roadmap.current_edition_id != edition.pk:
        old = RoadmapEdition.objects.get(pk=roadmap.current_edition_id)
        old.status = RoadmapEdition.Status.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
    order.status = Order.Status.SIGNED
    order.save(update_fields=["status"])
    edition.status = RoadmapEdition.Status.APPROVED
    edition.approving_order = order
    edition.approved_at = order.date
    edition.save(
        update_fields=["status", "approving_order", "approved_at", "updated_at"]
    )
    roadmap.current_edition = edition
    if (
        roadmap.latest_edition_id is None
        or roadmap.latest_edition.number <= edition.number
    ):
        roadmap.latest_edition = edition
    roadmap.save(update_fields=["current_edition", "latest_edition"])
    return edition
