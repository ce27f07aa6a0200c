"""Invariants the database itself enforces, not only the forms."""

import datetime

import pytest

from roadmaps.models import RoadmapEdition
from tests.factories import (
    ActivityFactory,
    EditionFactory,
    OrderFactory,
    OrganisationFactory,
    RoadmapFactory,
)
from tests.helpers import violates

pytestmark = pytest.mark.django_db
Status = RoadmapEdition.Status


def test_order_number_is_unique_per_issuer_and_year():
    issuer = OrganisationFactory()
    OrderFactory(issuer=issuer, number="43", date=datetime.date(2021, 3, 5))
    assert violates(
        OrderFactory, issuer=issuer, number="43", date=datetime.date(2021, 11, 1)
    )


def test_order_number_may_repeat_in_another_year_or_body():
    issuer = OrganisationFactory()
    OrderFactory(issuer=issuer, number="43", date=datetime.date(2021, 3, 5))
    assert not violates(
        OrderFactory, issuer=issuer, number="43", date=datetime.date(2022, 3, 5)
    )
    assert not violates(OrderFactory, number="43", date=datetime.date(2021, 3, 5))


def test_order_needs_a_number():
    assert violates(OrderFactory, number="")


def test_roadmap_has_one_current_edition():
    roadmap = RoadmapFactory()
    order = OrderFactory(issuer=roadmap.owner)
    EditionFactory(
        roadmap=roadmap, number=1, status=Status.APPROVED, approving_order=order
    )
    assert violates(
        EditionFactory,
        roadmap=roadmap,
        number=2,
        status=Status.APPROVED,
        approving_order=order,
    )


def test_roadmap_has_one_edition_in_work():
    roadmap = RoadmapFactory()
    EditionFactory(roadmap=roadmap, number=1, status=Status.DRAFT)
    assert violates(EditionFactory, roadmap=roadmap, number=2, status=Status.SUBMITTED)


def test_edition_numbers_are_unique_and_positive():
    roadmap = RoadmapFactory()
    EditionFactory(roadmap=roadmap, number=1)
    assert violates(
        EditionFactory,
        roadmap=roadmap,
        number=1,
        status=Status.SUPERSEDED,
        approving_order=OrderFactory(),
    )
    assert violates(EditionFactory, number=0)


def test_approved_edition_needs_its_order():
    assert violates(EditionFactory, status=Status.APPROVED, approving_order=None)
    assert violates(EditionFactory, status=Status.SUPERSEDED, approving_order=None)


def test_roadmap_period_must_be_ordered():
    assert violates(
        RoadmapFactory,
        period_start=datetime.date(2022, 12, 31),
        period_end=datetime.date(2022, 1, 1),
    )


def test_activity_deadline_range_must_be_ordered():
    assert violates(
        ActivityFactory,
        deadline_start=datetime.date(2022, 5, 1),
        deadline_end=datetime.date(2022, 4, 1),
    )


def test_activity_target_needs_a_comparator():
    assert violates(ActivityFactory, target_value=50, target_comparator="")
