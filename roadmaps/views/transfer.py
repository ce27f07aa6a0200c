"""Files in and out: import with a preview, Excel/Word downloads, list exports."""

from __future__ import annotations

import io
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from schools.access import Refused

from ..derive import PlanContext
from ..exports.docx import export_filename, write_edition_docx
from ..exports.xlsx import write_edition_xlsx
from ..forms import ImportForm
from ..imports import (
    ImportFailure,
    plan_period,
    roadmap_import_document,
    roadmap_import_edition,
)
from ..models import ExecutorRole, ImportUpload, Roadmap
from ..parsing import ColumnKey, ParseError
from ..parsing.files import parse_file
from ..permissions import is_plan_editor
from ..selectors import (
    editions_visible,
    owners_creatable_by,
    roadmap_get_visible,
)

KEEP_UPLOADS = timedelta(days=1)

MAPPING_CHOICES = [
    (ColumnKey.NUMBER, "№"),
    (ColumnKey.TITLE, "мероприятие"),
    (ColumnKey.DESCRIPTION, "описание"),
    (ColumnKey.DEADLINE, "срок"),
    (ColumnKey.RESPONSIBLE, "ответственные"),
    (ColumnKey.INDICATOR, "показатель"),
    (ColumnKey.IGNORE, "не загружать"),
]


def _editable_plans(user):
    """Plans in force the user may give a new edition by an import."""
    plans = (
        Roadmap.objects.visible_to(user)
        .in_force()
        .select_related("owner", "latest_edition")
        .order_by("-period_start", "title")
    )
    return [
        p
        for p in plans
        if is_plan_editor(user, p) and p.latest_edition_id == p.current_edition_id
    ]


@require_http_methods(["GET", "POST"])
def import_start(request):
    owners = owners_creatable_by(user=request.user)
    owner_rows = list(owners)
    if not owner_rows:
        raise PermissionDenied
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        owners=owners,
        owner_rows=owner_rows,
        targets=_editable_plans(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        if upload is not None:
            if upload.size > settings.ROADMAP_IMPORT_MAX_BYTES:
                form.add_error(
                    "file",
                    _("The file is too large: %(size)s, the limit is %(limit)s.")
                    % {
                        "size": filesizeformat(upload.size),
                        "limit": filesizeformat(settings.ROADMAP_IMPORT_MAX_BYTES),
                    },
                )
            else:
                content, name = upload.read(), upload.name
        else:
            content, name = data["text"].encode("utf-8"), ""
        if not form.errors:
            try:
                parse_file(content, name)
            except ParseError as exc:
                form.add_error("file" if upload is not None else "text", exc.message)
            else:
                ImportUpload.objects.filter(
                    created_at__lt=timezone.now() - KEEP_UPLOADS
                ).delete()
                pending = ImportUpload.objects.create(
                    user=request.user,
                    filename=name[:255],
                    data=content,
                    owner=data["owner"],
                    project=data["project"],
                    target=data["target"],
                )
                return redirect("roadmaps:import-preview", pk=pending.pk)
    return render(request, "roadmaps/import_start.html", {"form": form})


def _pending(request, pk) -> ImportUpload:
    return get_object_or_404(
        ImportUpload.objects.select_related("owner", "project", "target"),
        pk=pk,
        user=request.user,
    )


def _report(document, owner, period):
    """Per-row notes: the reader's, deadlines not understood, unknown executors."""
    ctx = PlanContext.for_owner(owner, period)
    names = {b.pk: b.display_name for b in ctx.bodies}
    rows = []
    for section in document.sections:
        for activity in section.activities:
            deadline = ctx.deadline(activity.deadline_text)
            found = ctx.executors(activity.responsible)
            chips = []
            for m in found:
                org = m.key if m.key is not None else ctx.by_role.get(str(m.role))
                role = ExecutorRole(str(m.role)).label if m.role else ""
                chips.append(names.get(org) or str(role))
            issues = [n.message for n in activity.notes]
            if activity.deadline_text and not deadline.recognised:
                issues.append(_("deadline not recognised"))
            if activity.responsible and not found:
                issues.append(_("executor not matched to a known body or role"))
            rows.append(
                {
                    "section": section,
                    "activity": activity,
                    "deadline": deadline,
                    "chips": [c for c in chips if c],
                    "issues": issues,
                }
            )
    return rows


@require_http_methods(["GET", "POST"])
def import_preview(request, pk):
    pending = _pending(request, pk)
    mapping = pending.mapping
    if request.method == "POST" and request.POST.get("do") == "remap":
        count = int(request.POST.get("columns", "0") or 0)
        pending.mapping = [
            request.POST.get(f"col-{i}") or "ignore" for i in range(count)
        ]
        pending.save(update_fields=["mapping"])
        return redirect("roadmaps:import-preview", pk=pk)
    try:
        document = parse_file(bytes(pending.data), pending.filename, mapping=mapping)
    except ParseError as exc:
        if mapping is not None:
            messages.error(request, exc.message)
            pending.mapping = None
            pending.save(update_fields=["mapping"])
            return redirect("roadmaps:import-preview", pk=pk)
        messages.error(request, exc.message)
        pending.delete()
        return redirect("roadmaps:import-start")
    if request.method == "POST" and request.POST.get("do") == "confirm":
        try:
            if pending.target is not None:
                edition = roadmap_import_edition(
                    document=document, roadmap=pending.target, by=request.user
                )
                roadmap = edition.roadmap
            else:
                result = roadmap_import_document(
                    document=document,
                    body=pending.owner,
                    project=pending.project,
                    by=request.user,
                )
                roadmap = result.edition.roadmap
        except Refused as exc:
            raise PermissionDenied from exc
        except ImportFailure as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            pending.delete()
            messages.success(
                request,
                _("Imported: %(count)s activities. The plan is a draft now.")
                % {"count": document.activity_count()},
            )
            return redirect("roadmaps:roadmap-edit", pk=roadmap.pk)
    period = (
        (pending.target.period_start, pending.target.period_end)
        if pending.target
        else plan_period(document)
    )
    keys = {c.index: str(c.key) for c in document.columns}
    headers = [
        {"index": i, "header": h, "key": keys.get(i, "ignore")}
        for i, h in enumerate(document.source_headers)
    ]
    return render(
        request,
        "roadmaps/import_preview.html",
        {
            "pending": pending,
            "document": document,
            "headers": headers,
            "choices": MAPPING_CHOICES,
            "rows": _report(document, pending.owner, period),
            "notes": document.notes,
        },
    )


# --- downloads ----------------------------------------------------------------


@require_GET
def edition_download(request, pk, number, fmt):
    """The order with its appendix (or the plan alone) as .xlsx or .docx."""
    roadmap = roadmap_get_visible(user=request.user, pk=pk)
    edition = next(
        (
            e
            for e in editions_visible(user=request.user, roadmap=roadmap)
            if e.number == number
        ),
        None,
    )
    if edition is None or fmt not in ("xlsx", "docx"):
        raise Http404
    edition.roadmap = roadmap
    plan_only = request.GET.get("part") == "plan"
    buffer = io.BytesIO()
    write = write_edition_xlsx if fmt == "xlsx" else write_edition_docx
    write(edition, buffer, plan_only=plan_only)
    buffer.seek(0)
    name = export_filename(edition, fmt)
    if plan_only:
        name = f"dorozhnaya_karta_{roadmap.pk}_red{edition.number}.{fmt}"
    return FileResponse(buffer, as_attachment=True, filename=name)
