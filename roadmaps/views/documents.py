"""A school's documents (concept, programmes) on the agree/approve path."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from schools.access import Refused, scope_for
from schools.models import Organisation, Project

from .. import workflow
from ..forms import DocumentUploadForm, WorkflowForm, add_service_errors
from ..models import Level, SchoolDocument


def _school(request, school_id) -> Organisation:
    scope = scope_for(request.user)
    if scope.reference and not scope.everything:
        raise Http404  # administrators keep to reference data
    school = (
        Organisation.objects.visible_to(request.user)
        .select_related("kind", "municipality")
        .filter(pk=school_id, kind__code="school")
        .first()
    )
    if school is None:
        raise Http404
    return school


def _year(request, school) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year"))
    except (TypeError, ValueError):
        latest = school.participations.order_by("-year").first()
        return latest.year if latest else workflow.timezone.localdate().year


@require_http_methods(["GET", "POST"])
def document_list(request, school_id):
    school = _school(request, school_id)
    year = _year(request, school)
    upload_form = DocumentUploadForm()
    if request.method == "POST" and request.POST.get("do") == "upload":
        upload_form = DocumentUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            data = upload_form.cleaned_data
            try:
                workflow.document_upload(
                    by=request.user,
                    school=school,
                    project=Project.objects.get(code="500plus"),
                    year=year,
                    kind=data["kind"],
                    title=data["title"],
                    upload=data["file"],
                    risk_factor=data["risk_factor"],
                )
            except Refused as exc:
                raise PermissionDenied from exc
            except ValidationError as exc:
                add_service_errors(upload_form, exc)
            else:
                messages.success(request, _("The document is uploaded as a draft."))
                return redirect(f"{request.path}?year={year}")
    elif request.method == "POST":
        form = WorkflowForm(request.POST)
        document = SchoolDocument.objects.filter(
            pk=request.POST.get("document"), school=school
        ).first()
        if document is None or not form.is_valid():
            raise Http404
        try:
            workflow.document_move(
                by=request.user,
                document=document,
                action=request.POST.get("action"),
                comment=form.cleaned_data["comment"],
            )
        except Refused as exc:
            raise PermissionDenied from exc
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Done."))
        return redirect(f"{request.path}?year={year}")
    documents = list(
        SchoolDocument.objects.filter(school=school, year=year)
        .select_related("risk_factor", "uploaded_by")
        .prefetch_related("events__actor")
    )
    kinds = workflow.actor_kinds(
        request.user, level=Level.SCHOOL, owner=school, year=year
    )
    for d in documents:
        d.actions = workflow.allowed_actions(
            request.user,
            level=Level.SCHOOL,
            owner=school,
            year=year,
            status=d.status,
            submitted_by_id=d.submitted_by_id,
            kinds=kinds,
        )
    return render(
        request,
        "roadmaps/documents.html",
        {
            "school": school,
            "year": year,
            "documents": documents,
            "can_upload": workflow.OWNER in kinds,
            "upload_form": upload_form,
            "years": sorted(
                {p.year for p in school.participations.all()} | {year}, reverse=True
            ),
        },
    )


@require_GET
def document_download(request, pk):
    """Files are served only to those who may see the school's documents."""
    document = SchoolDocument.objects.filter(pk=pk).first()
    if document is None:
        raise Http404
    _school(request, document.school_id)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.file.name.rsplit("/", 1)[-1],
    )
