"""Every change to monitoring stages, their forms and the schools' answers.

Each service checks the actor's right itself (`schools.access.Refused`),
validates (`ValidationError` with a code), locks what it changes and keeps
the optimistic `version` of the stage or the form: a page posted from a
stale copy is refused, never silently applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from monitoring.models import (
    FieldKind,
    MonitoringAnswer,
    MonitoringField,
    MonitoringStage,
    MonitoringStageType,
    MonitoringSubmission,
    SubmissionEvent,
    SubmissionStatus,
)
from monitoring.progress import today
from roadmaps.models import WorkflowAction
from roadmaps.notifications import deliver
from roadmaps.workflow import check_document_file
from schools.access import Refused, can, scope_for
from schools.models import CuratorAssignment, Organisation, Project, Region, Role

from .presets import preset_for
from .rules import may_manage_region

Status = SubmissionStatus
NUMERIC = (FieldKind.NUMBER, FieldKind.PERCENT)
TEXT_MAX = 5000
NUMBER_LIMIT = Decimal("1e12")


def fmt_number(value: Decimal | None) -> str:
    """12.50 -> «12,5», 100.00 -> «100» (as Russian forms write numbers)."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def limits_text(field: MonitoringField) -> str:
    """«0 – 100», «от 0», «до 10» style limits of a numeric indicator."""
    if field.kind not in NUMERIC:
        return ""
    low, high = field.min_value, field.max_value
    if low is None and high is None:
        return ""
    return f"{fmt_number(low) if low is not None else '…'} – " + (
        fmt_number(high) if high is not None else "…"
    )


def _stale(what: str = "stage") -> ValidationError:
    if what == "stage":
        text = _(
            "Someone else has changed this stage meanwhile. Reload the page to see "
            "the current version and make your change again."
        )
    else:
        text = _(
            "This form was changed meanwhile (in another window or by a colleague). "
            "Reload the page: your input was not saved."
        )
    return ValidationError(text, code="stale")


# --- stages -------------------------------------------------------------------


def _lock_managed(by, stage: MonitoringStage, version: int | None) -> MonitoringStage:
    """Lock the stage, refuse a stale copy and anyone who may not manage it."""
    stage = MonitoringStage.objects.select_for_update().get(pk=stage.pk)
    if version is not None and int(version) != stage.version:
        raise _stale()
    if not can(by, "manage", stage):
        raise Refused("not_manager")
    return stage


def _hold_stage(stage_pk: int) -> None:
    """Keep the stage's set-up from changing while a school writes answers.

    A shared row lock: any number of schools save at once, while a manager's
    `_lock_managed` (FOR UPDATE) waits for them, so an indicator is never
    deleted under an answer being written (which would fail at commit, when
    PostgreSQL checks the deferred foreign key). SQLite serialises writers.
    """
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(MonitoringStage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR SHARE", [stage_pk])  # noqa: S608 (a model's table name)


def _bump(stage: MonitoringStage, by, fields=()) -> None:
    stage.version += 1
    stage._history_user = by
    stage.save(update_fields=["version", *fields])


def _check_dates(opens_on: date | None, closes_on: date | None) -> dict:
    errors = {}
    if opens_on is None:
        errors["opens_on"] = ValidationError(_("Enter the opening date."), "required")
    if closes_on is None:
        errors["closes_on"] = ValidationError(_("Enter the closing date."), "required")
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = ValidationError(
            _("The stage cannot close before it opens."), code="dates_order"
        )
    return errors


def _stage_exists(year: int) -> ValidationError:
    return ValidationError(
        _("This region already has this stage for %(year)s."),
        code="stage_exists",
        params={"year": year},
    )


@transaction.atomic
def stage_create(
    *,
    by,
    region: Region,
    project: Project,
    year: int,
    stage_type: MonitoringStageType,
    title: str,
    opens_on: date,
    closes_on: date,
    instructions: str = "",
    copy_from: MonitoringStage | None = None,
    use_preset: bool = True,
) -> MonitoringStage:
    """Create one stage of the year's monitoring, its form from the ready-made
    set of its kind or copied from another stage."""
    if not may_manage_region(by, region.pk):
        raise Refused("not_manager")
    errors = _check_dates(opens_on, closes_on)
    title = (title or "").strip() or stage_type.name
    if project.first_year and year < project.first_year:
        errors["year"] = ValidationError(
            _("The project starts in %(year)s."),
            code="year",
            params={"year": project.first_year},
        )
    duplicate = MonitoringStage.objects.filter(
        region=region, project=project, year=year, stage_type=stage_type
    ).exists()
    if duplicate:
        errors["stage_type"] = _stage_exists(year)
    if copy_from is not None and not can(by, "view", copy_from):
        raise Refused("out_of_scope")
    if errors:
        raise ValidationError(errors)
    stage = MonitoringStage(
        region=region,
        project=project,
        year=year,
        stage_type=stage_type,
        title=title.strip(),
        instructions=(instructions or "").strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
    )
    stage._history_user = by
    try:
        with transaction.atomic():
            stage.save()
    except IntegrityError as exc:  # created meanwhile by a colleague
        raise ValidationError({"stage_type": _stage_exists(year)}) from exc
    if copy_from is not None:
        _add_fields(stage, _fields_of(copy_from))
    elif use_preset:
        _add_fields(stage, preset_for(stage_type.code))
    return stage


@transaction.atomic
def stage_update(
    *,
    by,
    stage: MonitoringStage,
    version: int,
    title: str,
    opens_on: date,
    closes_on: date,
    instructions: str = "",
) -> MonitoringStage:
    """Change a stage's title, dates and instructions."""
    stage = _lock_managed(by, stage, version)
    errors = _check_dates(opens_on, closes_on)
    if not (title or "").strip():
        errors["title"] = ValidationError(_("Name the stage."), code="required")
    if errors:
        raise ValidationError(errors)
    stage.title = title.strip()
    stage.opens_on = opens_on
    stage.closes_on = closes_on
    stage.instructions = (instructions or "").strip()
    _bump(stage, by, ["title", "opens_on", "closes_on", "instructions"])
    return stage


@transaction.atomic
def stage_publish(
    *, by, stage: MonitoringStage, version: int, publish: bool = True
) -> MonitoringStage:
    """Open the stage to the schools, or withdraw it while nobody has filled it."""
    stage = _lock_managed(by, stage, version)
    if publish and not stage.fields.exists():
        raise ValidationError(
            _("Add at least one indicator before publishing the stage."),
            code="empty_form",
        )
    if not publish and stage.submissions.exists():
        raise ValidationError(
            _("Schools have already started filling the form: it cannot be withdrawn."),
            code="has_submissions",
        )
    stage.is_published = publish
    _bump(stage, by, ["is_published"])
    return stage


def _fields_of(stage: MonitoringStage) -> list[dict]:
    return list(
        stage.fields.order_by("position", "pk").values(
            "code", "label", "kind", "required", "min_value", "max_value", "help_text"
        )
    )


def _last_position(stage: MonitoringStage) -> int:
    return stage.fields.aggregate(m=Max("position"))["m"] or 0


def _add_fields(stage: MonitoringStage, items: list[dict]) -> int:
    existing = set(stage.fields.values_list("code", flat=True))
    top = _last_position(stage)
    new = []
    for item in items:
        if item["code"] in existing:
            continue
        existing.add(item["code"])
        top += 10
        kind = item["kind"]
        low, high = item.get("min_value"), item.get("max_value")
        if kind == FieldKind.PERCENT and low is None and high is None:
            low, high = 0, 100
        new.append(
            MonitoringField(
                stage=stage,
                position=top,
                code=item["code"],
                label=item["label"],
                kind=kind,
                required=item.get("required", False),
                min_value=low,
                max_value=high,
                help_text=item.get("help_text", ""),
            )
        )
    MonitoringField.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def stage_fill_form(
    *, by, stage: MonitoringStage, version: int, source: MonitoringStage | None = None
) -> int:
    """Add the ready-made indicators of the stage's kind, or those of another
    stage; indicators whose code the form already has are skipped."""
    stage = _lock_managed(by, stage, version)
    if source is not None:
        if not can(by, "view", source):
            raise Refused("out_of_scope")
        if source.pk == stage.pk:
            raise ValidationError(
                _("Choose another stage to copy from."), code="same_stage"
            )
        items = _fields_of(source)
    else:
        items = preset_for(stage.stage_type.code)
    added = _add_fields(stage, items)
    _bump(stage, by)
    return added


# --- the form builder ---------------------------------------------------------


@dataclass
class FieldData:
    label: str
    kind: str
    code: str = ""
    required: bool = False
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    help_text: str = ""


def _clean_field(stage, data: FieldData, field: MonitoringField | None) -> FieldData:
    errors = {}
    label = " ".join((data.label or "").split())
    if not label:
        errors["label"] = ValidationError(_("Name the indicator."), code="required")
    if data.kind not in FieldKind.values:
        errors["kind"] = ValidationError(_("Choose the kind of value."), "required")
    code = slugify(data.code or "").replace("-", "_")
    if not code:
        code = _free_code(stage, label)
    clash = stage.fields.filter(code=code)
    if field is not None:
        clash = clash.exclude(pk=field.pk)
    if clash.exists():
        errors["code"] = ValidationError(
            _("The form already has an indicator with the code «%(code)s»."),
            code="code_taken",
            params={"code": code},
        )
    low, high = data.min_value, data.max_value
    if data.kind == FieldKind.PERCENT:
        low = Decimal(0) if low is None else low
        high = Decimal(100) if high is None else high
        if low < 0 or high > 100:
            errors["max_value"] = ValidationError(
                _("A percentage lies between 0 and 100."), code="percent_limits"
            )
    elif data.kind not in NUMERIC:
        low = high = None
    if low is not None and high is not None and high < low:
        errors["max_value"] = ValidationError(
            _("The maximum is less than the minimum."), code="limits_order"
        )
    if field is not None and data.kind != field.kind and field.answers.exists():
        errors["kind"] = ValidationError(
            _("Schools have already answered this indicator: its kind cannot change."),
            code="has_answers",
        )
    if errors:
        raise ValidationError(errors)
    return FieldData(
        label=label[:500],
        kind=data.kind,
        code=code[:60],
        required=bool(data.required),
        min_value=low,
        max_value=high,
        help_text=(data.help_text or "").strip()[:500],
    )


def _free_code(stage, label: str) -> str:
    base = slugify(label, allow_unicode=False).replace("-", "_")[:40] or "indicator"
    taken = set(stage.fields.values_list("code", flat=True))
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}_{n}"
    return code


@transaction.atomic
def field_add(
    *, by, stage: MonitoringStage, version: int, data: FieldData
) -> MonitoringField:
    """Add an indicator at the end of the stage's form."""
    stage = _lock_managed(by, stage, version)
    clean = _clean_field(stage, data, None)
    field = MonitoringField.objects.create(
        stage=stage, position=_last_position(stage) + 10, **clean.__dict__
    )
    _bump(stage, by)
    return field


@transaction.atomic
def field_update(
    *, by, field: MonitoringField, version: int, data: FieldData
) -> MonitoringField:
    """Change an indicator (its kind only while nobody has answered it)."""
    stage = _lock_managed(by, field.stage, version)
    field = MonitoringField.objects.get(pk=field.pk, stage=stage)
    clean = _clean_field(stage, data, field)
    for name, value in clean.__dict__.items():
        setattr(field, name, value)
    field.save()
    _bump(stage, by)
    return field


@transaction.atomic
def field_delete(*, by, field: MonitoringField, version: int) -> None:
    """Remove an indicator nobody has answered yet."""
    stage = _lock_managed(by, field.stage, version)
    if field.answers.exists():
        raise ValidationError(
            _(
                "Schools have already answered «%(label)s»: the indicator cannot be "
                "deleted."
            ),
            code="has_answers",
            params={"label": field.label[:100]},
        )
    field.delete()
    _bump(stage, by)


@transaction.atomic
def field_move(*, by, field: MonitoringField, version: int, up: bool) -> None:
    """Swap an indicator with its neighbour above or below."""
    stage = _lock_managed(by, field.stage, version)
    fields = list(stage.fields.order_by("position", "pk"))
    index = next(i for i, f in enumerate(fields) if f.pk == field.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(fields):
        fields[index], fields[other] = fields[other], fields[index]
        for i, f in enumerate(fields):
            f.position = (i + 1) * 10
        MonitoringField.objects.bulk_update(fields, ["position"])
    _bump(stage, by)


# --- the school's form --------------------------------------------------------


def _required_error() -> ValidationError:
    return ValidationError(
        _("Fill in this indicator: it is required to send the form."),
        code="required",
    )


def parse_number(raw: str, field: MonitoringField) -> Decimal | None:
    """Read «12», «12,5», «1 200» as a number within the indicator's limits."""
    text = re.sub(r"[\s\u00a0\u202f]", "", raw or "").replace(",", ".")
    if field.kind == FieldKind.PERCENT:
        text = text.removesuffix("%")
    if not text:
        return None
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise ValidationError(
            _("Enter a number, for example 12 or 12,5."), code="invalid_number"
        )
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern excludes it
        raise ValidationError(_("Enter a number."), code="invalid_number") from exc
    if abs(value) >= NUMBER_LIMIT:
        raise ValidationError(_("The number is too large."), code="too_large")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(
            _("Use at most two digits after the decimal comma."), code="precision"
        )
    low, high = field.min_value, field.max_value
    if field.kind == FieldKind.PERCENT:
        low = Decimal(0) if low is None else max(low, Decimal(0))
        high = Decimal(100) if high is None else min(high, Decimal(100))
    if low is not None and value < low:
        raise ValidationError(
            _("The value cannot be less than %(limit)s."),
            code="min_value",
            params={"limit": fmt_number(low)},
        )
    if high is not None and value > high:
        raise ValidationError(
            _("The value cannot be more than %(limit)s."),
            code="max_value",
            params={"limit": fmt_number(high)},
        )
    return value


def parse_boolean(raw: str) -> bool | None:
    value = (raw or "").strip().lower()
    if value in ("", "none"):
        return None
    if value in ("yes", "true", "1", "да"):
        return True
    if value in ("no", "false", "0", "нет"):
        return False
    raise ValidationError(_("Choose «yes» or «no»."), code="invalid_choice")


def field_key(field: MonitoringField | int) -> str:
    """The name of an indicator's input in the school's form."""
    return f"f_{getattr(field, 'pk', field)}"


def _lock_submission(stage, school, version) -> MonitoringSubmission:
    # Only the form's row: the default ordering's joins would otherwise lock
    # the stage, region and school rows too, and every school of the stage
    # would wait for the others.
    submission = (
        MonitoringSubmission.objects.select_for_update(of=("self",))
        .filter(stage=stage, school=school)
        .order_by()
        .first()
    )
    if submission is None:
        if version not in (None, "", 0):
            raise _stale("form")
        submission = MonitoringSubmission(stage=stage, school=school)
    elif version is None or int(version) != submission.version:
        raise _stale("form")
    return submission


@transaction.atomic
def submission_save(
    *,
    by,
    stage: MonitoringStage,
    school: Organisation,
    values: dict,
    uploads: dict | None = None,
    clear: set | None = None,
    version: int | None = None,
    submit: bool = False,
) -> MonitoringSubmission:
    """Save the school's answers as a draft, or send them to the curator.

    `values` maps `field_key(field)` to the raw input, `uploads` to an uploaded
    file, `clear` holds the keys of files to remove. A draft may be partial;
    sending needs every required indicator. Any invalid value refuses the
    whole save (nothing is half-saved): the ValidationError names each input.
    """
    uploads = uploads or {}
    clear = clear or set()
    _hold_stage(stage.pk)
    stage = MonitoringStage.objects.select_related("stage_type").get(pk=stage.pk)
    submission = _lock_submission(stage, school, version)
    submission.stage, submission.school = stage, school
    _check_fillable(by, submission)
    fields = list(stage.fields.order_by("position", "pk"))
    answers = {}
    if submission.pk:
        answers = {a.field_id: a for a in submission.answers.all()}
    errors: dict[str, ValidationError] = {}
    parsed: dict[int, dict] = {}
    for field in fields:
        key = field_key(field)
        try:
            parsed[field.pk] = _parse_one(
                field, values.get(key, ""), uploads.get(key), key in clear
            )
        except ValidationError as exc:
            errors[key] = exc
    if submit:
        for field in fields:
            key = field_key(field)
            if key in errors or not field.required:
                continue
            if _is_empty(field, parsed[field.pk], answers.get(field.pk)):
                errors[key] = _required_error()
    if errors:
        raise ValidationError(errors)
    if not submission.pk:
        try:
            with transaction.atomic():
                submission.save()
        except IntegrityError as exc:  # another window created it first
            raise _stale("form") from exc
    for field in fields:
        _store(submission, field, parsed[field.pk], answers.get(field.pk), by)
    previous = submission.status
    update = ["version", "updated_at"]
    if submit:
        submission.status = Status.SUBMITTED
        submission.submitted_by = by
        if submission.submitted_at is None:
            # The first sending decides whether the school was late.
            submission.submitted_at = timezone.now()
        update += ["status", "submitted_by", "submitted_at"]
    submission.version += 1
    submission._history_user = by
    submission.save(update_fields=update)
    if submit:
        _record(submission, WorkflowAction.SUBMIT, previous, by, "")
    return submission


def _check_fillable(by, submission) -> None:
    from .querysets import own_school_ids
    from .rules import EDITABLE

    stage = submission.stage
    if submission.school_id not in own_school_ids(scope_for(by)):
        raise Refused("not_filler")
    if submission.status not in EDITABLE:
        raise ValidationError(
            _("The form has been sent to the curator and cannot be changed now."),
            code="not_editable",
        )
    if stage.is_published and stage.opens_on > today():
        raise ValidationError(
            _("The stage opens on %(date)s."),
            code="not_open",
            params={"date": stage.opens_on.strftime("%d.%m.%Y")},
        )
    if not can(by, "fill", submission):
        raise Refused("not_filler")


def _parse_one(field, raw, upload, clear) -> dict:
    kind = field.kind
    if kind in NUMERIC:
        return {"number": parse_number(str(raw or ""), field)}
    if kind == FieldKind.BOOLEAN:
        return {"boolean": parse_boolean(str(raw or ""))}
    if kind == FieldKind.TEXT:
        text = str(raw or "").strip()
        if len(text) > TEXT_MAX:
            raise ValidationError(
                _("At most %(limit)s characters."),
                code="too_long",
                params={"limit": TEXT_MAX},
            )
        return {"text": text}
    if upload is not None:
        try:
            check_document_file(upload)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code="file") from exc
        return {"file": upload}
    return {"clear": clear}


def _is_empty(field, parsed: dict, answer: MonitoringAnswer | None) -> bool:
    if field.kind in NUMERIC:
        return parsed["number"] is None
    if field.kind == FieldKind.BOOLEAN:
        return parsed["boolean"] is None
    if field.kind == FieldKind.TEXT:
        return not parsed["text"]
    if parsed.get("file") is not None:
        return False
    return parsed.get("clear") or answer is None or not answer.file


def _store(submission, field, parsed: dict, answer, by) -> None:
    if answer is None:
        given = (
            parsed.get("number") is not None
            or parsed.get("boolean") is not None
            or bool(parsed.get("text"))
            or parsed.get("file") is not None
        )
        if not given:
            return  # nothing to keep for an untouched indicator
        answer = MonitoringAnswer(submission=submission, field=field)
    if field.kind == FieldKind.FILE:
        if parsed.get("file") is not None:
            answer.file = parsed["file"]
        elif parsed.get("clear"):
            answer.file = ""
        else:
            return
    else:
        for name, value in parsed.items():
            setattr(answer, name, value)
    answer._history_user = by
    answer.save()


def _record(submission, action, previous, by, comment) -> None:
    SubmissionEvent.objects.create(
        submission=submission,
        action=action,
        from_status=previous,
        to_status=submission.status,
        actor=by,
        comment=(comment or "").strip(),
    )
    transaction.on_commit(
        lambda: notify_submission(
            submission_id=submission.pk, action=action, actor_id=by.pk
        )
    )


# --- the curator's decision ---------------------------------------------------


@transaction.atomic
def submission_decide(
    *,
    by,
    submission: MonitoringSubmission,
    confirm: bool,
    comment: str = "",
    version: int | None = None,
) -> MonitoringSubmission:
    """The curator confirms the sent form, or returns it with a comment."""
    submission = (
        MonitoringSubmission.objects.select_for_update(of=("self",))
        .select_related("stage", "school")
        .get(pk=submission.pk)
    )
    if version is not None and int(version) != submission.version:
        raise _stale("form")
    from .rules import is_assigned_curator

    if not is_assigned_curator(by, submission.school_id, submission.stage):
        raise Refused("not_curator")
    if submission.status != Status.SUBMITTED:
        raise ValidationError(
            _("The form is «%(status)s» now: this step is not possible any more."),
            code="wrong_status",
            params={"status": Status(submission.status).label},
        )
    comment = (comment or "").strip()
    if not confirm and not comment:
        raise ValidationError(
            {
                "comment": ValidationError(
                    _("Say what is to be corrected: a return needs a comment."),
                    code="comment_required",
                )
            }
        )
    previous = submission.status
    submission.status = Status.CONFIRMED if confirm else Status.RETURNED
    submission.decided_at = timezone.now()
    submission.decided_by = by
    submission.decision_comment = comment
    submission.version += 1
    submission._history_user = by
    submission.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "decision_comment",
            "version",
            "updated_at",
        ]
    )
    action = WorkflowAction.APPROVE if confirm else WorkflowAction.RETURN
    _record(submission, action, previous, by, comment)
    return submission


def submission_confirm(*, by, submission, comment="", version=None):
    """The curator confirms the school's form."""
    return submission_decide(
        by=by, submission=submission, confirm=True, comment=comment, version=version
    )


def submission_return(*, by, submission, comment, version=None):
    """The curator returns the form for revision; the comment says what to fix."""
    return submission_decide(
        by=by, submission=submission, confirm=False, comment=comment, version=version
    )


# --- notifications ------------------------------------------------------------


def notify_submission(*, submission_id: int, action: str, actor_id: int) -> int:
    """Tell the curator of a sent form, or the school of the curator's decision."""
    User = get_user_model()
    submission = MonitoringSubmission.objects.select_related("stage", "school").get(
        pk=submission_id
    )
    stage, school = submission.stage, submission.school
    actor = User.objects.get(pk=actor_id)
    params = {
        "stage": stage.title[:200],
        "school": school.display_name,
        "actor": actor.get_full_name() or actor.username,
        "comment": submission.decision_comment,
    }
    if action == WorkflowAction.SUBMIT:
        curators = CuratorAssignment.objects.filter(
            school=school, project_id=stage.project_id, year=stage.year
        ).values("curator")
        who = Q(pk__in=curators)
        text = _("%(school)s sent the monitoring form «%(stage)s» for confirmation.")
    else:
        who = Q(memberships__role=Role.SCHOOL, memberships__organisation=school)
        if action == WorkflowAction.APPROVE:
            text = _("The curator %(actor)s confirmed the monitoring form «%(stage)s».")
        else:
            text = _(
                "The monitoring form «%(stage)s» was returned for revision by "
                "%(actor)s: %(comment)s"
            )
    users = list(
        User.objects.filter(who, is_active=True).exclude(pk=actor_id).distinct()
    )
    url = reverse("monitoring:submission-detail", args=[stage.pk, school.pk])
    deliver(users, text % params, url)
    return len(users)
