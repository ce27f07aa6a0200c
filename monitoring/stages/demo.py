"""Demo data: the 2022 monitoring stages of the «500+» project.

The demo's participating schools (Налейка, Волынщина, Студенец) lie in
Ульяновская область, so its three stages carry the forms the schools fill;
Смоленская область, whose department and operator are demo users, gets the
same three stages to manage (it has no participating school in the demo).
Налейка has sent its June form and waits for the curator; Волынщина's entry
form is confirmed; Студенец has filled nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from monitoring.models import (
    MonitoringAnswer,
    MonitoringField,
    MonitoringStage,
    MonitoringStageType,
    MonitoringSubmission,
    SubmissionEvent,
    SubmissionStatus,
)
from roadmaps.models import WorkflowAction

from .presets import preset_for

YEAR = 2022
STAGES = [
    # kind, title, opens, closes
    (
        "entry",
        "Входное анкетирование и рисковый профиль школы",
        date(2022, 2, 1),
        date(2022, 2, 28),
    ),
    (
        "first",
        "Первый этап мониторинга позитивных изменений",
        date(2022, 6, 1),
        date(2022, 6, 30),
    ),
    (
        "second",
        "Второй этап мониторинга позитивных изменений",
        date(2022, 11, 1),
        date(2022, 11, 30),
    ),
]

NALEYKA_JUNE = {
    "pupils": Decimal(187),
    "failing_share": Decimal("6.4"),
    "vpr_failed_share": Decimal("18.5"),
    "oge_passed_share": Decimal("84.2"),
    "teachers_trained": Decimal(9),
    "vacancies": Decimal(2),
    "parent_events": Decimal(5),
    "roadmap_on_schedule": True,
    "comment": "Проведены родительские собрания по итогам ВПР, "
    "организованы консультации для обучающихся 9 класса.",
}
NALEYKA_ENTRY = {
    "pupils": Decimal(192),
    "teachers": Decimal(21),
    "teachers_diagnosed_share": Decimal("76.2"),
    "risk_questionnaire_filled": True,
    "director_questionnaire_filled": True,
    "failing_share": Decimal("8.9"),
    "vacancies": Decimal(3),
}
STUDENETS_JUNE_DRAFT = {
    "pupils": Decimal(243),
    "failing_share": Decimal("7.1"),
}
VOLYNSHCHINA_ENTRY = {
    "pupils": Decimal(64),
    "teachers": Decimal(11),
    "teachers_diagnosed_share": Decimal("81.8"),
    "risk_questionnaire_filled": True,
    "director_questionnaire_filled": True,
    "failing_share": Decimal("9.4"),
    "vacancies": Decimal(1),
}


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _stages(region, project, author) -> dict[str, MonitoringStage]:
    found = {}
    for code, title, opens, closes in STAGES:
        stage_type = MonitoringStageType.objects.get(code=code)
        stage, created = MonitoringStage.objects.get_or_create(
            region=region,
            project=project,
            year=YEAR,
            stage_type=stage_type,
            defaults={
                "title": title,
                "opens_on": opens,
                "closes_on": closes,
                "is_published": True,
                "created_by": author,
                "instructions": "Заполните форму по состоянию на дату начала "
                "этапа. Поля, отмеченные *, обязательны для отправки куратору.",
            },
        )
        if created or not stage.fields.exists():
            for position, item in enumerate(preset_for(code), start=1):
                low, high = item.get("min_value"), item.get("max_value")
                if item["kind"] == "percent":
                    low, high = 0, 100
                MonitoringField.objects.get_or_create(
                    stage=stage,
                    code=item["code"],
                    defaults={
                        "position": position * 10,
                        "label": item["label"],
                        "kind": item["kind"],
                        "required": item.get("required", False),
                        "min_value": low,
                        "max_value": high,
                        "help_text": item.get("help_text", ""),
                    },
                )
        found[code] = stage
    return found


def _form(
    stage, school, values, *, status, sent=None, by=None, curator=None, decided=None
):
    submission, created = MonitoringSubmission.objects.get_or_create(
        stage=stage,
        school=school,
        defaults={
            "status": status,
            "submitted_at": _at(sent, 11) if sent else None,
            "submitted_by": by if sent else None,
            "decided_at": _at(decided, 15) if decided else None,
            "decided_by": curator if decided else None,
        },
    )
    if not created:
        return
    fields = {f.code: f for f in stage.fields.all()}
    for code, value in values.items():
        answer = MonitoringAnswer(submission=submission, field=fields[code])
        if isinstance(value, bool):
            answer.boolean = value
        elif isinstance(value, Decimal):
            answer.number = value
        else:
            answer.text = value
        answer.save()
    events = []
    if sent and by is not None:
        events.append((WorkflowAction.SUBMIT, "draft", "submitted", by, sent))
    if decided:
        events.append((WorkflowAction.APPROVE, "submitted", status, curator, decided))
    for action, before, after, actor, day in events:
        event = SubmissionEvent.objects.create(
            submission=submission,
            action=action,
            from_status=before,
            to_status=after,
            actor=actor,
        )
        SubmissionEvent.objects.filter(pk=event.pk).update(created_at=_at(day, 12))


@transaction.atomic
def load(orgs, projects) -> None:
    """Add the demo's stages (idempotent: safe to run again)."""
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["smolensk.dept", "naleyka", "studenets", "curator", "admin"]
        )
    }
    project = projects["500plus"]
    _stages(orgs["smolensk_dept"].region, project, users.get("smolensk.dept"))
    stages = _stages(orgs["naleyka"].region, project, users.get("admin"))
    naleyka, curator = users.get("naleyka"), users.get("curator")
    if naleyka is None or curator is None:
        return
    _form(
        stages["entry"],
        orgs["naleyka"],
        NALEYKA_ENTRY,
        status=SubmissionStatus.CONFIRMED,
        sent=date(2022, 2, 18),
        by=naleyka,
        curator=curator,
        decided=date(2022, 2, 22),
    )
    _form(
        stages["first"],
        orgs["naleyka"],
        NALEYKA_JUNE,
        status=SubmissionStatus.SUBMITTED,
        sent=date(2022, 6, 24),
        by=naleyka,
    )
    # No school user of Волынщина in the demo: only the curator's step is known.
    _form(
        stages["entry"],
        orgs["volynshchina"],
        VOLYNSHCHINA_ENTRY,
        status=SubmissionStatus.CONFIRMED,
        sent=date(2022, 2, 21),
        curator=curator,
        decided=date(2022, 2, 25),
    )
    if "studenets" in users:
        _form(
            stages["first"],
            orgs["studenets"],
            STUDENETS_JUNE_DRAFT,
            status=SubmissionStatus.DRAFT,
        )
