"""Choice fields read their rows once and stay as strict as their querysets."""

import pytest
from django.urls import reverse

from roadmaps.forms import ImportForm, RoadmapCreateForm
from roadmaps.models import ImportUpload, Roadmap, RoadmapEdition
from schools.models import Organisation, Role
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    ProjectFactory,
    roadmap_with_edition,
    user_with_role,
)

pytestmark = pytest.mark.django_db

TABLE = "№\tМероприятие\tСрок\tОтветственные\n1.\tСовещание\tмарт 2022 года\tМОУО\n"


@pytest.fixture
def two_districts():
    project = ProjectFactory()
    mine = OrganisationFactory(name="МОУО своего района")
    region = mine.municipality.region
    other = OrganisationFactory(
        name="МОУО чужого района", municipality=MunicipalityFactory(region=region)
    )
    user = user_with_role(Role.MUNICIPAL_COORDINATOR, mine, username="coordinator")
    return {"project": project, "mine": mine, "other": other, "user": user}


def _create_form(data, owners):
    return RoadmapCreateForm(data, owners=owners, sources=Roadmap.objects.none())


def _create_data(owner, project, **extra):
    return {
        "owner": owner.pk,
        "project": project.pk,
        "period_start": "2022-01-01",
        "period_end": "2022-12-31",
        "numbering": "flat",
        "start": "empty",
        "title": "Дорожная карта района на 2022 год",
        **extra,
    }


def test_rendering_and_validating_read_each_choice_list_once(
    two_districts, django_assert_num_queries
):
    w = two_districts
    form = _create_form(
        _create_data(w["mine"], w["project"]),
        Organisation.objects.filter(pk=w["mine"].pk),
    )
    # owners, projects, templates; the sources are none (no query).
    with django_assert_num_queries(3):
        assert form.is_valid(), form.errors
        html = form.as_div()
    assert form.cleaned_data["owner"] == w["mine"]
    assert "МОУО своего района" in html
    assert "МОУО чужого района" not in html


@pytest.mark.parametrize("value", ["other", "0", "abc", "1.5", "1 OR 1=1"])
def test_a_body_outside_the_choices_is_refused(two_districts, value):
    w = two_districts
    owner = w["other"].pk if value == "other" else value
    form = _create_form(
        {**_create_data(w["mine"], w["project"]), "owner": owner},
        Organisation.objects.filter(pk=w["mine"].pk),
    )
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["owner"]] == ["invalid_choice"]


def test_an_unknown_project_is_refused(two_districts):
    w = two_districts
    form = _create_form(
        {**_create_data(w["mine"], w["project"]), "project": w["project"].pk + 100},
        Organisation.objects.filter(pk=w["mine"].pk),
    )
    assert not form.is_valid()
    assert "project" in form.errors


def test_new_plan_page_refuses_another_districts_body(client, two_districts):
    w = two_districts
    client.force_login(w["user"])
    page = client.get(reverse("roadmaps:roadmap-new"))
    assert page.status_code == 200
    assert "МОУО своего района" in page.text
    assert "МОУО чужого района" not in page.text

    before = Roadmap.objects.count()
    response = client.post(
        reverse("roadmaps:roadmap-new"), _create_data(w["other"], w["project"])
    )
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert Roadmap.objects.count() == before

    response = client.post(
        reverse("roadmaps:roadmap-new"), _create_data(w["mine"], w["project"])
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Roadmap.objects.get(owner=w["mine"]).project == w["project"]


def test_import_refuses_a_plan_the_user_does_not_write(client, two_districts):
    w = two_districts
    status = RoadmapEdition.Status.APPROVED
    own_plan = roadmap_with_edition(owner=w["mine"], status=status)
    foreign = roadmap_with_edition(owner=w["other"], status=status)
    client.force_login(w["user"])
    page = client.get(reverse("roadmaps:import-start"))
    targets = list(page.context["form"].fields["target"].choices)
    assert [str(value) for value, _label in targets] == ["", str(own_plan.pk)]

    data = {"text": TABLE, "owner": w["mine"].pk, "project": w["project"].pk}
    response = client.post(
        reverse("roadmaps:import-start"), {**data, "target": foreign.pk}
    )
    assert response.status_code == 200
    assert "target" in response.context["form"].errors
    response = client.post(
        reverse("roadmaps:import-start"), {**data, "owner": w["other"].pk}
    )
    assert "owner" in response.context["form"].errors
    assert not ImportUpload.objects.exists()

    response = client.post(
        reverse("roadmaps:import-start"), {**data, "target": own_plan.pk}
    )
    assert response.status_code == 302
    assert ImportUpload.objects.get().target == own_plan


def test_import_form_targets_are_the_plans_given(two_districts):
    w = two_districts
    plan = roadmap_with_edition(owner=w["mine"], status=RoadmapEdition.Status.APPROVED)
    other = roadmap_with_edition(owner=w["other"])
    data = {"text": TABLE, "owner": w["mine"].pk, "project": w["project"].pk}
    owners = Organisation.objects.filter(pk=w["mine"].pk)
    form = ImportForm({**data, "target": other.pk}, owners=owners, targets=[plan])
    assert not form.is_valid()
    assert "target" in form.errors
    form = ImportForm({**data, "target": plan.pk}, owners=owners, targets=[plan])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["target"] == plan
    assert form.cleaned_data["owner"] == w["mine"]
