"""Factories and a small two-region world for the monitoring-stage tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory

from monitoring.models import (
    FieldKind,
    MonitoringAnswer,
    MonitoringField,
    MonitoringStage,
    MonitoringStageType,
    MonitoringSubmission,
    SubmissionStatus,
)
from schools.models import OrganisationKind, ProjectParticipation, Role
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

TYPES = {
    "entry": ("Входное анкетирование", 2, 0),
    "first": ("Первый этап мониторинга позитивных изменений", 6, 10),
    "second": ("Второй этап мониторинга позитивных изменений", 11, 20),
}


def stage_type(code: str) -> MonitoringStageType:
    name, month, position = TYPES[code]
    obj, _ = MonitoringStageType.objects.get_or_create(
        code=code, defaults={"name": name, "usual_month": month, "position": position}
    )
    return obj


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringStage

    region = factory.SubFactory(RegionFactory)
    project = factory.SubFactory(ProjectFactory)
    year = 2022
    stage_type = factory.LazyFunction(lambda: stage_type("first"))
    title = "Первый этап мониторинга"
    opens_on = datetime.date(2022, 6, 1)
    closes_on = datetime.date(2022, 6, 30)
    is_published = True


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringField

    stage = factory.SubFactory(StageFactory)
    position = factory.Sequence(lambda n: (n + 1) * 10)
    code = factory.Sequence(lambda n: f"code_{n}")
    label = factory.Sequence(lambda n: f"Показатель {n}")
    kind = FieldKind.NUMBER


def standard_fields(stage) -> dict[str, MonitoringField]:
    """pupils (number ≥ 0, required), failing (percent, required), plan_ok
    (yes/no, required), note (text), report (file)."""
    specs = [
        ("pupils", FieldKind.NUMBER, True, Decimal(0), None),
        ("failing", FieldKind.PERCENT, True, Decimal(0), Decimal(100)),
        ("plan_ok", FieldKind.BOOLEAN, True, None, None),
        ("note", FieldKind.TEXT, False, None, None),
        ("report", FieldKind.FILE, False, None, None),
    ]
    return {
        code: FieldFactory(
            stage=stage,
            code=code,
            label=f"Показатель {code}",
            kind=k,
            required=req,
            min_value=low,
            max_value=high,
        )
        for code, k, req, low, high in specs
    }


def form(stage, school, status=SubmissionStatus.SUBMITTED, submitted=None, **values):
    """A form with answers given by field code."""
    submission = MonitoringSubmission.objects.create(
        stage=stage,
        school=school,
        status=status,
        submitted_at=submitted
        if submitted is not None or status == SubmissionStatus.DRAFT
        else datetime.datetime(2022, 6, 20, 12, tzinfo=datetime.UTC),
    )
    fields = {f.code: f for f in stage.fields.all()}
    for code, value in values.items():
        answer = MonitoringAnswer(submission=submission, field=fields[code])
        if isinstance(value, bool):
            answer.boolean = value
        elif isinstance(value, (int, Decimal)):
            answer.number = Decimal(value)
        else:
            answer.text = value
        answer.save()
    return submission


@dataclass
class World:
    users: dict
    schools: dict
    stage: MonitoringStage
    fields: dict
    hidden: MonitoringStage  # unpublished stage of region 1
    foreign: MonitoringStage  # stage of region 2


def participate(*schools, year=2022):
    project = ProjectFactory()
    for s in schools:
        ProjectParticipation.objects.get_or_create(school=s, project=project, year=year)


def build_world() -> World:
    r1, r2 = RegionFactory(name="Регион-1"), RegionFactory(name="Регион-2")
    mun_a = MunicipalityFactory(region=r1, name="Район А")
    mun_b = MunicipalityFactory(region=r1, name="Район Б")
    mun_c = MunicipalityFactory(region=r2, name="Район В")
    dept1 = RegionalBodyFactory(region=r1, name="Департамент-1")
    iro1 = RegionalBodyFactory(
        region=r1, name="ИРО-1", kind=kind(OrganisationKind.REGIONAL_OPERATOR)
    )
    dept2 = RegionalBodyFactory(region=r2, name="Департамент-2")
    mouo_a = OrganisationFactory(municipality=mun_a, name="МОУО А")
    mouo_c = OrganisationFactory(municipality=mun_c, name="МОУО В")
    schools = {
        "a1": SchoolFactory(municipality=mun_a, name="Школа А1"),
        "a2": SchoolFactory(municipality=mun_a, name="Школа А2"),
        "a3": SchoolFactory(municipality=mun_a, name="Школа А3 (не участвует)"),
        "b1": SchoolFactory(municipality=mun_b, name="Школа Б1"),
        "c1": SchoolFactory(municipality=mun_c, name="Школа В1"),
    }
    participate(schools["a1"], schools["a2"], schools["b1"], schools["c1"])
    project = ProjectFactory()
    curator = UserFactory(username="curator_a1")
    MembershipFactory(user=curator, role=Role.CURATOR, organisation=None)
    CuratorAssignmentFactory(curator=curator, school=schools["a1"], project=project)
    curator_c = UserFactory(username="curator_c1")
    MembershipFactory(user=curator_c, role=Role.CURATOR, organisation=None)
    CuratorAssignmentFactory(curator=curator_c, school=schools["c1"], project=project)
    users = {
        "observer": user_with_role(Role.FEDERAL_OBSERVER, username="observer"),
        "administrator": user_with_role(Role.ADMINISTRATOR, username="admin"),
        "regional_staff": user_with_role(Role.REGIONAL_STAFF, dept1, username="staff1"),
        "regional_coordinator": user_with_role(
            Role.REGIONAL_COORDINATOR, iro1, username="iro1"
        ),
        "municipal_a": user_with_role(
            Role.MUNICIPAL_COORDINATOR, mouo_a, username="coord_a"
        ),
        "school_a1": user_with_role(Role.SCHOOL, schools["a1"], username="school_a1"),
        "school_a3": user_with_role(Role.SCHOOL, schools["a3"], username="school_a3"),
        "curator_a1": curator,
        "curator_c1": curator_c,
        "foreign_staff": user_with_role(Role.REGIONAL_STAFF, dept2, username="staff2"),
        "foreign_municipal": user_with_role(
            Role.MUNICIPAL_COORDINATOR, mouo_c, username="coord_c"
        ),
        "nobody": UserFactory(username="nobody"),
    }
    stage = StageFactory(region=r1, project=project)
    fields = standard_fields(stage)
    hidden = StageFactory(
        region=r1,
        project=project,
        stage_type=stage_type("second"),
        is_published=False,
        opens_on=datetime.date(2022, 11, 1),
        closes_on=datetime.date(2022, 11, 30),
    )
    foreign = StageFactory(region=r2, project=project)
    standard_fields(foreign)
    return World(users, schools, stage, fields, hidden, foreign)
