"""A world with a bit of everything, built small and then grown, for the
query budget test (tests/test_query_budget.py) and the permission matrix
(tests/test_permission_matrix.py).

Region R1 with its department; municipalities of R1, each with its education
authority and schools. The first municipality ("M1") and its first school
("A1") are where the users of the tests work: the federal observer, the
portal administrator, the department's staff (who approves), M1's
coordinator, A1's school and A1's curator (the `ROLES` of the query budget),
and a regional coordinator. `grow` adds municipalities, schools, activities,
reports, forms, visits, notifications… to the same objects, so every page is
opened on the same URL at both sizes. `world.foreign` is the same territory
once more, region "Xeno" with users of its own, never grown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from monitoring.models import (
    ActivityReport,
    CuratorVisit,
    MonitoringAnswer,
    MonitoringSubmission,
    ProfileStatus,
    ReportDecision,
    ReportEvidence,
    ReportResult,
    RiskLevel,
    RiskProfile,
    RiskProfileEntry,
    ScheduleStatus,
    SubmissionStatus,
    VisitSchedule,
)
from roadmaps.models import (
    Activity,
    ActivityExecutor,
    Comment,
    ExecutorRole,
    ExportJob,
    ImportUpload,
    Notification,
    RoadmapEdition,
    SchoolDocument,
)
from schools.models import Membership, ProjectParticipation, Role
from tests.factories import (
    ActivityFactory,
    CuratorAssignmentFactory,
    EditionFactory,
    MunicipalityFactory,
    OrderFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionalBodyFactory,
    RegionFactory,
    SchoolFactory,
    SectionFactory,
    roadmap_with_edition,
    user_with_role,
)
from tests.monitoring.dashboards.factories import risk_factor, stage_type
from tests.monitoring.stages.factories import StageFactory, standard_fields

TODAY = datetime.date(2022, 6, 15)
YEAR = 2022
D = datetime.date
S = RoadmapEdition.Status
PDF = b"%PDF-1.4\n%budget\n"
# A roadmap table the import reader understands (the seeds' form).
IMPORT_TEXT = (
    "№\tМероприятие\tСрок\tОтветственные\n"
    "1.\tСовещание с руководителями школ\tмарт 2022 года\tМОУО\n"
    "2.\tАнализ результатов ВПР\tапрель 2022 года\tОО\n"
).encode()


@dataclass(frozen=True)
class Size:
    municipalities: int
    schools: int  # per municipality
    activities: int  # per plan the pages open
    extra: int  # reports, forms, visits, notifications… per kind


SMALL = Size(municipalities=2, schools=2, activities=5, extra=1)
LARGE = Size(municipalities=6, schools=5, activities=40, extra=8)

# The roles whose pages the query budget measures (the matrix opens every
# page as the regional coordinator too).
ROLES = ("observer", "administrator", "regional", "municipal", "school", "curator")
# The name of the second territory; every body, school and plan of it carries
# the word, so a page that shows one to a user of the first is caught.
FOREIGN = "Xeno"


@dataclass
class World:
    project: object
    region: object
    dept: object
    users: dict
    municipalities: list = field(default_factory=list)  # (municipality, mouo)
    schools: dict = field(default_factory=dict)  # municipality pk -> [schools]
    plans: dict = field(default_factory=dict)
    stage: object = None
    fields: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    factors: list = field(default_factory=list)
    tag: str = ""  # "" for the home territory, "Xeno " for the foreign one
    foreign: World | None = None

    @property
    def m1(self):
        return self.municipalities[0][0]

    @property
    def mouo1(self):
        return self.municipalities[0][1]

    @property
    def a1(self):
        return self.schools[self.m1.pk][0]


def _file(name: str) -> ContentFile:
    return ContentFile(PDF, name=name)


def _activity(plan, *, end, section=None, risks=()):
    edition = plan.current_edition or plan.latest_edition
    activity = ActivityFactory(
        edition=edition,
        section=section,
        deadline_text=f"до {end:%d.%m.%Y}",
        deadline_ranges=[[end.replace(day=1).isoformat(), end.isoformat()]],
        deadline_start=end.replace(day=1),
        deadline_end=end,
    )
    ActivityExecutor.objects.create(activity=activity, role=ExecutorRole.SCHOOL)
    ActivityExecutor.objects.create(
        activity=activity, organisation=plan.owner, position=1
    )
    if risks:
        activity.risk_factors.set(risks)
    return activity


def _report(activity, reporter, decision, *, evidence=False):
    ActivityReport.objects.filter(lineage=activity.lineage, is_latest=True).update(
        is_latest=False
    )
    report = ActivityReport.objects.create(
        roadmap=activity.edition.roadmap,
        lineage=activity.lineage,
        activity=activity,
        result=ReportResult.DONE,
        done_on=D(2022, 5, 20),
        reporter=reporter,
        decision=decision,
    )
    if evidence:
        ReportEvidence.objects.create(
            report=report, file=_file("akt.pdf"), title="Акт", size=len(PDF)
        )
    return report


def fill_plan(world: World, plan, n: int) -> None:
    """Bring the plan's edition to `n` activities, every other one reported."""
    edition = plan.current_edition or plan.latest_edition
    section = edition.sections.first() or SectionFactory(edition=edition)
    have = edition.activities.count()
    reporter = world.users["school"]
    for i in range(have, n):
        month = 2 + i % 10
        activity = _activity(
            plan,
            section=section,
            end=D(2022, month, 28),
            risks=world.factors[i % 2 : i % 2 + 1],
        )
        if plan.current_edition_id and i % 2:
            decision = (
                ReportDecision.PENDING
                if plan.owner.kind.level == "school"
                else ReportDecision.NOT_NEEDED
            )
            _report(activity, reporter, decision, evidence=i % 4 == 3)
        Comment.objects.create(
            edition=edition, activity=activity, author=reporter, text=f"Замечание {i}"
        )


def _school(world: World, municipality, name: str):
    school = SchoolFactory(municipality=municipality, name=name)
    ProjectParticipation.objects.create(school=school, project=world.project, year=YEAR)
    world.schools.setdefault(municipality.pk, []).append(school)
    plan = roadmap_with_edition(
        owner=school, status=S.APPROVED, project=world.project, activities=2
    )
    for activity in plan.current_edition.activities.all():
        _report(activity, world.users["school"], ReportDecision.PENDING)
    if world.stage is not None:
        _form(world, school, SubmissionStatus.SUBMITTED)
    profile = RiskProfile.objects.create(
        school=school, project=world.project, year=YEAR, status=ProfileStatus.SUBMITTED
    )
    for factor in world.factors:
        RiskProfileEntry.objects.create(
            profile=profile, factor=factor, level=RiskLevel.HIGH, is_chosen=True
        )
    return school


def _form(world: World, school, status):
    submission = MonitoringSubmission.objects.create(
        stage=world.stage,
        school=school,
        status=status,
        submitted_at=datetime.datetime(2022, 6, 9, 12, tzinfo=datetime.UTC),
    )
    f = world.fields
    MonitoringAnswer.objects.create(submission=submission, field=f["pupils"], number=5)
    MonitoringAnswer.objects.create(submission=submission, field=f["failing"], number=9)
    MonitoringAnswer.objects.create(
        submission=submission, field=f["plan_ok"], boolean=True
    )
    return MonitoringAnswer.objects.create(
        submission=submission, field=f["report"], file=_file("report.pdf")
    )


def _municipality(world: World, number: int):
    municipality = MunicipalityFactory(
        region=world.region, name=f"Район {world.tag}{number}"
    )
    mouo = OrganisationFactory(
        municipality=municipality, name=f"МОУО {world.tag}{number}"
    )
    world.municipalities.append((municipality, mouo))
    roadmap_with_edition(
        owner=mouo, status=S.APPROVED, project=world.project, activities=2
    )
    VisitSchedule.objects.create(
        municipality=municipality,
        project=world.project,
        year=YEAR,
        status=ScheduleStatus.APPROVED,
    )
    return municipality, mouo


def _per_user(world: World, user, n: int) -> dict:
    """Notifications, exports and imports of one user (the first ones kept)."""
    have = Notification.objects.filter(user=user).count()
    for i in range(have, n):
        Notification.objects.create(
            user=user, text=f"Уведомление {i}", url="/roadmaps/inbox/"
        )
    jobs = list(ExportJob.objects.filter(user=user))
    for i in range(len(jobs), n):
        job = ExportJob(
            user=user,
            kind="roadmaps",
            title=f"Выгрузка {i}",
            filename="plans.xlsx",
            status=ExportJob.Status.DONE,
            rows_total=10,
            rows_done=10,
        )
        job.file.save("plans.xlsx", ContentFile(b"PK\x03\x04budget"), save=True)
        jobs.append(job)
    first_job = ExportJob.objects.filter(user=user).order_by("pk").first()
    owner = (
        Membership.objects.filter(user=user, organisation__isnull=False)
        .values_list("organisation", flat=True)
        .first()
    )
    upload = ImportUpload.objects.filter(user=user).order_by("pk").first()
    if upload is None and owner is not None:
        upload = ImportUpload.objects.create(
            user=user,
            filename="plan.txt",
            data=IMPORT_TEXT,
            owner_id=owner,
            project=world.project,
        )
    return {"job": first_job, "upload": upload}


def _two_editions(school, project):
    """An approved plan whose first edition was superseded by the second."""
    plan = roadmap_with_edition(
        owner=school, status=S.SUPERSEDED, project=project, activities=2
    )
    first = plan.latest_edition
    second = EditionFactory(
        roadmap=plan,
        number=2,
        status=S.APPROVED,
        replaces=first,
        approving_order=OrderFactory(issuer=school),
    )
    for activity in first.activities.all():
        ActivityFactory(
            edition=second, lineage=activity.lineage, title=activity.title + " (изм.)"
        )
    plan.latest_edition = plan.current_edition = second
    plan.save()
    return plan


def build_world(size: Size = SMALL) -> World:
    """The world at `size` (see `grow` for the larger one).

    `world.foreign` is a second, independent territory (region "Xeno" with
    its own bodies, schools, plans, stage, forms, visits and users) at the
    small size: the objects the permission matrix opens out of every home
    user's scope, and rows every scoped page of the budget test must leave
    out at both sizes.
    """
    project = ProjectFactory()
    factors = [risk_factor(1), risk_factor(2)]
    world = _territory(project, factors, label="1", prefix="budget")
    world.foreign = _territory(project, factors, label=FOREIGN, prefix="xeno")
    for territory, at in ((world.foreign, SMALL), (world, size)):
        _fill(territory, at)
        _first_rows(territory)
    return world


def _users(world: World, m1_body, a1, prefix: str) -> None:
    """One user of every role, scoped to the territory's department, M1, A1."""
    surname = {"last_name": f"Петров {world.tag}".strip()}
    regional = user_with_role(
        Role.REGIONAL_STAFF, world.dept, username=f"{prefix}_regional", **surname
    )
    Membership.objects.filter(user=regional).update(can_approve=True)
    curator = user_with_role(
        Role.CURATOR, None, username=f"{prefix}_curator", **surname
    )
    CuratorAssignmentFactory(
        curator=curator, school=a1, project=world.project, year=YEAR
    )
    world.users.update(
        observer=user_with_role(
            Role.FEDERAL_OBSERVER, None, username=f"{prefix}_obs", **surname
        ),
        regional=regional,
        municipal=user_with_role(
            Role.MUNICIPAL_COORDINATOR,
            m1_body,
            username=f"{prefix}_municipal",
            **surname,
        ),
        school=user_with_role(Role.SCHOOL, a1, username=f"{prefix}_school", **surname),
        curator=curator,
        administrator=user_with_role(
            Role.ADMINISTRATOR,
            None,
            username=f"{prefix}_admin",
            is_staff=True,
            is_superuser=True,
            **surname,
        ),
        # Left out of the query budget; the permission matrix opens every
        # page as the coordinator too.
        coordinator=user_with_role(
            Role.REGIONAL_COORDINATOR,
            world.dept,
            username=f"{prefix}_coordinator",
            **surname,
        ),
    )


def _territory(project, factors, *, label: str, prefix: str) -> World:
    """Region `label` at its smallest: M1 with school A1 and everything the
    pages open (`_fill` brings it to a size)."""
    tag = "" if label != FOREIGN else f"{FOREIGN} "
    region = RegionFactory(name=f"Регион-{label}")
    dept = RegionalBodyFactory(region=region, name=f"Департамент-{label}")
    world = World(project=project, region=region, dept=dept, users={}, tag=tag)
    world.factors = factors
    m1, mouo1 = _municipality(world, 1)
    a1 = SchoolFactory(municipality=m1, name=f"Школа {tag}А1")
    ProjectParticipation.objects.create(school=a1, project=project, year=YEAR)
    world.schools[m1.pk] = [a1]
    _users(world, mouo1, a1, prefix)

    world.stage = StageFactory(
        region=region, project=project, stage_type=stage_type("first", "Этап", 6, 10)
    )
    world.fields = standard_fields(world.stage)
    entry = StageFactory(
        region=region,
        project=project,
        stage_type=stage_type("entry", "Входное анкетирование", 2, 0),
        opens_on=D(2022, 2, 1),
        closes_on=D(2022, 2, 28),
    )
    standard_fields(entry)
    world.objects["entry_stage"] = entry
    answer = _form(world, a1, SubmissionStatus.SUBMITTED)

    plans = world.plans
    plans["regional"] = roadmap_with_edition(
        owner=dept, status=S.APPROVED, project=project, title=f"План {dept.name}"
    )
    plans["municipal"] = roadmap_with_edition(
        owner=mouo1, status=S.APPROVED, project=project, title=f"План {mouo1.name}"
    )
    plans["school"] = _two_editions(a1, project)
    # Drafts the editor opens; a school plan of A1 waiting for M1's approval.
    plans["municipal_draft"] = roadmap_with_edition(
        owner=mouo1, project=project, title=f"Черновик: {mouo1.name}"
    )
    plans["school_submitted"] = roadmap_with_edition(
        owner=a1,
        status=S.AGREED,
        project=project,
        title=f"Карта школы {a1.name}, согласованная куратором",
    )
    profile = RiskProfile.objects.create(
        school=a1, project=project, year=YEAR, status=ProfileStatus.SUBMITTED
    )
    for factor in world.factors:
        RiskProfileEntry.objects.create(
            profile=profile, factor=factor, level=RiskLevel.HIGH, is_chosen=True
        )
    document = SchoolDocument.objects.create(
        school=a1,
        project=project,
        year=YEAR,
        kind=SchoolDocument.Kind.CONCEPT,
        title=f"Концепция развития: {a1.name}",
        file=_file("concept.pdf"),
        uploaded_by=world.users["school"],
        status=S.SUBMITTED,
    )
    schedule = VisitSchedule.objects.get(municipality=m1)
    visit = CuratorVisit.objects.create(
        schedule=schedule,
        curator=world.users["curator"],
        school=a1,
        planned_on=D(2022, 9, 15),
    )
    world.objects.update(answer=answer, document=document, visit=visit, profile=profile)
    return world


def _first_rows(world: World) -> None:
    """Objects the pages open that exist only once the plans are filled."""
    plans = world.plans
    evidence = ReportEvidence.objects.filter(report__roadmap=plans["school"]).earliest(
        "pk"
    )
    draft = plans["municipal_draft"].latest_edition
    history = draft.activities.first()
    # The change log's record of a deleted row, which `restore` brings back.
    deleted = ActivityFactory(edition=draft, title="Удалённое мероприятие")
    deleted_pk = deleted.pk
    deleted.delete()
    record = Activity.history.get(id=deleted_pk, history_type="-")
    world.objects.update(
        evidence=evidence,
        activity=history,
        section=draft.sections.first(),
        deleted=record.history_id,
    )


def _fill(world: World, size: Size) -> None:
    for number in range(len(world.municipalities) + 1, size.municipalities + 1):
        _municipality(world, number)
    for municipality, _mouo in world.municipalities:
        have = len(world.schools.get(municipality.pk, []))
        for i in range(have, size.schools):
            _school(world, municipality, f"Школа {municipality.name}-{i + 1}")
    for plan in world.plans.values():
        fill_plan(world, plan, size.activities)
    a1 = world.a1
    curator = world.users["curator"]
    schedule = VisitSchedule.objects.get(municipality=world.m1)
    for school in world.schools[world.m1.pk][1:]:
        if not curator.curator_assignments.filter(school=school).exists():
            CuratorAssignmentFactory(
                curator=curator, school=school, project=world.project, year=YEAR
            )
    have = CuratorVisit.objects.filter(schedule=schedule).count()
    for i in range(have, size.extra):
        CuratorVisit.objects.create(
            schedule=schedule,
            curator=curator,
            school=a1,
            planned_on=D(2022, 3 + i % 9, 10),
            held_on=D(2022, 3 + i % 9, 11) if i % 2 else None,
        )
    for _ in range(SchoolDocument.objects.filter(school=a1).count(), size.extra):
        SchoolDocument.objects.create(
            school=a1,
            project=world.project,
            year=YEAR,
            kind=SchoolDocument.Kind.MEDIUM_TERM,
            title="Программа развития",
            file=_file("programme.pdf"),
            uploaded_by=world.users["school"],
            status=S.SUBMITTED,
        )
    for _ in range(
        RoadmapEdition.objects.filter(roadmap__owner=a1, status=S.SUBMITTED).count(),
        size.extra,
    ):
        roadmap_with_edition(
            owner=a1, status=S.SUBMITTED, project=world.project, activities=1
        )
    for role, user in world.users.items():
        world.objects[role] = _per_user(world, user, size.extra)


def grow(world: World, size: Size = LARGE) -> None:
    """Add rows of every kind until the world has `size`."""
    _fill(world, size)
