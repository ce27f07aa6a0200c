"""Opening plans: empty, from a template, from the plan one level up."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from roadmaps.creating import roadmap_create, upper_sources
from roadmaps.demo import load_demo
from roadmaps.models import Level, Numbering, Roadmap, RoadmapTemplate
from schools.access import Refused
from schools.models import Organisation, Project, Role
from tests.factories import SchoolFactory, user_with_role

pytestmark = pytest.mark.django_db

YEAR_2021 = (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))


@pytest.fixture
def demo():
    load_demo()
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    return {
        "dorogobuzh": users.get(username="dorogobuzh"),
        "kolpna": users.get(username="kolpna"),
        "naleyka": users.get(username="naleyka"),
        "smolensk.dept": users.get(username="smolensk.dept"),
    }


def body(short_or_name: str) -> Organisation:
    return Organisation.objects.get(short_name=short_or_name)


def create(user, owner, **kwargs):
    defaults = {
        "project": Project.objects.get(code="500plus"),
        "title": "Муниципальная дорожная карта на 2021 год",
        "period_start": YEAR_2021[0],
        "period_end": YEAR_2021[1],
    }
    return roadmap_create(by=user, owner=owner, **(defaults | kwargs))


def test_roadmap_create_empty(demo):
    owner = body("Комитет по образованию МО «Дорогобужский район»")
    roadmap = create(demo["dorogobuzh"], owner, optional_columns={"indicator"})
    edition = roadmap.latest_edition
    assert roadmap.level == Level.MUNICIPAL
    assert roadmap.municipality == owner.municipality
    assert edition.status == "draft"
    assert edition.activities.count() == 0
    assert edition.column_keys() == [
        "number",
        "title",
        "deadline",
        "responsible",
        "indicator",
    ]
    assert roadmap.history.first().history_user == demo["dorogobuzh"]


def test_roadmap_create_from_regional_plan_takes_municipal_activities(demo):
    owner = body("Комитет по образованию МО «Дорогобужский район»")
    source = Roadmap.objects.get(level=Level.REGIONAL, region=owner.region)
    roadmap = create(demo["dorogobuzh"], owner, source=source)
    taken = list(roadmap.latest_edition.activities.order_by("position"))
    # Seed 004 addresses these to ОМС / municipal coordinators.
    assert [a.source_activity.number for a in taken] == [
        "3",
        "4",
        "5",
        "7",
        "16",
        "20",
        "21",
        "22",
        "26",
        "29",
    ]
    assert taken[0].title.startswith(
        "Разработка и утверждение муниципальных дорожных карт"
    )
    assert [a.number for a in taken] == [f"{i}." for i in range(1, 11)]
    sections = list(roadmap.latest_edition.sections.values_list("title", flat=True))
    assert sections == [
        "Организационно-управленческое направление",
        "Аналитико-мониторинговое направление",
        "Методическое направление",
    ]
    assert taken[0].deadline_ranges == [["2021-05-01", "2021-05-31"]]


def test_school_roadmap_from_municipal_plan_takes_school_and_curator_rows(demo):
    owner = body("МОУ СШ п.ст. Налейка")
    source = Roadmap.objects.get(level=Level.MUNICIPAL, municipality=owner.municipality)
    roadmap = create(
        demo["naleyka"],
        owner,
        title="Дорожная карта школы на 2022 год",
        period_start=datetime.date(2022, 1, 1),
        period_end=datetime.date(2022, 12, 31),
        numbering=Numbering.SECTIONS,
        source=source,
    )
    numbers = [
        a.source_activity.number
        for a in roadmap.latest_edition.activities.order_by("position")
    ]
    # Rows naming this school, schools in general or curators.
    assert {"1.6.", "1.7.", "2.4."} <= set(numbers)
    assert "1.1." not in numbers
    assert roadmap.latest_edition.activities.first().number == "1.1."


def test_roadmap_create_from_template(demo):
    owner = body("МОУ СШ п.ст. Налейка")
    template = RoadmapTemplate.objects.get(code="school-500plus")
    roadmap = create(demo["naleyka"], owner, template=template)
    edition = roadmap.latest_edition
    assert edition.activities.count() == 10
    assert edition.sections.count() == 3
    assert "indicator" in edition.column_keys()
    survey = edition.activities.get(title__startswith="Участие в анкетировании")
    assert survey.deadline_ranges == [["2021-02-01", "2021-02-28"]]
    assert survey.target_value == 90


def test_roadmap_create_refused_for_another_body(demo):
    with pytest.raises(Refused) as exc:
        create(demo["kolpna"], body("МУ «Управление образования»"))
    assert exc.value.code == "not_editor"
    with pytest.raises(Refused):
        create(demo["naleyka"], body("МОУ СШ с. Студенец"))
    assert not Roadmap.objects.filter(
        title__startswith="Муниципальная дорожная карта на"
    )


def test_roadmap_create_refuses_a_source_that_is_not_one_level_up(demo):
    owner = body("Комитет по образованию МО «Дорогобужский район»")
    not_upper = Roadmap.objects.get(
        owner__short_name="Отдел образования Колпнянского района"
    )
    with pytest.raises(ValidationError) as exc:
        create(demo["dorogobuzh"], owner, source=not_upper)
    assert exc.value.error_dict["source"][0].code == "source_not_upper"


def test_roadmap_create_validates_title_period_and_template_level(demo):
    owner = body("Комитет по образованию МО «Дорогобужский район»")
    with pytest.raises(ValidationError) as exc:
        create(
            demo["dorogobuzh"],
            owner,
            title=" ",
            period_start=datetime.date(2021, 12, 31),
            period_end=datetime.date(2021, 1, 1),
            template=RoadmapTemplate.objects.get(code="school-500plus"),
        )
    codes = {k: v[0].code for k, v in exc.value.error_dict.items()}
    assert codes == {
        "title": "title_required",
        "period_end": "period_order",
        "template": "template_level",
    }


def test_upper_sources_are_plans_in_force_of_the_owners_territory(demo):
    owner = body("Комитет по образованию МО «Дорогобужский район»")
    sources = list(upper_sources(user=demo["dorogobuzh"], owner=owner))
    assert [s.level for s in sources] == [Level.REGIONAL]
    school = SchoolFactory(municipality=owner.municipality)
    user = user_with_role(Role.SCHOOL, school)
    # Дорогобуж's municipal plan is in force: a school there can start from it.
    assert [s.owner for s in upper_sources(user=user, owner=school)] == [owner]


def test_templates_fixture_loads_idempotently(db):
    call_command(
        "loaddata", "fixtures/reference.json", "fixtures/templates.json", verbosity=0
    )
    call_command("loaddata", "fixtures/templates.json", verbosity=0)
    assert RoadmapTemplate.objects.count() == 2
