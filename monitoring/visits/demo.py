"""Demo data: the approved 2022 schedule of curators' visits of Кузоватовский
район (seed 004, row 5: «утверждение графиков посещения школ кураторами,
первичное посещение кураторами школы»)."""

from __future__ import annotations

import datetime
import zoneinfo

from django.contrib.auth import get_user_model

from monitoring.models import CuratorVisit, ScheduleStatus, VisitSchedule

YEAR = 2022
APPROVED_AT = datetime.datetime(
    2022, 3, 4, 11, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Samara")
)

# (school key, planned, held, purpose, notes); the last unheld one is overdue
# on any day after 14.12.2022.
VISITS = [
    (
        "naleyka",
        datetime.date(2022, 3, 15),
        datetime.date(2022, 3, 15),
        "Первичное посещение школы",
        "Проведена самодиагностика по рисковому профилю школы вместе с "
        "администрацией. Выбраны направления: низкая учебная мотивация "
        "обучающихся, высокая доля обучающихся с рисками учебной неуспешности.",
    ),
    (
        "volynshchina",
        datetime.date(2022, 3, 17),
        datetime.date(2022, 3, 18),
        "Первичное посещение школы",
        "Знакомство с коллективом, самодиагностика по РПШ. Перенесено на день "
        "из-за районного совещания директоров.",
    ),
    (
        "naleyka",
        datetime.date(2022, 4, 20),
        datetime.date(2022, 4, 20),
        "Консультация по дорожной карте",
        "Согласованы мероприятия школьной дорожной карты и сроки; рекомендовано "
        "уточнить показатели по охвату педагогов курсами ДПП ПК.",
    ),
    (
        "volynshchina",
        datetime.date(2022, 5, 18),
        datetime.date(2022, 5, 18),
        "Консультация по антирисковым программам",
        "Рассмотрены проекты антирисковых программ; программа по учебной "
        "мотивации возвращена на доработку.",
    ),
    (
        "naleyka",
        datetime.date(2022, 10, 12),
        datetime.date(2022, 10, 12),
        "Посещение уроков",
        "Посещены уроки математики в 7 и 9 классах; проведён разбор уроков "
        "с учителями, даны рекомендации по формирующему оцениванию.",
    ),
    (
        "volynshchina",
        datetime.date(2022, 11, 16),
        datetime.date(2022, 11, 16),
        "Посещение уроков",
        "Посещены уроки русского языка в 5 и 8 классах; отмечен рост "
        "вовлечённости обучающихся.",
    ),
    (
        "naleyka",
        datetime.date(2022, 12, 14),
        None,
        "Итоговое посещение школы",
        "",
    ),
]


def load(orgs, projects) -> None:
    """Add the demo's visits (idempotent: safe to run again)."""
    User = get_user_model()
    curator = User.objects.filter(username="curator").first()
    coordinator = User.objects.filter(username="kuzovatovo").first()
    if curator is None or coordinator is None:
        return
    municipality = orgs["naleyka"].municipality
    schedule, created = VisitSchedule.objects.get_or_create(
        municipality=municipality,
        project=projects["500plus"],
        year=YEAR,
        defaults={
            "status": ScheduleStatus.APPROVED,
            "approved_by": coordinator,
            "approved_at": APPROVED_AT,
        },
    )
    if created:
        history = schedule.history.first()
        history.history_user = coordinator
        history.history_date = APPROVED_AT
        history.history_change_reason = "approved"
        history.save()
    for key, planned, held, purpose, notes in VISITS:
        visit, created = CuratorVisit.objects.get_or_create(
            schedule=schedule,
            curator=curator,
            school=orgs[key],
            planned_on=planned,
            defaults={"held_on": held, "purpose": purpose, "notes": notes},
        )
        if created:
            visit.history.update(history_user=curator)
