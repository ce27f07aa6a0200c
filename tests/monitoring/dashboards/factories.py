"""A small two-region world for the dashboard tests, at "today" = 15.06.2022."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from monitoring.models import (
    ActivityReport,
    CuratorVisit,
    MonitoringStage,
    MonitoringStageType,
    MonitoringSubmission,
    ProfileStatus,
    ReportDecision,
    ReportResult,
    RiskFactor,
    RiskLevel,
    RiskProfile,
    RiskProfileEntry,
    ScheduleStatus,
    SubmissionStatus,
    VisitSchedule,
)
from roadmaps.models import RoadmapEdition
from schools.models import Organisation, ProjectParticipation, Role
from tests.factories import (
    ActivityFactory,
    CuratorAssignmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionalBodyFactory,
    RegionFactory,
    SchoolFactory,
    UserFactory,
    roadmap_with_edition,
    user_with_role,
)

TODAY = datetime.date(2022, 6, 15)
YEAR = 2022
APPROVED = RoadmapEdition.Status.APPROVED
D = datetime.date


def stage_type(code: str, name: str, month: int, position: int):
    obj, _ = MonitoringStageType.objects.get_or_create(
        code=code, defaults={"name": name, "usual_month": month, "position": position}
    )
    return obj


def risk_factor(number: int) -> RiskFactor:
    obj, _ = RiskFactor.objects.get_or_create(
        code=f"risk-{number}", defaults={"number": number, "name": f"Риск {number}"}
    )
    return obj


def add_activity(roadmap, *, end=None, start=None, risks=()):
    """An activity of the plan's current edition with an understood deadline."""
    if end is None:
        fields = {
            "deadline_text": "По плану работы Совета",
            "deadline_ranges": [],
            "deadline_start": None,
            "deadline_end": None,
        }
    else:
        start = start or end.replace(day=1)
        fields = {
            "deadline_text": f"до {end:%d.%m.%Y}",
            "deadline_ranges": [[start.isoformat(), end.isoformat()]],
            "deadline_start": start,
            "deadline_end": end,
        }
    edition = roadmap.current_edition or roadmap.latest_edition
    activity = ActivityFactory(edition=edition, section=None, **fields)
    if risks:
        activity.risk_factors.set(risks)
    return activity


def report(activity, *, result, decision, done_on, reporter, history=False):
    """The latest report of an activity (an older one first when `history`)."""
    roadmap = activity.edition.roadmap
    if history:
        ActivityReport.objects.create(
            roadmap=roadmap,
            lineage=activity.lineage,
            activity=activity,
            result=ReportResult.DONE,
            done_on=done_on,
            reporter=reporter,
            decision=ReportDecision.NOT_NEEDED,
            is_latest=False,
        )
    return ActivityReport.objects.create(
        roadmap=roadmap,
        lineage=activity.lineage,
        activity=activity,
        result=result,
        done_on=done_on,
        reporter=reporter,
        decision=decision,
    )


@dataclass
class World:
    regions: dict
    municipalities: dict
    bodies: dict
    schools: dict
    plans: dict
    users: dict
    stages: dict = field(default_factory=dict)
    factors: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


def build_world() -> World:
    """Two regions: R1 (municipalities A, B) and R2 (C); every kind of data."""
    project = ProjectFactory()
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
    for school in (a1, a2, b1, c1):
        ProjectParticipation.objects.create(school=school, project=project, year=YEAR)

    users = {
        "observer": user_with_role(Role.FEDERAL_OBSERVER, None, username="observer"),
        "admin": user_with_role(Role.ADMINISTRATOR, None, username="admin"),
        "dept1": user_with_role(Role.REGIONAL_STAFF, dept1, username="dept1"),
        "coord_a": user_with_role(
            Role.MUNICIPAL_COORDINATOR, mouo_a, username="coord_a"
        ),
        "coord_c": user_with_role(
            Role.MUNICIPAL_COORDINATOR, mouo_c, username="coord_c"
        ),
        "school_a1": user_with_role(Role.SCHOOL, a1, username="school_a1"),
        "curator1": UserFactory(
            username="curator1", last_name="Кураторова", first_name="Анна"
        ),
        "curator2": UserFactory(
            username="curator2", last_name="Смирнов", first_name="Олег"
        ),
    }
    for name in ("curator1", "curator2"):
        user_with_role(Role.CURATOR, None, username=users[name].username)
    CuratorAssignmentFactory(curator=users["curator1"], school=a1, project=project)
    CuratorAssignmentFactory(curator=users["curator1"], school=a2, project=project)
    CuratorAssignmentFactory(curator=users["curator2"], school=b1, project=project)
    CuratorAssignmentFactory(curator=users["curator2"], school=c1, project=project)
    reporter = users["coord_a"]

    plans = {
        "regional1": roadmap_with_edition(owner=dept1, status=APPROVED),
        "regional1_draft": roadmap_with_edition(owner=dept1),
        "regional2": roadmap_with_edition(owner=dept2, status=APPROVED),
        "mun_a": roadmap_with_edition(owner=mouo_a, status=APPROVED),
        "mun_b": roadmap_with_edition(
            owner=mouo_b, status=RoadmapEdition.Status.SUBMITTED
        ),
        "school_a1": roadmap_with_edition(owner=a1, status=APPROVED),
        "school_a2": roadmap_with_edition(
            owner=a2, status=RoadmapEdition.Status.RETURNED
        ),
        "school_b1": roadmap_with_edition(owner=b1, status=APPROVED),
        "school_c1": roadmap_with_edition(owner=c1, status=APPROVED),
        # Another year: never counted in 2022.
        "mun_a_2021": roadmap_with_edition(
            owner=mouo_a,
            status=APPROVED,
            period_start=D(2021, 1, 1),
            period_end=D(2021, 12, 31),
        ),
    }
    f1, f2, f3 = risk_factor(1), risk_factor(2), risk_factor(3)

    # Regional plan of R1: done, overdue, future, no date.
    act = add_activity(plans["regional1"], end=D(2022, 3, 31))
    report(
        act,
        result=ReportResult.DONE,
        decision=ReportDecision.NOT_NEEDED,
        done_on=D(2022, 3, 20),
        reporter=reporter,
    )
    add_activity(plans["regional1"], end=D(2022, 5, 31))  # overdue
    add_activity(plans["regional1"], start=D(2022, 5, 1), end=D(2022, 9, 30))
    add_activity(plans["regional1"])  # no date: never overdue
    # A draft plan's activities are not in force.
    add_activity(plans["regional1_draft"], end=D(2022, 2, 28))
    add_activity(plans["regional2"], end=D(2022, 2, 28))  # overdue in R2
    # Municipal plan of A: partly done (overdue), done in January.
    act = add_activity(plans["mun_a"], end=D(2022, 4, 30))
    report(
        act,
        result=ReportResult.PARTLY,
        decision=ReportDecision.NOT_NEEDED,
        done_on=D(2022, 4, 28),
        reporter=reporter,
    )
    act = add_activity(plans["mun_a"], start=D(2022, 1, 10), end=D(2022, 12, 31))
    report(
        act,
        result=ReportResult.DONE,
        decision=ReportDecision.NOT_NEEDED,
        done_on=D(2022, 1, 25),
        reporter=reporter,
        history=True,
    )
    add_activity(plans["mun_a_2021"], end=D(2021, 3, 31))
    # School A1: confirmed, pending (awaiting, past deadline: not overdue),
    # rejected (overdue), risk-tagged future activity.
    act = add_activity(plans["school_a1"], end=D(2022, 2, 28))
    report(
        act,
        result=ReportResult.DONE,
        decision=ReportDecision.CONFIRMED,
        done_on=D(2022, 2, 20),
        reporter=reporter,
    )
    act = add_activity(plans["school_a1"], end=D(2022, 5, 31))
    report(
        act,
        result=ReportResult.DONE,
        decision=ReportDecision.PENDING,
        done_on=D(2022, 5, 30),
        reporter=reporter,
    )
    act = add_activity(plans["school_a1"], end=D(2022, 4, 30))
    report(
        act,
        result=ReportResult.DONE,
        decision=ReportDecision.REJECTED,
        done_on=D(2022, 4, 29),
        reporter=reporter,
    )
    add_activity(plans["school_a1"], end=D(2022, 11, 30), risks=[f1])
    # School A2's plan is returned: its activities are not in force.
    add_activity(plans["school_a2"], end=D(2022, 3, 31), risks=[f2])
    # School B1: pending report, overdue activity.
    act = add_activity(plans["school_b1"], end=D(2022, 10, 31))
    report(
        act,
        result=ReportResult.DONE,
        decision=ReportDecision.PENDING,
        done_on=D(2022, 6, 1),
        reporter=reporter,
    )
    add_activity(plans["school_b1"], end=D(2022, 1, 31))
    add_activity(plans["school_c1"], end=D(2022, 12, 31), risks=[f3])

    # Monitoring stages of R1 (entry closed in February, first closed on
    # 10 June) and R2; an unpublished second stage is not counted.
    entry = stage_type("entry", "Входное анкетирование", 2, 0)
    first = stage_type("first", "Первый этап", 6, 10)
    second = stage_type("second", "Второй этап", 11, 20)

    def stage(region, kind, opens, closes, published=True):
        return MonitoringStage.objects.create(
            region=region,
            project=project,
            year=YEAR,
            stage_type=kind,
            title=f"{kind.name} ({region.name})",
            opens_on=opens,
            closes_on=closes,
            is_published=published,
        )

    stages = {
        "entry1": stage(r1, entry, D(2022, 2, 1), D(2022, 2, 28)),
        "first1": stage(r1, first, D(2022, 6, 1), D(2022, 6, 10)),
        "second1": stage(r1, second, D(2022, 11, 1), D(2022, 11, 30), False),
        "first2": stage(r2, first, D(2022, 6, 1), D(2022, 6, 30)),
    }

    def form(stage_obj, school, status, sent=None):
        submitted_at = (
            timezone.make_aware(datetime.datetime.combine(sent, datetime.time(12)))
            if sent
            else None
        )
        return MonitoringSubmission.objects.create(
            stage=stage_obj, school=school, status=status, submitted_at=submitted_at
        )

    form(stages["entry1"], a1, SubmissionStatus.CONFIRMED, D(2022, 2, 20))
    form(stages["entry1"], a2, SubmissionStatus.CONFIRMED, D(2022, 2, 25))
    form(stages["entry1"], b1, SubmissionStatus.SUBMITTED, D(2022, 3, 3))  # late
    form(stages["first1"], a1, SubmissionStatus.SUBMITTED, D(2022, 6, 9))
    form(stages["first1"], a2, SubmissionStatus.DRAFT)  # unsent after closing
    # b1 has no form of the first stage: missing and late.
    form(stages["first2"], c1, SubmissionStatus.RETURNED, D(2022, 6, 5))

    # Risk profiles: A1 verified (risk 1 covered, risk 2 not), B1 submitted
    # (risk 1 not covered), C1 verified (risk 3 covered).
    def profile(school, status, chosen):
        p = RiskProfile.objects.create(
            school=school, project=project, year=YEAR, status=status
        )
        for factor in (f1, f2, f3):
            RiskProfileEntry.objects.create(
                profile=p,
                factor=factor,
                level=RiskLevel.HIGH if factor in chosen else RiskLevel.LOW,
                is_chosen=factor in chosen,
            )
        return p

    profile(a1, ProfileStatus.VERIFIED, [f1, f2])
    profile(b1, ProfileStatus.SUBMITTED, [f1])
    profile(c1, ProfileStatus.VERIFIED, [f3])

    # Visits: A1 held, A2 overdue, B1 planned, C1 overdue.
    def schedule(municipality):
        return VisitSchedule.objects.create(
            municipality=municipality,
            project=project,
            year=YEAR,
            status=ScheduleStatus.APPROVED,
        )

    sched_a, sched_b, sched_c = schedule(mun_a), schedule(mun_b), schedule(mun_c)
    CuratorVisit.objects.create(
        schedule=sched_a,
        curator=users["curator1"],
        school=a1,
        planned_on=D(2022, 3, 1),
        held_on=D(2022, 3, 2),
    )
    CuratorVisit.objects.create(
        schedule=sched_a, curator=users["curator1"], school=a2, planned_on=D(2022, 5, 5)
    )
    CuratorVisit.objects.create(
        schedule=sched_b, curator=users["curator2"], school=b1, planned_on=D(2022, 9, 1)
    )
    CuratorVisit.objects.create(
        schedule=sched_c, curator=users["curator2"], school=c1, planned_on=D(2022, 4, 1)
    )

    return World(
        regions={"r1": r1, "r2": r2},
        municipalities={"a": mun_a, "b": mun_b, "c": mun_c},
        bodies={"dept1": dept1, "dept2": dept2, "mouo_a": mouo_a, "mouo_c": mouo_c},
        schools={"a1": a1, "a2": a2, "b1": b1, "c1": c1},
        plans=plans,
        users=users,
        stages=stages,
        factors={"f1": f1, "f2": f2, "f3": f3},
        extra={"project": project, "schedule_a": sched_a},
    )


def add_schools(world: World, n: int) -> None:
    """`n` more schools in A, each with a plan, activities, reports, forms, a
    risk profile, its own curator and a visit (for the query-count tests)."""
    project = world.extra["project"]
    mun_a = world.municipalities["a"]
    f1, f2 = world.factors["f1"], world.factors["f2"]
    reporter = world.users["coord_a"]
    start = Organisation.objects.count()
    for i in range(n):
        school = SchoolFactory(municipality=mun_a, name=f"Школа А-доп-{start + i}")
        ProjectParticipation.objects.create(school=school, project=project, year=YEAR)
        curator = UserFactory(username=f"curator-extra-{start + i}")
        CuratorAssignmentFactory(curator=curator, school=school, project=project)
        plan = roadmap_with_edition(owner=school, status=APPROVED)
        for month in (2, 5, 9):
            act = add_activity(plan, end=D(2022, month, 28), risks=[f1])
            report(
                act,
                result=ReportResult.DONE,
                decision=ReportDecision.PENDING,
                done_on=D(2022, month, 1),
                reporter=reporter,
            )
        for key in ("entry1", "first1"):
            MonitoringSubmission.objects.create(
                stage=world.stages[key],
                school=school,
                status=SubmissionStatus.SUBMITTED,
                submitted_at=datetime.datetime(2022, 6, 12, 9, tzinfo=datetime.UTC),
            )
        profile = RiskProfile.objects.create(
            school=school, project=project, year=YEAR, status=ProfileStatus.SUBMITTED
        )
        for factor in (f1, f2):
            RiskProfileEntry.objects.create(
                profile=profile, factor=factor, level=RiskLevel.HIGH, is_chosen=True
            )
        CuratorVisit.objects.create(
            schedule=world.extra["schedule_a"],
            curator=curator,
            school=school,
            planned_on=D(2022, 4, 1),
        )
