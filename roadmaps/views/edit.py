"""The plan editor: one page, inline edits through htmx, plain forms without JS.

Every POST calls one service. With htmx the answer is the fragment to swap
(the editor table, or the row form with its errors); without JavaScript it
is a redirect back to the editor with a message (post/redirect/get).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from monitoring.models import RiskFactor
from schools.access import Refused, can
from schools.models import Project

from .. import editing
from ..creating import roadmap_create, upper_sources
from ..derive import PlanContext, territory_bodies
from ..editing import EditConflict
from ..forms import (
    ActivityForm,
    BulkForm,
    CommentForm,
    RoadmapCreateForm,
    SectionForm,
    SettingsForm,
    add_service_errors,
)
from ..imports import LEVEL_OF_KIND_LEVEL
from ..indicators import parse_target
from ..models import Activity, Roadmap, RoadmapEdition, Section
from ..permissions import (
    assigned_to_regional_coordinator,
    is_plan_editor,
    may_open_editor,
)
from ..selectors import (
    activity_for_editor,
    edition_for_display,
    owners_creatable_by,
    roadmap_for_editor,
    roadmap_get_visible,
)

# Phrases the executor picker offers besides the bodies of the territory.
ROLE_PHRASES = [
    "МОУО",
    "ОМС",
    "ОО",
    "МОЦ",
    "куратор",
    "муниципальный координатор",
    "региональный координатор",
    "региональный оператор",
    "руководители ОО",
]


# --- loading and checks -----------------------------------------------------


def load(request, pk: int) -> tuple[Roadmap, RoadmapEdition]:
    """The roadmap (404 outside the scope) and the edition being written,
    read together."""
    roadmap = roadmap_for_editor(user=request.user, pk=pk)
    if not may_open_editor(request.user, roadmap):
        raise PermissionDenied
    edition = roadmap.latest_edition
    if edition is None:
        raise Http404
    edition.roadmap = roadmap
    return roadmap, edition


def active_factors() -> list[RiskFactor]:
    """The risk factors an activity can be tied to (reference data)."""
    return list(RiskFactor.objects.filter(is_active=True).order_by("number"))


def activity_of(
    edition: RoadmapEdition, activity_id: int, *, executors: bool = False
) -> Activity:
    """The edition's activity (404 otherwise) with its risk factors; with
    `executors`, also its executors as the editor's row shows them."""
    return activity_for_editor(edition=edition, pk=activity_id, executors=executors)


def section_of(edition: RoadmapEdition, section_id: int) -> Section:
    section = get_object_or_404(Section, pk=section_id, edition=edition)
    section.edition = edition
    return section


def error_text(exc: Exception) -> str:
    if isinstance(exc, Refused):
        return {
            "out_of_scope": _("This plan is outside your area."),
            "not_editor": _("You may not change this plan."),
            "not_commenter": _("You may not comment on this plan."),
        }.get(exc.code, _("This action is not allowed."))
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


# --- rendering ----------------------------------------------------------------


def editor_context(request, roadmap: Roadmap, edition: RoadmapEdition, **extra):
    user = request.user
    edition = edition_for_display(edition=edition)
    edition.roadmap = roadmap
    sections = list(edition.sections.all())
    activities = list(edition.activities.all())
    prefetch_related_objects(activities, "risk_factors")
    factors = extra.pop("factors", None)
    if factors is None:
        factors = active_factors()
    structural = is_plan_editor(user, roadmap) and edition.is_editable
    if structural:
        editable_ids = {a.pk for a in activities}
    elif edition.is_editable:
        for a in activities:
            a.edition = edition
        editable_ids = {
            a.pk for a in activities if assigned_to_regional_coordinator(user, a)
        }
    else:
        editable_ids = set()
    by_section: dict[int | None, list[Activity]] = {}
    for a in activities:
        by_section.setdefault(a.section_id, []).append(a)
    groups = []
    if by_section.get(None) or not sections:
        groups.append({"section": None, "activities": by_section.get(None, [])})
    groups += [{"section": s, "activities": by_section.get(s.pk, [])} for s in sections]
    focus = extra.pop("focus_section", "none")
    for group in groups:
        sid = group["section"].pk if group["section"] else 0
        group["add_form"] = ActivityForm(prefix_id=f"add-{sid}", factors=factors)
        group["autofocus"] = focus == sid
    bodies = territory_bodies(roadmap.owner)
    return {
        "roadmap": roadmap,
        "edition": edition,
        "columns": edition.columns,
        "groups": groups,
        "sections": sections,
        "editable_ids": editable_ids,
        "structural": structural,
        "picker_bodies": bodies,
        "picker_roles": ROLE_PHRASES,
        "period": (roadmap.period_start, roadmap.period_end),
        "factors": factors,
        "bulk_form": BulkForm(sections=sections),
        "settings_form": extra.pop("settings_form", None)
        or SettingsForm.for_edition(edition),
        "section_form": SectionForm(),
        "comment_form": CommentForm(activities=activities),
        "can_comment": can(user, "comment", edition),
        "comments": list(
            edition.comments.select_related("author", "activity").order_by(
                "-created_at"
            )[:100]
        ),
        **extra,
    }


def editor_url(roadmap, anchor: str = "") -> str:
    url = reverse("roadmaps:roadmap-edit", args=[roadmap.pk])
    return f"{url}#{anchor}" if anchor else url


def respond(request, roadmap, edition, *, status="", anchor="", **extra):
    """The fresh editor table for htmx; a redirect to the editor otherwise."""
    if request.htmx:
        context = editor_context(request, roadmap, edition, status=status, **extra)
        return render(request, "roadmaps/editor.html#table", context)
    if status:
        messages.success(request, status)
    return redirect(editor_url(roadmap, anchor))


def refuse(request, roadmap, edition, exc: Exception):
    """A refused action: a message in place (htmx) or on the editor page."""
    if isinstance(exc, Refused) and exc.code == "out_of_scope":
        raise Http404
    if request.htmx:
        context = editor_context(
            request, roadmap, edition, status=error_text(exc), status_error=True
        )
        return render(request, "roadmaps/editor.html#table", context)
    messages.error(request, error_text(exc))
    return redirect(editor_url(roadmap))


def row_context(request, roadmap: Roadmap, edition: RoadmapEdition) -> dict:
    """What the editor's single-row fragments (a row, its form, a section's
    form) need, without the whole table the editor page reads."""
    return {
        "roadmap": roadmap,
        "edition": edition,
        "columns": edition.columns,
        "structural": is_plan_editor(request.user, roadmap) and edition.is_editable,
        "period": (roadmap.period_start, roadmap.period_end),
        "picker_roles": ROLE_PHRASES,
    }


def row_form_response(request, roadmap, edition, activity, form, *, conflict=None):
    context = row_context(request, roadmap, edition)
    context["picker_bodies"] = territory_bodies(roadmap.owner)
    context.update(row_form_context(activity, form, edition, conflict=conflict))
    if request.htmx:
        response = render(request, "roadmaps/editor.html#activity-form", context)
        return reswap(retarget(response, f"#activity-{activity.pk}"), "outerHTML")
    return render(request, "roadmaps/activity_form_page.html", context)


def row_form_context(activity, form, edition, *, conflict=None):
    differences = []
    if conflict is not None and form.is_bound and form.is_valid():
        mine = form.service_data()
        labels = {name: form.fields[name].label for name in mine}
        names = dict(form.fields["risk_factors"].choices)
        for field, value in mine.items():
            if field == "risk_factors":
                saved = sorted(f.pk for f in conflict.risk_factors.all())
                if sorted(value) != saved:
                    differences.append(
                        {
                            "label": labels[field],
                            "mine": "; ".join(str(names.get(i, i)) for i in value),
                            "theirs": "; ".join(str(names.get(i, i)) for i in saved),
                        }
                    )
                continue
            theirs = getattr(conflict, field)
            if value != theirs:
                differences.append(
                    {"label": labels[field], "mine": value, "theirs": theirs}
                )
        record = conflict.history.select_related("history_user").first()
        conflict.changed_by = record.history_user if record else None
        conflict.changed_at = record.history_date if record else None
    return {
        "activity": activity,
        "form": form,
        "conflict": conflict,
        "differences": differences,
        "columns": edition.columns,
    }


# --- the page -----------------------------------------------------------------


@require_GET
def editor(request, pk):
    roadmap, edition = load(request, pk)
    context = editor_context(request, roadmap, edition)
    return render(request, "roadmaps/editor.html", context)


@require_POST
def settings_update(request, pk):
    roadmap, edition = load(request, pk)
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            editing.edition_update_settings(
                by=request.user,
                edition=edition,
                title=form.cleaned_data["title"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                numbering=form.cleaned_data["numbering"],
                optional_columns=form.optional_columns(),
                headers=form.headers(),
                version=form.cleaned_data["version"],
            )
        except EditConflict:
            form.add_error(
                None,
                _(
                    "Someone else changed the plan's settings meanwhile. Reload the "
                    "page to see them, then make your change again."
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Refused as exc:
            return refuse(request, roadmap, edition, exc)
        else:
            messages.success(request, _("The plan's settings are saved."))
            return redirect(editor_url(roadmap))
    context = editor_context(request, roadmap, edition, settings_form=form)
    context["settings_open"] = True
    return render(request, "roadmaps/editor.html", context, status=200)


# --- activities ----------------------------------------------------------------


@require_POST
def activity_add(request, pk):
    roadmap, edition = load(request, pk)
    form = ActivityForm(request.POST, factors=active_factors())
    form.is_valid()
    section_id = request.POST.get("section") or None
    try:
        editing.activity_add(
            by=request.user,
            edition=edition,
            data=form.service_data(),
            section=int(section_id) if section_id else None,
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            return refuse(request, roadmap, edition, exc)
        add_service_errors(form, exc)
        return add_form_response(request, roadmap, edition, form, section_id)
    except Refused as exc:
        return refuse(request, roadmap, edition, exc)
    return respond(
        request,
        roadmap,
        edition,
        status=_("Activity added."),
        anchor=f"add-{section_id or 0}",
        focus_section=int(section_id or 0),
    )


def add_form_response(request, roadmap, edition, form, section_id):
    context = editor_context(request, roadmap, edition)
    sid = int(section_id or 0)
    form.auto_id = f"add-{sid}-%s"
    group = next(
        (
            g
            for g in context["groups"]
            if (g["section"].pk if g["section"] else 0) == sid
        ),
        None,
    )
    if group is None:
        group = {"section": None, "activities": []}
        context["groups"].append(group)
    group.update(add_form=form, autofocus=True)
    context["group"] = group
    if request.htmx:
        response = render(request, "roadmaps/editor.html#add-row", context)
        return reswap(retarget(response, f"#add-row-{sid}"), "outerHTML")
    messages.error(request, _("The activity is not added: see the errors below."))
    return render(request, "roadmaps/editor.html", context)


@require_http_methods(["GET", "POST"])
def activity_edit(request, pk, activity_id):
    roadmap, edition = load(request, pk)
    activity = activity_of(edition, activity_id)
    sections = list(edition.sections.all())
    factors = active_factors()
    if request.method == "GET":
        form = ActivityForm(
            initial={
                "title": activity.title,
                "description": activity.description,
                "deadline_text": activity.deadline_text,
                "responsible_text": activity.responsible_text,
                "indicator_text": activity.indicator_text,
                "section": activity.section_id,
                "risk_factors": [f.pk for f in activity.risk_factors.all()],
                "version": activity.version,
            },
            sections=sections,
            prefix_id=f"edit-{activity.pk}",
            factors=factors,
        )
        return row_form_response(request, roadmap, edition, activity, form)
    form = ActivityForm(
        request.POST,
        sections=sections,
        prefix_id=f"edit-{activity.pk}",
        factors=factors,
    )
    if not form.is_valid():
        return row_form_response(request, roadmap, edition, activity, form)
    data = form.service_data()
    if "section" in request.POST:
        data["section"] = form.cleaned_data["section"]
    version = request.POST.get("overwrite") or form.cleaned_data["version"]
    try:
        editing.activity_update(
            by=request.user, activity=activity, data=data, version=version
        )
    except EditConflict as exc:
        return row_form_response(
            request, roadmap, edition, activity, form, conflict=exc.current
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            return refuse(request, roadmap, edition, exc)
        add_service_errors(form, exc)
        return row_form_response(request, roadmap, edition, activity, form)
    except Refused as exc:
        return refuse(request, roadmap, edition, exc)
    return respond(
        request,
        roadmap,
        edition,
        status=_("Activity saved."),
        anchor=f"activity-{activity.pk}",
    )


@require_GET
def activity_row(request, pk, activity_id):
    """The row as shown (the editor's «Cancel»)."""
    roadmap, edition = load(request, pk)
    activity = activity_of(edition, activity_id, executors=True)
    context = row_context(request, roadmap, edition)
    if context["structural"]:
        editable = True
    else:
        editable = edition.is_editable and assigned_to_regional_coordinator(
            request.user, activity
        )
    context["activity"] = activity
    context["editable_ids"] = {activity.pk} if editable else set()
    return render(request, "roadmaps/editor.html#activity-row", context)


def _simple(request, pk, activity_id, action, status):
    roadmap, edition = load(request, pk)
    activity = activity_of(edition, activity_id)
    try:
        action(activity)
    except EditConflict:
        return refuse(
            request,
            roadmap,
            edition,
            ValidationError(
                _(
                    "The activity changed since you opened the page; look at it "
                    "again before deleting."
                )
            ),
        )
    except (ValidationError, Refused) as exc:
        return refuse(request, roadmap, edition, exc)
    return respond(request, roadmap, edition, status=status)


@require_POST
def activity_delete(request, pk, activity_id):
    version = request.POST.get("version") or None
    return _simple(
        request,
        pk,
        activity_id,
        lambda a: editing.activity_delete(by=request.user, activity=a, version=version),
        _("Activity deleted. It can be restored from the change log."),
    )


@require_POST
def activity_duplicate(request, pk, activity_id):
    return _simple(
        request,
        pk,
        activity_id,
        lambda a: editing.activity_duplicate(by=request.user, activity=a),
        _("Activity copied."),
    )


@require_POST
def activity_move(request, pk, activity_id):
    direction = request.POST.get("direction")
    if "section" in request.POST:
        target = request.POST.get("section") or None

        def action(a):
            return editing.activity_move(by=request.user, activity=a, section=target)

    else:

        def action(a):
            return editing.activity_move(
                by=request.user, activity=a, direction=direction
            )

    return _simple(request, pk, activity_id, action, _("Activity moved."))


# --- sections --------------------------------------------------------------------


@require_POST
def section_add(request, pk):
    roadmap, edition = load(request, pk)
    try:
        section = editing.section_add(
            by=request.user, edition=edition, title=request.POST.get("title", "")
        )
    except (ValidationError, Refused) as exc:
        return refuse(request, roadmap, edition, exc)
    return respond(
        request,
        roadmap,
        edition,
        status=_("Section added."),
        anchor=f"section-{section.pk}",
        focus_section=section.pk,
    )


@require_http_methods(["GET", "POST"])
def section_edit(request, pk, section_id):
    roadmap, edition = load(request, pk)
    section = section_of(edition, section_id)
    if request.method == "GET":
        form = SectionForm(initial={"title": section.title, "version": section.version})
    else:
        form = SectionForm(request.POST)
        form.is_valid()
        try:
            editing.section_update(
                by=request.user,
                section=section,
                title=form.cleaned_data.get("title", ""),
                version=form.cleaned_data.get("version"),
            )
        except EditConflict:
            form.add_error(
                None,
                _("Someone renamed this section meanwhile; cancel to see the name."),
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return refuse(request, roadmap, edition, exc)
            add_service_errors(form, exc)
        except Refused as exc:
            return refuse(request, roadmap, edition, exc)
        else:
            return respond(
                request,
                roadmap,
                edition,
                status=_("Section saved."),
                anchor=f"section-{section.pk}",
            )
    context = row_context(request, roadmap, edition)
    context.update({"section": section, "form": form})
    if request.htmx:
        response = render(request, "roadmaps/editor.html#section-form", context)
        return reswap(retarget(response, f"#section-{section.pk}"), "outerHTML")
    return render(request, "roadmaps/section_form_page.html", context)


@require_POST
def section_delete(request, pk, section_id):
    roadmap, edition = load(request, pk)
    section = section_of(edition, section_id)
    try:
        editing.section_delete(
            by=request.user,
            section=section,
            version=request.POST.get("version") or None,
            with_activities=request.POST.get("with_activities") == "1",
        )
    except EditConflict:
        return refuse(
            request,
            roadmap,
            edition,
            ValidationError(_("The section changed meanwhile; look at it again.")),
        )
    except (ValidationError, Refused) as exc:
        return refuse(request, roadmap, edition, exc)
    return respond(request, roadmap, edition, status=_("Section deleted."))


@require_POST
def section_move(request, pk, section_id):
    roadmap, edition = load(request, pk)
    section = section_of(edition, section_id)
    try:
        editing.section_move(
            by=request.user, section=section, direction=request.POST.get("direction")
        )
    except (ValidationError, Refused) as exc:
        return refuse(request, roadmap, edition, exc)
    return respond(
        request,
        roadmap,
        edition,
        status=_("Section moved."),
        anchor=f"section-{section.pk}",
    )


# --- bulk, preview, comments ----------------------------------------------------


@require_POST
def bulk(request, pk):
    roadmap, edition = load(request, pk)
    sections = list(edition.sections.all())
    ids = list(edition.activities.values_list("pk", flat=True))
    form = BulkForm(request.POST, sections=sections, activity_ids=ids)
    if not form.is_valid():
        return refuse(
            request,
            roadmap,
            edition,
            ValidationError(_("Choose an action and select the activities.")),
        )
    action = form.cleaned_data["action"]
    value = (
        form.cleaned_data["section"] if action == "move" else form.cleaned_data["value"]
    )
    try:
        count = editing.activities_bulk(
            by=request.user,
            edition=edition,
            ids=form.cleaned_data["ids"],
            action=action,
            value=value if value is not None else "",
        )
    except (ValidationError, Refused) as exc:
        return refuse(request, roadmap, edition, exc)
    return respond(
        request,
        roadmap,
        edition,
        status=_("Done for %(count)s activities.") % {"count": count},
    )


@require_GET
def preview(request, pk):
    """How the portal understands a deadline, an indicator or an executors cell."""
    roadmap = roadmap_get_visible(user=request.user, pk=pk)
    if not may_open_editor(request.user, roadmap):
        raise PermissionDenied
    ctx = PlanContext.for_owner(
        roadmap.owner, (roadmap.period_start, roadmap.period_end)
    )
    context = {"period": ctx.period}
    if "deadline_text" in request.GET:
        text = request.GET["deadline_text"].strip()
        deadline = ctx.deadline(text)
        context.update(
            kind="deadline",
            text=text,
            deadline=deadline,
            outside=deadline.recognised
            and (deadline.start < ctx.period[0] or deadline.end > ctx.period[1]),
        )
    elif "indicator_text" in request.GET:
        target = parse_target(request.GET["indicator_text"])
        context.update(kind="indicator", target=target.describe() if target else "")
    elif "responsible_text" in request.GET:
        names = {b.pk: b for b in ctx.bodies}
        chips = []
        for m in ctx.executors(request.GET["responsible_text"]):
            org_id = m.key if m.key is not None else ctx.by_role.get(str(m.role))
            if org_id in names:
                chips.append(names[org_id].display_name)
            elif m.role is not None:
                from ..models import ExecutorRole

                chips.append(ExecutorRole(str(m.role)).label)
        context.update(kind="responsible", chips=chips)
    else:
        return HttpResponse("")
    return render(request, "roadmaps/editor.html#preview", context)


@require_POST
def comment_add(request, pk):
    roadmap = roadmap_get_visible(user=request.user, pk=pk)
    edition = roadmap.latest_edition
    activities = list(edition.activities.all()) if edition else []
    form = CommentForm(request.POST, activities=activities)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("roadmaps:roadmap-detail", args=[pk])
    if not form.is_valid():
        messages.error(request, _("The comment is empty."))
        return redirect(target)
    activity = next(
        (a for a in activities if a.pk == form.cleaned_data["activity"]), None
    )
    try:
        editing.comment_add(
            by=request.user,
            edition=edition,
            text=form.cleaned_data["text"],
            activity=activity,
        )
    except Refused as exc:
        if exc.code == "out_of_scope":
            raise Http404 from exc
        raise PermissionDenied from exc
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Comment added."))
    return redirect(target)


# --- a new plan -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def roadmap_new(request):
    owners = owners_creatable_by(user=request.user)
    owner_rows = list(owners)
    if not owner_rows:
        raise PermissionDenied
    wanted = request.POST.get("owner") or request.GET.get("owner")
    owner = next((o for o in owner_rows if str(o.pk) == wanted), owner_rows[0])
    sources = upper_sources(user=request.user, owner=owner)
    projects = list(Project.objects.all())
    form = RoadmapCreateForm(
        request.POST or None,
        owners=owners,
        owner_rows=owner_rows,
        projects=projects,
        sources=sources,
        level=LEVEL_OF_KIND_LEVEL.get(owner.kind.level),
        initial={
            "owner": owner.pk,
            "project": next((p for p in projects if p.code == "500plus"), None),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start = data["start"]
        try:
            roadmap = roadmap_create(
                by=request.user,
                owner=data["owner"],
                project=data["project"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                numbering=data["numbering"],
                optional_columns=form.optional_columns(),
                template=data["template"] if start == "template" else None,
                source=data["source"] if start == "upper" else None,
            )
        except Refused as exc:
            raise PermissionDenied from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The plan is created as a draft."))
            return redirect(editor_url(roadmap))
    return render(request, "roadmaps/roadmap_new.html", {"form": form, "owner": owner})
