"""What the dashboards read: counts per state and curators' load."""

import datetime

import pytest

from monitoring.visits.selectors import (
    curator_load,
    visit_counts,
    visit_counts_by_municipality,
)
from schools.models import Organisation

from .factories import YEAR, VisitFactory, curator_of

pytestmark = pytest.mark.django_db
D = datetime.date
ON = D(YEAR, 6, 1)


def add_visits(world, n):
    """n visits of the first curator to A2: a third held, a third overdue."""
    for i in range(n):
        VisitFactory(
            schedule=world.schedule,
            curator=world.users["curator"],
            school=world.bodies["a2"],
            planned_on=D(YEAR, 1 + i % 12, 10),
            held_on=D(YEAR, 1, 15) if i % 3 == 0 else None,
        )


def expected_counts(visits):
    return {
        "held": sum(1 for v in visits if v.held_on),
        "overdue": sum(1 for v in visits if not v.held_on and v.planned_on < ON),
        "planned": sum(1 for v in visits if not v.held_on and v.planned_on >= ON),
    }


def test_visit_counts_equal_independent_count(world):
    add_visits(world, 12)
    schools = Organisation.objects.filter(municipality=world.bodies["mun_a"])
    all_visits = list(world.schedule.visits.all())
    assert visit_counts(schools, YEAR, on=ON) == expected_counts(all_visits)
    assert visit_counts(schools, YEAR - 1, on=ON) == {
        "planned": 0,
        "held": 0,
        "overdue": 0,
    }
    only_a1 = visit_counts([world.bodies["a1"].pk], on=ON)
    assert only_a1 == {"planned": 1, "held": 0, "overdue": 0}
    by_mun = visit_counts_by_municipality(schools, YEAR, on=ON)
    assert by_mun == {world.bodies["mun_a"].pk: expected_counts(all_visits)}


def test_curator_load_schools_and_visits_per_curator(world):
    add_visits(world, 6)
    schools = Organisation.objects.filter(municipality=world.bodies["mun_a"])
    loads = {load.name: load for load in curator_load(schools, YEAR, on=ON)}
    assert set(loads) == {"Кураторова Иван", "Другова Иван"}
    main = loads["Кураторова Иван"]
    assert main.schools == 2
    assert (main.planned, main.held, main.overdue) == tuple(
        expected_counts(list(world.schedule.visits.all()))[k]
        for k in ("planned", "held", "overdue")
    )
    assert main.visits == 7
    other = loads["Другова Иван"]
    assert (other.schools, other.visits) == (1, 0)


@pytest.mark.parametrize("n_schools", [3, 30])
def test_selectors_run_fixed_queries(world, django_assert_num_queries, n_schools):
    from tests.factories import SchoolFactory

    for _ in range(n_schools):
        school = SchoolFactory(municipality=world.bodies["mun_a"])
        curator = curator_of(school)
        VisitFactory(schedule=world.schedule, curator=curator, school=school)
    schools = Organisation.objects.filter(municipality=world.bodies["mun_a"])
    with django_assert_num_queries(1):
        visit_counts(schools, YEAR, on=ON)
    with django_assert_num_queries(1):
        visit_counts_by_municipality(schools, YEAR, on=ON)
    with django_assert_num_queries(2):
        loads = curator_load(schools, YEAR, on=ON)
    assert len(loads) == 2 + n_schools
