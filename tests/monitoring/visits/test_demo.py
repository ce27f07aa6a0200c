"""The demo schedule of Кузоватовский район loads once, however often it runs."""

import datetime

import pytest

from monitoring.models import CuratorVisit, ScheduleStatus, VisitSchedule
from monitoring.visits import demo
from monitoring.visits.selectors import visit_counts
from schools.models import Role
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    ProjectFactory,
    SchoolFactory,
    user_with_role,
)

from .factories import curator_of

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent():
    kuz = MunicipalityFactory(name="Кузоватовский район")
    orgs = {
        "naleyka": SchoolFactory(municipality=kuz, name="МОУ СШ п.ст. Налейка"),
        "volynshchina": SchoolFactory(municipality=kuz, name="МОУ ОШ с. Волынщина"),
    }
    projects = {"500plus": ProjectFactory()}
    curator_of(orgs["naleyka"], orgs["volynshchina"], username="curator")
    user_with_role(
        Role.MUNICIPAL_COORDINATOR,
        OrganisationFactory(municipality=kuz),
        username="kuzovatovo",
    )
    demo.load(orgs, projects)
    demo.load(orgs, projects)
    schedule = VisitSchedule.objects.get()
    assert schedule.status == ScheduleStatus.APPROVED
    assert schedule.approved_by.username == "kuzovatovo"
    assert CuratorVisit.objects.count() == len(demo.VISITS) == 7
    assert schedule.history.count() == 1
    counts = visit_counts(list(orgs.values()), 2022, on=datetime.date(2023, 1, 10))
    assert counts == {"planned": 0, "held": 6, "overdue": 1}
    assert all(v.notes for v in CuratorVisit.objects.filter(held_on__isnull=False))
