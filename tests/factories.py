"""factory_boy factories for every app's models."""

import datetime

import factory
from django.contrib.auth import get_user_model

from roadmaps.models import (
    Activity,
    Level,
    Order,
    Roadmap,
    RoadmapEdition,
    Section,
)
from schools.models import (
    CuratorAssignment,
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    Project,
    Region,
    Role,
)

KIND_LEVELS = {
    OrganisationKind.FEDERAL_BODY: OrganisationKind.Level.FEDERAL,
    OrganisationKind.REGIONAL_AUTHORITY: OrganisationKind.Level.REGIONAL,
    OrganisationKind.REGIONAL_OPERATOR: OrganisationKind.Level.REGIONAL,
    OrganisationKind.MUNICIPAL_AUTHORITY: OrganisationKind.Level.MUNICIPAL,
    OrganisationKind.METHODOLOGICAL_CENTRE: OrganisationKind.Level.MUNICIPAL,
    OrganisationKind.SCHOOL: OrganisationKind.Level.SCHOOL,
}


def kind(code: str) -> OrganisationKind:
    obj, _ = OrganisationKind.objects.get_or_create(
        code=code, defaults={"name": code, "level": KIND_LEVELS[code]}
    )
    return obj


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Иван"
    last_name = factory.Sequence(lambda n: f"Петров{n}")
    password = factory.django.Password("secret-pass-123")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"Область {n}")
    timezone = "Europe/Moscow"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Район {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = factory.LazyFunction(lambda: kind(OrganisationKind.MUNICIPAL_AUTHORITY))
    name = factory.Sequence(lambda n: f"Отдел образования {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    region = factory.LazyAttribute(
        lambda o: o.municipality.region if o.municipality else None
    )


class RegionalBodyFactory(OrganisationFactory):
    kind = factory.LazyFunction(lambda: kind(OrganisationKind.REGIONAL_AUTHORITY))
    name = factory.Sequence(lambda n: f"Департамент образования {n}")
    municipality = None
    region = factory.SubFactory(RegionFactory)


class SchoolFactory(OrganisationFactory):
    kind = factory.LazyFunction(lambda: kind(OrganisationKind.SCHOOL))
    name = factory.Sequence(lambda n: f"МОУ СШ № {n}")
    is_shnor = True


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("code",)

    code = "500plus"
    name = "500+"
    short_name = "500+"
    first_year = 2020


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.MUNICIPAL_COORDINATOR
    organisation = factory.SubFactory(OrganisationFactory)


class CuratorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CuratorAssignment

    curator = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    project = factory.SubFactory(ProjectFactory)
    year = 2022


def user_with_role(role: str, organisation=None, **kwargs):
    """A user holding one role in one body."""
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, role=role, organisation=organisation)
    return user


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    issuer = factory.SubFactory(OrganisationFactory)
    number = factory.Sequence(lambda n: f"{n + 1}")
    date = datetime.date(2022, 1, 28)
    title = "Об утверждении муниципальной «дорожной карты»"
    status = Order.Status.SIGNED


LEVEL_OF_KIND = {
    OrganisationKind.Level.REGIONAL: Level.REGIONAL,
    OrganisationKind.Level.MUNICIPAL: Level.MUNICIPAL,
    OrganisationKind.Level.SCHOOL: Level.SCHOOL,
}


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap

    owner = factory.SubFactory(OrganisationFactory)
    level = factory.LazyAttribute(lambda o: LEVEL_OF_KIND[o.owner.kind.level])
    region = factory.LazyAttribute(lambda o: o.owner.region)
    municipality = factory.LazyAttribute(lambda o: o.owner.municipality)
    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Дорожная карта {n}")
    period_start = datetime.date(2022, 1, 1)
    period_end = datetime.date(2022, 12, 31)


COLUMNS = [
    {"key": "number", "header": "№"},
    {"key": "title", "header": "Мероприятие"},
    {"key": "deadline", "header": "Срок"},
    {"key": "responsible", "header": "Ответственные"},
]


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapEdition

    roadmap = factory.SubFactory(RoadmapFactory)
    number = 1
    status = RoadmapEdition.Status.DRAFT
    columns = factory.LazyFunction(lambda: list(COLUMNS))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    edition = factory.SubFactory(EditionFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Раздел {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    edition = factory.SubFactory(EditionFactory)
    position = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.position}.")
    title = factory.Sequence(lambda n: f"Мероприятие {n}")
    deadline_text = "март 2022 года"
    deadline_ranges = [["2022-03-01", "2022-03-31"]]
    deadline_start = datetime.date(2022, 3, 1)
    deadline_end = datetime.date(2022, 3, 31)
    responsible_text = "МОУО, ОО"


def roadmap_with_edition(
    *, owner, status=RoadmapEdition.Status.DRAFT, activities=0, order=None, **kwargs
):
    """A roadmap whose latest (and, if approved, current) edition has N rows."""
    roadmap = RoadmapFactory(owner=owner, **kwargs)
    if status in RoadmapEdition.FROZEN and order is None:
        order = OrderFactory(issuer=owner)
    edition = EditionFactory(roadmap=roadmap, status=status, approving_order=order)
    section = SectionFactory(edition=edition) if activities else None
    for _ in range(activities):
        ActivityFactory(edition=edition, section=section)
    roadmap.latest_edition = edition
    if status == RoadmapEdition.Status.APPROVED:
        roadmap.current_edition = edition
    roadmap.save()
    return roadmap
