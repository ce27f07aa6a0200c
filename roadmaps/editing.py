"""Writing a plan in the browser: every change of sections and activities.

Each service locks the edition, checks the user's scope and right, refuses
frozen editions, compares the row's version with the one the user saw (no
lost updates), writes with history (who, when, what) and renumbers.

Refusals: `Refused` (a PermissionDenied) with code "out_of_scope" or
"not_editor"; `ValidationError` with code "frozen", "title_required",
"period_order", "wrong_edition", "not_deleted", "already_restored",
"unknown_factor";
`EditConflict` (code "stale") when the row changed since the user read it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Min
from django.utils.translation import gettext as _

from schools.access import Refused, can

from .derive import PlanContext, apply_derived, save_executors
from .models import (
    Activity,
    Comment,
    Numbering,
    Roadmap,
    RoadmapEdition,
    Section,
)
from .permissions import assigned_to_regional_coordinator, is_plan_editor

ACTIVITY_FIELDS = (
    "title",
    "description",
    "deadline_text",
    "responsible_text",
    "indicator_text",
)
MAX_LENGTHS = {"deadline_text": 300}


class EditConflict(ValidationError):
    """The row changed since the user read it; `current` is what is saved now."""

    def __init__(self, current):
        super().__init__(
            _(
                "Someone else changed this row while you were editing it. Compare "
                "your version with the saved one and choose."
            ),
            code="stale",
        )
        self.current = current


# --- checks --------------------------------------------------------------


def _lock_edition(edition: RoadmapEdition) -> RoadmapEdition:
    return (
        RoadmapEdition.objects.select_for_update(of=("self",))
        .select_related("roadmap", "roadmap__owner")
        .get(pk=edition.pk)
    )


def _frozen() -> ValidationError:
    return ValidationError(
        _("Only drafts and returned plans can be changed."), code="frozen"
    )


def check_editor(by, edition: RoadmapEdition, *, activity: Activity | None = None):
    """Refuse unless `by` may change the edition (or this one activity of it)."""
    if not can(by, "view", edition):
        raise Refused("out_of_scope")
    editor = is_plan_editor(by, edition.roadmap) or (
        activity is not None and assigned_to_regional_coordinator(by, activity)
    )
    if not editor:
        raise Refused("not_editor")
    if not edition.is_editable:
        raise _frozen()


def _check_version(obj, version) -> None:
    if version is not None and int(version) != obj.version:
        raise EditConflict(obj)


def clean_activity_data(data: dict[str, Any]) -> dict[str, str]:
    """Strip the cells and refuse an empty title; field errors in Russian."""
    cleaned = {f: (data.get(f) or "").strip() for f in ACTIVITY_FIELDS}
    errors = {}
    if not cleaned["title"]:
        errors["title"] = ValidationError(
            _("Name the activity: the title cannot be empty."), code="title_required"
        )
    for field, limit in MAX_LENGTHS.items():
        if len(cleaned[field]) > limit:
            errors[field] = ValidationError(
                _("At most %(limit)s characters."),
                code="too_long",
                params={"limit": limit},
            )
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_risk_factor_ids(data: dict[str, Any]) -> list[int] | None:
    """The active risk factors an activity is tied to; None leaves them as they are."""
    if "risk_factors" not in data:
        return None
    from monitoring.models import RiskFactor

    ids = {int(i) for i in data["risk_factors"] or ()}
    found = set(
        RiskFactor.objects.filter(pk__in=ids, is_active=True).values_list(
            "pk", flat=True
        )
    )
    if ids - found:
        raise ValidationError(
            {
                "risk_factors": ValidationError(
                    _("Choose risk factors from the list."), code="unknown_factor"
                )
            }
        )
    return sorted(ids)


def _tie_risk_factors(activity: Activity, ids: list[int] | None) -> None:
    """Tie the activity to the chosen factors; factors no longer in use stay."""
    if ids is None:
        return
    current = {f.pk: f.is_active for f in activity.risk_factors.all()}
    kept = {pk for pk, active in current.items() if not active}
    wanted = set(ids) | kept
    if wanted != set(current):
        activity.risk_factors.set(wanted)


def _with_user(obj, by):
    obj._history_user = by
    return obj


# --- numbering -----------------------------------------------------------


def _number(style: str, section_index: int | None, index: int) -> str:
    if style == Numbering.NONE:
        return ""
    if style == Numbering.FLAT_PLAIN:
        return str(index)
    if style == Numbering.SECTIONS and section_index is not None:
        return f"{section_index}.{index}."
    return f"{index}."


def edition_renumber(edition: RoadmapEdition) -> None:
    """Positions 1..n in display order, numbers after the edition's style."""
    style = edition.numbering
    sections = list(edition.sections.order_by("position", "pk"))
    activities = list(edition.activities.order_by("position", "pk"))
    by_section: dict[int | None, list[Activity]] = {}
    for a in activities:
        by_section.setdefault(a.section_id, []).append(a)
    changed_sections, changed_activities = [], []
    position = 0
    flat_index = 0
    groups = [(None, by_section.get(None, []))] + [
        (s, by_section.get(s.pk, [])) for s in sections
    ]
    for s_index, (section, group) in enumerate(groups):
        if section is not None:
            number = f"{s_index}." if style == Numbering.SECTIONS else ""
            if (section.position, section.number) != (s_index, number):
                section.position, section.number = s_index, number
                changed_sections.append(section)
        for i, a in enumerate(group, start=1):
            position += 1
            flat_index += 1
            index = i if style == Numbering.SECTIONS and section else flat_index
            number = _number(style, s_index if section else None, index)
            if (a.position, a.number) != (position, number):
                a.position, a.number = position, number
                changed_activities.append(a)
    # Numbers are derived: no history rows and no version bump for them.
    Section.objects.bulk_update(changed_sections, ["position", "number"])
    Activity.objects.bulk_update(changed_activities, ["position", "number"])


# --- activities ----------------------------------------------------------


def _end_position(edition: RoadmapEdition) -> int:
    top = edition.activities.aggregate(m=Max("position"))["m"]
    return (top or 0) + 1


def _section_of(edition: RoadmapEdition, section) -> Section | None:
    if section in (None, ""):
        return None
    section_id = section.pk if isinstance(section, Section) else int(section)
    found = Section.objects.filter(edition=edition, pk=section_id).first()
    if found is None:
        raise ValidationError(
            _("The section belongs to another plan."), code="wrong_edition"
        )
    return found


@transaction.atomic
def activity_add(
    *,
    by,
    edition: RoadmapEdition,
    data: dict[str, Any],
    section: Section | int | None = None,
    after: Activity | None = None,
) -> Activity:
    """Add an activity at the end of its section (or right after `after`)."""
    edition = _lock_edition(edition)
    check_editor(by, edition)
    cleaned = clean_activity_data(data)
    factor_ids = clean_risk_factor_ids(data)
    target = _section_of(edition, section)
    if after is not None:
        position = after.position + 1
        edition.activities.filter(position__gte=position).update(
            position=F("position") + 1
        )
        target = after.section
    else:
        position = _end_position(edition)
    activity = Activity(edition=edition, section=target, position=position, **cleaned)
    ctx = PlanContext.for_edition(edition)
    apply_derived(activity, ctx)
    _with_user(activity, by).save()
    save_executors([activity], ctx)
    if factor_ids:
        activity.risk_factors.set(factor_ids)
    edition_renumber(edition)
    activity.refresh_from_db()
    return activity


@transaction.atomic
def activity_update(
    *, by, activity: Activity, data: dict[str, Any], version: int | None
) -> Activity:
    """Change an activity's cells (and its section), refusing a stale version."""
    edition = _lock_edition(activity.edition)
    current = Activity.objects.select_for_update().get(pk=activity.pk, edition=edition)
    current.edition = edition
    check_editor(by, edition, activity=current)
    _check_version(current, version)
    cleaned = clean_activity_data(data)
    factor_ids = clean_risk_factor_ids(data)
    moved = False
    if "section" in data:
        target = _section_of(edition, data["section"])
        if (target.pk if target else None) != current.section_id:
            if not is_plan_editor(by, edition.roadmap):
                raise Refused("not_editor")
            current.section = target
            current.position = _end_position(edition)
            moved = True
    responsible_changed = cleaned["responsible_text"] != current.responsible_text
    for field, value in cleaned.items():
        setattr(current, field, value)
    ctx = PlanContext.for_edition(edition)
    apply_derived(current, ctx)
    current.version += 1
    _with_user(current, by).save()
    if responsible_changed:
        save_executors([current], ctx)
    _tie_risk_factors(current, factor_ids)
    if moved:
        edition_renumber(edition)
        current.refresh_from_db()
    return current


@transaction.atomic
def activity_delete(*, by, activity: Activity, version: int | None) -> None:
    """Delete an activity (it stays restorable from the history)."""
    edition = _lock_edition(activity.edition)
    current = Activity.objects.select_for_update().get(pk=activity.pk, edition=edition)
    current.edition = edition
    check_editor(by, edition)
    _check_version(current, version)
    _with_user(current, by).delete()
    edition_renumber(edition)


@transaction.atomic
def activity_duplicate(*, by, activity: Activity) -> Activity:
    """Insert a copy right after the activity (with its risk factors)."""
    original = Activity.objects.get(pk=activity.pk)
    copy = activity_add(
        by=by,
        edition=original.edition,
        data={f: getattr(original, f) for f in ACTIVITY_FIELDS},
        after=original,
    )
    factors = list(original.risk_factors.all())
    if factors:
        copy.risk_factors.set(factors)
    return copy


def _neighbour(edition, section_id, position, direction):
    same = edition.activities.filter(section_id=section_id)
    if direction == "up":
        return same.filter(position__lt=position).order_by("-position").first()
    return same.filter(position__gt=position).order_by("position").first()


def _adjacent_section(edition, section, direction):
    sections = list(edition.sections.order_by("position"))
    if section is None:
        return sections[0] if direction == "down" and sections else None
    index = [s.pk for s in sections].index(section.pk)
    if direction == "up":
        return sections[index - 1] if index > 0 else None
    return sections[index + 1] if index + 1 < len(sections) else None


@transaction.atomic
def activity_move(
    *,
    by,
    activity: Activity,
    direction: str | None = None,
    section: Section | int | str | None = "keep",
) -> Activity:
    """Move up/down (across section borders) or to the end of another section."""
    edition = _lock_edition(activity.edition)
    current = Activity.objects.select_for_update().get(pk=activity.pk, edition=edition)
    current.edition = edition
    check_editor(by, edition)
    if section != "keep":
        current.section = _section_of(edition, section)
        current.position = _end_position(edition)
        current.version += 1
        _with_user(current, by).save()
    elif direction in ("up", "down"):
        other = _neighbour(edition, current.section_id, current.position, direction)
        if other is not None:
            current.position, other.position = other.position, current.position
            # The move is the user's act (in the audit log); the neighbour's
            # shift follows from it.
            _with_user(current, by).save(update_fields=["position"])
            Activity.objects.bulk_update([other], ["position"])
        else:
            # At a section's edge the activity crosses into the next section.
            target = _adjacent_section(edition, current.section, direction)
            if target is not None:
                edge = edition.activities.filter(section=target).aggregate(
                    lo=Min("position"), hi=Max("position")
                )
                current.section = target
                # Positions are 1..n after every renumbering, so lo - 1 >= 0.
                current.position = (
                    (edge["hi"] or 0) + 1
                    if direction == "up"
                    else max((edge["lo"] or 1) - 1, 0)
                )
                current.version += 1
                _with_user(current, by).save()
    else:
        raise ValidationError(_("Say where to move the activity."), code="no_target")
    edition_renumber(edition)
    current.refresh_from_db()
    return current


# --- sections ------------------------------------------------------------


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError(
            {"title": ValidationError(_("Name the section."), code="title_required")}
        )
    return title


@transaction.atomic
def section_add(*, by, edition: RoadmapEdition, title: str) -> Section:
    """Add a section at the end of the plan."""
    edition = _lock_edition(edition)
    check_editor(by, edition)
    top = edition.sections.aggregate(m=Max("position"))["m"] or 0
    section = Section(edition=edition, position=top + 1, title=_clean_title(title))
    _with_user(section, by).save()
    edition_renumber(edition)
    section.refresh_from_db()
    return section


@transaction.atomic
def section_update(*, by, section: Section, title: str, version: int | None) -> Section:
    """Rename a section, refusing a stale version."""
    edition = _lock_edition(section.edition)
    current = Section.objects.select_for_update().get(pk=section.pk, edition=edition)
    check_editor(by, edition)
    _check_version(current, version)
    current.title = _clean_title(title)
    current.version += 1
    _with_user(current, by).save()
    return current


@transaction.atomic
def section_delete(
    *, by, section: Section, version: int | None, with_activities: bool = False
) -> None:
    """Delete a section; its activities go with it or join the section above."""
    edition = _lock_edition(section.edition)
    current = Section.objects.select_for_update().get(pk=section.pk, edition=edition)
    check_editor(by, edition)
    _check_version(current, version)
    members = list(current.activities.all())
    if with_activities:
        for a in members:
            _with_user(a, by).delete()
    else:
        above = (
            edition.sections.filter(position__lt=current.position)
            .order_by("-position")
            .first()
        )
        for a in members:
            a.section = above
            a.version += 1
            _with_user(a, by).save()
    _with_user(current, by).delete()
    edition_renumber(edition)


@transaction.atomic
def section_move(*, by, section: Section, direction: str) -> Section:
    """Swap a section with its neighbour above or below."""
    edition = _lock_edition(section.edition)
    current = Section.objects.select_for_update().get(pk=section.pk, edition=edition)
    check_editor(by, edition)
    sections = edition.sections.order_by("position")
    other = (
        sections.filter(position__lt=current.position).last()
        if direction == "up"
        else sections.filter(position__gt=current.position).first()
    )
    if other is not None:
        current.position, other.position = other.position, current.position
        _with_user(current, by).save(update_fields=["position"])
        Section.objects.bulk_update([other], ["position"])
        edition_renumber(edition)
    current.refresh_from_db()
    return current


# --- the plan as a whole -------------------------------------------------


def plan_header_errors(title, period_start, period_end) -> dict:
    """Field errors of a plan's title and period (for a new plan or settings)."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = ValidationError(
            _("Name the plan: the title cannot be empty."), code="title_required"
        )
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = ValidationError(
            _("The period cannot end before it starts."), code="period_order"
        )
    return errors


OPTIONAL_COLUMNS = ("description", "indicator")
DEFAULT_HEADERS = {
    "number": "№",
    "title": "Мероприятие",
    "description": "Описание",
    "deadline": "Срок",
    "responsible": "Ответственные",
    "indicator": "Показатель реализации",
}
COLUMN_ORDER = (
    "number",
    "title",
    "description",
    "deadline",
    "responsible",
    "indicator",
)


def build_columns(
    *, numbering: str, optional: set[str], headers: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """The plan's columns in the usual order, with its own header names."""
    headers = headers or {}
    keys = [
        k
        for k in COLUMN_ORDER
        if (k not in OPTIONAL_COLUMNS or k in optional)
        and (k != "number" or numbering != Numbering.NONE)
    ]
    return [
        {"key": k, "header": (headers.get(k) or "").strip() or DEFAULT_HEADERS[k]}
        for k in keys
    ]


@transaction.atomic
def edition_update_settings(
    *,
    by,
    edition: RoadmapEdition,
    title: str,
    period_start,
    period_end,
    numbering: str,
    optional_columns: set[str],
    headers: dict[str, str],
    version: int | None,
) -> RoadmapEdition:
    """Change the plan's title, period, columns and numbering."""
    edition = _lock_edition(edition)
    check_editor(by, edition)
    _check_version(edition, version)
    errors = plan_header_errors(title, period_start, period_end)
    if numbering not in Numbering.values:
        errors["numbering"] = ValidationError(_("Unknown numbering."), code="invalid")
    if errors:
        raise ValidationError(errors)
    roadmap = Roadmap.objects.select_for_update().get(pk=edition.roadmap_id)
    period_changed = (roadmap.period_start, roadmap.period_end) != (
        period_start,
        period_end,
    )
    roadmap.title = title.strip()
    roadmap.period_start, roadmap.period_end = period_start, period_end
    from .imports import search_text_for

    roadmap.search_text = search_text_for(roadmap)
    _with_user(roadmap, by).save()
    edition.roadmap = roadmap
    edition.columns = build_columns(
        numbering=numbering, optional=set(optional_columns), headers=headers
    )
    renumber = edition.numbering != numbering
    edition.numbering = numbering
    edition.version += 1
    _with_user(edition, by).save()
    if period_changed:
        ctx = PlanContext.for_edition(edition)
        activities = list(edition.activities.all())
        for a in activities:
            apply_derived(a, ctx)
        Activity.objects.bulk_update(
            activities, ["deadline_ranges", "deadline_start", "deadline_end"]
        )
    if renumber:
        edition_renumber(edition)
    return edition


BULK_ACTIONS = ("delete", "move", "deadline", "responsible")


@transaction.atomic
def activities_bulk(
    *, by, edition: RoadmapEdition, ids: list[int], action: str, value: str = ""
) -> int:
    """Apply one action to the selected activities; returns how many changed."""
    edition = _lock_edition(edition)
    check_editor(by, edition)
    if action not in BULK_ACTIONS:
        raise ValidationError(_("Choose an action."), code="no_action")
    selected = list(
        edition.activities.select_for_update().filter(pk__in=ids).order_by("position")
    )
    if not selected:
        raise ValidationError(
            _("Select at least one activity."), code="empty_selection"
        )
    ctx = PlanContext.for_edition(edition)
    if action == "delete":
        for a in selected:
            _with_user(a, by).delete()
    elif action == "move":
        target = _section_of(edition, value)
        position = _end_position(edition)
        for offset, a in enumerate(selected):
            a.section, a.position = target, position + offset
            a.version += 1
            _with_user(a, by).save()
    else:
        field = "deadline_text" if action == "deadline" else "responsible_text"
        value = (value or "").strip()
        if field == "deadline_text" and len(value) > MAX_LENGTHS["deadline_text"]:
            raise ValidationError(_("The deadline is too long."), code="too_long")
        for a in selected:
            setattr(a, field, value)
            apply_derived(a, ctx)
            a.version += 1
            _with_user(a, by).save()
        if field == "responsible_text":
            save_executors(selected, ctx)
    edition_renumber(edition)
    return len(selected)


@transaction.atomic
def activity_restore(*, by, edition: RoadmapEdition, history_id: int) -> Activity:
    """Bring back a deleted activity from its last history record."""
    edition = _lock_edition(edition)
    check_editor(by, edition)
    record = (
        Activity.history.filter(history_id=history_id, edition_id=edition.pk)
        .order_by("-history_date")
        .first()
    )
    if record is None or record.history_type != "-":
        raise ValidationError(_("This record is not a deletion."), code="not_deleted")
    if Activity.objects.filter(pk=record.id).exists():
        raise ValidationError(
            _("The activity has been restored already."), code="already_restored"
        )
    activity = record.instance
    if (
        activity.section_id
        and not Section.objects.filter(pk=activity.section_id, edition=edition).exists()
    ):
        activity.section = None
    if Activity.objects.filter(edition=edition, lineage=activity.lineage).exists():
        activity.lineage = uuid.uuid4()
    activity.position = _end_position(edition)
    activity.version += 1
    _with_user(activity, by).save(force_insert=True)
    save_executors([activity], PlanContext.for_edition(edition))
    edition_renumber(edition)
    activity.refresh_from_db()
    return activity


@transaction.atomic
def comment_add(
    *, by, edition: RoadmapEdition, text: str, activity: Activity | None = None
) -> Comment:
    """Leave a remark on a plan or one of its activities."""
    if not can(by, "view", edition):
        raise Refused("out_of_scope")
    if not can(by, "comment", edition):
        raise Refused("not_commenter")
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            {"text": ValidationError(_("Write the comment."), code="required")}
        )
    if activity is not None and activity.edition_id != edition.pk:
        raise ValidationError(
            _("The activity belongs to another plan."), code="wrong_edition"
        )
    return Comment.objects.create(
        edition=edition, activity=activity, author=by, text=text
    )
