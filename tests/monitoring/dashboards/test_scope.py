"""Who opens which dashboard: foreign territories answer 404."""

import pytest
from django.urls import reverse

from .helpers import get

pytestmark = pytest.mark.django_db


def _ids(world, **params):
    table = {
        "region": world.regions,
        "municipality": world.municipalities,
        "school": world.schools,
    }
    return {k: table[k][v].pk for k, v in params.items()}


@pytest.mark.parametrize(
    "params",
    [
        {"municipality": "c"},
        {"municipality": "b"},
        {"region": "r2"},
        {"region": "r1"},
        {"school": "c1"},
        {"school": "b1"},
        {"region": "r2", "school": "a1"},
    ],
)
def test_dashboard_coordinator_foreign_area_is_404(client, world, params):
    response = get(client, world.users["coord_a"], **_ids(world, **params))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "params", [{}, {"municipality": "a"}, {"school": "a1"}, {"school": "a2"}]
)
def test_dashboard_coordinator_own_area(client, world, params):
    response = get(client, world.users["coord_a"], **_ids(world, **params))
    assert response.status_code == 200


def test_dashboard_defaults_to_the_widest_area(client, world):
    cases = {
        "observer": "All regions",
        "dept1": "Регион-1",
        "coord_a": "Район А",
        "school_a1": "Школа А1",
        "curator1": "My schools",
    }
    client.cookies["django_language"] = "en"
    for user, title in cases.items():
        html = get(client, world.users[user]).content.decode()
        assert f"Dashboard: {title}, 2022" in html, user


@pytest.mark.parametrize(
    ("user", "params", "status"),
    [
        ("dept1", {"region": "r2"}, 404),
        ("dept1", {"municipality": "c"}, 404),
        ("dept1", {"school": "b1"}, 200),
        ("observer", {"region": "r2"}, 200),
        ("observer", {"school": "c1"}, 200),
        ("school_a1", {"school": "a2"}, 404),
        ("school_a1", {"municipality": "a"}, 404),
        ("curator1", {"school": "a2"}, 200),
        ("curator1", {"school": "b1"}, 404),
        ("curator1", {"municipality": "a"}, 404),
    ],
)
def test_dashboard_scope_matrix(client, world, user, params, status):
    response = get(client, world.users[user], **_ids(world, **params))
    assert response.status_code == status


@pytest.mark.parametrize(
    "params", [{"region": "x"}, {"school": "999999"}, {"year": "1"}]
)
def test_dashboard_bad_parameters_are_404(client, world, params):
    assert get(client, world.users["observer"], **params).status_code == 404


def test_dashboard_administrator_has_none(client, world):
    assert get(client, world.users["admin"]).status_code == 403


def test_dashboard_anonymous_goes_to_login(client, world):
    response = client.get(reverse("monitoring:dashboard"))
    assert response.status_code == 302


def test_dashboard_observer_country_rows_link_to_regions(client, world):
    html = get(client, world.users["observer"]).content.decode()
    for region in world.regions.values():
        assert f'data-testid="row-{region.pk}"' in html


@pytest.mark.parametrize(
    ("user", "org", "expected"),
    [
        ("coord_a", ("schools", "a1"), "?school="),
        ("coord_a", ("bodies", "mouo_a"), "?municipality="),
        ("dept1", ("bodies", "dept1"), "?region="),
        ("observer", ("bodies", "dept2"), "?region="),
        ("school_a1", ("schools", "a1"), "?school="),
        ("school_a1", ("bodies", "mouo_a"), None),
        ("coord_a", ("bodies", "dept1"), None),
    ],
)
def test_organisation_page_links_its_dashboard(client, world, user, org, expected):
    body = getattr(world, org[0])[org[1]]
    client.force_login(world.users[user])
    response = client.get(body.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    if expected is None:
        assert 'data-testid="org-dashboard"' not in html
    else:
        assert 'data-testid="org-dashboard"' in html
        link = html.split('data-testid="org-dashboard"')[0].rsplit('href="', 1)[1]
        assert link.startswith(reverse("monitoring:dashboard") + expected)
        assert client.get(link.split('"')[0].replace("&amp;", "&")).status_code == 200
