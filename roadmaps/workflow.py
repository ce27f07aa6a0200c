"""Approval up the hierarchy: the statuses, the allowed moves and who makes them.

One table (`MOVES`) says, per level and action, from which statuses a plan (or
a school document) may move, to which status, and which kind of actor may
move it. Only the services below change a status: each locks the row, checks
the move and the actor, writes an event (who, when, from, to, comment), and
sends notifications after the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.access import Refused, can, scope_for
from schools.models import Organisation, Role

from .models import (
    DocumentEvent,
    EditionEvent,
    Level,
    Order,
    Roadmap,
    RoadmapEdition,
    SchoolDocument,
    WorkflowAction,
)
from .notifications import notify_move

Status = RoadmapEdition.Status
Action = WorkflowAction

# Who may act, relative to the plan's owner:
OWNER = "owner"  # the body writing the plan (its school / coordinator / staff)
CURATOR = "curator"  # a curator assigned to the school for the plan's year
MUNICIPAL = "municipal"  # a municipal coordinator of the school's municipality
REGIONAL = "regional"  # regional staff or regional coordinator of the region
APPROVER = "approver"  # regional staff holding the approving right


@dataclass(frozen=True)
class Move:
    target: str
    # actor kind -> statuses it may move the plan from
    actors: dict[str, frozenset[str]]


def _from(*statuses) -> frozenset[str]:
    return frozenset(statuses)


MOVES: dict[tuple[str, str], Move] = {
    (Level.SCHOOL, Action.SUBMIT): Move(
        Status.SUBMITTED, {OWNER: _from(Status.DRAFT, Status.RETURNED)}
    ),
    (Level.SCHOOL, Action.AGREE): Move(
        Status.AGREED, {CURATOR: _from(Status.SUBMITTED)}
    ),
    (Level.SCHOOL, Action.APPROVE): Move(
        Status.APPROVED, {MUNICIPAL: _from(Status.AGREED)}
    ),
    (Level.SCHOOL, Action.RETURN): Move(
        Status.RETURNED,
        {
            CURATOR: _from(Status.SUBMITTED),
            MUNICIPAL: _from(Status.SUBMITTED, Status.AGREED),
        },
    ),
    (Level.MUNICIPAL, Action.SUBMIT): Move(
        Status.SUBMITTED, {OWNER: _from(Status.DRAFT, Status.RETURNED)}
    ),
    (Level.MUNICIPAL, Action.APPROVE): Move(
        Status.APPROVED, {REGIONAL: _from(Status.SUBMITTED)}
    ),
    (Level.MUNICIPAL, Action.RETURN): Move(
        Status.RETURNED, {REGIONAL: _from(Status.SUBMITTED)}
    ),
    (Level.REGIONAL, Action.APPROVE): Move(
        Status.APPROVED, {APPROVER: _from(Status.DRAFT, Status.RETURNED)}
    ),
}


def actor_kinds(user, *, level: str, owner: Organisation, year: int) -> set[str]:
    """Every way the user stands towards a plan of this owner."""
    scope = scope_for(user)
    kinds = set()
    if level == Level.SCHOOL:
        if scope.holds(Role.SCHOOL, organisation=owner.pk):
            kinds.add(OWNER)
        if owner.municipality_id and scope.holds(
            Role.MUNICIPAL_COORDINATOR, municipality=owner.municipality_id
        ):
            kinds.add(MUNICIPAL)
        # The scope holds the assignments (only with the curator role held).
        if scope.assigned(owner.pk, year=year):
            kinds.add(CURATOR)
    elif level == Level.MUNICIPAL:
        if owner.municipality_id and scope.holds(
            Role.MUNICIPAL_COORDINATOR, municipality=owner.municipality_id
        ):
            kinds.add(OWNER)
        if scope.holds(Role.REGIONAL_STAFF, region=owner.region_id) or scope.holds(
            Role.REGIONAL_COORDINATOR, region=owner.region_id
        ):
            kinds.add(REGIONAL)
    elif level == Level.REGIONAL:
        if scope.holds(Role.REGIONAL_STAFF, region=owner.region_id):
            kinds.add(OWNER)
        if owner.region_id in scope.approver_region_ids:
            kinds.add(APPROVER)
    return kinds


def allowed_actions(
    user, *, level, owner, year, status, submitted_by_id=None, kinds=None
):
    """The actions the user may take on a plan in this status, in table order.

    Pass `kinds` (from actor_kinds) when asking about many rows of one owner.
    """
    if kinds is None:
        kinds = actor_kinds(user, level=level, owner=owner, year=year)
    actions = []
    for (move_level, action), move in MOVES.items():
        if move_level != level:
            continue
        if any(status in move.actors.get(k, ()) for k in kinds):
            if action == Action.APPROVE and submitted_by_id == user.pk:
                continue
            actions.append(action)
    return actions


def _check_move(user, *, level, owner, year, status, action, submitted_by_id, comment):
    move = MOVES.get((level, action))
    if move is None:
        raise ValidationError(
            _("Plans of this level do not take this step."), code="no_such_move"
        )
    kinds = actor_kinds(user, level=level, owner=owner, year=year)
    allowed_from = set().union(*(move.actors.get(k, frozenset()) for k in kinds))
    if not kinds & set(move.actors):
        raise Refused("not_actor")
    if status not in allowed_from:
        raise ValidationError(
            _("The plan is «%(status)s» now: this step is not possible any more."),
            code="wrong_status",
            params={"status": Status(status).label},
        )
    if action == Action.APPROVE and submitted_by_id == user.pk:
        raise ValidationError(
            _("A plan cannot be approved by the person who submitted it."),
            code="own_submission",
        )
    if action == Action.RETURN and not (comment or "").strip():
        raise ValidationError(
            {
                "comment": ValidationError(
                    _("Say what is to be corrected: a return needs a comment."),
                    code="comment_required",
                )
            }
        )
    return move


def _record_move(event_model, field, subject, action, previous, target, by, comment):
    """Write the event row and notify, once the transaction commits, whom the
    move concerns."""
    event_model.objects.create(
        **{field: subject},
        action=action,
        from_status=previous,
        to_status=target,
        actor=by,
        comment=(comment or "").strip(),
    )
    transaction.on_commit(
        lambda: notify_move(
            **{f"{field}_id": subject.pk}, action=action, actor_id=by.pk
        )
    )


# --- editions ------------------------------------------------------------------


def _lock(edition: RoadmapEdition) -> RoadmapEdition:
    return (
        RoadmapEdition.objects.select_for_update(of=("self",))
        .select_related("roadmap", "roadmap__owner")
        .get(pk=edition.pk)
    )


def appendix_header(*, order: Order, first_order: Order | None = None) -> str:
    """«Приложение к приказу … от … № …», with «(в ред. от … № …)» for an amendment."""
    base = first_order or order
    text = _("Appendix to the order of %(issuer)s of %(date)s No. %(number)s") % {
        "issuer": base.issuer.genitive,
        "date": base.date.strftime("%d.%m.%Y"),
        "number": base.number,
    }
    if first_order is not None and first_order.pk != order.pk:
        text += "\n" + _("(as amended on %(date)s No. %(number)s)") % {
            "date": order.date.strftime("%d.%m.%Y"),
            "number": order.number,
        }
    return text


def _first_order(roadmap: Roadmap) -> Order | None:
    first = (
        roadmap.editions.filter(approving_order__isnull=False)
        .select_related("approving_order__issuer")
        .order_by("number")
        .first()
    )
    return first.approving_order if first else None


@transaction.atomic
def edition_move(
    *,
    by,
    edition: RoadmapEdition,
    action: str,
    comment: str = "",
    order: Order | None = None,
) -> RoadmapEdition:
    """Move an edition one step through the workflow (see MOVES)."""
    edition = _lock(edition)
    roadmap = edition.roadmap
    if not can(by, "view", edition):
        raise Refused("out_of_scope")
    move = _check_move(
        by,
        level=roadmap.level,
        owner=roadmap.owner,
        year=roadmap.period_start.year,
        status=edition.status,
        action=action,
        submitted_by_id=edition.submitted_by_id,
        comment=comment,
    )
    if action == Action.SUBMIT and not edition.activities.exists():
        raise ValidationError(
            _("An empty plan cannot be submitted: add its activities first."),
            code="empty_plan",
        )
    previous = edition.status
    now = timezone.now()
    fields = ["status", "status_changed_at", "updated_at"]
    if action == Action.SUBMIT:
        edition.submitted_by = by
        fields.append("submitted_by")
    if action == Action.APPROVE:
        if order is None:
            raise ValidationError(
                _("Approving a plan needs the order that approves it."),
                code="order_required",
            )
        roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
        first = _first_order(roadmap)
        edition.approving_order = order
        edition.approved_at = order.date
        edition.appendix_text = appendix_header(order=order, first_order=first)
        fields += ["approving_order", "approved_at", "appendix_text"]
        if roadmap.current_edition_id and roadmap.current_edition_id != edition.pk:
            old = RoadmapEdition.objects.select_for_update().get(
                pk=roadmap.current_edition_id
            )
            old.status = Status.SUPERSEDED
            old.status_changed_at = now
            old._history_user = by
            old.save(update_fields=["status", "status_changed_at", "updated_at"])
        # Saved, not updated, so that the audit log records the signing.
        order.status = Order.Status.SIGNED
        order._history_user = by
        order.save(update_fields=["status"])
    edition.status = move.target
    edition.status_changed_at = now
    edition._history_user = by
    edition.save(update_fields=fields)
    if action == Action.APPROVE:
        roadmap.current_edition = edition
        roadmap.latest_edition = edition
        roadmap.save(update_fields=["current_edition", "latest_edition"])
    _record_move(
        EditionEvent, "edition", edition, action, previous, move.target, by, comment
    )
    return edition


def edition_submit(*, by, edition, comment=""):
    """Send a draft or returned plan to whoever agrees or approves it."""
    return edition_move(by=by, edition=edition, action=Action.SUBMIT, comment=comment)


def edition_agree(*, by, edition, comment=""):
    """The curator agrees a school plan."""
    return edition_move(by=by, edition=edition, action=Action.AGREE, comment=comment)


def edition_return(*, by, edition, comment):
    """Send the plan back for revision; the comment says what to correct."""
    return edition_move(by=by, edition=edition, action=Action.RETURN, comment=comment)


def edition_approve(*, by, edition, order, comment=""):
    """Approve the plan by an order; the edition it replaces is superseded."""
    return edition_move(
        by=by, edition=edition, action=Action.APPROVE, comment=comment, order=order
    )


def lock_for_new_edition(
    *, by, roadmap: Roadmap
) -> tuple[Roadmap, RoadmapEdition, int]:
    """Lock the plan and check a new edition may start.

    Returns the plan, its edition in force and the next edition's number.
    """
    from .permissions import is_plan_editor

    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if not can(by, "view", roadmap):
        raise Refused("out_of_scope")
    if not is_plan_editor(by, roadmap):
        raise Refused("not_editor")
    current = roadmap.current_edition
    if current is None:
        raise ValidationError(
            _("The plan has no approved edition to change."), code="nothing_in_force"
        )
    if roadmap.editions.filter(status__in=RoadmapEdition.IN_WORK).exists():
        raise ValidationError(
            _("A new edition of this plan is already being written."),
            code="edition_in_work",
        )
    top = roadmap.editions.order_by("-number").first().number
    return roadmap, current, top + 1


@transaction.atomic
def edition_start_new(*, by, roadmap: Roadmap) -> RoadmapEdition:
    """«Внести изменения»: a draft copy of the edition in force.

    The edition in force stays current until the new one is approved;
    activities keep their lineage so reports and links survive.
    """
    from .editing import edition_renumber

    roadmap, current, number = lock_for_new_edition(by=by, roadmap=roadmap)
    new = RoadmapEdition(
        roadmap=roadmap,
        number=number,
        status=Status.DRAFT,
        replaces=current,
        columns=current.columns,
        numbering=current.numbering,
        status_changed_at=timezone.now(),
    )
    new._history_user = by
    new.save()
    _copy_content(source=current, target=new, by=by)
    edition_renumber(new)
    roadmap.latest_edition = new
    roadmap.save(update_fields=["latest_edition"])
    EditionEvent.objects.create(
        edition=new,
        action=Action.NEW_EDITION,
        from_status="",
        to_status=Status.DRAFT,
        actor=by,
    )
    return new


def _copy_content(*, source: RoadmapEdition, target: RoadmapEdition, by) -> None:
    from simple_history.utils import bulk_create_with_history

    from .models import Activity, ActivityExecutor, Section

    sections = {}
    for s in source.sections.order_by("position"):
        copy = Section(
            edition=target, position=s.position, number=s.number, title=s.title
        )
        copy._history_user = by
        copy.save()
        sections[s.pk] = copy
    originals = list(source.activities.order_by("position"))
    copies = [
        Activity(
            edition=target,
            section=sections.get(a.section_id),
            position=a.position,
            number=a.number,
            title=a.title,
            description=a.description,
            deadline_text=a.deadline_text,
            deadline_ranges=a.deadline_ranges,
            deadline_start=a.deadline_start,
            deadline_end=a.deadline_end,
            responsible_text=a.responsible_text,
            indicator_text=a.indicator_text,
            target_value=a.target_value,
            target_unit=a.target_unit,
            target_comparator=a.target_comparator,
            lineage=a.lineage,
            source_activity_id=a.source_activity_id,
        )
        for a in originals
    ]
    copies = bulk_create_with_history(copies, Activity, default_user=by)
    new_of_old = {a.pk: c.pk for a, c in zip(originals, copies, strict=True)}
    ActivityExecutor.objects.bulk_create(
        ActivityExecutor(
            activity_id=new_of_old[e.activity_id],
            organisation_id=e.organisation_id,
            role=e.role,
            fragment=e.fragment,
            position=e.position,
        )
        for e in ActivityExecutor.objects.filter(activity__edition=source)
    )
    # The risk factors each activity addresses come along too.
    Tag = Activity.risk_factors.through
    Tag.objects.bulk_create(
        Tag(activity_id=new_of_old[t.activity_id], riskfactor_id=t.riskfactor_id)
        for t in Tag.objects.filter(activity__edition=source)
    )


# --- school documents ------------------------------------------------------------


@transaction.atomic
def document_move(
    *, by, document: SchoolDocument, action: str, comment: str = ""
) -> SchoolDocument:
    """Move a school document along the same path as a school plan."""
    document = (
        SchoolDocument.objects.select_for_update(of=("self",))
        .select_related("school")
        .get(pk=document.pk)
    )
    if not Organisation.objects.visible_to(by).filter(pk=document.school_id).exists():
        raise Refused("out_of_scope")
    move = _check_move(
        by,
        level=Level.SCHOOL,
        owner=document.school,
        year=document.year,
        status=document.status,
        action=action,
        submitted_by_id=document.submitted_by_id,
        comment=comment,
    )
    previous = document.status
    document.status = move.target
    document.status_changed_at = timezone.now()
    fields = ["status", "status_changed_at"]
    if action == Action.SUBMIT:
        document.submitted_by = by
        fields.append("submitted_by")
    document._history_user = by
    document.save(update_fields=fields)
    _record_move(
        DocumentEvent, "document", document, action, previous, move.target, by, comment
    )
    return document


DOCUMENT_TYPES = {
    ".pdf": b"%PDF",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".odt": b"PK\x03\x04",
    ".doc": b"\xd0\xcf\x11\xe0",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG",
}


def check_document_file(upload) -> None:
    """Refuse files of other types (by content, not only by name) or too large."""
    from pathlib import Path

    from django.conf import settings

    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("Upload a PDF, Word, Excel, OpenDocument or image file."),
                    code="file_type",
                )
            }
        )
    if upload.size > settings.SCHOOL_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("The file is larger than %(limit)s MB."),
                    code="file_size",
                    params={"limit": settings.SCHOOL_DOCUMENT_MAX_BYTES // 2**20},
                )
            }
        )
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(DOCUMENT_TYPES[suffix]):
        raise ValidationError(
            {
                "file": ValidationError(
                    _("The file's content does not match its name (%(suffix)s)."),
                    code="file_content",
                    params={"suffix": suffix},
                )
            }
        )


@transaction.atomic
def document_upload(
    *,
    by,
    school: Organisation,
    project,
    year: int,
    kind: str,
    title: str,
    upload,
    risk_factor=None,
) -> SchoolDocument:
    """A school uploads one of its documents as a draft."""
    if not Organisation.objects.visible_to(by).filter(pk=school.pk).exists():
        raise Refused("out_of_scope")
    if OWNER not in actor_kinds(by, level=Level.SCHOOL, owner=school, year=year):
        raise Refused("not_editor")
    errors = {}
    if not (title or "").strip():
        errors["title"] = ValidationError(_("Name the document."), code="required")
    if kind == SchoolDocument.Kind.ANTI_RISK and risk_factor is None:
        errors["risk_factor"] = ValidationError(
            _("An anti-risk programme answers one risk factor: choose it."),
            code="required",
        )
    if errors:
        raise ValidationError(errors)
    check_document_file(upload)
    document = SchoolDocument(
        school=school,
        project=project,
        year=year,
        kind=kind,
        risk_factor=risk_factor if kind == SchoolDocument.Kind.ANTI_RISK else None,
        title=title.strip(),
        file=upload,
        uploaded_by=by,
        status_changed_at=timezone.now(),
    )
    document._history_user = by
    document.save()
    return document
