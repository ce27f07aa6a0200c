"""Factories and a small two-region world for the visits tests."""

import datetime
from dataclasses import dataclass

import factory

from monitoring.models import CuratorVisit, ScheduleStatus, VisitSchedule
from schools.models import OrganisationKind, Role
from tests.factories import (
    CuratorAssignmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionalBodyFactory,
    RegionFactory,
    SchoolFactory,
    UserFactory,
    kind,
    user_with_role,
)

YEAR = 2022
TODAY = datetime.date(2022, 6, 1)


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitSchedule

    municipality = factory.SubFactory(MunicipalityFactory)
    project = factory.SubFactory(ProjectFactory)
    year = YEAR
    status = ScheduleStatus.DRAFT


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CuratorVisit

    schedule = factory.SubFactory(ScheduleFactory)
    curator = factory.SubFactory(UserFactory)
    school = factory.SubFactory(
        SchoolFactory, municipality=factory.SelfAttribute("..schedule.municipality")
    )
    planned_on = datetime.date(YEAR, 9, 15)
    purpose = "Посещение уроков"


def curator_of(*schools, year=YEAR, **kwargs):
    """A curator assigned to the schools in `year`."""
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, role=Role.CURATOR, organisation=None)
    for school in schools:
        CuratorAssignmentFactory(curator=user, school=school, year=year)
    return user


@dataclass
class World:
    users: dict
    bodies: dict
    schedule: VisitSchedule
    visit: CuratorVisit


def build_world(status=ScheduleStatus.DRAFT) -> World:
    """Region 1 (districts A and B) and region 2 (district C); a schedule of A."""
    r1, r2 = RegionFactory(name="Регион-1"), RegionFactory(name="Регион-2")
    mun_a = MunicipalityFactory(region=r1, name="Район А")
    mun_b = MunicipalityFactory(region=r1, name="Район Б")
    mun_c = MunicipalityFactory(region=r2, name="Район В")
    dept1 = RegionalBodyFactory(region=r1, name="Департамент-1")
    operator1 = RegionalBodyFactory(
        region=r1,
        name="ИРО-1",
        kind=kind(OrganisationKind.REGIONAL_OPERATOR),
    )
    mouo_a = OrganisationFactory(municipality=mun_a, name="МОУО А")
    mouo_b = OrganisationFactory(municipality=mun_b, name="МОУО Б")
    mouo_c = OrganisationFactory(municipality=mun_c, name="МОУО В")
    a1 = SchoolFactory(municipality=mun_a, name="Школа А1")
    a2 = SchoolFactory(municipality=mun_a, name="Школа А2")
    a3 = SchoolFactory(municipality=mun_a, name="Школа А3")
    b1 = SchoolFactory(municipality=mun_b, name="Школа Б1")
    c1 = SchoolFactory(municipality=mun_c, name="Школа В1")
    curator = curator_of(a1, a2, username="curator_a", last_name="Кураторова")
    other_curator = curator_of(a3, username="curator_a3", last_name="Другова")
    curator_b = curator_of(b1, username="curator_b")
    users = {
        "observer": user_with_role(Role.FEDERAL_OBSERVER, username="observer"),
        "administrator": user_with_role(Role.ADMINISTRATOR, username="admin"),
        "regional_staff": user_with_role(Role.REGIONAL_STAFF, dept1, username="staff"),
        "regional_coordinator": user_with_role(
            Role.REGIONAL_COORDINATOR, operator1, username="operator"
        ),
        "coordinator_a": user_with_role(
            Role.MUNICIPAL_COORDINATOR, mouo_a, username="coord_a"
        ),
        "coordinator_b": user_with_role(
            Role.MUNICIPAL_COORDINATOR, mouo_b, username="coord_b"
        ),
        "coordinator_c": user_with_role(
            Role.MUNICIPAL_COORDINATOR, mouo_c, username="coord_c"
        ),
        "curator": curator,
        "other_curator": other_curator,
        "curator_b": curator_b,
        "school_a1": user_with_role(Role.SCHOOL, a1, username="school_a1"),
        "school_a3": user_with_role(Role.SCHOOL, a3, username="school_a3"),
        "nobody": UserFactory(username="nobody"),
    }
    schedule = ScheduleFactory(municipality=mun_a, status=status)
    visit = VisitFactory(
        schedule=schedule,
        curator=curator,
        school=a1,
        planned_on=datetime.date(YEAR, 9, 15),
    )
    bodies = {
        "r1": r1,
        "mun_a": mun_a,
        "mun_b": mun_b,
        "mun_c": mun_c,
        "a1": a1,
        "a2": a2,
        "a3": a3,
        "b1": b1,
        "c1": c1,
    }
    return World(users=users, bodies=bodies, schedule=schedule, visit=visit)
