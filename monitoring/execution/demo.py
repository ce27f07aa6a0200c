"""Demo data: reports on the seed plans in force (idempotent).

Колпна and the Smolensk plan-graph get reports needing no confirmation (one
partly done against its target, one with a link); МОУ СШ п.ст. Налейка gets
its own school plan for 2022 (unless one is in force already) with a report
the curator confirmed, one awaiting the demo curator with a PDF, one rejected
and the curator's own report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring.models import ActivityReport, ReportDecision, RiskFactor
from roadmaps.deadlines import interpret_deadline
from roadmaps.editing import build_columns
from roadmaps.imports import search_text_for
from roadmaps.models import (
    Activity,
    ActivityExecutor,
    ExecutorRole,
    Level,
    Order,
    Roadmap,
    RoadmapEdition,
    TargetComparator,
)
from roadmaps.services import edition_register_approved

from . import services


@dataclass(frozen=True)
class DemoReport:
    username: str
    activity: str  # the activity's title starts with this
    result: str
    done_on: date
    comment: str = ""
    actual: Decimal | None = None
    links: tuple[str, ...] = ()
    pdf: str = ""  # title of a generated PDF evidence file
    decision: str = ""  # the curator's decision afterwards
    decision_comment: str = ""


@dataclass(frozen=True)
class Plan:
    owner: str  # key in roadmaps.demo BODIES
    reports: list[DemoReport] = field(default_factory=list)


PLANS = [
    Plan(
        "kolpna_mouo",
        [
            DemoReport(
                "kolpna",
                "Изучение нормативного",
                "done",
                date(2021, 1, 28),
                "Изучены методические рекомендации ФИОКО, проведено совещание "
                "с руководителями школ.",
            ),
            DemoReport(
                "kolpna",
                "Назначение муниципального координатора",
                "done",
                date(2021, 1, 20),
                "Приказ отдела образования о назначении координатора.",
                links=("https://fioco.ru/500plus",),
            ),
            DemoReport(
                "kolpna", "Отбор кандидатов в кураторы", "done", date(2021, 1, 29)
            ),
        ],
    ),
    Plan(
        "smolensk_dept",
        [
            DemoReport(
                "smolensk.dept",
                "Утверждение состава участников",
                "done",
                date(2021, 2, 15),
                "Приказ Департамента об утверждении перечня школ-участников.",
            ),
            DemoReport(
                "smolensk.operator",
                "Контроль качества материалов",
                "partly",
                date(2021, 11, 30),
                "Проведено 37 консультаций; остальные перенесены на декабрь из-за "
                "карантина в школах.",
                actual=Decimal(37),
            ),
            DemoReport(
                "smolensk.operator",
                "Установочный вебинар",
                "done",
                date(2021, 2, 25),
                "Вебинар проведён, участвовали все школы проекта.",
                actual=Decimal(100),
                links=("https://iro67.ru/",),
            ),
        ],
    ),
    Plan(
        "kuz_mouo",
        [
            DemoReport(
                "naleyka",
                "Участие в анкетировании",
                "done",
                date(2022, 2, 18),
                "Анкеты заполнены директором и педагогами.",
            ),
        ],
    ),
    Plan(
        "naleyka",
        [
            DemoReport(
                "naleyka",
                "Самодиагностика",
                "done",
                date(2022, 2, 25),
                "Самодиагностика проведена, результаты загружены в ИС МЭДК.",
                decision=ReportDecision.CONFIRMED,
            ),
            DemoReport(
                "naleyka",
                "Разработка концепции",
                "done",
                date(2022, 4, 28),
                "Концепция развития принята педагогическим советом.",
                pdf="Протокол педсовета.pdf",
            ),
            DemoReport(
                "naleyka",
                "Участие педагогов в курсах",
                "done",
                date(2022, 5, 20),
                "Курсы пройдены.",
                actual=Decimal(60),
                decision=ReportDecision.REJECTED,
                decision_comment="Приложите удостоверения о повышении квалификации "
                "и уточните охват: по плану не менее 80 % педагогов.",
            ),
            DemoReport(
                "curator",
                "Первичное посещение школы куратором",
                "done",
                date(2022, 3, 15),
                "Посещение проведено, составлен план сопровождения.",
            ),
        ],
    ),
]

# The school plan of МОУ СШ п.ст. Налейка, as the school's order approves it.
SCHOOL_PLAN_TITLE = (
    "Дорожная карта МОУ СШ п.ст. Налейка по реализации проекта «500+» на 2022 год"
)
SCHOOL_ACTIVITIES = [
    # title, deadline, responsible, roles, indicator, target, risk factor numbers
    (
        "Самодиагностика школы и заполнение анкеты рискового профиля",
        "Февраль 2022",
        "Директор, школьный координатор",
        [ExecutorRole.SCHOOL],
        "",
        None,
        [],
    ),
    (
        "Первичное посещение школы куратором, согласование плана сопровождения",
        "март 2022 года",
        "Куратор",
        [ExecutorRole.CURATOR],
        "",
        None,
        [],
    ),
    (
        "Разработка концепции развития и антирисковых программ",
        "Март-апрель 2022",
        "Директор, рабочая группа",
        [ExecutorRole.SCHOOL, ExecutorRole.CURATOR],
        "",
        None,
        [3, 8],
    ),
    (
        "Участие педагогов в курсах повышения квалификации",
        "До 15 мая 2022",
        "Заместитель директора по УВР",
        [ExecutorRole.SCHOOL],
        "Охват – не менее 80% педагогов",
        (Decimal(80), "%", TargetComparator.GTE),
        [3, 5],
    ),
    (
        "Проведение родительских собраний по вопросам учебной мотивации",
        "Май, ноябрь 2022 г.",
        "Классные руководители",
        [ExecutorRole.SCHOOL],
        "Не менее 4 собраний",
        (Decimal(4), "собраний", TargetComparator.GTE),
        [9, 10],
    ),
    (
        "Участие в мониторинге по достижению позитивных изменений",
        "Июнь, ноябрь",
        "Директор, куратор",
        [ExecutorRole.SCHOOL, ExecutorRole.CURATOR],
        "",
        None,
        [],
    ),
    (
        "Работа школьной службы психолого-педагогического сопровождения",
        "в течение года",
        "Педагог-психолог",
        [ExecutorRole.SCHOOL],
        "",
        None,
        [8],
    ),
    (
        "Представление опыта школы на заседании муниципального методического "
        "объединения",
        "По плану работы ММО",
        "Директор",
        [ExecutorRole.SCHOOL],
        "",
        None,
        [],
    ),
]


def pdf_bytes(text: str) -> bytes:
    """A small valid one-page PDF saying `text` (ASCII)."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _school_plan(school, project) -> Roadmap:
    """Налейка's plan in force for 2022: the one loaded already, or a new one."""
    found = (
        Roadmap.objects.filter(
            owner=school,
            level=Level.SCHOOL,
            project=project,
            period_start__year=2022,
            current_edition__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found
    period = (date(2022, 1, 1), date(2022, 12, 31))
    roadmap = Roadmap(
        owner=school,
        level=Level.SCHOOL,
        region_id=school.region_id,
        municipality_id=school.municipality_id,
        project=project,
        title=SCHOOL_PLAN_TITLE,
        period_start=period[0],
        period_end=period[1],
    )
    roadmap.search_text = search_text_for(roadmap)
    roadmap.save()
    edition = RoadmapEdition.objects.create(
        roadmap=roadmap,
        number=1,
        columns=build_columns(numbering="flat", optional={"indicator"}),
    )
    factors = {f.number: f for f in RiskFactor.objects.all()}
    for position, row in enumerate(SCHOOL_ACTIVITIES, start=1):
        title, deadline_text, responsible, roles, indicator, target, risks = row
        deadline = interpret_deadline(deadline_text, year=2022, period=period)
        activity = Activity.objects.create(
            edition=edition,
            position=position,
            number=f"{position}.",
            title=title,
            deadline_text=deadline_text,
            deadline_ranges=deadline.as_json(),
            deadline_start=deadline.start,
            deadline_end=deadline.end,
            responsible_text=responsible,
            indicator_text=indicator,
            target_value=target[0] if target else None,
            target_unit=target[1] if target else "",
            target_comparator=target[2] if target else "",
        )
        for index, role in enumerate(roles):
            ActivityExecutor.objects.create(
                activity=activity, role=role, position=index
            )
        activity.risk_factors.set([factors[n] for n in risks if n in factors])
    order, _created = Order.objects.get_or_create(
        issuer=school,
        number="14-од",
        date=date(2022, 2, 10),
        defaults={
            "title": "Об утверждении дорожной карты реализации проекта «500+» "
            "на 2022 год",
            "signatory_position": "Директор",
            "signatory_name": school.director or "Т. В. Сафронова",
        },
    )
    roadmap.latest_edition = edition
    roadmap.save(update_fields=["latest_edition"])
    edition_register_approved(edition=edition, order=order)
    roadmap.refresh_from_db()
    return roadmap


def _report(roadmap: Roadmap, spec: DemoReport, users) -> None:
    activity = (
        roadmap.current_edition.activities.filter(title__startswith=spec.activity)
        .order_by("position")
        .first()
    )
    if activity is None:
        return
    if ActivityReport.objects.filter(
        roadmap=roadmap, lineage=activity.lineage
    ).exists():
        return  # loaded before
    files = []
    if spec.pdf:
        files.append(
            SimpleUploadedFile(
                "protokol_pedsoveta.pdf",
                pdf_bytes("Protokol pedagogicheskogo soveta No 5"),
                content_type="application/pdf",
            )
        )
    report = services.report_create(
        by=users[spec.username],
        activity=activity,
        result=spec.result,
        done_on=spec.done_on,
        actual_value=spec.actual,
        comment=spec.comment,
        files=files,
        links=[services.Link(url) for url in spec.links],
    )
    if spec.pdf:
        report.evidence.filter(url="").update(title=spec.pdf)
    if spec.decision:
        services.report_decide(
            by=users["curator"],
            report=report,
            decision=spec.decision,
            comment=spec.decision_comment,
        )


def load(orgs, projects) -> None:
    """Add the demo's execution (idempotent: safe to run again)."""
    usernames = {r.username for plan in PLANS for r in plan.reports} | {"curator"}
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=usernames)
    }
    if len(users) < len(usernames):
        return
    for plan in PLANS:
        owner = orgs.get(plan.owner)
        if owner is None:
            continue
        if plan.owner == "naleyka":
            roadmap = _school_plan(owner, projects["500plus"])
        else:
            roadmap = (
                Roadmap.objects.filter(owner=owner, current_edition__isnull=False)
                .select_related("current_edition")
                .order_by("pk")
                .first()
            )
        if roadmap is None:
            continue
        for spec in plan.reports:
            _report(roadmap, spec, users)
