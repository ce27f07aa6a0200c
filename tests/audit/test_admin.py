"""Approved editions and signed orders never change through the admin, and the
admin's history pages write only for users who may change the object."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from simple_history.admin import SimpleHistoryAdmin

from roadmaps.models import (
    Activity,
    ActivityExecutor,
    EditionEvent,
    Order,
    OrderClause,
    OrderReference,
    Roadmap,
    RoadmapEdition,
    Section,
)
from schools.models import Membership, Role
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    roadmap_with_edition,
)

pytestmark = pytest.mark.django_db

FROZEN_MODELS = (
    Order,
    OrderClause,
    OrderReference,
    Roadmap,
    RoadmapEdition,
    Section,
    Activity,
    ActivityExecutor,
    EditionEvent,
)


def test_plans_and_orders_are_read_only_for_every_admin_user(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    for model in FROZEN_MODELS:
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            continue
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        # simple-history's "revert to this version" would write.
        assert not isinstance(model_admin, SimpleHistoryAdmin), model
    for model_admin in admin.site._registry.values():
        for inline in model_admin.inlines:
            assert inline.model not in FROZEN_MODELS, (model_admin, inline)


def test_a_superuser_cannot_change_a_signed_order_or_an_approved_edition(
    client, superuser
):
    roadmap = roadmap_with_edition(
        owner=OrganisationFactory(), status="approved", activities=1
    )
    edition = roadmap.current_edition
    order = edition.approving_order
    signed = (order.status, order.number, order.title)
    client.force_login(superuser)
    for model, obj in (("order", order), ("roadmapedition", edition)):
        change = reverse(f"admin:roadmaps_{model}_change", args=[obj.pk])
        posted = client.post(change, {"status": "draft", "number": "99"})
        assert posted.status_code == 403
        delete = reverse(f"admin:roadmaps_{model}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        changelist = reverse(f"admin:roadmaps_{model}_changelist")
        client.post(
            changelist,
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:roadmaps_{model}_simple_history", args=[obj.pk, 1])
    order.refresh_from_db()
    edition.refresh_from_db()
    assert (order.status, order.number, order.title) == signed
    assert edition.status == "approved"
    assert Order.history.filter(id=order.pk).count() == 1
    assert RoadmapEdition.history.filter(id=edition.pk).count() == 1


def _revert_url(membership):
    first = membership.history.order_by("history_id").first()
    return reverse(
        "admin:schools_membership_simple_history",
        args=[membership.pk, first.history_id],
    )


def _membership_with_two_versions():
    body = OrganisationFactory()
    membership = MembershipFactory(organisation=body, position="Специалист")
    membership.position = "Начальник отдела"
    membership.save()
    data = {
        "user": membership.user_id,
        "role": Role.MUNICIPAL_COORDINATOR,
        "organisation": body.pk,
        "position": "Специалист",
    }
    return membership, data


def test_staff_who_may_only_view_a_role_cannot_revert_it(client):
    membership, data = _membership_with_two_versions()
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_membership"))
    client.force_login(viewer)
    assert client.get(_revert_url(membership)).status_code == 200
    assert client.post(_revert_url(membership), data).status_code == 403
    membership.refresh_from_db()
    assert membership.position == "Начальник отдела"


def test_a_superuser_reverts_a_role_and_the_log_says_who(client, superuser, log):
    membership, data = _membership_with_two_versions()
    client.force_login(superuser)
    assert client.post(_revert_url(membership), data).status_code == 302
    membership.refresh_from_db()
    assert membership.position == "Специалист"
    (entry,) = log(kind="schools.membership", user="root")
    position = str(Membership._meta.get_field("position").verbose_name)
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        (position, "Начальник отдела", "Специалист")
    ]
