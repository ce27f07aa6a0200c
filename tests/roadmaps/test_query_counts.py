"""Pages run the same number of SQL queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmaps.models import ActivityExecutor, RoadmapEdition
from schools.models import Role
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    SchoolFactory,
    roadmap_with_edition,
    user_with_role,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def plan_with(n: int, owner, coordinator_org):
    plan = roadmap_with_edition(
        owner=owner, status=RoadmapEdition.Status.APPROVED, activities=n
    )
    for activity in plan.current_edition.activities.all():
        ActivityExecutor.objects.create(activity=activity, organisation=coordinator_org)
        ActivityExecutor.objects.create(activity=activity, role="school")
    return plan


def test_roadmap_page_queries_do_not_grow_with_activities(client):
    municipality = MunicipalityFactory()
    mouo = OrganisationFactory(municipality=municipality)
    user = user_with_role(Role.MUNICIPAL_COORDINATOR, mouo)
    small = plan_with(5, mouo, mouo)
    large = plan_with(80, mouo, mouo)
    client.force_login(user)
    client.get(reverse("home"))  # warm the session's time zone
    n_small = count_queries(client, small.get_absolute_url())
    n_large = count_queries(client, large.get_absolute_url())
    assert n_small == n_large
    assert n_large <= MAX_QUERIES
    response = client.get(large.get_absolute_url())
    assert response.content.decode().count('class="activity-row"') == 80


def test_roadmap_list_queries_do_not_grow_with_rows(client):
    municipality = MunicipalityFactory()
    mouo = OrganisationFactory(municipality=municipality)
    user = user_with_role(Role.MUNICIPAL_COORDINATOR, mouo)
    client.force_login(user)
    client.get(reverse("home"))
    for _ in range(5):
        school = SchoolFactory(municipality=municipality)
        roadmap_with_edition(owner=school, activities=2)
    n_small = count_queries(client, reverse("roadmaps:roadmap-list"))
    for _ in range(45):
        school = SchoolFactory(municipality=municipality)
        roadmap_with_edition(owner=school, activities=2)
    url = reverse("roadmaps:roadmap-list")
    n_large = count_queries(client, url)
    assert n_small == n_large
    assert n_large <= MAX_QUERIES
    assert len(client.get(url).context["table"].page.object_list) == 50


def test_home_and_body_pages_queries_do_not_grow(client):
    municipality = MunicipalityFactory()
    mouo = OrganisationFactory(municipality=municipality)
    user = user_with_role(Role.MUNICIPAL_COORDINATOR, mouo)
    client.force_login(user)
    client.get(reverse("home"))
    roadmap_with_edition(owner=mouo, activities=1)
    SchoolFactory(municipality=municipality)
    counts_small = [
        count_queries(client, reverse("home")),
        count_queries(client, mouo.get_absolute_url()),
        count_queries(client, reverse("schools:organisation-list")),
    ]
    for _ in range(20):
        roadmap_with_edition(owner=mouo, activities=1)
        SchoolFactory(municipality=municipality)
    counts_large = [
        count_queries(client, reverse("home")),
        count_queries(client, mouo.get_absolute_url()),
        count_queries(client, reverse("schools:organisation-list")),
    ]
    assert counts_small == counts_large
    assert max(counts_large) <= MAX_QUERIES
