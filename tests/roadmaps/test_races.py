"""Two people acting on one plan at the same moment, on real connections."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from roadmaps import editing, workflow
from roadmaps.models import EditionEvent, Order, RoadmapEdition
from roadmaps.orders import edition_approve_with_order
from schools.models import Role
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    RegionalBodyFactory,
    roadmap_with_edition,
    user_with_role,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections need PostgreSQL")


def run_together(*calls):
    """Start the calls at the same moment in threads; return their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        from django.db import connections

        try:
            barrier.wait()
            call()
            outcomes[i] = "ok"
        except ValidationError as exc:
            outcomes[i] = getattr(exc, "code", None) or "invalid"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


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
