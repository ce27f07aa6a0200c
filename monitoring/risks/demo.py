"""Demo data: risk profiles of the Кузоватово schools and activities tied to risks.

МОУ СШ п.ст. Налейка has a verified profile with three chosen factors;
МОУ ОШ с. Волынщина has submitted its profile and awaits the demo curator.
A few activities of the approved Кузоватово municipal roadmap (seed 001) are
tied to risk factors, so the coverage pages show covered and uncovered risks.
Idempotent: an existing profile is left as it is, tags are added once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model

from monitoring.models import (
    ProfileStatus,
    RiskFactor,
    RiskLevel,
    RiskProfile,
    RiskProfileEntry,
)
from roadmaps.models import Activity, Roadmap
from schools.models import Role

YEAR = 2022
L = RiskLevel

# school key -> (status, diagnosed on, {factor code: (level, chosen, note)})
PROFILES = {
    "naleyka": (
        ProfileStatus.VERIFIED,
        date(2022, 2, 15),
        {
            "teacher_competence": (
                L.HIGH,
                True,
                "По итогам анкетирования учителей: дефициты в методике подготовки "
                "к ОГЭ по математике и русскому языку.",
            ),
            "failure_risk_share": (
                L.HIGH,
                True,
                "Доля обучающихся 5–9 классов с отметками «2» по итогам I полугодия "
                "— 14 %.",
            ),
            "low_motivation": (
                L.MEDIUM,
                True,
                "Анкетирование обучающихся 7–9 классов.",
            ),
            "equipment": (L.LOW, False, ""),
            "parent_involvement": (L.MEDIUM, False, ""),
        },
    ),
    "volynshchina": (
        ProfileStatus.SUBMITTED,
        date(2022, 2, 18),
        {
            "staff_shortage": (
                L.HIGH,
                True,
                "Нет учителя физики и информатики, часы ведут совместители.",
            ),
            "parent_involvement": (
                L.MEDIUM,
                True,
                "Родительские собрания посещают менее 40 % родителей.",
            ),
            "teacher_competence": (L.MEDIUM, True, ""),
            "school_environment": (L.LOW, False, ""),
        },
    ),
}

# Activities of the Кузоватово municipal roadmap (by number) -> factor codes.
MUNICIPAL_TAGS = {
    "1.5.": ["teacher_competence"],
    "3.1.": ["teacher_competence", "no_inschool_training"],
    "3.3.": ["teacher_competence"],
    "3.4.": ["low_motivation", "equipment"],
}


def _profile(school, project, spec, factors, users) -> None:
    status, diagnosed_on, entries = spec
    if RiskProfile.objects.filter(school=school, project=project, year=YEAR).exists():
        return
    school_user, curator = users
    profile = RiskProfile(
        school=school,
        project=project,
        year=YEAR,
        status=ProfileStatus.DRAFT,
        diagnosed_on=diagnosed_on,
    )
    profile._history_user = school_user
    profile._change_reason = "saved"
    profile.save()
    for factor in factors.values():
        level, chosen, note = entries.get(factor.code, (L.NONE, False, ""))
        entry = RiskProfileEntry(
            profile=profile, factor=factor, level=level, is_chosen=chosen, note=note
        )
        entry._history_user = school_user
        entry.save()
    profile.status = ProfileStatus.SUBMITTED
    profile.submitted_at = datetime(YEAR, 2, 20, 9, 30, tzinfo=UTC)
    profile.version += 1
    profile._change_reason = "submitted"
    profile.save()
    if status == ProfileStatus.VERIFIED:
        profile.status = ProfileStatus.VERIFIED
        profile.verified_by = curator
        profile.verified_at = datetime(YEAR, 2, 28, 11, 0, tzinfo=UTC)
        profile.decision_comment = (
            "Выбор факторов подтверждён результатами анкетирования."
        )
        profile.version += 1
        profile._history_user = curator
        profile._change_reason = "verified"
        profile.save()


def _tag_municipal_plan(owner, factors) -> None:
    plan = (
        Roadmap.objects.filter(owner=owner, current_edition__isnull=False)
        .order_by("-period_start")
        .first()
    )
    if plan is None:
        return
    activities = {
        a.number: a
        for a in Activity.objects.filter(
            edition=plan.current_edition, number__in=list(MUNICIPAL_TAGS)
        )
    }
    for number, codes in MUNICIPAL_TAGS.items():
        activity = activities.get(number)
        if activity is not None:
            activity.risk_factors.add(*(factors[c] for c in codes if c in factors))


def load(orgs, projects) -> None:
    """Add the demo's risk profiles and risk tags (idempotent: safe to run again)."""
    factors = {f.code: f for f in RiskFactor.objects.filter(is_active=True)}
    if not factors:
        return
    User = get_user_model()
    curator = User.objects.filter(username="curator").first()
    project = projects["500plus"]
    for key, spec in PROFILES.items():
        # Волынщина has no demo user of its own: its history names no author.
        school_user = User.objects.filter(
            memberships__role=Role.SCHOOL, memberships__organisation=orgs[key]
        ).first()
        _profile(orgs[key], project, spec, factors, (school_user, curator))
    _tag_municipal_plan(orgs["kuz_mouo"], factors)
