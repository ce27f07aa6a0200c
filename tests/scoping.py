"""A small two-region world for scoping tests."""

from dataclasses import dataclass

from roadmaps.models import RoadmapEdition
from schools.models import Role

from .factories import (
    CuratorAssignmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionalBodyFactory,
    RegionFactory,
    SchoolFactory,
    UserFactory,
    roadmap_with_edition,
    user_with_role,
)

APPROVED = RoadmapEdition.Status.APPROVED
DRAFT = RoadmapEdition.Status.DRAFT


@dataclass
class World:
    plans: dict
    users: dict
    bodies: dict


def build_world() -> World:
    r1, r2 = RegionFactory(name="Регион-1"), RegionFactory(name="Регион-2")
    mun_a = MunicipalityFactory(region=r1, name="Район А")
    mun_b = MunicipalityFactory(region=r1, name="Район Б")
    mun_c = MunicipalityFactory(region=r2, name="Район В")
    dept1 = RegionalBodyFactory(region=r1, name="Департамент-1")
    dept2 = RegionalBodyFactory(region=r2, name="Департамент-2")
    mouo_a = OrganisationFactory(municipality=mun_a, name="МОУО А")
    mouo_b = OrganisationFactory(municipality=mun_b, name="МОУО Б")
    mouo_c = OrganisationFactory(municipality=mun_c, name="МОУО В")
    a1 = SchoolFactory(municipality=mun_a, name="Школа А1")
    a2 = SchoolFactory(municipality=mun_a, name="Школа А2")
    b1 = SchoolFactory(municipality=mun_b, name="Школа Б1")
    c1 = SchoolFactory(municipality=mun_c, name="Школа В1")
    plans = {
        "regional1": roadmap_with_edition(
            owner=dept1, status=APPROVED, title="План региона 1"
        ),
        "regional1_draft": roadmap_with_edition(
            owner=dept1, status=DRAFT, title="Черновик региона 1"
        ),
        "regional2": roadmap_with_edition(
            owner=dept2, status=APPROVED, title="План региона 2"
        ),
        "mun_a": roadmap_with_edition(
            owner=mouo_a, status=APPROVED, title="План района А"
        ),
        "mun_a_draft": roadmap_with_edition(
            owner=mouo_a, status=DRAFT, title="Черновик района А"
        ),
        "mun_b": roadmap_with_edition(
            owner=mouo_b, status=APPROVED, title="План района Б"
        ),
        "mun_c": roadmap_with_edition(
            owner=mouo_c, status=APPROVED, title="План района В"
        ),
        "school_a1": roadmap_with_edition(
            owner=a1, status=DRAFT, title="Карта школы А1"
        ),
        "school_a2": roadmap_with_edition(
            owner=a2, status=APPROVED, title="Карта школы А2"
        ),
        "school_b1": roadmap_with_edition(
            owner=b1, status=APPROVED, title="Карта школы Б1"
        ),
        "school_c1": roadmap_with_edition(
            owner=c1, status=APPROVED, title="Карта школы В1"
        ),
    }
    curator = UserFactory(username="curator_a2")
    from tests.factories import MembershipFactory

    MembershipFactory(user=curator, role=Role.CURATOR, organisation=None)
    CuratorAssignmentFactory(curator=curator, school=a2)
    users = {
        "observer": user_with_role(Role.FEDERAL_OBSERVER, username="observer"),
        "administrator": user_with_role(Role.ADMINISTRATOR, username="administrator"),
        "regional_staff": user_with_role(Role.REGIONAL_STAFF, dept1, username="staff1"),
        "municipal_a": user_with_role(
            Role.MUNICIPAL_COORDINATOR, mouo_a, username="coord_a"
        ),
        "school_a1": user_with_role(Role.SCHOOL, a1, username="school_a1"),
        "curator_a2": curator,
        "nobody": UserFactory(username="nobody"),
    }
    bodies = {
        "dept1": dept1,
        "dept2": dept2,
        "mouo_a": mouo_a,
        "mouo_b": mouo_b,
        "mouo_c": mouo_c,
        "a1": a1,
        "a2": a2,
        "b1": b1,
        "c1": c1,
    }
    return World(plans=plans, users=users, bodies=bodies)


ALL_PLANS = {
    "regional1",
    "regional1_draft",
    "regional2",
    "mun_a",
    "mun_a_draft",
    "mun_b",
    "mun_c",
    "school_a1",
    "school_a2",
    "school_b1",
    "school_c1",
}

# Role -> the plans it must see; every other plan it must not.
EXPECTED_PLANS = {
    "observer": ALL_PLANS,
    "administrator": set(),
    "regional_staff": {
        "regional1",
        "regional1_draft",
        "mun_a",
        "mun_a_draft",
        "mun_b",
        "school_a1",
        "school_a2",
        "school_b1",
    },
    "municipal_a": {"regional1", "mun_a", "mun_a_draft", "school_a1", "school_a2"},
    "school_a1": {"regional1", "mun_a", "school_a1"},
    "curator_a2": {"regional1", "mun_a", "school_a2"},
    "nobody": set(),
}

# Role -> bodies it must see (others must not be visible).
EXPECTED_BODIES = {
    "observer": {
        "dept1",
        "dept2",
        "mouo_a",
        "mouo_b",
        "mouo_c",
        "a1",
        "a2",
        "b1",
        "c1",
    },
    "administrator": {
        "dept1",
        "dept2",
        "mouo_a",
        "mouo_b",
        "mouo_c",
        "a1",
        "a2",
        "b1",
        "c1",
    },
    "regional_staff": {"dept1", "mouo_a", "mouo_b", "a1", "a2", "b1"},
    "municipal_a": {"dept1", "mouo_a", "a1", "a2"},
    "school_a1": {"dept1", "mouo_a", "a1"},
    "curator_a2": {"dept1", "mouo_a", "a2"},
    "nobody": set(),
}
