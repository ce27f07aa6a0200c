"""Factories and small builders for risk-profile tests."""

from __future__ import annotations

import factory

from monitoring.models import (
    ProfileStatus,
    RiskFactor,
    RiskLevel,
    RiskProfile,
    RiskProfileEntry,
)
from roadmaps.models import RoadmapEdition
from schools.models import CuratorAssignment, Membership, Role
from tests.factories import (
    ActivityFactory,
    ProjectFactory,
    UserFactory,
    roadmap_with_edition,
)


class RiskFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskFactor
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"factor-{n}")
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Фактор риска {n}")


class RiskProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskProfile

    project = factory.SubFactory(ProjectFactory)
    year = 2022
    status = ProfileStatus.DRAFT


def factors() -> list[RiskFactor]:
    """The ten factors of fixtures/reference.json (load `reference_data` first)."""
    return list(RiskFactor.objects.filter(is_active=True).order_by("number"))


def profile_with(school, chosen, *, status=ProfileStatus.DRAFT, year=2022, **kw):
    """A profile whose `chosen` factors are high and chosen; others not a risk."""
    profile = RiskProfileFactory(school=school, status=status, year=year, **kw)
    chosen_ids = {f.pk for f in chosen}
    RiskProfileEntry.objects.bulk_create(
        RiskProfileEntry(
            profile=profile,
            factor=f,
            level=RiskLevel.HIGH if f.pk in chosen_ids else RiskLevel.NONE,
            is_chosen=f.pk in chosen_ids,
        )
        for f in factors()
    )
    return profile


def curator_of(school, year=2022):
    user = UserFactory()
    Membership.objects.create(user=user, role=Role.CURATOR)
    CuratorAssignment.objects.create(
        curator=user, school=school, project=ProjectFactory(), year=year
    )
    return user


def approved_plan(owner, tagged, *, extra=0):
    """An approved plan of `owner`: one activity per factor in `tagged`."""
    plan = roadmap_with_edition(
        owner=owner, status=RoadmapEdition.Status.APPROVED, activities=extra
    )
    for factor in tagged:
        activity = ActivityFactory(edition=plan.current_edition)
        activity.risk_factors.add(factor)
    return plan
