"""Who sees which plans, orders and bodies: the whole role matrix."""

import pytest
from django.urls import reverse

from roadmaps.models import Order, Roadmap
from schools.access import can
from schools.models import Organisation
from tests.scoping import EXPECTED_BODIES, EXPECTED_PLANS, build_world

pytestmark = pytest.mark.django_db

ROLES = sorted(EXPECTED_PLANS)


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("role", ROLES)
def test_roadmap_visible_to_returns_exactly_the_roles_plans(world, role):
    user = world.users[role]
    seen = set(Roadmap.objects.visible_to(user).values_list("pk", flat=True))
    expected = {world.plans[name].pk for name in EXPECTED_PLANS[role]}
    assert seen == expected


@pytest.mark.parametrize("role", ROLES)
def test_organisation_visible_to_returns_exactly_the_roles_bodies(world, role):
    user = world.users[role]
    seen = set(
        Organisation.objects.visible_to(user)
        .filter(pk__in=[b.pk for b in world.bodies.values()])
        .values_list("pk", flat=True)
    )
    expected = {world.bodies[name].pk for name in EXPECTED_BODIES[role]}
    assert seen == expected


@pytest.mark.parametrize("role", ROLES)
def test_roadmap_list_page_shows_only_visible_plans(client, world, role):
    client.force_login(world.users[role])
    response = client.get(reverse("roadmaps:roadmap-list"))
    assert response.status_code == 200
    listed = {r.pk for r in response.context["table"].data}
    assert listed == {world.plans[name].pk for name in EXPECTED_PLANS[role]}
    body = response.content.decode()
    for name, plan in world.plans.items():
        assert (plan.title in body) == (name in EXPECTED_PLANS[role]), name


@pytest.mark.parametrize("role", ROLES)
def test_roadmap_detail_is_404_outside_scope(client, world, role):
    client.force_login(world.users[role])
    for name, plan in world.plans.items():
        response = client.get(plan.get_absolute_url())
        expected = 200 if name in EXPECTED_PLANS[role] else 404
        assert response.status_code == expected, (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_organisation_detail_is_404_outside_scope(client, world, role):
    client.force_login(world.users[role])
    for name, body in world.bodies.items():
        response = client.get(body.get_absolute_url())
        expected = 200 if name in EXPECTED_BODIES[role] else 404
        assert response.status_code == expected, (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_order_detail_follows_issuer_visibility(client, world, role):
    client.force_login(world.users[role])
    visible_bodies = EXPECTED_BODIES[role] if role != "administrator" else set()
    for name, body in world.bodies.items():
        for order in Order.objects.filter(issuer=body):
            response = client.get(order.get_absolute_url())
            expected = 200 if name in visible_bodies else 404
            assert response.status_code == expected, (role, name)


def test_upper_level_draft_edition_is_hidden_from_lower_levels(client, world):
    """A school reads its municipality's plan in force, never a draft of it."""
    from tests.factories import EditionFactory

    plan = world.plans["mun_a"]
    draft = EditionFactory(roadmap=plan, number=2)
    school = world.users["school_a1"]
    coordinator = world.users["municipal_a"]
    assert can(coordinator, "view", draft)
    assert not can(school, "view", draft)
    client.force_login(school)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(plan.current_edition.get_absolute_url()).status_code == 200
    client.force_login(coordinator)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_anonymous_user_is_sent_to_login(client, world):
    for url in [
        reverse("home"),
        reverse("roadmaps:roadmap-list"),
        world.plans["mun_a"].get_absolute_url(),
        world.bodies["a1"].get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_home_lists_own_plans_only(client, world):
    client.force_login(world.users["school_a1"])
    response = client.get(reverse("home"))
    own = {r.pk for r in response.context["own_plans"]}
    assert own == {world.plans["school_a1"].pk}


def test_search_finds_cyrillic_titles_case_insensitively(client, world):
    from roadmaps.imports import search_text_for

    for plan in Roadmap.objects.all():
        plan.search_text = search_text_for(plan)
        plan.save(update_fields=["search_text"])
    client.force_login(world.users["observer"])
    response = client.get(reverse("roadmaps:roadmap-list"), {"q": "КАРТА школы а1"})
    assert {r.pk for r in response.context["table"].data} == {
        world.plans["school_a1"].pk
    }
