"""Two people acting on one plan at the same moment, on real connections."""

import datetime

import pytest

from roadmaps import editing, workflow
from roadmaps.models import EditionEvent, Notification, Order, RoadmapEdition
from roadmaps.orders import edition_approve_with_order
from schools.models import Role
from tests.factories import (
    CuratorAssignmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionalBodyFactory,
    SchoolFactory,
    UserFactory,
    roadmap_with_edition,
    user_with_role,
)
from tests.races import run_together, skip_unless_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


@pytest.fixture
def submitted():
    municipality = MunicipalityFactory()
    dept = RegionalBodyFactory(region=municipality.region)
    mouo = OrganisationFactory(municipality=municipality)
    coordinator = user_with_role(Role.MUNICIPAL_COORDINATOR, mouo)
    plan = roadmap_with_edition(owner=mouo, activities=3)
    workflow.edition_submit(by=coordinator, edition=plan.latest_edition)
    approvers = [user_with_role(Role.REGIONAL_STAFF, dept) for _ in range(2)]
    return plan.latest_edition, mouo, approvers, coordinator


def test_two_approvers_at_once_make_one_transition(submitted):
    edition, mouo, (first, second), _coordinator = submitted

    def approve(user, number):
        return lambda: edition_approve_with_order(
            by=user,
            edition=edition,
            issuer=mouo,
            number=number,
            date_=datetime.date(2022, 3, 1),
            title="Об утверждении",
            clauses="1. Утвердить.",
        )

    outcomes = run_together(approve(first, "10"), approve(second, "11"))
    assert sorted(outcomes) == ["ok", "wrong_status"]
    edition.refresh_from_db()
    assert edition.status == RoadmapEdition.Status.APPROVED
    assert EditionEvent.objects.filter(edition=edition, action="approve").count() == 1
    # The loser's order was rolled back with its approval.
    assert Order.objects.filter(issuer=mouo).count() == 1


def test_double_clicked_submit_makes_one_event(submitted):
    edition, _mouo, _approvers, coordinator = submitted
    returned = workflow.edition_return(
        by=_approvers[0], edition=edition, comment="Уточните сроки"
    )
    outcomes = run_together(
        lambda: workflow.edition_submit(by=coordinator, edition=returned),
        lambda: workflow.edition_submit(by=coordinator, edition=returned),
    )
    assert sorted(outcomes) == ["ok", "wrong_status"]
    assert EditionEvent.objects.filter(edition=edition, action="submit").count() == 2


def test_two_editors_on_one_activity_lose_nothing(submitted):
    edition, _mouo, approvers, coordinator = submitted
    workflow.edition_return(by=approvers[0], edition=edition, comment="Доработать")
    activity = edition.activities.order_by("position").first()
    seen = activity.version

    def save(title):
        return lambda: editing.activity_update(
            by=coordinator, activity=activity, data={"title": title}, version=seen
        )

    outcomes = run_together(save("Вариант А"), save("Вариант Б"))
    assert sorted(outcomes) == ["ok", "stale"]
    activity.refresh_from_db()
    assert activity.version == seen + 1
    assert activity.title in {"Вариант А", "Вариант Б"}


@pytest.fixture
def two_schools():
    """Two schools of one municipality, one curator for both, one coordinator;
    each school has a draft plan."""
    municipality = MunicipalityFactory()
    mouo = OrganisationFactory(municipality=municipality)
    curator = UserFactory()
    MembershipFactory(user=curator, role=Role.CURATOR, organisation=None)
    schools, users, editions = [], [], []
    for _ in range(2):
        school = SchoolFactory(municipality=municipality)
        CuratorAssignmentFactory(curator=curator, school=school, year=2022)
        schools.append(school)
        users.append(user_with_role(Role.SCHOOL, school))
        editions.append(roadmap_with_edition(owner=school, activities=2).latest_edition)
    coordinator = user_with_role(Role.MUNICIPAL_COORDINATOR, mouo)
    return editions, users, curator, coordinator, mouo


def events(edition, action):
    return EditionEvent.objects.filter(edition=edition, action=action).count()


def test_two_schools_submit_and_get_agreed_at_the_same_second(two_schools):
    editions, (first, second), curator, _coordinator, _mouo = two_schools

    outcomes = run_together(
        lambda: workflow.edition_submit(by=first, edition=editions[0]),
        lambda: workflow.edition_submit(by=second, edition=editions[1]),
    )
    assert outcomes == ["ok", "ok"]
    for edition in editions:
        edition.refresh_from_db()
        assert edition.status == RoadmapEdition.Status.SUBMITTED
        assert events(edition, "submit") == 1
    # The curator of both schools is told once about each plan.
    urls = sorted(Notification.objects.filter(user=curator).values_list("url"))
    assert urls == sorted((e.roadmap.get_absolute_url(),) for e in editions)

    outcomes = run_together(
        lambda: workflow.edition_agree(by=curator, edition=editions[0]),
        lambda: workflow.edition_agree(by=curator, edition=editions[1]),
    )
    assert outcomes == ["ok", "ok"]
    for edition, school_user in zip(editions, (first, second), strict=True):
        edition.refresh_from_db()
        assert edition.status == RoadmapEdition.Status.AGREED
        assert events(edition, "agree") == 1
        assert Notification.objects.filter(user=school_user).count() == 1


def approve_by(coordinator, edition, mouo, number):
    return lambda: edition_approve_with_order(
        by=coordinator,
        edition=edition,
        issuer=mouo,
        number=number,
        date_=datetime.date(2022, 3, 1),
        title="Об утверждении школьной «дорожной карты»",
        clauses="1. Утвердить.",
    )


def agree_both(editions, users, curator):
    for edition, user in zip(editions, users, strict=True):
        workflow.edition_submit(by=user, edition=edition)
        workflow.edition_agree(by=curator, edition=edition)


def test_coordinator_approves_two_school_plans_at_the_same_second(two_schools):
    editions, users, curator, coordinator, mouo = two_schools
    agree_both(editions, users, curator)

    outcomes = run_together(
        approve_by(coordinator, editions[0], mouo, "21"),
        approve_by(coordinator, editions[1], mouo, "22"),
    )
    assert outcomes == ["ok", "ok"]
    for edition in editions:
        edition.refresh_from_db()
        assert edition.status == RoadmapEdition.Status.APPROVED
        assert edition.roadmap.current_edition_id == edition.pk
        assert events(edition, "approve") == 1
    assert sorted(Order.objects.filter(issuer=mouo).values_list("number")) == [
        ("21",),
        ("22",),
    ]


def test_one_order_number_taken_twice_at_once_approves_one_plan(two_schools):
    """Two tabs suggested the same free number: one plan is approved, the
    other is refused with a message and stays agreed, with no order."""
    editions, users, curator, coordinator, mouo = two_schools
    agree_both(editions, users, curator)

    outcomes = run_together(
        approve_by(coordinator, editions[0], mouo, "30"),
        approve_by(coordinator, editions[1], mouo, "30"),
    )
    assert sorted(outcomes) == ["number_taken", "ok"]
    statuses = sorted(
        RoadmapEdition.objects.filter(pk__in=[e.pk for e in editions]).values_list(
            "status", flat=True
        )
    )
    assert statuses == [RoadmapEdition.Status.AGREED, RoadmapEdition.Status.APPROVED]
    assert Order.objects.filter(issuer=mouo).count() == 1
    assert (
        EditionEvent.objects.filter(edition__in=editions, action="approve").count() == 1
    )
