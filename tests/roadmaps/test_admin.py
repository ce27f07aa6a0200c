"""The admin shows plans and orders but never changes them."""

import pytest
from django.urls import reverse

from tests.factories import (
    OrganisationFactory,
    UserFactory,
    roadmap_with_edition,
)


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_an_approved_plan_and_its_order_are_read_only_in_the_admin(client, superuser):
    roadmap = roadmap_with_edition(
        owner=OrganisationFactory(), status="approved", activities=2
    )
    edition = roadmap.current_edition
    order = edition.approving_order
    activity = edition.activities.first()
    client.force_login(superuser)
    for model, obj in [
        ("order", order),
        ("roadmap", roadmap),
        ("roadmapedition", edition),
        ("activity", activity),
    ]:
        changelist = client.get(reverse(f"admin:roadmaps_{model}_changelist"))
        assert changelist.status_code == 200, model
        page = client.get(reverse(f"admin:roadmaps_{model}_change", args=[obj.pk]))
        assert page.status_code == 200, model
        assert b'name="_save"' not in page.content, model
        posted = client.post(
            reverse(f"admin:roadmaps_{model}_change", args=[obj.pk]), {"title": "x"}
        )
        assert posted.status_code == 403, model
        deleted = client.post(
            reverse(f"admin:roadmaps_{model}_delete", args=[obj.pk]), {"post": "yes"}
        )
        assert deleted.status_code == 403, model
        assert client.get(reverse(f"admin:roadmaps_{model}_add")).status_code == 403
    order.refresh_from_db()
    activity.refresh_from_db()
    assert activity.title != "x"
    assert order.title != "x"
