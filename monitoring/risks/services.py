"""Every change of a risk profile: filling, submitting, verifying, returning.

Each service locks the profile row, checks the actor's scope and right,
compares the version the user saw (no lost updates), writes with history
(who, when, which move: `history_change_reason`) and notifies, once the
transaction commits, whom the move concerns.

Refusals: `Refused` with code "out_of_scope" or "not_actor"; `ValidationError`
with code "not_editable", "wrong_status", "stale", "chosen_without_level",
"unknown_factor", "future_date", "diagnosed_on_required", "nothing_chosen",
"comment_required".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import (
    ProfileStatus,
    RiskFactor,
    RiskLevel,
    RiskProfile,
    RiskProfileEntry,
)
from monitoring.progress import today
from roadmaps.notifications import deliver
from schools.access import Refused
from schools.models import CuratorAssignment, Organisation, Project, Role

from .rules import EDITABLE, MOVES, SCHOOL, actor_kinds, school_in_scope

# The methodology: a school usually works on up to three factors.
USUAL_CHOSEN = 3


@dataclass(frozen=True)
class EntryInput:
    level: str
    is_chosen: bool
    note: str = ""


def chosen_warning(count: int) -> str:
    """A warning (not a refusal) when more factors are chosen than usual."""
    if count <= USUAL_CHOSEN:
        return ""
    return _(
        "%(count)s factors are chosen for work. The methodology usually takes "
        "up to three: check that the school can run an anti-risk programme for "
        "each of them."
    ) % {"count": count}


def profile_url(profile: RiskProfile) -> str:
    url = reverse("monitoring:risk-profile", args=[profile.school_id])
    return f"{url}?year={profile.year}"


def _stale() -> ValidationError:
    return ValidationError(
        _(
            "Someone else changed this risk profile while you were working on it. "
            "Reload the page to see the saved version, then make your change again."
        ),
        code="stale",
    )


def _check_version(profile: RiskProfile, version: int | None) -> None:
    if version is not None and int(version) != profile.version:
        raise _stale()


def _save(profile: RiskProfile, by, reason: str, fields=None) -> None:
    profile._history_user = by
    profile._change_reason = reason
    profile.save(update_fields=fields)


@transaction.atomic
def risk_profile_save(
    *,
    by,
    school: Organisation,
    project: Project,
    year: int,
    diagnosed_on: date | None,
    entries: dict[int, EntryInput],
    version: int | None,
) -> RiskProfile:
    """The school records (or corrects) its self-diagnostics as a draft.

    `entries` maps a risk factor's id to its level, choice and note;
    `version` is the one the user saw, 0 for a profile not created yet.
    """
    if not school_in_scope(by, school):
        raise Refused("out_of_scope")
    profile = (
        RiskProfile.objects.select_for_update(of=("self",))
        .filter(school=school, project=project, year=year)
        .first()
    )
    created = profile is None
    if created:
        profile = RiskProfile(school=school, project=project, year=year, version=0)
    profile.school = school
    if SCHOOL not in actor_kinds(by, profile):
        raise Refused("not_actor")
    if profile.status not in EDITABLE:
        raise ValidationError(
            _(
                "The profile is «%(status)s»: it changes only after the curator "
                "returns it for revision."
            ),
            code="not_editable",
            params={"status": ProfileStatus(profile.status).label},
        )
    _check_version(profile, version)
    factors = {f.pk: f for f in RiskFactor.objects.filter(pk__in=list(entries))}
    errors = {}
    for factor_id, value in entries.items():
        factor = factors.get(factor_id)
        key = f"level_{factor_id}"
        if factor is None or (not factor.is_active):
            errors[key] = ValidationError(
                _("This risk factor is not in use."), code="unknown_factor"
            )
        elif value.level not in RiskLevel.values:
            errors[key] = ValidationError(_("Choose the level."), code="invalid")
        elif value.is_chosen and value.level == RiskLevel.NONE:
            errors[key] = ValidationError(
                _(
                    "«%(factor)s» is chosen for work, so its level cannot be "
                    "«not a risk»: set the level found by the self-diagnostics."
                ),
                code="chosen_without_level",
                params={"factor": factor.name},
            )
    if diagnosed_on is not None and diagnosed_on > today():
        errors["diagnosed_on"] = ValidationError(
            _("The self-diagnostics cannot be held in the future."),
            code="future_date",
        )
    if errors:
        raise ValidationError(errors)
    profile.diagnosed_on = diagnosed_on
    profile.version += 1
    if created:
        try:
            with transaction.atomic():
                _save(profile, by, "saved")
        except IntegrityError as exc:
            # Another user created the profile meanwhile.
            raise _stale() from exc
    else:
        _save(profile, by, "saved")
    existing = {e.factor_id: e for e in profile.entries.all()}
    for factor_id, value in entries.items():
        entry = existing.get(factor_id)
        note = (value.note or "").strip()
        if entry is None:
            entry = RiskProfileEntry(profile=profile, factor_id=factor_id)
        elif (entry.level, entry.is_chosen, entry.note) == (
            value.level,
            value.is_chosen,
            note,
        ):
            continue
        entry.level, entry.is_chosen, entry.note = value.level, value.is_chosen, note
        entry._history_user = by
        entry.save()
    return profile


def _lock(profile: RiskProfile) -> RiskProfile:
    return (
        RiskProfile.objects.select_for_update(of=("self",))
        .select_related("school")
        .get(pk=profile.pk)
    )


def _check_move(by, profile: RiskProfile, action: str) -> str:
    if not school_in_scope(by, profile.school):
        raise Refused("out_of_scope")
    actor, sources, target = MOVES[action]
    if actor not in actor_kinds(by, profile):
        raise Refused("not_actor")
    if profile.status not in sources:
        raise ValidationError(
            _("The profile is «%(status)s» now: this step is not possible any more."),
            code="wrong_status",
            params={"status": ProfileStatus(profile.status).label},
        )
    return target


def _school_users(profile: RiskProfile):
    return get_user_model().objects.filter(
        memberships__role=Role.SCHOOL,
        memberships__organisation_id=profile.school_id,
        is_active=True,
    )


def _curators(profile: RiskProfile):
    return get_user_model().objects.filter(
        pk__in=CuratorAssignment.objects.filter(
            school_id=profile.school_id,
            project_id=profile.project_id,
            year=profile.year,
        ).values("curator"),
        is_active=True,
    )


def _notify(profile: RiskProfile, recipients, text: str, by) -> None:
    url = profile_url(profile)

    def send():
        deliver(recipients.exclude(pk=by.pk).distinct(), text, url)

    transaction.on_commit(send)


def _names(profile: RiskProfile, by) -> dict[str, str]:
    return {
        "school": profile.school.display_name,
        "year": profile.year,
        "actor": by.get_full_name() or by.username,
    }


@transaction.atomic
def risk_profile_submit(
    *, by, profile: RiskProfile, version: int | None = None
) -> RiskProfile:
    """The school sends its profile to its curator for verification."""
    profile = _lock(profile)
    target = _check_move(by, profile, "submit")
    _check_version(profile, version)
    errors = {}
    if profile.diagnosed_on is None:
        errors["diagnosed_on"] = ValidationError(
            _("Give the date the self-diagnostics was held."),
            code="diagnosed_on_required",
        )
    chosen = profile.entries.filter(is_chosen=True)
    if not chosen.exists():
        errors["__all__"] = ValidationError(
            _("Choose at least one risk factor the school will work on."),
            code="nothing_chosen",
        )
    elif chosen.filter(level=RiskLevel.NONE).exists():
        errors["__all__"] = ValidationError(
            _("A chosen factor must have a level other than «not a risk»."),
            code="chosen_without_level",
        )
    if errors:
        raise ValidationError(errors)
    profile.status = target
    profile.submitted_at = timezone.now()
    profile.decision_comment = ""
    profile.version += 1
    _save(profile, by, "submitted")
    _notify(
        profile,
        _curators(profile),
        _(
            "The risk profile of %(school)s for %(year)s was submitted for "
            "verification by %(actor)s."
        )
        % _names(profile, by),
        by,
    )
    return profile


@transaction.atomic
def risk_profile_verify(
    *, by, profile: RiskProfile, version: int | None = None, comment: str = ""
) -> RiskProfile:
    """The curator confirms the school's choice of risk factors."""
    profile = _lock(profile)
    target = _check_move(by, profile, "verify")
    _check_version(profile, version)
    profile.status = target
    profile.verified_by = by
    profile.verified_at = timezone.now()
    profile.decision_comment = (comment or "").strip()
    profile.version += 1
    _save(profile, by, "verified")
    _notify(
        profile,
        _school_users(profile),
        _(
            "The risk profile of %(school)s for %(year)s was verified by the "
            "curator %(actor)s."
        )
        % _names(profile, by),
        by,
    )
    return profile


@transaction.atomic
def risk_profile_return(
    *, by, profile: RiskProfile, comment: str, version: int | None = None
) -> RiskProfile:
    """The curator sends the profile back; the comment says what to correct."""
    profile = _lock(profile)
    target = _check_move(by, profile, "return")
    _check_version(profile, version)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {
                "comment": ValidationError(
                    _("Say what is to be corrected: a return needs a comment."),
                    code="comment_required",
                )
            }
        )
    profile.status = target
    profile.verified_by = None
    profile.verified_at = None
    profile.decision_comment = comment
    profile.version += 1
    _save(profile, by, "returned")
    _notify(
        profile,
        _school_users(profile),
        _(
            "The risk profile of %(school)s for %(year)s was returned for revision "
            "by %(actor)s: %(comment)s"
        )
        % {**_names(profile, by), "comment": comment},
        by,
    )
    return profile
