"""Invariants of bodies and roles enforced by the database and by clean()."""

import pytest
from django.core.exceptions import ValidationError

from schools.models import Membership, Organisation, Role
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionalBodyFactory,
    SchoolFactory,
    UserFactory,
)
from tests.helpers import violates

pytestmark = pytest.mark.django_db


def test_scoped_role_needs_an_organisation():
    assert violates(MembershipFactory, role=Role.SCHOOL, organisation=None)
    assert violates(
        MembershipFactory, role=Role.MUNICIPAL_COORDINATOR, organisation=None
    )


def test_observer_and_administrator_have_no_organisation():
    assert violates(MembershipFactory, role=Role.FEDERAL_OBSERVER)
    assert not violates(
        MembershipFactory, role=Role.FEDERAL_OBSERVER, organisation=None
    )


def test_a_role_is_held_once_per_body():
    user, body = UserFactory(), OrganisationFactory()
    MembershipFactory(user=user, organisation=body)
    assert violates(MembershipFactory, user=user, organisation=body)
    MembershipFactory(user=user, role=Role.FEDERAL_OBSERVER, organisation=None)
    assert violates(
        MembershipFactory, user=user, role=Role.FEDERAL_OBSERVER, organisation=None
    )


def test_body_names_are_unique_within_a_municipality():
    municipality = MunicipalityFactory()
    OrganisationFactory(name="МОУ СШ № 1", municipality=municipality)
    assert violates(OrganisationFactory, name="МОУ СШ № 1", municipality=municipality)
    assert not violates(OrganisationFactory, name="МОУ СШ № 1")


def test_municipal_body_needs_a_region():
    municipality = MunicipalityFactory()
    assert violates(OrganisationFactory, municipality=municipality, region=None)


def test_school_role_cannot_be_held_in_a_regional_body():
    membership = Membership(
        user=UserFactory(), role=Role.SCHOOL, organisation=RegionalBodyFactory()
    )
    with pytest.raises(ValidationError) as exc:
        membership.full_clean()
    assert exc.value.error_dict["organisation"][0].code == "role_level"


def test_school_needs_a_municipality_and_the_right_region():
    school = SchoolFactory.build(municipality=None, region=None)
    school.kind.save()
    with pytest.raises(ValidationError) as exc:
        school.full_clean()
    assert exc.value.error_dict["municipality"][0].code == "territory"
    elsewhere = MunicipalityFactory()
    wrong = Organisation(
        kind=school.kind,
        name="Школа",
        municipality=elsewhere,
        region=MunicipalityFactory().region,
    )
    with pytest.raises(ValidationError) as exc:
        wrong.full_clean()
    assert exc.value.error_dict["municipality"][0].code == "territory"
