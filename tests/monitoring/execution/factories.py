"""A small two-region world of plans in force with executors, for execution tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from roadmaps.models import ActivityExecutor, ExecutorRole, RoadmapEdition
from schools.models import OrganisationKind, Role
from tests.factories import (
    ActivityFactory,
    CuratorAssignmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionalBodyFactory,
    RegionFactory,
    SchoolFactory,
    UserFactory,
    kind,
    roadmap_with_edition,
    user_with_role,
)

APPROVED = RoadmapEdition.Status.APPROVED
TODAY = datetime.date(2022, 6, 15)


def pdf(name="akt.pdf", size=0) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n%test\n" + b"0" * size
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def add_activity(plan, *, roles=(), bodies=(), **kwargs):
    """An activity on the plan's current (or latest) edition with executors."""
    edition = plan.current_edition or plan.latest_edition
    activity = ActivityFactory(edition=edition, **kwargs)
    for i, role in enumerate(roles):
        ActivityExecutor.objects.create(activity=activity, role=role, position=i)
    for i, body in enumerate(bodies, start=len(roles)):
        ActivityExecutor.objects.create(
            activity=activity, organisation=body, position=i
        )
    return activity


@dataclass
class World:
    users: dict
    bodies: dict
    plans: dict
    activities: dict


def build_world() -> World:
    r1, r2 = RegionFactory(name="Регион-1"), RegionFactory(name="Регион-2")
    mun_a = MunicipalityFactory(region=r1, name="Район А")
    mun_b = MunicipalityFactory(region=r1, name="Район Б")
    mun_c = MunicipalityFactory(region=r2, name="Район В")
    dept1 = RegionalBodyFactory(region=r1, name="Департамент-1")
    iro1 = RegionalBodyFactory(
        region=r1,
        name="ИРО-1",
        kind=kind(OrganisationKind.REGIONAL_OPERATOR),
    )
    mouo_a = OrganisationFactory(municipality=mun_a, name="МОУО А")
    mouo_b = OrganisationFactory(municipality=mun_b, name="МОУО Б")
    a1 = SchoolFactory(municipality=mun_a, name="Школа А1")
    a2 = SchoolFactory(municipality=mun_a, name="Школа А2")
    c1 = SchoolFactory(municipality=mun_c, name="Школа В1")
    plans = {
        "R": roadmap_with_edition(owner=dept1, status=APPROVED, title="План региона"),
        "M": roadmap_with_edition(owner=mouo_a, status=APPROVED, title="План района"),
        "S": roadmap_with_edition(owner=a1, status=APPROVED, title="Карта школы А1"),
        "C": roadmap_with_edition(owner=c1, status=APPROVED, title="Карта школы В1"),
        "D": roadmap_with_edition(owner=mouo_a, title="Черновик района"),
    }
    R = ExecutorRole
    activities = {
        "R_dept": add_activity(plans["R"], roles=[R.DEPARTMENT]),
        "R_coord": add_activity(plans["R"], roles=[R.REGIONAL_COORDINATOR]),
        "R_a1": add_activity(plans["R"], bodies=[a1]),
        "M_mouo": add_activity(plans["M"], roles=[R.MUNICIPAL_AUTHORITY]),
        "M_org": add_activity(plans["M"], bodies=[mouo_a]),
        "S_school": add_activity(plans["S"], roles=[R.SCHOOL]),
        "S_curator": add_activity(plans["S"], roles=[R.CURATOR]),
        "C_school": add_activity(plans["C"], roles=[R.SCHOOL]),
        "D_mouo": add_activity(plans["D"], roles=[R.MUNICIPAL_AUTHORITY]),
    }
    curator_a1 = UserFactory(username="curator_a1")
    MembershipFactory(user=curator_a1, role=Role.CURATOR, organisation=None)
    CuratorAssignmentFactory(curator=curator_a1, school=a1, year=2022)
    curator_c1 = UserFactory(username="curator_c1")
    MembershipFactory(user=curator_c1, role=Role.CURATOR, organisation=None)
    CuratorAssignmentFactory(curator=curator_c1, school=c1, year=2022)
    users = {
        "observer": user_with_role(Role.FEDERAL_OBSERVER, username="observer"),
        "administrator": user_with_role(Role.ADMINISTRATOR, username="administrator"),
        "regional_staff": user_with_role(Role.REGIONAL_STAFF, dept1, username="staff1"),
        "regional_coordinator": user_with_role(
            Role.REGIONAL_COORDINATOR, iro1, username="coord1"
        ),
        "municipal_a": user_with_role(
            Role.MUNICIPAL_COORDINATOR, mouo_a, username="mun_a"
        ),
        "municipal_b": user_with_role(
            Role.MUNICIPAL_COORDINATOR, mouo_b, username="mun_b"
        ),
        "school_a1": user_with_role(Role.SCHOOL, a1, username="school_a1"),
        "school_a2": user_with_role(Role.SCHOOL, a2, username="school_a2"),
        "school_c1": user_with_role(Role.SCHOOL, c1, username="school_c1"),
        "curator_a1": curator_a1,
        "curator_c1": curator_c1,
    }
    bodies = {
        "dept1": dept1,
        "iro1": iro1,
        "mouo_a": mouo_a,
        "mouo_b": mouo_b,
        "a1": a1,
        "a2": a2,
        "c1": c1,
    }
    return World(users=users, bodies=bodies, plans=plans, activities=activities)
