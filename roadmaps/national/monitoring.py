"""Phases 3, 5, 6: risk profiles, monitoring stages with forms, curators' visits."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from monitoring.models import (
    CuratorVisit,
    FieldKind,
    MonitoringAnswer,
    MonitoringField,
    MonitoringStage,
    MonitoringSubmission,
    ProfileStatus,
    RiskLevel,
    RiskProfile,
    RiskProfileEntry,
    ScheduleStatus,
    SubmissionEvent,
    SubmissionStatus,
    VisitSchedule,
)
from monitoring.stages.presets import preset_for
from roadmaps.models import WorkflowAction

from .state import State

PURPOSES = [
    "Анализ рискового профиля школы и антирисковых программ",
    "Методическая помощь в корректировке дорожной карты",
    "Посещение уроков, консультирование педагогов",
    "Мониторинг выполнения мероприятий дорожной карты",
]
NOTES = [
    "Даны рекомендации по работе с неуспевающими обучающимися.",
    "Проведена консультация с административной командой.",
    "Посещено 3 урока, проведён анализ.",
    "",
]


def risk_profiles(s: State) -> None:
    """A profile per school and project year; the factors it works on."""
    rng = s.rng
    profiles = s.writer(
        RiskProfile,
        [
            "id", "school_id", "project_id", "year", "status", "diagnosed_on",
            "submitted_at", "verified_by_id", "verified_at", "decision_comment",
            "version", "updated_at",
        ],
    )  # fmt: skip
    entries = s.writer(
        RiskProfileEntry,
        ["id", "profile_id", "factor_id", "level", "is_chosen", "note"],
    )
    total = sum(len(c) for c in s.cohorts.values())
    s.progress.start("risk profiles", total)
    levels = [
        (RiskLevel.NONE, 35),
        (RiskLevel.LOW, 30),
        (RiskLevel.MEDIUM, 22),
        (RiskLevel.HIGH, 13),
    ]
    for year, cohort in s.cohorts.items():
        last = year == s.last_year
        for i in cohort:
            status = s.weighted(
                [
                    (ProfileStatus.VERIFIED, 60 if last else 90),
                    (ProfileStatus.SUBMITTED, 20 if last else 5),
                    (ProfileStatus.DRAFT, 12 if last else 0),
                    (ProfileStatus.RETURNED, 8 if last else 5),
                ]
            )
            diagnosed = s.day(year, (2, 1), (2, 28))
            submitted = s.moment(diagnosed + timedelta(days=3))
            curator = s.curator_of[(i, year)]
            pk = s.take(RiskProfile)
            profiles.add(
                (
                    pk, s.schools[i].id, s.project_id, year, status, diagnosed,
                    None if status == ProfileStatus.DRAFT else submitted,
                    curator if status == ProfileStatus.VERIFIED else None,
                    submitted + timedelta(days=5)
                    if status == ProfileStatus.VERIFIED
                    else None,
                    "Уточните уровень рисков по факторам 3 и 7."
                    if status == ProfileStatus.RETURNED
                    else "",
                    1, submitted,
                )
            )  # fmt: skip
            chosen_levels = {f: s.weighted(levels) for f in s.factor_ids}
            serious = [
                f for f, v in chosen_levels.items()
                if v in (RiskLevel.MEDIUM, RiskLevel.HIGH)
            ]  # fmt: skip
            if len(serious) < 2:
                serious = list(s.factor_ids)
            chosen = rng.sample(serious, min(len(serious), rng.randint(2, 3)))
            for factor, level in chosen_levels.items():
                is_chosen = factor in chosen
                if is_chosen and level in (RiskLevel.NONE, RiskLevel.LOW):
                    level = RiskLevel.MEDIUM
                entries.add(
                    (s.take(RiskProfileEntry), pk, factor, level, is_chosen, "")
                )
            s.chosen_factors[(i, year)] = sorted(chosen)
            s.progress.step()
    s.flush()


def _answer(s: State, code: str, kind: str, base: dict, stage_no: int):
    """(number, boolean, text) a school plausibly reports for an indicator."""
    rng = s.rng
    if kind == FieldKind.BOOLEAN:
        return None, rng.random() < 0.85, ""
    if kind == FieldKind.TEXT:
        return None, None, rng.choice(["", "", "Работа ведётся по плану."])
    if code == "pupils":
        return Decimal(base["pupils"]), None, ""
    if code == "teachers":
        return Decimal(base["pupils"] // 14 + rng.randint(0, 4)), None, ""
    if code == "teachers_trained":
        return Decimal(rng.randint(0, base["pupils"] // 14)), None, ""
    if code == "vacancies":
        return Decimal(rng.randint(0, 4)), None, ""
    if code == "parent_events":
        return Decimal(rng.randint(1, 12)), None, ""
    if kind == FieldKind.PERCENT:
        if code in ("failing_share", "vpr_failed_share"):
            value = max(0.0, base["failing"] - 2.5 * stage_no + rng.uniform(-2, 2))
        elif code == "oge_passed_share":
            value = rng.uniform(60, 98)
        else:
            value = rng.uniform(40, 100)
        return Decimal(f"{min(value, 100.0):.1f}"), None, ""
    return Decimal(rng.randint(0, 50)), None, ""


def stages(s: State) -> None:
    """Three stages per region and year with the ready-made forms; every
    school of the year's cohort fills them."""
    rng = s.rng
    stage_w = s.writer(
        MonitoringStage,
        [
            "id", "region_id", "project_id", "year", "stage_type_id", "title",
            "instructions", "opens_on", "closes_on", "is_published",
            "created_by_id", "created_at", "version",
        ],
    )  # fmt: skip
    field_w = s.writer(
        MonitoringField,
        [
            "id", "stage_id", "position", "code", "label", "kind", "required",
            "min_value", "max_value", "help_text",
        ],
    )  # fmt: skip
    sub_w = s.writer(
        MonitoringSubmission,
        [
            "id", "stage_id", "school_id", "status", "submitted_at",
            "submitted_by_id", "decided_at", "decided_by_id", "decision_comment",
            "version", "updated_at",
        ],
    )  # fmt: skip
    ans_w = s.writer(
        MonitoringAnswer,
        ["id", "submission_id", "field_id", "number", "boolean", "text", "file"],
    )
    ev_w = s.writer(
        SubmissionEvent,
        [
            "id", "action", "from_status", "to_status", "actor_id", "comment",
            "created_at", "submission_id",
        ],
    )  # fmt: skip
    total = sum(len(c) for c in s.cohorts.values()) * len(s.stage_types)
    s.progress.start("monitoring forms", total)
    base = {
        i: {"pupils": rng.randint(60, 900), "failing": rng.uniform(8, 30)}
        for c in s.cohorts.values()
        for i in c
    }
    for year, cohort in s.cohorts.items():
        by_region: dict[int, list[int]] = {}
        for i in cohort:
            m = s.municipalities[s.schools[i].municipality]
            by_region.setdefault(m.region, []).append(i)
        for r_index, r in enumerate(s.regions):
            for stage_no, (type_id, code, name, month) in enumerate(s.stage_types):
                opens = date(year, month, 1)
                closes = date(year, month, 25)
                sid = s.take(MonitoringStage)
                stage_w.add(
                    (
                        sid, r.id, s.project_id, year, type_id, name,
                        "Заполните форму до даты закрытия этапа.", opens, closes,
                        True, r.coordinator, s.moment(opens - timedelta(days=10)), 1,
                    )
                )  # fmt: skip
                fields = []
                for position, ind in enumerate(preset_for(code), start=1):
                    fid = s.take(MonitoringField)
                    field_w.add(
                        (
                            fid, sid, position, ind["code"], ind["label"],
                            ind["kind"], ind.get("required", False),
                            ind.get("min_value"), ind.get("max_value"),
                            ind.get("help_text", ""),
                        )
                    )  # fmt: skip
                    fields.append((fid, ind["code"], ind["kind"]))
                late = year == s.last_year and stage_no == len(s.stage_types) - 1
                for i in by_region.get(r_index, []):
                    _submission(
                        s, sub_w, ans_w, ev_w, sid, i, year, fields, base[i],
                        stage_no, opens, late,
                    )  # fmt: skip
                    s.progress.step()
    s.flush()


def _submission(
    s, sub_w, ans_w, ev_w, stage, i, year, fields, base, stage_no, opens, late
) -> None:
    status = s.weighted(
        [
            (SubmissionStatus.CONFIRMED, 40 if late else 75),
            (SubmissionStatus.SUBMITTED, 30 if late else 12),
            (SubmissionStatus.RETURNED, 8 if late else 5),
            (SubmissionStatus.DRAFT, 22 if late else 8),
        ]
    )
    school = s.schools[i]
    curator = s.curator_of[(i, year)]
    submitted = s.moment(opens + timedelta(days=s.rng.randint(3, 20)))
    decided = submitted + timedelta(days=s.rng.randint(1, 4))
    is_decided = status in (SubmissionStatus.CONFIRMED, SubmissionStatus.RETURNED)
    pk = s.take(MonitoringSubmission)
    sub_w.add(
        (
            pk, stage, school.id, status,
            None if status == SubmissionStatus.DRAFT else submitted,
            None if status == SubmissionStatus.DRAFT else school.user,
            decided if is_decided else None, curator if is_decided else None,
            "Проверьте численность обучающихся и долю неуспевающих."
            if status == SubmissionStatus.RETURNED
            else "",
            1, decided if is_decided else submitted,
        )
    )  # fmt: skip
    for fid, code, kind in fields:
        if kind == FieldKind.FILE:
            continue
        if status == SubmissionStatus.DRAFT and s.rng.random() < 0.5:
            continue
        number, boolean, text = _answer(s, code, kind, base, stage_no)
        ans_w.add((s.take(MonitoringAnswer), pk, fid, number, boolean, text, ""))
    if status == SubmissionStatus.DRAFT:
        return
    ev_w.add(
        (
            s.take(SubmissionEvent), WorkflowAction.SUBMIT, SubmissionStatus.DRAFT,
            SubmissionStatus.SUBMITTED, school.user, "", submitted, pk,
        )
    )  # fmt: skip
    if is_decided:
        confirmed = status == SubmissionStatus.CONFIRMED
        ev_w.add(
            (
                s.take(SubmissionEvent),
                WorkflowAction.APPROVE if confirmed else WorkflowAction.RETURN,
                SubmissionStatus.SUBMITTED, status, curator,
                "" if confirmed else "Проверьте численность обучающихся.", decided,
                pk,
            )
        )  # fmt: skip


def visits(s: State) -> None:
    """A schedule per municipality and year; two visits per curated school."""
    sched_w = s.writer(
        VisitSchedule,
        [
            "id", "municipality_id", "project_id", "year", "status",
            "approved_by_id", "approved_at", "version",
        ],
    )  # fmt: skip
    visit_w = s.writer(
        CuratorVisit,
        [
            "id", "schedule_id", "curator_id", "school_id", "planned_on", "held_on",
            "purpose", "notes", "version",
        ],
    )  # fmt: skip
    total = sum(len(c) for c in s.cohorts.values())
    s.progress.start("curators' visits", total)
    for year, cohort in s.cohorts.items():
        by_muni: dict[int, list[int]] = {}
        for i in cohort:
            by_muni.setdefault(s.schools[i].municipality, []).append(i)
        last = year == s.last_year
        for m_index, schools in by_muni.items():
            m = s.municipalities[m_index]
            status = s.weighted(
                [
                    (ScheduleStatus.APPROVED, 75 if last else 100),
                    (ScheduleStatus.SUBMITTED, 15 if last else 0),
                    (ScheduleStatus.DRAFT, 10 if last else 0),
                ]
            )
            approved = status == ScheduleStatus.APPROVED
            pk = s.take(VisitSchedule)
            sched_w.add(
                (
                    pk, m.id, s.project_id, year, status,
                    m.coordinator if approved else None,
                    s.moment(date(year, 2, 20)) if approved else None, 1,
                )
            )  # fmt: skip
            for i in schools:
                curator = s.curator_of[(i, year)]
                for window in (((3, 1), (4, 30)), ((10, 1), (11, 30))):
                    planned = s.day(year, *window)
                    held = None
                    if planned <= s.today and s.rng.random() < 0.85:
                        held = min(
                            planned + timedelta(days=s.rng.randint(-2, 5)), s.today
                        )
                    visit_w.add(
                        (
                            s.take(CuratorVisit), pk, curator, s.schools[i].id,
                            planned, held, s.rng.choice(PURPOSES),
                            s.rng.choice(NOTES) if held else "", 1,
                        )
                    )  # fmt: skip
                s.progress.step()
    s.flush()
